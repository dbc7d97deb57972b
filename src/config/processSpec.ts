import { z } from 'zod';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { lhwSchedule } from '../processes/lhwSchedule.ts';
import { ornsteinUhlenbeck } from '../processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../processes/varianceExploding.ts';
import { parseWithSchema } from './formatIssuePath.ts';

const positive = z.number().refine((v) => Number.isFinite(v) && v > 0, 'must be a finite number > 0');

/**
 * DESIGN §4 `ProcessSpec`: `{"kind":"ve","tMin","tMax"}` (X_t = X₀ + tZ), `{"kind":"vp-ou","tMin","tMax"}`
 * (X_t = e^{−t}X₀ + √(1−e^{−2t})Z), and the extension `{"kind":"lhw","T","c0","c1"}` (Li–Huang–Wei schedule
 * (23) on the clock u = −log ᾱ). Omitted tMin/tMax take the process defaults (0.002/80 for VE, 0.002/8 for OU).
 */
export const processSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ve'), tMin: positive.optional(), tMax: positive.optional() }).strict(),
  z.object({ kind: z.literal('vp-ou'), tMin: positive.optional(), tMax: positive.optional() }).strict(),
  z
    .object({
      kind: z.literal('lhw'),
      T: z.number().int().min(2),
      c0: positive.optional(),
      c1: positive.optional(),
      indexing: z.enum(['report', 'li2023']).optional(),
    })
    .strict(),
]);

export type ProcessSpec = z.infer<typeof processSpecSchema>;

export function processFromSpec(spec: unknown, field = 'process'): ForwardProcess {
  const s = parseWithSchema(processSpecSchema, spec ?? { kind: 've' }, field);
  const clock = (o: { tMin?: number | undefined; tMax?: number | undefined }) => ({
    ...(o.tMin === undefined ? {} : { tMin: o.tMin }),
    ...(o.tMax === undefined ? {} : { tMax: o.tMax }),
  });
  switch (s.kind) {
    case 've':
      return varianceExploding(clock(s));
    case 'vp-ou':
      return ornsteinUhlenbeck(clock(s));
    case 'lhw':
      return lhwSchedule({ T: s.T, ...(s.c0 === undefined ? {} : { c0: s.c0 }), ...(s.c1 === undefined ? {} : { c1: s.c1 }), ...(s.indexing === undefined ? {} : { indexing: s.indexing }) }).process();
  }
}

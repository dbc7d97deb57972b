import { z } from 'zod';
import { CmboundsError } from '../core/errors.ts';
import { combineVerdicts, DIAGNOSTIC_KINDS, type Evidence } from './evidence.ts';
import { VERDICTS } from './statement.ts';

/**
 * What every Evidence a check returns must satisfy, whatever its verdict: it names its check, states its reason,
 * each part and note says something (notes of a known kind), a witness says what it witnesses, thresholds name their
 * side, intervals are ordered, plots have a known mark and axis scales and pair their coordinates, and a verdict made of parts is their combination (violated if any part is, else inconclusive if any
 * is, else holds). `defineCheck` applies it to every run, so a check that returns an empty reason, an unnamed part or
 * a verdict its parts do not support fails where it runs instead of printing a report nobody can read.
 */
const text = z.string().trim().min(1);
// any JavaScript number: ±∞ are legitimate interval ends (a sup lower bound's upper end is ∞)
const number = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const estimate = z
  .object({
    value: number,
    interval: z.object({ lower: number, upper: number, level: number }),
    method: text,
    n: number,
  })
  .passthrough()
  .refine((e) => !(e.interval.lower > e.interval.upper), { message: 'interval lower end above its upper end' });
const axis = z.object({ label: text, scale: z.enum(['linear', 'log']) });
const band = z.array(number).optional();
const plot = z
  .object({
    id: text,
    title: text,
    mark: z.enum(['line', 'point']),
    x: axis,
    y: axis,
    series: z.array(
      z
        .object({ name: text, x: z.array(number), y: z.array(number), lower: band, upper: band })
        .refine((s) => s.x.length === s.y.length && (s.lower ?? s.x).length === s.x.length && (s.upper ?? s.x).length === s.x.length, { message: 'x, y and the band ends of different lengths' }),
    ),
  })
  .passthrough();
const evidenceSchema = z
  .object({
    checkId: text,
    verdict: z.enum(VERDICTS),
    reason: text,
    estimates: z.record(z.string(), estimate),
    thresholds: z.array(z.object({ symbol: text, value: number, side: z.enum(['upper', 'lower']) }).passthrough()),
    parts: z.array(z.object({ name: text, verdict: z.enum(VERDICTS), reason: text })),
    diagnostics: z.array(z.object({ kind: z.enum(DIAGNOSTIC_KINDS), message: text }).passthrough()),
    plots: z.array(plot),
    witness: z.object({ description: text, value: number }).passthrough().optional(),
  })
  .passthrough();

/** A check returned Evidence that breaks the contract above: a defect of the check, not of the user's input. */
export class EvidenceContractError extends CmboundsError {}

/**
 * Checks `evidence` against the contract; returns it unchanged.
 *
 * @throws EvidenceContractError naming the check and the first offending field, e.g.
 *   `li2024.schedule: Evidence.parts.1.reason: String must contain at least 1 character(s)`.
 */
export function assertEvidenceContract(checkId: string, evidence: Evidence): Evidence {
  const parsed = evidenceSchema.safeParse(evidence);
  const fail = (field: string, message: string): never => {
    throw new EvidenceContractError('E_EVIDENCE_CONTRACT', `${message} (a defect of the check)`, `${checkId}: Evidence.${field}`);
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(issue.path.map(String).join('.'), issue.message);
  }
  if (evidence.checkId !== checkId) fail('checkId', `names ${evidence.checkId}, returned by ${checkId}`);
  if (evidence.parts.length > 0) {
    const combined = combineVerdicts(evidence.parts.map((p) => p.verdict));
    if (combined !== evidence.verdict) fail('verdict', `is ${evidence.verdict}, but its parts combine to ${combined}`);
  }
  return evidence;
}

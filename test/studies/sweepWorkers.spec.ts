import { describe, expect, it } from 'vitest';
import { builtInTarget, createCheckContext, gaussian, rngFromSeed } from '../../src/index.ts';
import { stringifyWithNonFinite } from '../../src/checks/resultsCache.ts';
import { constantsInT, type ConstantsSubject } from '../../studies/constants.ts';
import { theorem1RateInT } from '../../studies/theorem1Rates.ts';

/** A small sweep with every kind of constant: exact (Gaussian), quadrature and sure bounds (1-D mixture), trained replicates. */
const subject: ConstantsSubject = {
  Ts: [64, 90, 128],
  rows: [
    { label: 'aniso-gaussian-2d', target: builtInTarget('aniso-gaussian-2d'), symbols: ['L_f', 'c_2', 'c_4', 'C_1'] },
    { label: 'bimodal-1d', target: builtInTarget('bimodal-1d'), symbols: ['c_4', 'C_1'], nodes: 64 },
    { label: 'N(½, ½)', target: gaussian([0.5], [0.5]), symbols: ['eps_tot', 'eps_F'] },
  ],
  samplesPerStep: 16,
  draws: 16,
  tolerance: 0.1,
  replicates: 2,
};

/** Evidence of `check` on `subject` with a check context of `workers` threads, as the results cache stores it. */
async function evidenceWith(check: { run: (subject: never, ctx: ReturnType<typeof createCheckContext>) => Promise<unknown> }, subject: unknown, workers: number): Promise<string> {
  const progress: number[] = [];
  const ctx = createCheckContext({ rng: rngFromSeed(4).child('study'), falseFailRate: 1e-3, workers, onProgress: (e) => e.type === 'check-progress' && progress.push(e.fraction) });
  const evidence = await check.run(subject as never, ctx);
  expect(progress.at(-1)).toBe(1);
  return stringifyWithNonFinite(evidence);
}

describe('study sweeps on a worker pool', () => {
  it('constants: Evidence identical byte for byte to the in-process sweep (--workers 2 against 1)', async () => {
    const inProcess = await evidenceWith(constantsInT, subject, 1);
    const pooled = await evidenceWith(constantsInT, subject, 2);
    expect(pooled).toBe(inProcess);
    // the sweep measured what it should (not an empty Evidence on both sides)
    expect(inProcess).toContain('N(½, ½).eps_tot@T=128');
    expect(inProcess).toContain('bimodal-1d.C_1@T=64');
  }, 180_000);

  it('theorem1-rates against T: Evidence identical byte for byte to the in-process sweep', async () => {
    // the holds control's series (closed-form Gaussian, quadrature mixture), each cut to its first three T's
    const control = (await theorem1RateInT.controls.find((c) => c.name === 'paperRate')!.build(rngFromSeed(1))) as unknown as { series: readonly { members: readonly unknown[] }[] };
    const subject = { ...control, series: control.series.map((series) => ({ ...series, members: series.members.slice(0, 3) })) };
    const inProcess = await evidenceWith(theorem1RateInT, subject, 1);
    expect(await evidenceWith(theorem1RateInT, subject, 2)).toBe(inProcess);
    expect(inProcess).toContain('"mild1d.D_T@T=512"');
  }, 180_000);
});

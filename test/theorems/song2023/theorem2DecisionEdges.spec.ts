// song2023.theorem2 at its input boundary and in its summary: a decorrelation exponent that is not a finite number > 0
// is refused naming the field, the summary names the pair that was examined, and the thresholds state the rule. Closed forms on the Gaussian with a
// short sweep (N = 8…64), a few milliseconds each. These tests kill the mutants that survived the check's controls
// (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { theorem2CtApproximatesCd, type Theorem2Coupling } from '../../../theorems/song2023/theorem2.ts';

const run = (coupling: Theorem2Coupling) =>
  theorem2CtApproximatesCd.run(
    { target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling, gridSizes: [8, 16, 32, 64] },
    createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 }),
  );

describe('song2023.theorem2 input and summary', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the decorrelation exponent %s, naming coupling.exponent', async (exponent) => {
    await expect(run({ kind: 'decorrelated', exponent })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', field: 'coupling.exponent', message: expect.stringContaining(`must be a finite number > 0, got ${exponent}`) });
  });

  it('names the decorrelated pair and its exponent in the summary', async () => {
    const e = await run({ kind: 'decorrelated', exponent: 1.75 });
    expect(e.reason.startsWith('With the decorrelated (1 − c = (h/t)^1.75) pair, f = g = f*, |L_CT − L_CD| = '), e.reason).toBe(true);
  });

  it('names a shared-noise pair by its label, and states its rule as two thresholds on the slope: holds ≤ −0.5, violated ≥ 0', async () => {
    const e = await run('shared-noise');
    expect(e.reason.startsWith('With the shared-noise pair, f = g = f*'), e.reason).toBe(true);
    // the report prints side 'upper' as ≤ and 'lower' as ≥
    expect(e.thresholds.map((t) => [t.value, t.side])).toEqual([
      [-0.5, 'upper'],
      [0, 'lower'],
    ]);
  });
});

// The decision logic of lyu2023.consistencyError beyond its controls: the p-value of the exact-step branch on a model
// whose residuals are random (it uses each residual's standard error), the order of a model whose residuals vanish
// exactly, and the reason's comparison sign on both sides. Small hand-built subjects.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { denoiserAsConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { consistencyErrorAssumption } from '../../../theorems/lyu2023/consistencyError.ts';
import { perturbedScore } from '../../../theorems/lyu2023/scoreError.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
const target = builtInTarget('aniso-gaussian-2d');
const process = ornsteinUhlenbeck();

describe('lyu2023.consistencyError edges', () => {
  it('exact-step branch: a claim at the largest lower interval end gives a p-value strictly inside (0, 1) (the residuals’ standard errors are used)', async () => {
    const model = denoiserAsConsistencyFunction(target, process);
    const subject = { target, process, model, gridSize: 8, samples: 200 };
    const free = await consistencyErrorAssumption.run(subject, context(1));
    expect(free.pValue).toBeUndefined(); // nothing declared, nothing tested
    const claim = free.estimates['eps_cm']!.interval.lower;
    expect(claim).toBeGreaterThan(0);
    const e = await consistencyErrorAssumption.run({ ...subject, claimed: { epsCm: claim } }, context(1));
    // the interval attaining the largest lower end has its mean square z·SE above the claim (z of the CLT level,
    // ≈ 4 here), so its one-sided p-value is Φ̄(z) > 0, and the Bonferroni product over 7 intervals stays below 1
    expect(e.pValue).toBeGreaterThan(0);
    expect(e.pValue).toBeLessThan(1e-2);
  }, 30_000);

  it('a model whose residuals vanish exactly (f ≡ 0) has an infinite order, not NaN', async () => {
    const zero: ConsistencyFunction = { id: 'zero', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: new Float64Array(x.n * x.d) }) };
    const e = await consistencyErrorAssumption.run({ target, process, model: zero, score: perturbedScore(target, process, 1, [0, 0], 'exact score'), claimed: { epsCm: 0.1 }, gridSize: 8, samples: 50 }, context(2));
    expect(e.estimates['eps_cm']!.value).toBe(0);
    expect(e.estimates['order']!.value).toBe(Number.POSITIVE_INFINITY);
    expect(e.verdict).toBe('holds');
    expect(e.reason).toContain('≤ ε_cm = 0.1');
  }, 30_000);
});

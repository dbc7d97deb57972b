// The decision logic of lyu2023.oneStep beyond its controls: a model with a boundary error b > 0 (every term of the
// bound and of its paper form counted with its sign), the W₂ estimate's sample size, the L_f witness point of a
// non-affine model and the reason naming it. Small hand-built subjects, one run each.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { oneStepSkeleton } from '../../../theorems/lyu2023/oneStep.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });

/** f* shifted by `shift` at every time (the boundary included): residuals 0, boundary term b = |shift| exactly (d = 1). */
function shifted(base: ConsistencyFunction, shift: number): ConsistencyFunction {
  return {
    id: `exact+${shift}`,
    precision: 'float64',
    evaluate: (x, t) => {
      const out = base.evaluate(x, t);
      return { n: out.n, d: out.d, data: out.data.map((v) => v + shift) };
    },
  };
}

describe('lyu2023.oneStep with a boundary error (f* + 0.3 at every time, N(1, 0.5) on VE [0.002, 1])', () => {
  it('adds b = 0.3 to the bound, its interval ends and its paper form; the W₂ sample has the requested size', async () => {
    const target = gaussian([1], [0.5]);
    const process = varianceExploding({ tMax: 1 });
    const model = shifted(exactConsistencyFunction(referenceFlow(target, process)), 0.3);
    const e = await oneStepSkeleton.run({ target, process, model, claimed: { Lf: 1 }, gridSize: 6, samples: 200, w2Samples: 64, w2Repetitions: 20 }, context(1));
    const b = e.estimates['b']!;
    // ‖f(·, δ) − id‖ = 0.3 for every draw: an exact constant, interval of width 0
    expect(b.value).toBeCloseTo(0.3, 12);
    expect(b.interval.upper).toBeCloseTo(0.3, 12);
    expect(e.estimates['R']!.value).toBeLessThan(1e-12); // a constant shift cancels in every residual
    const prior = e.estimates['prior']!.value;
    const early = e.estimates['early_stop']!.value;
    const bound = e.estimates['W2_bound']!;
    expect(bound.value).toBeCloseTo(prior + 0.3 + early, 9);
    expect(bound.interval.lower).toBeCloseTo(prior + e.estimates['R']!.interval.lower + 0.3 + early, 9);
    expect(bound.interval.upper).toBeCloseTo(prior + e.estimates['R']!.interval.upper + 0.3 + early, 9);
    // paper form (T − δ)·ε̂_cm + prior + b + early stop, with ε̂_cm = 0 here
    expect(e.estimates['W2_bound_paper_form']!.value).toBeCloseTo(prior + 0.3 + early, 9);
    // the sampled W₂ (kept beside the exact Bures value) used the requested 64 points per sample
    expect(e.estimates['W2_measured']!.method).toBe('exact');
    expect(e.estimates['W2_measured_sampled']!.n).toBe(64);
    expect(e.plots[0]!.x.scale).toBe('log');
  }, 30_000);
});

describe('lyu2023.oneStep: the declared L_f against a non-affine model', () => {
  it('a declared L_f below the witnessed stretch is violated, with the point where f(·, T) stretches as witness', async () => {
    const target = builtInTarget('bimodal-1d');
    const process = ornsteinUhlenbeck();
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const e = await oneStepSkeleton.run({ target, process, model, claimed: { Lf: 0.5 }, gridSize: 6, samples: 200, w2Samples: 64 }, context(2));
    const part = e.parts.find((p) => p.name === 'declared L_f ≥ Lip(f(·, T))')!;
    expect(part.verdict).toBe('violated');
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const point = e.witness!.point!;
    expect(point).toHaveLength(1);
    // an independent central difference at the witness point sees a stretch above the declared L_f
    const T = process.tMax;
    const h = 1e-5;
    const at = (x: number): number => model.evaluate({ n: 1, d: 1, data: Float64Array.from([x]) }, T).data[0]!;
    expect(Math.abs(at(point[0]! + h) - at(point[0]! - h)) / (2 * h)).toBeGreaterThan(0.5);
    expect(e.reason).toContain('vs L_f = 0.5)');
    expect(e.reason).toContain('Lip(f(·, T)) ≥');
  }, 30_000);
});

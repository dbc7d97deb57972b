import { describe, expect, it } from 'vitest';
import {
  builtInTarget,
  equivalentClock,
  exactConsistencyFunction,
  linearTimeOffset,
  measureConsistencyResiduals,
  modelOnClock,
  ornsteinUhlenbeck,
  pointBatch,
  referenceFlow,
  rngFromSeed,
  varianceExploding,
  witnessModelLipschitz,
  geometricTimeGrid,
} from '../../src/index.ts';

describe('the Lyu–Feng–Chen constants of a model', () => {
  const target = builtInTarget('aniso-gaussian-2d');

  it('views a VE model on the OU clock of the same noise levels: the VE f* becomes the OU f* (closed form, 1e-10)', () => {
    const ve = varianceExploding();
    const ou = equivalentClock(ve, 'vp-ou');
    // σ_OU(u) = √(e^{2u} − 1) at the ends equals σ_VE = t at the ends
    expect(Math.abs(ou.sigma(ou.tMin) / 0.002 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(ou.sigma(ou.tMax) / 80 - 1)).toBeLessThan(1e-12);
    const view = modelOnClock(exactConsistencyFunction(referenceFlow(target, ve)), ve, 'vp-ou');
    const exactOu = exactConsistencyFunction(referenceFlow(target, ou));
    const x = pointBatch(3, 2, Float64Array.from([0.3, -1, 2, 0.5, -0.7, 1.1]));
    for (const u of [ou.tMin, 0.01, 0.7, 3, ou.tMax]) {
      const mine = view.model.evaluate(x, u).data;
      const theirs = exactOu.evaluate(x, u).data;
      for (let k = 0; k < mine.length; k++) expect(Math.abs(mine[k]! - theirs[k]!)).toBeLessThan(1e-10 * (1 + Math.abs(theirs[k]!)));
    }
    // a time outside the trained range is refused, never extrapolated
    expect(() => view.model.evaluate(x, ou.tMax * 1.01)).toThrow(/outside the range it was trained on/);
  });

  it('measures ε̂_cm = ‖v‖ and R = ‖v‖(T − δ) for f* + (t − δ)v (f* is consistent along the exact flow)', () => {
    const process = ornsteinUhlenbeck({ tMax: 2 });
    const exact = exactConsistencyFunction(referenceFlow(target, process));
    const drifted = linearTimeOffset(exact, process, [0.3, 0.4]);
    const level = 0.999;
    const m = measureConsistencyResiduals(drifted, target, process, { gridSize: 8, samples: 200, level, rng: rngFromSeed(1).child('Y') });
    // the offset difference is deterministic, so each residual is exactly h_n·0.5 up to f*'s closed-form rounding
    expect(Math.abs(m.epsCm.value - 0.5)).toBeLessThan(1e-9);
    expect(m.epsCm.interval.lower).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(m.epsCm.interval.upper).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(Math.abs(m.sum.value - 0.5 * (process.tMax - process.tMin))).toBeLessThan(1e-9);
    expect(m.boundary.value).toBeLessThan(1e-12);
    expect(m.minkowskiGap).toBeLessThanOrEqual(1e-12);
    const exactResiduals = measureConsistencyResiduals(exact, target, process, { gridSize: 8, samples: 200, level, rng: rngFromSeed(1).child('Y') });
    expect(exactResiduals.epsCm.value).toBeLessThan(1e-9);
  });

  it('computes each constant once per model and settings: a second request returns the same measurement', () => {
    const process = ornsteinUhlenbeck({ tMax: 2 });
    const model = linearTimeOffset(exactConsistencyFunction(referenceFlow(target, process)), process, [0, 0]);
    const opts = { gridSize: 6, samples: 50, level: 0.99, rng: rngFromSeed(7).child('Y') };
    expect(measureConsistencyResiduals(model, target, process, opts)).toBe(measureConsistencyResiduals(model, target, process, { ...opts, rng: rngFromSeed(7).child('Y') }));
    expect(measureConsistencyResiduals(model, target, process, opts)).not.toBe(measureConsistencyResiduals(model, target, process, { ...opts, rng: rngFromSeed(8).child('Y') }));
    const grid = geometricTimeGrid(process, 4);
    const w = witnessModelLipschitz(model, target, process, grid, rngFromSeed(7).child('L'));
    expect(witnessModelLipschitz(model, target, process, grid, rngFromSeed(7).child('L'))).toBe(w);
    // f*(·, t) of N(μ, Σ) on OU is affine with gain √((a_δ²λ + s_δ²)/(a_t²λ + s_t²)) per eigenvalue λ; the largest is at t = T, λ = 4
    const gain = (t: number): number => Math.sqrt((Math.exp(-2 * process.tMin) * 4 - Math.expm1(-2 * process.tMin)) / (Math.exp(-2 * t) * 4 - Math.expm1(-2 * t)));
    expect(Math.abs(w.perTime[3]! / gain(2) - 1)).toBeLessThan(1e-6);
  });
});

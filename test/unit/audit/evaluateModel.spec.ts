import { describe, expect, it } from 'vitest';
import { evaluateModel, pairedComparison, pairedComparisonOverSeeds, rungReference } from '../../../src/audit/evaluateModel.ts';
import { trainingSeeds } from '../../../src/audit/trainingSeeds.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { ReferenceFlow } from '../../../src/flows/referenceFlow.ts';
import { constantOffset } from '../../../src/models/brokenModels.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const process = varianceExploding();
const times = [80, 5, 0.5];

describe('audit evaluation against the exact f*', () => {
  // bimodal-1d: the reference uses exact quantile maps; the "model" is f* by the ODE solver, an independent computation
  const target = builtInTarget('bimodal-1d');
  const reference = rungReference(target, process, times, 400, rngFromSeed(5));
  const odeExact = exactConsistencyFunction(new ReferenceFlow(target, process, { method: 'ode' }));

  it('gives the exact consistency function (computed independently) a coupling bound ≈ 0 and boundary error 0', () => {
    expect(reference.points.map((p) => p.method)).toEqual(['quantile-map', 'quantile-map', 'quantile-map']);
    const e = evaluateModel(odeExact, reference, 0.95);
    for (const c of e.coupling) {
      // ODE vs quantile map agree to the solver tolerance: far below any Monte Carlo scale here
      expect(c.estimate.value).toBeLessThan(1e-5);
      expect(c.estimate.interval.upper).toBeLessThan(1e-5);
    }
    expect(e.boundaryError).toBe(0);
  });

  it('gives a constant offset δ a bound equal to ‖δ‖ (never below it) and a boundary error of max |δ_j|', () => {
    const delta = 0.05;
    const e = evaluateModel(constantOffset(odeExact, [delta]), reference, 0.95);
    for (const c of e.coupling) {
      expect(c.estimate.value).toBeCloseTo(delta, 5);
      expect(c.estimate.interval.lower).toBeGreaterThan(delta - 1e-5);
    }
    expect(e.boundaryError).toBeCloseTo(delta, 12);

    const ring = builtInTarget('ring8-2d');
    const ringReference = rungReference(ring, process, [80], 64, rngFromSeed(6));
    const exact = exactConsistencyFunction(new ReferenceFlow(ring, process));
    const offset = evaluateModel(constantOffset(exact, [0.03, 0.04]), ringReference, 0.95);
    // same flow as the reference: the squared error is exactly ‖δ‖² = 0.0025 at every point
    expect(offset.coupling[0]!.estimate.value).toBeCloseTo(0.05, 12);
    expect(offset.boundaryError).toBeCloseTo(0.04, 12);
  });

  it('pairs two models on the same draws: an offset model is significantly higher than f*, f* ties with itself', () => {
    const exact = evaluateModel(odeExact, reference, 0.95);
    const worse = evaluateModel(constantOffset(odeExact, [0.05]), reference, 0.95);
    for (let k = 0; k < times.length; k++) {
      const cmp = pairedComparison(worse.coupling[k]!.squaredErrors, exact.coupling[k]!.squaredErrors, 0.99);
      expect(cmp.outcome).toBe('higher');
      // ‖f* + δ − f*‖² − ‖f* − f*‖² = δ² up to the ODE error
      expect(cmp.difference.value).toBeCloseTo(0.0025, 6);
      expect(pairedComparison(exact.coupling[k]!.squaredErrors, worse.coupling[k]!.squaredErrors, 0.99).outcome).toBe('lower');
      expect(pairedComparison(exact.coupling[k]!.squaredErrors, exact.coupling[k]!.squaredErrors, 0.99).outcome).toBe('no significant difference');
    }
  });

  it('rejects times outside (tMin, tMax]', () => {
    expect(() => rungReference(target, process, [100], 10, rngFromSeed(1))).toThrow(/outside/);
  });
});

describe('pairedComparisonOverSeeds', () => {
  it('one seed: the comparison over the draws; several: the t interval of the per-seed mean differences', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([0, 0, 0, 0]);
    const one = pairedComparisonOverSeeds([{ a, b }], 0.95);
    expect(one.method).toBe('draws');
    expect(one.difference).toEqual(pairedComparison(a, b, 0.95).difference);
    // per-seed means 2.5, 0.5, −0.5 (independently computed): mean 5/6, s² = ((5/3)² + (1/3)² + (4/3)²)/2 = 7/3
    const three = pairedComparisonOverSeeds(
      [
        { a, b },
        { a: Float64Array.from([1, 1]), b: Float64Array.from([0.5, 0.5]) },
        { a: Float64Array.from([0, 0, 0]), b: Float64Array.from([1, 0, 0.5]) },
      ],
      0.95,
    );
    expect(three.method).toBe('seeds');
    expect(three.difference.n).toBe(3);
    expect(three.difference.value).toBeCloseTo(5 / 6, 14);
    // t_{2, 0.975} = 4.302652729749464 (scipy.stats.t.ppf)
    const half = 4.302652729749464 * Math.sqrt(7 / 3 / 3);
    expect(three.difference.interval.lower).toBeCloseTo(5 / 6 - half, 8);
    expect(three.difference.interval.upper).toBeCloseTo(5 / 6 + half, 8);
    expect(three.outcome).toBe('no significant difference');
    // consistently lower on every seed, with little spread: significant
    const lower = pairedComparisonOverSeeds([0, 1, 2].map((k) => ({ a: Float64Array.from([1 + 0.01 * k]), b: Float64Array.from([2]) })), 0.95);
    expect(lower.outcome).toBe('lower');
    expect(() => pairedComparisonOverSeeds([], 0.95)).toThrow(/pairs: needs at least one seed/);
  });
});

describe('trainingSeeds', () => {
  it('starts with the root seed, derives the rest deterministically, all distinct, and differs between roots', () => {
    expect(trainingSeeds(5, 1)).toEqual([5]);
    const three = trainingSeeds(5, 3);
    expect(three[0]).toBe(5);
    expect(trainingSeeds(5, 3)).toEqual(three);
    expect(new Set(three).size).toBe(3);
    for (const s of three) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    expect(trainingSeeds(6, 3).slice(1)).not.toEqual(three.slice(1));
    expect(() => trainingSeeds(5, 0)).toThrow(/seeds: must be an integer ≥ 1, got 0/);
  });
});

import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { decideEquality, decideUpperBound } from '../../../src/estimators/decisions.ts';
import { normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { minDetectableDiscrepancyByClt, minSamplesForMeanBoundByClt, type ErrorRates } from '../../../src/estimators/minSamplesForMeanBoundByClt.ts';

/**
 * The sample-size design against an independent brute force: the smallest m ≥ 2 with
 * (t_{m−1, 1−α} + z_{1−β})·σ/Δ ≤ √m, with jStat's t quantile (not the library's own studentTQuantile).
 * Small n is where the t correction moves the answer away from the normal-theory start, so the upward search
 * (geometric growth, then bisection) is what these cases exercise.
 */
function bruteForce(discrepancy: number, sd: number, rates: ErrorRates): number {
  const z = normalQuantile(1 - rates.falsePassRate);
  for (let m = 2; ; m++) if ((jStat.studentt.inv(1 - rates.falseFailRate, m - 1) + z) * (sd / discrepancy) <= Math.sqrt(m)) return m;
}

describe('minSamplesForMeanBoundByClt: the search past the normal-theory start', () => {
  it('moves one step up when the t quantile does not fit at the normal-theory n (Δ = σ, α = 0.05, β = 0.1)', () => {
    // normal theory gives ⌈(1.645 + 1.282)²⌉ = 9; t₈ = 1.86 does not fit at 9, t₉ does at 10
    const rates = { falseFailRate: 0.05, falsePassRate: 0.1 };
    expect(minSamplesForMeanBoundByClt(1, 1, rates)).toBe(10);
    expect(bruteForce(1, 1, rates)).toBe(10);
  });

  it('grows geometrically and bisects when the start is several steps short (Δ = 2σ, α = 0.001)', () => {
    // normal theory gives 5; t₄,₀.₉₉₉ = 7.17 puts the answer at 9 (6, 7, 8 do not fit)
    const rates = { falseFailRate: 0.001, falsePassRate: 0.1 };
    expect(minSamplesForMeanBoundByClt(2, 1, rates)).toBe(9);
    expect(bruteForce(2, 1, rates)).toBe(9);
  });

  it('agrees with the brute force over a grid of designs, and is never below 2', () => {
    for (const falseFailRate of [0.001, 0.01, 0.05]) {
      for (const ratio of [0.05, 0.3, 0.7, 1, 1.5, 3, 10]) {
        const rates = { falseFailRate, falsePassRate: 0.2 };
        expect(minSamplesForMeanBoundByClt(1, ratio, rates), `α = ${falseFailRate}, σ/Δ = ${ratio}`).toBe(bruteForce(1, ratio, rates));
      }
    }
    expect(minSamplesForMeanBoundByClt(100, 1, { falseFailRate: 0.4, falsePassRate: 0.4 })).toBe(2);
  });

  it('refuses a design that needs more than 2^53 samples', () => {
    expect(() => minSamplesForMeanBoundByClt(1e-9, 1, { falseFailRate: 0.05, falsePassRate: 0.1 })).toThrow(/^discrepancy: needs more than 2\^53 samples/);
  });
});

describe('minDetectableDiscrepancyByClt', () => {
  it('is (t_{n−1} + z)·σ/√n, against jStat at n = 5 and n = 2', () => {
    const rates = { falseFailRate: 0.05, falsePassRate: 0.1 };
    // (t_{4, 0.95} + z_{0.9})/√5 = (2.13185 + 1.28155)/√5 = 1.52652; jStat's quantiles are good to ~1e-9, hence 7 digits
    expect(minDetectableDiscrepancyByClt(5, 1, rates)).toBeCloseTo((jStat.studentt.inv(0.95, 4) + normalQuantile(0.9)) / Math.sqrt(5), 7);
    expect(minDetectableDiscrepancyByClt(2, 3, rates)).toBeCloseTo((3 * (jStat.studentt.inv(0.95, 1) + normalQuantile(0.9))) / Math.SQRT2, 7);
    expect(() => minDetectableDiscrepancyByClt(2.5, 1, rates)).toThrow(/^n: must be an integer ≥ 2, got 2\.5/);
    expect(() => minDetectableDiscrepancyByClt(5, 0, rates)).toThrow(/^sd: must be a finite positive number, got 0/);
  });
});

describe('decision inputs at their edges', () => {
  it('an exact claim (tolerance 0) on an exact value holds, and a one-ulp miss is violated', () => {
    const exact = (v: number) => ({ value: v, interval: { lower: v, upper: v, level: 1 }, method: 'exact' as const, n: 1 });
    expect(decideEquality(exact(0.3), 0.3, 0).verdict).toBe('holds');
    expect(decideEquality(exact(0.30000000000000004), 0.3, 0).verdict).toBe('violated');
    // a degenerate interval (lower = upper) is well formed
    expect(decideUpperBound(exact(2), 2).verdict).toBe('holds');
  });
});

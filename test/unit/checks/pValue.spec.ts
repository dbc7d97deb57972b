import jStatModule from 'jstat';
import { describe, expect, it } from 'vitest';
import { pValueAgainstEquality, pValueOfProportionAtMost } from '../../../src/checks/pValue.ts';
import { decideEquality } from '../../../src/estimators/decisions.ts';
import type { Estimate } from '../../../src/estimators/estimate.ts';

/** jStat's normal distribution (its type declarations omit it). */
const normal = (jStatModule as unknown as { normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number } }).normal;

/** A CLT-style estimate with the interval at `level` (normal quantile from jStat, independent of our code). */
function estimate(value: number, standardError: number, level = 0.998): Estimate {
  const z = normal.inv(1 - (1 - level) / 2, 0, 1);
  return { value, standardError, interval: { lower: value - z * standardError, upper: value + z * standardError, level }, method: 'clt-mean', n: 1000 };
}

/** Φ̄(z) as Φ(−z), which keeps its relative accuracy in the tail. */
const survival = (z: number): number => normal.cdf(-z, 0, 1);

describe('pValueAgainstEquality', () => {
  it('is the plain two-sided test without a tolerance', () => {
    const e = estimate(0.3, 0.1);
    expect(pValueAgainstEquality(e, 0)).toBeCloseTo(2 * survival(3), 12);
  });

  it('gives 1 inside the tolerance band, where the verdict accepts the equality (a float-rounding residual)', () => {
    // ring8-2d at t = 1000 in the quick suite: residual 9.6e-17, SE 5.2e-18; without the band p = 3.6e-73
    const rounding = estimate(9.55e-17, 5.23e-18);
    expect(pValueAgainstEquality(rounding, 0)).toBeLessThan(1e-70);
    expect(pValueAgainstEquality(rounding, 0, 1e-9)).toBe(1);
    expect(decideEquality(rounding, 0, 1e-9).verdict).toBe('holds');
  });

  it('tests the nearer edge of the band outside it, agreeing with decideEquality at the same level', () => {
    const tol = 0.05;
    const e = estimate(0.12, 0.02);
    // gap to the band = 0.07 = 3.5 SE; the far edge is 0.17 = 8.5 SE away (jStat's Φ is accurate to ~1e-7 relative here)
    const expected = survival(3.5) + survival(8.5);
    expect(Math.abs(pValueAgainstEquality(e, 0, tol) - expected)).toBeLessThanOrEqual(1e-6 * expected);
    for (const [value, se] of [[0.2, 0.02], [0.06, 0.01], [-0.09, 0.01], [0.051, 0.0001], [0.03, 0.05]] as const) {
      const level = 0.998;
      const est = estimate(value, se, level);
      const p = pValueAgainstEquality(est, 0, tol);
      const verdict = decideEquality(est, 0, tol).verdict;
      // violated ⇔ the interval misses the band ⇔ |v̂| − tol > z·SE, so p < Φ̄(z) + Φ̄(z + 2tol/SE) ≤ 1 − level
      if (verdict === 'violated') expect(p).toBeLessThan(1 - level);
      else expect(p).toBeGreaterThan((1 - level) / 2);
    }
  });
});

describe('pValueOfProportionAtMost', () => {
  /** P(Bin(n, p) ≥ k) summed term by term from the pmf (exact rational recurrence, independent of jStat). */
  function upperTail(k: number, n: number, p: number): number {
    let term = (1 - p) ** n;
    let cdfBelow = 0;
    for (let j = 0; j < k; j++) {
      cdfBelow += term;
      term *= ((n - j) / (j + 1)) * (p / (1 - p));
    }
    return 1 - cdfBelow;
  }

  it('is P(Bin(n, bound) ≥ successes) to 1e-10 absolute (jStat rounds its CDF to 10 decimals), 1 for no successes', () => {
    expect(pValueOfProportionAtMost(0, 200, 0.01)).toBe(1);
    for (const [k, n, p] of [[1, 200, 0.01], [5, 200, 0.01], [12, 300, 0.02], [40, 1000, 0.03]] as const) {
      expect(Math.abs(pValueOfProportionAtMost(k, n, p) - upperTail(k, n, p))).toBeLessThanOrEqual(1e-10);
    }
  });

  it('is small when the count is far above n·bound and near 1 when far below', () => {
    expect(pValueOfProportionAtMost(30, 1000, 0.005)).toBeLessThan(1e-6);
    expect(pValueOfProportionAtMost(2, 1000, 0.005)).toBeGreaterThan(0.9);
  });
});

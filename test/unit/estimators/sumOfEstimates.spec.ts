import { describe, expect, it } from 'vitest';
import type { Estimate } from '../../../src/estimators/estimate.ts';
import { estimateMeanByClt } from '../../../src/estimators/meanByClt.ts';
import { estimateSupremumByMaximum } from '../../../src/estimators/supremumByMaximum.ts';
import { sumOfEstimates } from '../../../src/estimators/sumOfEstimates.ts';
import { normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from './binomialBand.ts';

const exact = (value: number): Estimate => ({ value, interval: { lower: value, upper: value, level: 1 }, method: 'exact', n: 0 });
const withSe = (value: number, standardError: number, n: number): Estimate => ({
  value,
  interval: { lower: value - 2 * standardError, upper: value + 2 * standardError, level: 0.95 },
  method: 'clt-mean',
  n,
  standardError,
});

describe('sumOfEstimates', () => {
  it('adds values, adds standard errors in quadrature and counts exact parts with SE 0', () => {
    const s = sumOfEstimates([withSe(1, 0.3, 100), withSe(2, 0.4, 50), exact(10)]);
    expect(s.value).toBe(13);
    expect(s.standardError).toBe(0.5);
    expect(s.n).toBe(150);
    const z = normalQuantile(0.975);
    expect(s.interval).toEqual({ lower: 13 - z * 0.5, upper: 13 + z * 0.5, level: 0.95 });
    expect(s.method).toBe('clt-sum');
  });

  it('covers the sum of known means over 400 seeds at its nominal rate within binomial error', () => {
    // Three independent CLT means of normal data (n = 200 each); the normal interval on the sum is then accurate to
    // O(1/n) in coverage (t vs z), so the count is ≈ Binomial(400, 0.95); the 99.9% band gives false-fail ≲ 0.1%.
    const trials = 400;
    const means = [0.5, -1, 2];
    let covered = 0;
    for (let seed = 0; seed < trials; seed++) {
      const rng = new Rng(seed, ['sum.coverage']);
      const parts = means.map((mu, k) => estimateMeanByClt(new Float64Array(200).map(() => mu + (k + 1) * rng.normal())));
      const { interval } = sumOfEstimates(parts);
      if (interval.lower <= 1.5 && 1.5 <= interval.upper) covered++;
    }
    const [lo, hi] = binomialBand(trials, 0.95, 0.999);
    expect(covered).toBeGreaterThanOrEqual(lo);
    expect(covered).toBeLessThanOrEqual(hi);
  });

  it('refuses a part without a standard error, naming it', () => {
    expect(() => sumOfEstimates([exact(1), estimateSupremumByMaximum([1, 2])])).toThrow(/^estimates\[1\]: has no standardError/);
    expect(() => sumOfEstimates([])).toThrow(/^estimates:/);
  });
});

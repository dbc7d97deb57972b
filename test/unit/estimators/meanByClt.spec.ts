import { describe, expect, it } from 'vitest';
import { estimateMeanByClt, sampleMeanAndVariance } from '../../../src/estimators/meanByClt.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from './binomialBand.ts';

describe('estimateMeanByClt', () => {
  it('returns the t-interval of scipy on a small sample', () => {
    // scipy: 3 ∓ t.ppf(0.975, 4)·√(2.5/5) = [1.0367568385224428, 4.963243161477557].
    const e = estimateMeanByClt([1, 2, 3, 4, 5]);
    expect(e.value).toBe(3);
    // SE = √(2.5/5): a few roundings of exact inputs, so 4 ulps.
    expect(Math.abs(e.standardError! - Math.sqrt(0.5))).toBeLessThanOrEqual(4 * Number.EPSILON);
    // 1e-8 relative: the t quantile's documented accuracy.
    expect(Math.abs(e.interval.lower - 1.0367568385224428)).toBeLessThan(1e-8 * 2);
    expect(Math.abs(e.interval.upper - 4.963243161477557)).toBeLessThan(1e-8 * 2);
    expect(e).toMatchObject({ method: 'clt-mean', n: 5, interval: { level: 0.95 } });
  });

  it('keeps the variance exact for values with a large common offset', () => {
    // Shifting by 1e9 leaves the variance at 2.5; a one-pass Σx² formula would lose about 9 digits.
    const { variance } = sampleMeanAndVariance([1, 2, 3, 4, 5].map((x) => x + 1e9), 'x');
    expect(Math.abs(variance - 2.5)).toBeLessThan(1e-6);
  });

  it('covers a known normal mean at its nominal 95% rate over 400 seeds', () => {
    // Normal data make the t-interval exact, so the cover count is Binomial(400, 0.95); asserting the 99.9% band
    // gives a false-fail rate of at most 0.1%.
    const trials = 400;
    const trueMean = 1.5;
    let covered = 0;
    for (let seed = 0; seed < trials; seed++) {
      const rng = new Rng(seed, ['meanByClt.coverage']);
      const x = new Float64Array(30).map(() => trueMean + 2 * rng.normal());
      const { interval } = estimateMeanByClt(x, { level: 0.95 });
      if (interval.lower <= trueMean && trueMean <= interval.upper) covered++;
    }
    const [lo, hi] = binomialBand(trials, 0.95, 0.999);
    expect(covered).toBeGreaterThanOrEqual(lo);
    expect(covered).toBeLessThanOrEqual(hi);
  });

  it('names the field for too few values, a non-finite value and a bad level', () => {
    expect(() => estimateMeanByClt([1])).toThrow(/^samples: needs at least 2/);
    expect(() => estimateMeanByClt([1, Number.NaN])).toThrow(/^samples\[1\]: must be a finite number, got NaN/);
    expect(() => estimateMeanByClt([1, 2], { level: 1 })).toThrow(/^level:/);
  });
});

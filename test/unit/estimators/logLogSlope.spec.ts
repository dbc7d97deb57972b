import { describe, expect, it } from 'vitest';
import { estimateLogLogSlope } from '../../../src/estimators/logLogSlope.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from './binomialBand.ts';

const sweep = [256, 512, 1024, 2048, 4096, 8192];

describe('estimateLogLogSlope', () => {
  it('recovers the exponent of an exact power law to rounding', () => {
    // y = 3·T^{-1/2} exactly; the fit is a few dozen flops on logs of size ≤ 10, so 1e-14 absolute is ≈ 50 ulps.
    const y = sweep.map((t) => 3 * t ** -0.5);
    const e = estimateLogLogSlope(sweep, y);
    expect(Math.abs(e.value + 0.5)).toBeLessThan(1e-14);
    expect(Math.abs(e.intercept - Math.log(3))).toBeLessThan(1e-13);
    expect(e.standardError!).toBeLessThan(1e-14);
  });

  it('matches scipy.stats.linregress on noisy data', () => {
    // scipy: slope −0.5293682776658543, stderr 0.02484137723977482, intercept 1.1328536471523574.
    const e = estimateLogLogSlope([1, 2, 4, 8, 16], [3.1, 2.2, 1.4, 1.1, 0.7]);
    expect(Math.abs(e.value + 0.5293682776658543)).toBeLessThan(1e-14);
    expect(Math.abs(e.standardError! - 0.02484137723977482)).toBeLessThan(1e-15);
    expect(Math.abs(e.intercept - 1.1328536471523574)).toBeLessThan(1e-14);
    expect(e).toMatchObject({ method: 'ols-slope', n: 5 });
  });

  it('covers a planted slope under log-normal noise at its nominal rate over 400 seeds', () => {
    // Normal errors in log y make the t-interval exact: the cover count is Binomial(400, 0.9); the 99.9% band gives
    // a false-fail rate of at most 0.1%.
    const trials = 400;
    const planted = 0.8;
    let covered = 0;
    for (let seed = 0; seed < trials; seed++) {
      const rng = new Rng(seed, ['logLogSlope.coverage']);
      const y = sweep.map((t) => 0.1 * t ** planted * Math.exp(0.3 * rng.normal()));
      const { interval } = estimateLogLogSlope(sweep, y, { level: 0.9 });
      if (interval.lower <= planted && planted <= interval.upper) covered++;
    }
    const [lo, hi] = binomialBand(trials, 0.9, 0.999);
    expect(covered).toBeGreaterThanOrEqual(lo);
    expect(covered).toBeLessThanOrEqual(hi);
  });

  it('names the offending point for non-positive values and rejects a constant x', () => {
    expect(() => estimateLogLogSlope([1, 2, 3], [1, 0, 1])).toThrow(/^y\[1\]: must be a finite positive number/);
    expect(() => estimateLogLogSlope([2, 2, 2], [1, 2, 3])).toThrow(/^x: all x are equal/);
    expect(() => estimateLogLogSlope([1, 2], [1, 2])).toThrow(/^x: needs at least 3 points/);
    expect(() => estimateLogLogSlope([1, 2, 3], [1, 2])).toThrow(/^y: has length 2, expected 3/);
  });
});

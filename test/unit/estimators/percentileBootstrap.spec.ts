import { describe, expect, it } from 'vitest';
import { estimateByPercentileBootstrap, quantileOfSorted } from '../../../src/estimators/percentileBootstrap.ts';
import { Rng } from '../../../src/random/rng.ts';

const mean = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;

describe('estimateByPercentileBootstrap', () => {
  it('is a pure function of the seed and path', () => {
    const x = new Float64Array(50).map((_, i) => Math.sin(i));
    const first = estimateByPercentileBootstrap(x, mean, new Rng(3, ['boot']), { resamples: 200 });
    const second = estimateByPercentileBootstrap(x, mean, new Rng(3, ['boot']), { resamples: 200 });
    expect(second).toEqual(first);
    expect(first.value).toBe(mean(x));
    expect(first.method).toBe('percentile-bootstrap');
  });

  it('gives the plug-in standard error of a mean within its Monte-Carlo error', () => {
    // For the mean, the bootstrap SE converges to s·√((n−1)/n)/√n; with B = 2000 resamples the SE estimate has a
    // relative standard deviation ≈ 1/√(2B) = 1.6%, so a 6% band is ≈ 3.8σ (false-fail rate ≈ 1.5e-4).
    const rng = new Rng(11, ['data']);
    const n = 100;
    const x = new Float64Array(n).map(() => rng.normal());
    const m = mean(x);
    const s2 = x.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1);
    const plugIn = Math.sqrt((s2 * (n - 1)) / n / n);
    const e = estimateByPercentileBootstrap(x, mean, new Rng(12, ['boot']), { resamples: 2000 });
    expect(Math.abs(e.standardError! / plugIn - 1)).toBeLessThan(0.06);
    expect(e.interval.lower).toBeLessThan(m);
    expect(e.interval.upper).toBeGreaterThan(m);
  });

  it('interpolates order statistics (type 7)', () => {
    expect(quantileOfSorted(Float64Array.from([0, 10, 20]), 0.25)).toBe(5);
    expect(quantileOfSorted(Float64Array.from([0, 10, 20]), 1)).toBe(20);
  });

  it('names the statistic when it returns a non-finite value', () => {
    expect(() => estimateByPercentileBootstrap([1, 2, 3], () => Number.NaN, new Rng(0))).toThrow(/^statistic: returned NaN/);
    expect(() => estimateByPercentileBootstrap([1, 2, 3], mean, new Rng(0), { resamples: 5 })).toThrow(/^resamples:/);
  });
});

import { describe, expect, it } from 'vitest';
import { withRegressionControlVariate } from '../../../src/estimators/controlVariate.ts';
import { squareRootOfEstimate } from '../../../src/estimators/squareRootOfEstimate.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const mean = (v: Float64Array): number => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: Float64Array): number => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};

describe('withRegressionControlVariate', () => {
  it('removes the part of y explained by the control exactly (y = 3 + 2c leaves the constant 3 + 2·mean(c))', () => {
    const c = Float64Array.from([-1.5, -0.5, 0.25, 0.75, 1]);
    const adjusted = withRegressionControlVariate(c.map((v) => 3 + 2 * v), c);
    for (const v of adjusted) expect(v).toBeCloseTo(3 + 2 * mean(c), 12);
  });

  it('keeps the mean within its interval and cuts the variance by 1 − ρ² on correlated draws (seeded, n = 20000)', () => {
    const rng = rngFromSeed(11);
    const n = 20_000;
    const c = rng.fillNormal(new Float64Array(n));
    const noise = rng.fillNormal(new Float64Array(n));
    const y = c.map((v, i) => 1 + 0.9 * v + Math.sqrt(1 - 0.81) * noise[i]!); // mean 1, corr 0.9
    const adjusted = withRegressionControlVariate(y, c);
    // the adjusted mean is 1 + (noise mean)·√0.19 up to O(1/n): 5 standard errors of that term
    expect(Math.abs(mean(adjusted) - 1)).toBeLessThan(5 * Math.sqrt(0.19 / n));
    // variance 0.19 instead of 1; its sampling error at n = 20000 is ~1%
    expect(variance(adjusted) / variance(y)).toBeCloseTo(0.19, 1);
  });

  it('leaves y unchanged for a constant control', () => {
    const y = Float64Array.from([1, 2, 4]);
    expect(Array.from(withRegressionControlVariate(y, new Float64Array(3)))).toEqual([1, 2, 4]);
  });
});

describe('squareRootOfEstimate', () => {
  it('maps value and interval ends by √, reading negative ends as 0, and keeps the rest', () => {
    const out = squareRootOfEstimate({ value: 4, standardError: 1, interval: { lower: -0.5, upper: 9, level: 0.99 }, method: 'clt-mean', n: 100 });
    expect(out).toEqual({ value: 2, standardError: 1, interval: { lower: 0, upper: 3, level: 0.99 }, method: 'clt-mean', n: 100 });
  });
});

import { describe, expect, it } from 'vitest';
import { estimateMeanByClt, estimatePowerMeanRootByClt, numericalEstimate, rngFromSeed } from '../../../src/index.ts';

describe('estimatePowerMeanRootByClt', () => {
  it('maps the CLT interval of the mean through v ↦ v^{1/p}', () => {
    const values = [0.5, 1.5, 2.25, 4, 0.25, 3];
    const mean = estimateMeanByClt(values, { level: 0.9 });
    const root = estimatePowerMeanRootByClt(values, 2, { level: 0.9 });
    expect(root.value).toBeCloseTo(Math.sqrt(mean.value), 14);
    expect(root.interval.lower).toBeCloseTo(Math.sqrt(mean.interval.lower), 14);
    expect(root.interval.upper).toBeCloseTo(Math.sqrt(mean.interval.upper), 14);
    expect(root.interval.level).toBe(0.9);
    expect(root.method).toBe('clt-power-mean');
    expect(root.standardError).toBeCloseTo(mean.standardError! / (2 * Math.sqrt(mean.value)), 14);
  });

  it('covers the true RMS of a seeded normal sample (E Z² = 1) and clips a negative lower end at 0', () => {
    const rng = rngFromSeed(11);
    const z = new Float64Array(4000);
    rng.fillNormal(z);
    const r = estimatePowerMeanRootByClt(z.map((v) => v * v), 2, { level: 0.999 });
    expect(r.interval.lower).toBeLessThanOrEqual(1);
    expect(r.interval.upper).toBeGreaterThanOrEqual(1);
    expect(estimatePowerMeanRootByClt([0, 0, 0, 1e-3], 2).interval.lower).toBe(0);
  });
});

describe('numericalEstimate', () => {
  it('is the value ± its stated accuracy, method numerical, and refuses a negative accuracy naming the field', () => {
    const e = numericalEstimate(0.5, 1e-3);
    expect(e).toEqual({ value: 0.5, interval: { lower: 0.5 - 1e-3, upper: 0.5 + 1e-3, level: 1 }, method: 'numerical', n: 1 });
    expect(() => numericalEstimate(0.5, -1)).toThrow(/accuracy/);
  });
});

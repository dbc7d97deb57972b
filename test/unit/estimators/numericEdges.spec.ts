import { describe, expect, it } from 'vitest';
import { withRegressionControlVariate } from '../../../src/estimators/controlVariate.ts';
import { decideLowerBound, decideSlope, decideUpperBound } from '../../../src/estimators/decisions.ts';
import type { Estimate } from '../../../src/estimators/estimate.ts';
import { estimateMeanByClt, sampleMeanAndVariance } from '../../../src/estimators/meanByClt.ts';
import { minSamplesForMeanBoundByClt } from '../../../src/estimators/minSamplesForMeanBoundByClt.ts';
import { estimatePowerMeanRootByClt } from '../../../src/estimators/powerMeanByClt.ts';
import { estimateByPercentileBootstrap } from '../../../src/estimators/percentileBootstrap.ts';
import { estimateStepSum } from '../../../src/estimators/stratifiedStepSum.ts';
import { studentTQuantile } from '../../../src/estimators/studentTQuantile.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

/** Numbers of the estimators pinned against hand computations on small data sets. */
describe('estimator numbers', () => {
  it('withRegressionControlVariate fits β̂ = Cov(y, c)/Var(c) about both means (two-pass by hand)', () => {
    // ȳ = 3.5, c̄ = 3; y − ȳ = (−2.5, −1.5, 0.5, 3.5), c − c̄ = (−2, 0, −1, 3): Σ products = 15, Σ squares = 14.
    const y = Float64Array.from([1, 2, 4, 7]);
    const c = Float64Array.from([1, 3, 2, 6]);
    const beta = 15 / 14;
    const adjusted = withRegressionControlVariate(y, c);
    expect(adjusted.length).toBe(4);
    adjusted.forEach((v, i) => expect(v).toBeCloseTo(y[i]! - beta * c[i]!, 14));
  });

  it('sampleMeanAndVariance corrects a rounded mean: {2^52, 2^52 + 1, 2^52 + 1} has variance 1/3 exactly', () => {
    // x̄ = 2^52 + 2/3 rounds to 2^52 + 1 (spacing 1), so Σ(x − x̄)² = 1 and the residual Σ(x − x̄) = −1 are exact;
    // the correction (1 − 1²/3)/2 = 1/3 is the exact variance, the uncorrected or sign-flipped forms give 1/2 or 2/3.
    const base = 2 ** 52;
    const { mean, variance } = sampleMeanAndVariance([base, base + 1, base + 1], 'samples');
    expect(variance).toBeCloseTo(1 / 3, 15);
    expect(mean).toBe(base + 1); // 2^52 + 2/3 is not representable; the nearest double is 2^52 + 1
    expect(estimateMeanByClt([base, base + 1, base + 1]).standardError).toBeCloseTo(Math.sqrt(1 / 9), 15);
  });

  it('the stratified step sum uses t with strata·(perStratum − 1) dof and adds the certain steps’ variances', () => {
    // Non-certain steps all have mean 2 (values [1, 3]), so the strata contribute value 2 per step and zero spread;
    // the certain step t = 3 has values [0, 6]: mean 3, variance 18, standard error √(18/2) = 3.
    const measure = (t: number): number[] => (t === 3 ? [0, 6] : [1, 3]);
    const r = estimateStepSum(1, 20, measure, rngFromSeed(5), { strata: 2, perStratum: 2, certain: [3, 3, 40] });
    expect(r.exhaustive).toBe(false);
    expect(r.estimate.value).toBeCloseTo(3 + 19 * 2, 12);
    expect(r.estimate.standardError).toBeCloseTo(3, 12);
    const halfWidth = r.estimate.interval.upper - r.estimate.value;
    expect(halfWidth).toBeCloseTo(studentTQuantile(0.975, 2 * (2 - 1)) * 3, 10);
    expect(r.steps).toContain(3);
    expect(r.estimate.n).toBe(1 + 2 * 2);
  });

  it('the percentile bootstrap draws each resample as exactly n indices from the stream', () => {
    const samples = [1, 2, 4, 8, 16];
    const seen: number[][] = [];
    estimateByPercentileBootstrap(samples, (s) => (seen.push(Array.from(s)), s.reduce((a, b) => a + b, 0)), rngFromSeed(9), { resamples: 10 });
    const replay = rngFromSeed(9);
    expect(seen.length).toBe(11); // the original, then 10 resamples
    expect(seen[0]).toEqual(samples);
    for (let b = 1; b <= 10; b++) {
      const expected = samples.map(() => samples[replay.integer(samples.length)]!);
      expect(seen[b]).toEqual(expected);
    }
  });

  it('minSamplesForMeanBoundByClt refuses designs beyond 2^53 samples rather than searching', () => {
    // (z_{0.95} + z_{0.95})² · (sd/Δ)² ≈ 10.8 · 1e16 > 2^53; a search from a lower start would instead bisect among
    // integers beyond 2^53, where doubles are 16 apart, and never finish.
    expect(() => minSamplesForMeanBoundByClt(1, 1e8, { falseFailRate: 0.05, falsePassRate: 0.05 })).toThrow(/2\^53/);
  });

  it('the Cornish–Fisher branch of studentTQuantile is accurate to 1e-9 relative at dof = 1000, p = 1e-15', () => {
    // scipy 1.17 t.ppf(1e-15, 1000) = −8.070281832298525. The 4th-order term is 4e-9 relative here (z ≈ −7.94);
    // the measured error of the 4-term series is 8.7e-11, so 1e-9 leaves a factor of ten on either side.
    const expected = -8.070281832298525;
    expect(Math.abs(studentTQuantile(1e-15, 1000) - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
  });

  it('decision reasons print 4 significant digits unless two distinct numbers would print alike', () => {
    const estimate = (lower: number, upper: number, value: number): Estimate => ({
      value,
      interval: { lower, upper, level: 0.95 },
      method: 'clt-mean',
      n: 10,
      standardError: 0.1,
    });
    expect(decideUpperBound(estimate(1 / 3, 2 / 3, 0.5), 1).reason).toContain('[0.3333, 0.6667] for the estimate 0.5');
    expect(decideUpperBound(estimate(0.9, 1.00001, 0.95), 1.00002).reason).toContain('[0.9, 1.00001]');
  });

  it('a value exactly at the threshold gives an inconclusive verdict with no sample-size hint (gap 0)', () => {
    const estimate = (lower: number, upper: number, value: number): Estimate => ({
      value,
      interval: { lower, upper, level: 0.95 },
      method: 'clt-mean',
      n: 10,
      standardError: 0.1,
    });
    for (const decision of [decideUpperBound(estimate(0.5, 1.5, 1), 1), decideLowerBound(estimate(0.5, 1.5, 1), 1), decideSlope(estimate(0.5, 1.5, 1), 1)]) {
      expect(decision.verdict).toBe('inconclusive');
      expect(decision.samplesNeeded).toBeUndefined();
      expect(decision.reason.endsWith(', so the verdict is inconclusive.')).toBe(true);
    }
  });

  it('estimatePowerMeanRootByClt: cube root by the delta method, and an all-zero sample is exactly 0 with zero error', () => {
    // values 1, 2, 6: mean 3, variance 7, SE(mean) = √(7/3); the delta-method SE of mean^{1/3} is SE/3 · 3^{−2/3}.
    const root = estimatePowerMeanRootByClt([1, 2, 6], 3);
    expect(root.value).toBeCloseTo(Math.cbrt(3), 14);
    expect(root.standardError).toBeCloseTo((Math.sqrt(7 / 3) / 3) * 3 ** (-2 / 3), 14);
    const halfWidth = studentTQuantile(0.975, 2) * Math.sqrt(7 / 3); // 6.56 > 3: the lower end of the mean is negative
    expect(root.interval.lower).toBe(0);
    expect(root.interval.upper).toBeCloseTo(Math.cbrt(3 + halfWidth), 12);
    expect(root.n).toBe(3);
    const zero = estimatePowerMeanRootByClt([0, 0, 0], 2);
    expect([zero.value, zero.interval.lower, zero.interval.upper, zero.standardError]).toEqual([0, 0, 0, 0]);
  });
});

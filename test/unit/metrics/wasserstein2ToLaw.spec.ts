import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { buresWasserstein } from '../../../src/metrics/buresWasserstein.ts';
import { estimateWasserstein2ToLaw } from '../../../src/metrics/wasserstein2ToLaw.ts';
import { Rng } from '../../../src/random/rng.ts';

/** n draws of N(mean, diag(sd²)) in d = mean.length. */
function normal(mean: readonly number[], sd: readonly number[]) {
  return (n: number, rng: Rng): PointBatch => {
    const d = mean.length;
    const data = rng.fillNormal(new Float64Array(n * d));
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = mean[j]! + sd[j]! * data[i * d + j]!;
    return { n, d, data };
  };
}

/** Mean and standard error of the per-repetition corrected squares m_μν − ½m_μμ − ½m_νν. */
function correctedSquare(parts: { cross: Float64Array; modelFloor: Float64Array; targetFloor: Float64Array }): { mean: number; se: number } {
  const R = parts.cross.length;
  const v = Array.from(parts.cross, (c, k) => c * c - 0.5 * parts.modelFloor[k]! ** 2 - 0.5 * parts.targetFloor[k]! ** 2);
  const mean = v.reduce((a, b) => a + b, 0) / R;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1);
  return { mean, se: Math.sqrt(variance / R) };
}

describe('estimateWasserstein2ToLaw', () => {
  it('brackets the closed form W₂(N(0, 1), N(1, 4)) = √2 in 1-D', () => {
    const r = estimateWasserstein2ToLaw(normal([0], [1]), normal([1], [2]), new Rng(11), { n: 400, repetitions: 12, level: 0.99 });
    const truth = Math.SQRT2; // (μ₁ − μ₂)² + (σ₁ − σ₂)² = 1 + 1
    expect(r.estimate.interval.lower).toBeLessThanOrEqual(truth);
    expect(r.estimate.interval.upper).toBeGreaterThanOrEqual(truth);
    // the bracket is informative: the lower end subtracts both same-law floors (≈ 0.12 and 0.24 at n = 400: the
    // Gaussian tails make the plug-in W₂ converge slowly), so it is wider than the upper side
    expect(r.estimate.interval.lower).toBeGreaterThan(0.5 * truth);
    expect(r.estimate.interval.upper).toBeLessThan(1.2 * truth);
    expect(Math.abs(r.estimate.value - truth)).toBeLessThan(0.1);
    expect(r.estimate).toMatchObject({ method: 'assignment-vs-law', n: 400 });
  });

  it('the bias-corrected square is unbiased for a translate in 1-D: within 4 standard errors of the shift²', () => {
    // ν = μ + 0.5: sorted matching gives E W₂(μ_n, ν_n)² = 0.25 + E W₂(μ_n, μ′_n)², so the correction is exact in mean
    const r = estimateWasserstein2ToLaw(normal([0], [1]), normal([0.5], [1]), new Rng(5), { n: 300, repetitions: 20 });
    const { mean, se } = correctedSquare(r.parts);
    expect(Math.abs(mean - 0.25)).toBeLessThanOrEqual(4 * se);
    expect(se).toBeLessThan(0.02); // the test has power: 4 SE < a third of the shift²
  });

  it('brackets the Bures distance between two 2-D Gaussians and subtracts the plug-in bias on the lower side', () => {
    const r = estimateWasserstein2ToLaw(normal([0, 0], [1, 0.5]), normal([1.5, -1], [2, 0.5]), new Rng(7), { n: 400, repetitions: 10, level: 0.99 });
    const truth = buresWasserstein(new Float64Array([0, 0]), new Float64Array([1, 0, 0, 0.25]), new Float64Array([1.5, -1]), new Float64Array([4, 0, 0, 0.25]));
    expect(Math.abs(truth - Math.sqrt(1.5 ** 2 + 1 + 1))).toBeLessThan(1e-9); // independent closed form: commuting diagonal covariances
    expect(r.estimate.interval.lower).toBeLessThanOrEqual(truth);
    expect(r.estimate.interval.upper).toBeGreaterThanOrEqual(truth);
    // the lower end stays informative in d = 2, where the plug-in bias decays only like √(log n/n)
    expect(r.estimate.interval.lower).toBeGreaterThan(0.5 * truth);
    expect(Math.abs(r.estimate.value - truth)).toBeLessThan(0.1);
  });

  it('on two samples of the same law the lower end is 0 and the upper end is the plug-in floor', () => {
    const r = estimateWasserstein2ToLaw(normal([0, 0], [1, 1]), normal([0, 0], [1, 1]), new Rng(3), { n: 256, repetitions: 6 });
    expect(r.estimate.interval.lower).toBe(0);
    expect(r.estimate.interval.upper).toBeGreaterThan(0);
    expect(r.targetFloorMean).toBeGreaterThan(0);
  });

  it('names the offending field', () => {
    expect(() => estimateWasserstein2ToLaw(normal([0], [1]), normal([0], [1]), new Rng(1), { repetitions: 1 })).toThrow(ValidationError);
    expect(() => estimateWasserstein2ToLaw((n, rng) => normal([0], [1])(n + 1, rng), normal([0], [1]), new Rng(1), { n: 10 })).toThrow(/sampleModel|points/);
  });
});

import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { slicedWasserstein2 } from '../../../src/metrics/slicedWasserstein2.ts';
import { wasserstein1d } from '../../../src/metrics/wasserstein1d.ts';
import { Rng } from '../../../src/random/rng.ts';

/**
 * a ~ N(0, I_d) (n points) and b = m + σ·a (the same points, mapped). For σ > 0 every projection of b is an increasing
 * affine map of the projection of a, so the sorted matching is i ↔ i and the exact sliced distance of these two
 * point sets is SW₂² = E_θ[θᵀMθ] = tr(M)/d with M = (1/n) Σ v_i v_iᵀ, v_i = m + (σ−1)a_i. The population value of
 * the laws N(0, I) and N(m, σ²I) is |m|²/d + (σ−1)².
 */
function coupledGaussians(n: number, m: readonly number[], sigma: number, seed: number) {
  const d = m.length;
  const rng = new Rng(seed, ['sliced.data']);
  const a: PointBatch = { n, d, data: rng.fillNormal(new Float64Array(n * d)) };
  const b: PointBatch = { n, d, data: a.data.map((x, k) => m[k % d]! + sigma * x) };
  let trace = 0;
  for (let k = 0; k < n * d; k++) trace += (m[k % d]! + (sigma - 1) * a.data[k]!) ** 2;
  return { a, b, exactEmpirical: Math.sqrt(trace / n / d) };
}

describe('slicedWasserstein2', () => {
  const m = [1.5, -0.5, 1];
  const sigma = 1.8;

  it('converges to the exact sliced distance of two Gaussian samples within 4 standard errors as P grows', () => {
    // The only randomness is the directions; the per-direction values are i.i.d. with finite variance, so each
    // |value − exact| ≤ 4·SE fails with probability ≈ 6e-5 (normal approximation); four P values: ≤ 3e-4.
    const { a, b, exactEmpirical } = coupledGaussians(2000, m, sigma, 1);
    const errors: number[] = [];
    for (const projections of [16, 64, 256, 1024]) {
      const e = slicedWasserstein2(a, b, new Rng(projections, ['sliced.directions']), { projections });
      expect(Math.abs(e.value - exactEmpirical)).toBeLessThanOrEqual(4 * e.standardError!);
      expect(e.interval.lower).toBeLessThanOrEqual(e.value);
      expect(e.interval.upper).toBeGreaterThanOrEqual(e.value);
      errors.push(e.standardError!);
    }
    // SE ∝ 1/√P: from P = 64 to 1024 it should fall by 4; a factor 2 is far outside its own sampling noise.
    expect(errors[3]!).toBeLessThan(errors[1]! / 2);
  });

  it('agrees with the population value of the two Gaussians within Monte-Carlo plus sampling error', () => {
    const n = 4000;
    const d = m.length;
    const { a, b } = coupledGaussians(n, m, sigma, 2);
    const e = slicedWasserstein2(a, b, new Rng(9, ['sliced.population']), { projections: 512 });
    const mm = m.reduce((s, x) => s + x * x, 0);
    const population2 = mm / d + (sigma - 1) ** 2;
    // Sampling sd of tr(M)/d: v ~ N(m, (σ−1)²I) has Var|v|² = 2d(σ−1)⁴ + 4(σ−1)²|m|²; delta method to the root.
    const sampling2 = Math.sqrt((2 * d * (sigma - 1) ** 4 + 4 * (sigma - 1) ** 2 * mm) / n) / d;
    const samplingSe = sampling2 / (2 * Math.sqrt(population2));
    // 4 combined standard errors: false-fail ≈ 6e-5.
    expect(Math.abs(e.value - Math.sqrt(population2))).toBeLessThan(4 * Math.hypot(e.standardError!, samplingSe));
  });

  it('is the exact W2 with zero standard error in d = 1, for unequal sizes too', () => {
    const a: PointBatch = { n: 5, d: 1, data: Float64Array.of(0, 3, 1, 4, 2) };
    const b: PointBatch = { n: 3, d: 1, data: Float64Array.of(1, -1, 5) };
    const e = slicedWasserstein2(a, b, new Rng(0), { projections: 8 });
    const exact = wasserstein1d(a.data, b.data, 2);
    expect(Math.abs(e.value - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
    expect(e.standardError).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
  });

  it('is reproducible from its seed and reports P as n', () => {
    const { a, b } = coupledGaussians(100, m, sigma, 3);
    const first = slicedWasserstein2(a, b, new Rng(5, ['x']), { projections: 32 });
    expect(slicedWasserstein2(a, b, new Rng(5, ['x']), { projections: 32 })).toEqual(first);
    expect(first).toMatchObject({ method: 'sliced-monte-carlo', n: 32 });
  });

  it('names bad inputs', () => {
    const { a, b } = coupledGaussians(10, m, sigma, 4);
    expect(() => slicedWasserstein2(a, b, new Rng(0), { projections: 1 })).toThrow(/^projections:/);
    expect(() => slicedWasserstein2(a, { n: 0, d: 3, data: new Float64Array(0) }, new Rng(0))).toThrow(/^b: must contain at least one point/);
  });
});

import { describe, expect, it } from 'vitest';
import { wasserstein1ByCdfs } from '../../../src/metrics/wasserstein1ByCdfs.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';

/** W₁(N(m₁, s₁²), N(m₂, s₂²)) = E|a + bZ|, a = m₁ − m₂, b = |s₁ − s₂| (the quantile coupling), folded-normal mean. */
function gaussianW1(m1: number, s1: number, m2: number, s2: number): number {
  const a = m1 - m2;
  const b = Math.abs(s1 - s2);
  if (b === 0) return Math.abs(a);
  return b * Math.sqrt(2 / Math.PI) * Math.exp(-(a * a) / (2 * b * b)) + a * (1 - 2 * normalCdf(-a / b));
}

describe('wasserstein1ByCdfs', () => {
  it('matches the closed form for Gaussians, a shift and a change of scale (crossing CDFs), to O(h²)', () => {
    for (const [m1, s1, m2, s2] of [[0, 1, 0.7, 1], [0, 1, 0.3, 2], [-1, 0.5, 1, 0.25]] as const) {
      const F = (y: number): number => normalCdf((y - m1) / s1);
      const G = (y: number): number => normalCdf((y - m2) / s2);
      // h = 30/4000: the trapezoid error ≈ h²/12·Σ|jumps of the derivative| ≲ 1e-5
      expect(Math.abs(wasserstein1ByCdfs(F, G, -15, 15, 4001) - gaussianW1(m1, s1, m2, s2))).toBeLessThan(1e-5);
    }
  });

  it('is 0 for equal laws, and its error drops about fourfold when the spacing halves (second order)', () => {
    const F = (y: number): number => normalCdf(y);
    expect(wasserstein1ByCdfs(F, F, -10, 10, 101)).toBe(0);
    const G = (y: number): number => normalCdf(y / 2);
    const exact = gaussianW1(0, 1, 0, 2);
    const coarse = Math.abs(wasserstein1ByCdfs(F, G, -20, 20, 201) - exact);
    const fine = Math.abs(wasserstein1ByCdfs(F, G, -20, 20, 401) - exact);
    expect(coarse / fine).toBeGreaterThan(3);
  });
});

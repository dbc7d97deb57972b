import { describe, expect, it } from 'vitest';
import { integrateAdaptive } from '../../../src/metrics/integrateAdaptive.ts';
import { totalVariationGaussians1d as tv } from '../../../src/metrics/totalVariationGaussians1d.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';

const density = (m: number, s: number) => (x: number) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));

/**
 * ½∫|p − q| by adaptive quadrature on [−40, 40] standardised, with the sign changes of p − q located independently
 * (a scan plus bisection), so each piece is smooth.
 */
function numericalTv(m1: number, s1: number, m2: number, s2: number): number {
  const p = density(m1, s1);
  const q = density(m2, s2);
  const lo = Math.min(m1 - 40 * s1, m2 - 40 * s2);
  const hi = Math.max(m1 + 40 * s1, m2 + 40 * s2);
  const g = (x: number): number => Math.log(p(x) + 1e-300) - Math.log(q(x) + 1e-300);
  const breaks = [lo];
  const steps = 20000;
  for (let k = 0; k < steps; k++) {
    let a = lo + ((hi - lo) * k) / steps;
    let b = lo + ((hi - lo) * (k + 1)) / steps;
    if (Math.sign(g(a)) !== Math.sign(g(b))) {
      for (let it = 0; it < 200; it++) {
        const mid = 0.5 * (a + b);
        if (Math.sign(g(mid)) === Math.sign(g(a))) a = mid;
        else b = mid;
      }
      breaks.push(0.5 * (a + b));
    }
  }
  breaks.push(hi);
  let total = 0;
  for (let k = 0; k + 1 < breaks.length; k++) {
    total += integrateAdaptive((x) => Math.abs(p(x) - q(x)), breaks[k]!, breaks[k + 1]!, { rtol: 1e-13, initialPieces: 8 }).value;
  }
  return 0.5 * total;
}

describe('totalVariationGaussians1d', () => {
  it('gives 2Φ(|Δ|/2σ) − 1 for equal variances', () => {
    for (const [delta, s] of [[1, 1], [0.3, 2], [-5, 0.5]] as const) {
      // Φ from erfc and erf from its series/erfc: both within a few ulps of 1.
      expect(Math.abs(tv(0, s, delta, s) - (2 * normalCdf(Math.abs(delta) / (2 * s)) - 1))).toBeLessThan(4 * Number.EPSILON);
    }
  });

  it('matches an independent quadrature of ½∫|p − q| for unequal variances', () => {
    const cases: readonly [number, number, number, number][] = [[0, 1, 0, 2], [3, 0.5, -1, 2], [0, 1, 5, 0.1], [0, 1, 1, 1.0000001], [0, 1, 0, 1.001]];
    for (const c of cases) {
      // Quadrature rtol 1e-13 on smooth pieces; the closed form is accurate to a few ulps of 1: 1e-12 absolute.
      expect(Math.abs(tv(...c) - numericalTv(...c))).toBeLessThan(1e-12);
    }
  });

  it('keeps relative precision for tiny distances and is continuous as the variances meet', () => {
    // TV ≈ |Δ|/√(2π) for tiny Δ: relative precision, not just absolute.
    const tiny = tv(0, 1, 1e-8, 1);
    expect(Math.abs(tiny - 1e-8 / Math.sqrt(2 * Math.PI))).toBeLessThan(1e-12 * tiny);
    expect(Math.abs(tv(0, 1, 1, 1 + 1e-12) - tv(0, 1, 1, 1))).toBeLessThan(1e-11);
  });

  it('is symmetric and invariant under affine maps', () => {
    const base = tv(0.3, 0.7, -1.1, 1.9);
    expect(Math.abs(tv(-1.1, 1.9, 0.3, 0.7) - base)).toBeLessThan(8 * Number.EPSILON);
    expect(Math.abs(tv(5 + 3 * 0.3, 3 * 0.7, 5 - 3 * 1.1, 3 * 1.9) - base)).toBeLessThan(1e-14);
  });

  it('fails the deliberately wrong smoothing constant of THEORY §6.2 (LYU-TV control) and satisfies the right one', () => {
    // μ = δ₀, ν = δ₁, σ = 1: TV(N(0,1), N(1,1)) = 2Φ(1/2) − 1 ≈ 0.383; W1 = 1.
    const value = tv(0, 1, 1, 1);
    expect(value).toBeGreaterThan(1 / 10); // W1/(10σ): the wrong constant is violated
    expect(value).toBeLessThanOrEqual(1 / Math.sqrt(2 * Math.PI)); // W1/(σ√(2π)): the bound holds
  });

  it('names a non-positive standard deviation', () => {
    expect(() => tv(0, 0, 1, 1)).toThrow(/^sdA: must be a finite positive standard deviation/);
    expect(() => tv(0, 1, Number.NaN, 1)).toThrow(/^meanB:/);
  });
});

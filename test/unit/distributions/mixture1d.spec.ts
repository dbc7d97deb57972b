import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import {
  mixture1d,
  mixtureCdf,
  mixtureDensity,
  mixtureExpectation,
  mixtureMean,
  mixtureMedian,
  mixtureScore,
  mixtureVariance,
  noisedMixture1d,
  posterior,
  type Mixture1d,
} from '../../../src/distributions/mixture1d.ts';
import { gaussHermite } from '../../../src/numerics/gaussHermite.ts';

const skewed: Mixture1d = { w: [0.3, 0.7], m: [-1, 0.5], v: [0.5, 0.3] };

/** ∫ f over [lo, hi] by the composite Simpson rule with `n` (even) panels: an independent quadrature. */
function simpson(f: (x: number) => number, lo: number, hi: number, n = 20_000): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

/** The density written out from its definition (not through the library). */
function densityByDefinition(mix: Mixture1d, x: number): number {
  return mix.w.reduce((p, w, k) => p + (w * Math.exp(-((x - mix.m[k]!) ** 2) / (2 * mix.v[k]!))) / Math.sqrt(2 * Math.PI * mix.v[k]!), 0);
}

describe('1-D mixtures (src/distributions/mixture1d.ts)', () => {
  it('reads a 1-D GaussianMixture target and refuses others, naming the field', () => {
    expect(mixture1d(builtInTarget('bimodal-1d')).w.length).toBe(2);
    expect(() => mixture1d(gaussian([0, 0], [1, 0, 0, 1]), 'subject.target')).toThrow(ValidationError);
    expect(() => mixture1d(gaussian([0, 0], [1, 0, 0, 1]), 'subject.target')).toThrow(/subject\.target/);
  });

  it('has the density of its definition, the CDF as its integral and the score as d/dx log p (Simpson, central differences)', () => {
    for (const x of [-2.5, -1, 0, 0.4, 2]) {
      expect(mixtureDensity(skewed, x)).toBeCloseTo(densityByDefinition(skewed, x), 14);
      // Simpson with h = 6e-4 on a smooth integrand: error ~ h⁴·max|p⁗| < 1e-12
      expect(mixtureCdf(skewed, x)).toBeCloseTo(simpson((u) => densityByDefinition(skewed, u), -12, x), 10);
      const h = 1e-5;
      const fd = (Math.log(densityByDefinition(skewed, x + h)) - Math.log(densityByDefinition(skewed, x - h))) / (2 * h);
      expect(mixtureScore(skewed, x)).toBeCloseTo(fd, 7);
    }
  });

  it('gives moments, the median and the noised law that match independent integrals', () => {
    const mean = simpson((x) => x * densityByDefinition(skewed, x), -12, 12);
    const second = simpson((x) => x * x * densityByDefinition(skewed, x), -12, 12);
    expect(mixtureMean(skewed)).toBeCloseTo(mean, 10);
    expect(mixtureVariance(skewed)).toBeCloseTo(second - mean * mean, 10);
    expect(mixtureCdf(skewed, mixtureMedian(skewed))).toBeCloseTo(0.5, 13);
    const noised = noisedMixture1d(skewed, 2, 0.5);
    expect(mixtureMean(noised)).toBeCloseTo(2 * mean, 12);
    expect(mixtureVariance(noised)).toBeCloseTo(4 * (second - mean * mean) + 0.25, 10);
  });

  it('gives the posterior of X given X + √s·ξ = y that Bayes\' rule gives by quadrature', () => {
    const noiseVar = 0.4;
    for (const y of [-1.5, 0.2, 1.8]) {
      const joint = (x: number): number => densityByDefinition(skewed, x) * Math.exp(-((y - x) ** 2) / (2 * noiseVar));
      const z = simpson(joint, -12, 12);
      const mean = simpson((x) => x * joint(x), -12, 12) / z;
      const second = simpson((x) => x * x * joint(x), -12, 12) / z;
      const post = posterior(skewed, y, noiseVar);
      expect(post.w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expect(mixtureMean(post)).toBeCloseTo(mean, 10);
      expect(mixtureVariance(post)).toBeCloseTo(second - mean * mean, 10);
    }
  });

  it('takes expectations by Gauss–Hermite per component: exact for polynomials, E cos X in closed form', () => {
    // E X² = Σ w (v + m²), exact with 10 nodes (degree 2 ≤ 19)
    const second = skewed.w.reduce((a, w, k) => a + w * (skewed.v[k]! + skewed.m[k]! ** 2), 0);
    expect(mixtureExpectation(skewed, (x) => x * x, gaussHermite(10))).toBeCloseTo(second, 13);
    // E cos X = Σ w e^{−v/2} cos m; 30 nodes: the rule's error for an entire function of this size is < 1e-14
    const cosine = skewed.w.reduce((a, w, k) => a + w * Math.exp(-skewed.v[k]! / 2) * Math.cos(skewed.m[k]!), 0);
    expect(mixtureExpectation(skewed, Math.cos, gaussHermite(30))).toBeCloseTo(cosine, 13);
  });
});

/**
 * Private helpers of the note checks: 1-D Gaussian mixtures, their posteriors under additive Gaussian noise and
 * medians; the CDF, density and Gauss–Hermite quadrature come from the library. Not a statement file (leading `_`).
 *
 * The library's posterior oracle returns moments; the note checks need the posterior *components* (for quadrature
 * of E[g(·) | y] and for medians), which for a 1-D mixture are three lines (THEORY §4.2).
 */
import { ValidationError } from '../../src/core/errors.ts';
import type { ExactTarget } from '../../src/distributions/exactTarget.ts';
import { GaussianMixture, type NoisedMixture } from '../../src/distributions/gaussianMixture.ts';
import { gaussHermite } from '../../src/index.ts';
import { increasingRoot } from '../../src/numerics/bracketedRoot.ts';

/** Gauss–Hermite quadrature is the library's (src/index.ts); re-exported for the callers of this helper. */
export { gaussHermite };

/** Σ_k w_k N(m_k, v_k) in 1-D. */
export interface Mixture1d {
  readonly w: readonly number[];
  readonly m: readonly number[];
  readonly v: readonly number[];
}

/** The 1-D mixture of a 1-D `GaussianMixture` target. */
export function mixture1d(target: ExactTarget, field = 'target'): Mixture1d {
  if (!(target instanceof GaussianMixture) || target.dim !== 1) throw new ValidationError('E_UNSUPPORTED', 'needs a 1-D Gaussian mixture', field);
  return { w: Array.from(target.weights), m: target.means.map((x) => x[0]!), v: target.covariances.map((c) => c[0]!) };
}

/** The law of a·X + noise·Z. */
export function noisedMixture(mix: Mixture1d, a: number, noise: number): Mixture1d {
  return { w: mix.w, m: mix.m.map((x) => a * x), v: mix.v.map((x) => a * a * x + noise * noise) };
}

/** Law of X given X + √noiseVar·ξ = y (a mixture again: responsibilities, shrunk means, reduced variances). */
export function posterior(mix: Mixture1d, y: number, noiseVar: number): Mixture1d {
  const logs = mix.w.map((w, k) => Math.log(w) - 0.5 * Math.log(mix.v[k]! + noiseVar) - (0.5 * (y - mix.m[k]!) ** 2) / (mix.v[k]! + noiseVar));
  const top = Math.max(...logs);
  const raw = logs.map((l) => Math.exp(l - top));
  const total = raw.reduce((a, b) => a + b, 0);
  return {
    w: raw.map((r) => r / total),
    m: mix.m.map((m, k) => m + (mix.v[k]! / (mix.v[k]! + noiseVar)) * (y - m)),
    v: mix.v.map((v) => (v * noiseVar) / (v + noiseVar)),
  };
}

export function mixtureMean(mix: Mixture1d): number {
  return mix.w.reduce((a, w, k) => a + w * mix.m[k]!, 0);
}

export function mixtureVariance(mix: Mixture1d): number {
  const mu = mixtureMean(mix);
  return mix.w.reduce((a, w, k) => a + w * (mix.v[k]! + (mix.m[k]! - mu) ** 2), 0);
}

/** The library's 1-D mixture law of `mix` (cached per object): its CDF and density are the one implementation. */
const laws = new WeakMap<Mixture1d, NoisedMixture>();
function lawOf(mix: Mixture1d): NoisedMixture {
  let law = laws.get(mix);
  if (!law) {
    law = new GaussianMixture(mix.w, mix.m.map((m) => [m]), mix.v.map((v) => [v])).noised(1, 0);
    laws.set(mix, law);
  }
  return law;
}

export function mixtureCdf(mix: Mixture1d, x: number): number {
  return lawOf(mix).cdf(x);
}

export function mixtureDensity(mix: Mixture1d, x: number): number {
  return lawOf(mix).density1d(x);
}

/** d/dx log density. */
export function mixtureScore(mix: Mixture1d, x: number): number {
  let p = 0;
  let dp = 0;
  mix.w.forEach((w, k) => {
    const g = (w * Math.exp(-((x - mix.m[k]!) ** 2) / (2 * mix.v[k]!))) / Math.sqrt(2 * Math.PI * mix.v[k]!);
    p += g;
    dp -= (g * (x - mix.m[k]!)) / mix.v[k]!;
  });
  return dp / p;
}

/** Median of a 1-D mixture (bisection on the CDF to 1e-14 relative). */
export function mixtureMedian(mix: Mixture1d): number {
  const mu = mixtureMean(mix);
  const sd = Math.sqrt(mixtureVariance(mix));
  return increasingRoot((x) => mixtureCdf(mix, x) - 0.5, mu - 2 * sd, mu + 2 * sd, 1e-14);
}

/** E f(X) for X ~ mix by Gauss–Hermite per component. */
export function expectation(mix: Mixture1d, f: (x: number) => number, rule: { readonly nodes: Float64Array; readonly weights: Float64Array }): number {
  let s = 0;
  mix.w.forEach((w, k) => {
    if (w < 1e-300) return;
    const sd = Math.sqrt(mix.v[k]!);
    let inner = 0;
    for (let j = 0; j < rule.nodes.length; j++) inner += rule.weights[j]! * f(mix.m[k]! + sd * rule.nodes[j]!);
    s += w * inner;
  });
  return s;
}

/**
 * 1-D Gaussian mixtures Σ_k w_k N(m_k, v_k) as plain weights, means and variances: their laws under a·X + noise,
 * posteriors under additive Gaussian noise, moments, medians and expectations by Gauss–Hermite quadrature.
 *
 * The CDF and density are those of `GaussianMixture` (one implementation); the posterior *components* (needed for
 * quadrature of E[g(·) | y] and for medians, where the posterior oracle gives only moments) are three lines for a
 * 1-D mixture (THEORY §4.2).
 */
import { ValidationError } from '../core/errors.ts';
import { increasingRoot } from '../numerics/bracketedRoot.ts';
import type { GaussHermiteRule } from '../numerics/gaussHermite.ts';
import type { ExactTarget } from './exactTarget.ts';
import { GaussianMixture, type NoisedMixture } from './gaussianMixture.ts';

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

/** The law of a·X + noise·Z for X ~ mix, Z ~ N(0, 1) independent. */
export function noisedMixture1d(mix: Mixture1d, a: number, noise: number): Mixture1d {
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
  let density = 0;
  let derivative = 0;
  mix.w.forEach((w, k) => {
    const componentDensity = (w * Math.exp(-((x - mix.m[k]!) ** 2) / (2 * mix.v[k]!))) / Math.sqrt(2 * Math.PI * mix.v[k]!);
    density += componentDensity;
    derivative -= (componentDensity * (x - mix.m[k]!)) / mix.v[k]!;
  });
  return derivative / density;
}

/** Median of a 1-D mixture (bisection on the CDF to 1e-14 relative). */
export function mixtureMedian(mix: Mixture1d): number {
  const mu = mixtureMean(mix);
  const sd = Math.sqrt(mixtureVariance(mix));
  return increasingRoot((x) => mixtureCdf(mix, x) - 0.5, mu - 2 * sd, mu + 2 * sd, 1e-14);
}

/** E f(X) for X ~ mix by a Gauss–Hermite rule (`gaussHermite(n)`) per component; components with w < 1e-300 are skipped. */
export function mixtureExpectation(mix: Mixture1d, f: (x: number) => number, rule: GaussHermiteRule): number {
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

/**
 * Private helpers of the note checks: 1-D Gaussian mixtures, their posteriors under additive Gaussian noise, medians,
 * and Gauss–Hermite quadrature (Golub–Welsch). Not a statement file (leading `_`).
 *
 * The library's posterior oracle returns moments; the note checks need the posterior *components* (for quadrature
 * of E[g(·) | y] and for medians), which for a 1-D mixture are three lines (THEORY §4.2).
 */
import { ValidationError } from '../../src/core/errors.ts';
import type { ExactTarget } from '../../src/distributions/exactTarget.ts';
import { GaussianMixture } from '../../src/distributions/gaussianMixture.ts';
import { increasingRoot } from '../../src/numerics/bracketedRoot.ts';
import { normalCdf } from '../../src/numerics/normalDistribution.ts';
import { symmetricEigen } from '../../src/numerics/symmetricEigen.ts';

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

export function mixtureCdf(mix: Mixture1d, x: number): number {
  return mix.w.reduce((a, w, k) => a + w * normalCdf((x - mix.m[k]!) / Math.sqrt(mix.v[k]!)), 0);
}

export function mixtureDensity(mix: Mixture1d, x: number): number {
  return mix.w.reduce((a, w, k) => a + (w * Math.exp(-((x - mix.m[k]!) ** 2) / (2 * mix.v[k]!))) / Math.sqrt(2 * Math.PI * mix.v[k]!), 0);
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

/** Probabilists' Gauss–Hermite rule with weights summing to 1: E f(Z) ≈ Σ w_i f(z_i), Z ~ N(0, 1). */
export function gaussHermite(n: number): { readonly nodes: Float64Array; readonly weights: Float64Array } {
  // Golub–Welsch: the Jacobi matrix of the monic Hermite_e recurrence has zero diagonal and off-diagonals √k.
  const J = new Float64Array(n * n);
  for (let k = 1; k < n; k++) {
    J[(k - 1) * n + k] = Math.sqrt(k);
    J[k * n + k - 1] = Math.sqrt(k);
  }
  const e = symmetricEigen(J, n);
  const order = Array.from(e.values, (v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  order.forEach(([v, i], j) => {
    nodes[j] = v;
    weights[j] = e.vectors[i]! ** 2; // first row of the eigenvector matrix, eigenvectors normalised
  });
  const total = weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < n; j++) weights[j] = weights[j]! / total;
  return { nodes, weights };
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

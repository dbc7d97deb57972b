import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { GaussianMixture, NoisedMixture } from '../distributions/gaussianMixture.ts';
import type { Rng } from '../random/rng.ts';

/**
 * The posterior law of X₀ given a·X₀ + s·Z = x for a Gaussian-mixture X₀ (THEORY §4.2): the mixture
 * Σ_k r_k N(m̂_k, Ŝ_k), m̂_k = μ_k + aΣ_kC_k⁻¹(x − aμ_k), Ŝ_k = Σ_k − a²Σ_kC_k⁻¹Σ_k, C_k = a²Σ_k + s²I.
 * Ŝ_k shares the eigenvectors U_k of Σ_k, with eigenvalues λ s²/(a²λ + s²).
 */
export interface PosteriorMixture {
  readonly d: number;
  /** r_k(x). */
  readonly weights: Float64Array;
  /** m̂_k. */
  readonly means: readonly Float64Array[];
  /** U_k (row-major d×d, eigenvector j in column j). */
  readonly vectors: readonly Float64Array[];
  /** Eigenvalues of Ŝ_k in the basis U_k. */
  readonly variances: readonly Float64Array[];
}

/** The posterior mixture at one point x (length d). */
export function posteriorMixture(target: GaussianMixture, marginal: NoisedMixture, x: Float64Array): PosteriorMixture {
  const d = target.dim;
  const a = marginal.signal;
  const s2 = marginal.noise * marginal.noise;
  const weights = marginal.responsibilities(pointBatch(1, d, Float64Array.from(x)));
  const means: Float64Array[] = [];
  const variances: Float64Array[] = [];
  target.eigen.forEach((e, k) => {
    const mu = target.means[k]!;
    const U = e.vectors;
    // rotated residual Uᵀ(x − aμ)
    const r = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let i = 0; i < d; i++) v += U[i * d + j]! * (x[i]! - a * mu[i]!);
      r[j] = v;
    }
    const m = Float64Array.from(mu);
    const v = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const lam = e.values[j]!;
      const c = a * a * lam + s2;
      const gain = (a * lam) / c;
      v[j] = (lam * s2) / c;
      for (let i = 0; i < d; i++) m[i] = m[i]! + U[i * d + j]! * gain * r[j]!;
    }
    means.push(m);
    variances.push(v);
  });
  return { d, weights, means, vectors: target.eigen.map((e) => e.vectors), variances };
}

/** n independent draws from the posterior mixture (component labels and normals from child streams). */
export function samplePosterior(post: PosteriorMixture, n: number, rng: Rng): PointBatch {
  const d = post.d;
  const labels = rng.child('component');
  const noise = rng.child('noise');
  const out = pointBatch(n, d);
  const K = post.weights.length;
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let u = labels.uniform();
    let k = 0;
    while (k < K - 1 && u >= post.weights[k]!) {
      u -= post.weights[k]!;
      k += 1;
    }
    noise.fillNormal(z);
    const m = post.means[k]!;
    const U = post.vectors[k]!;
    const v = post.variances[k]!;
    for (let a = 0; a < d; a++) {
      let val = m[a]!;
      for (let j = 0; j < d; j++) val += U[a * d + j]! * Math.sqrt(Math.max(v[j]!, 0)) * z[j]!;
      out.data[i * d + a] = val;
    }
  }
  return out;
}

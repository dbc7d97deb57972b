import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import { GaussianMixture } from '../distributions/gaussianMixture.ts';

/**
 * Kolmogorov distance sup_x |F_n(x) − F(x)| between the empirical CDF of a 1-D sample and an exact CDF.
 *
 * @remarks Evaluated at the order statistics, where the supremum is attained (both one-sided gaps). Under F the
 * DKW–Massart inequality gives P(D_n > r) ≤ 2e^{−2nr²}. Complexity: O(n log n) plus n CDF evaluations.
 */
export function kolmogorovDistance(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  if (n < 1) throw new ValidationError('E_INVALID_INPUT', 'needs at least one point', 'sample');
  let dn = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(xs[i]!);
    dn = Math.max(dn, Math.abs(F - i / n), Math.abs((i + 1) / n - F));
  }
  return dn;
}

/**
 * The exact CDF of θᵀX for X ~ a·X₀ + s·Z, X₀ a Gaussian mixture, Z ~ N(0, I): the 1-D mixture of
 * N(a·θᵀμ_k, a²·θᵀΣ_kθ + s²‖θ‖²) (Cramér–Wold: the projections on all directions determine the law).
 */
export function projectedMixtureCdf(target: GaussianMixture, direction: ArrayLike<number>, signal: number, noise: number): (x: number) => number {
  const d = target.dim;
  if (direction.length !== d) throw new ValidationError('E_DIMENSION', `has dimension ${direction.length}, the target has ${d}`, 'direction');
  let norm2 = 0;
  for (let j = 0; j < d; j++) norm2 += direction[j]! ** 2;
  if (!(norm2 > 0) || !Number.isFinite(norm2)) throw new ValidationError('E_INVALID_INPUT', 'must be a finite nonzero vector', 'direction');
  const means = target.means.map((m) => {
    let v = 0;
    for (let j = 0; j < d; j++) v += direction[j]! * m[j]!;
    return [v];
  });
  const variances = target.covariances.map((c) => {
    let v = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) v += direction[i]! * c[i * d + j]! * direction[j]!;
    return [v];
  });
  // the noise s·θᵀZ has variance s²‖θ‖²: fold it in as noise s·‖θ‖ on the projected mixture
  const projected = new GaussianMixture(target.weights, means, variances).noised(signal, noise * Math.sqrt(norm2));
  return (x) => projected.cdf(x);
}

/** The values θᵀx_i of a batch. */
export function projectPoints(x: PointBatch, direction: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let v = 0;
    for (let j = 0; j < x.d; j++) v += direction[j]! * x.data[i * x.d + j]!;
    out[i] = v;
  }
  return out;
}

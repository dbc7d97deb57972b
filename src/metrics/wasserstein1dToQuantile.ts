import { ValidationError } from '../core/errors.ts';
import { integrateAdaptive } from './integrateAdaptive.ts';

/**
 * A quantile function F⁻¹ : (0, 1) → ℝ, non-decreasing. It is only called at points strictly inside (0, 1).
 */
export type QuantileFunction = (u: number) => number;

/** Options for {@link wasserstein1dToQuantile}. */
export interface Wasserstein1dToQuantileOptions {
  /** Relative tolerance of the quadrature in each cell. @defaultValue 1e-11 */
  readonly rtol?: number;
}

/** Largest double below 1 and smallest above 0: the quantile function is never called at the endpoints. */
const U_MAX = 1 - Number.EPSILON / 2;
const U_MIN = Number.MIN_VALUE;

/**
 * p-Wasserstein distance between the uniform empirical measure of n real samples and a law given by its quantile
 * function: the "sample against a known target" distance of THEORY §6.0 (exact in 1-D up to quadrature).
 *
 * @remarks
 * W_p(μ_n, ν)^p = Σ_{i=1}^{n} ∫_{(i−1)/n}^{i/n} |x_(i) − F_ν⁻¹(u)|^p du, with x_(1) ≤ … ≤ x_(n) the sorted samples
 * (the monotone coupling is optimal in 1-D). Each cell is integrated by adaptive Gauss–Kronrod
 * ({@link integrateAdaptive}), which never evaluates the endpoints, so quantile functions that diverge at 0 and 1
 * (Gaussian tails) are fine. For p not an even integer the integrand has a kink where F⁻¹(u) = x_(i); that cell is
 * split at the crossing (found by bisection on u) so every piece is smooth. The mass within ~1e-16 of u = 1
 * cannot be resolved in float64 (u rounds to 1); its contribution is below 1e-14 relative for Gaussian-type tails.
 *
 * Complexity: O(n log n) for the sort plus ≈ 15·n to 30·n quantile evaluations (more in cells with a crossing).
 *
 * @param samples - n ≥ 1 finite values, weights 1/n.
 * @param quantile - F_ν⁻¹, non-decreasing on (0, 1).
 * @param p - the order, p ≥ 1.
 * @returns W_p (not its p-th power).
 * @throws ValidationError for an empty or non-finite sample or p < 1; NumericalError if the quantile function
 *   returns a non-finite value inside (0, 1).
 * @see THEORY.md §4.5 (1-D flows are quantile maps), §6.0 (exact 1-D distances).
 */
export function wasserstein1dToQuantile(
  samples: ArrayLike<number>,
  quantile: QuantileFunction,
  p: number,
  options: Wasserstein1dToQuantileOptions = {},
): number {
  if (!(p >= 1) || !Number.isFinite(p)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number ≥ 1, got ${p}`, 'p');
  const n = samples.length;
  if (n < 1) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one value', 'samples');
  const x = Float64Array.from(samples);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(x[k]!)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${x[k]}`, `samples[${k}]`);
  }
  x.sort();
  const rtol = options.rtol ?? 1e-11;
  const q = (u: number): number => quantile(u <= 0 ? U_MIN : u >= 1 ? U_MAX : u);
  const smooth = Number.isInteger(p) && p % 2 === 0;
  // Quantiles at the interior breakpoints, shared by neighbouring cells; ±∞ at the ends by convention.
  const edges = new Float64Array(n + 1);
  edges[0] = Number.NEGATIVE_INFINITY;
  edges[n] = Number.POSITIVE_INFINITY;
  for (let i = 1; i < n; i++) edges[i] = q(i / n);
  // Absolute tolerance per cell, relative to the sample's spread: cells where a sample sits on its own quantile have
  // a near-zero integral that must not be resolved to *relative* accuracy (that would only chase rounding).
  const spread = x[n - 1]! - x[0]! || Math.abs(x[0]!) || 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const u0 = i / n;
    const u1 = (i + 1) / n;
    const integrand = (u: number): number => {
      const t = Math.abs(xi - q(u));
      return p === 2 ? t * t : p === 1 ? t : t ** p;
    };
    const atol = 1e-3 * rtol * (u1 - u0) * spread ** p;
    if (!smooth && edges[i]! < xi && xi < edges[i + 1]!) {
      const crossing = bisectCrossing(q, xi, u0, u1);
      total += integrateAdaptive(integrand, u0, crossing, { rtol, atol }).value;
      total += integrateAdaptive(integrand, crossing, u1, { rtol, atol }).value;
    } else {
      total += integrateAdaptive(integrand, u0, u1, { rtol, atol }).value;
    }
  }
  return Math.max(0, total) ** (1 / p);
}

/** The u in (u0, u1) where the non-decreasing quantile function crosses x, to within a few ulps. */
function bisectCrossing(q: (u: number) => number, x: number, u0: number, u1: number): number {
  let lo = u0;
  let hi = u1;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (q(mid) < x) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

import { ValidationError } from '../core/errors.ts';

/**
 * Exact p-Wasserstein distance between the uniform empirical measures of two sets of real numbers (any sizes).
 *
 * @remarks
 * In one dimension the monotone (quantile) coupling is optimal for every convex cost, so
 * W_p(μ, ν)^p = ∫₀¹ |F_μ⁻¹(u) − F_ν⁻¹(u)|^p du. For empirical measures both quantile functions are step functions
 * with jumps at i/n and j/m; the integral is a finite sum over the merged breakpoints, which are tracked in
 * integer units of 1/(n·m) so that no breakpoint is rounded (exact while n·m < 2⁵³). With n = m it reduces to
 * (1/n) Σ_i |a_(i) − b_(i)|^p.
 *
 * Complexity: O(n log n + m log m) for the sorts, O(n + m) for the sum. Inputs are not modified (sorted copies).
 *
 * @param a - n ≥ 1 finite values, weights 1/n.
 * @param b - m ≥ 1 finite values, weights 1/m.
 * @param p - the order, p ≥ 1.
 * @returns W_p itself (not its p-th power).
 * @throws ValidationError naming `a`, `b` or `p` (empty set, non-finite value, p < 1).
 * @see G. Peyré, M. Cuturi, "Computational Optimal Transport" (2019), Remark 2.30; POT `ot.wasserstein_1d`.
 */
export function wasserstein1d(a: ArrayLike<number>, b: ArrayLike<number>, p: number): number {
  return wasserstein1dPower(sortedCopy(a, 'a'), sortedCopy(b, 'b'), p) ** (1 / p);
}

/**
 * W_p^p between two *already sorted* arrays (ascending), any sizes; no validation. The kernel behind
 * {@link wasserstein1d} and the sliced distances.
 */
export function wasserstein1dPower(sortedA: Float64Array, sortedB: Float64Array, p: number): number {
  if (!(p >= 1) || !Number.isFinite(p)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number ≥ 1, got ${p}`, 'p');
  const n = sortedA.length;
  const m = sortedB.length;
  if (n === m) {
    let s = 0;
    for (let i = 0; i < n; i++) s += powAbs(sortedA[i]! - sortedB[i]!, p);
    return s / n;
  }
  // Merge the breakpoints i·m and j·n (units of 1/(n·m)): on each piece both quantile functions are constant.
  let i = 0;
  let j = 0;
  let position = 0;
  let s = 0;
  const total = n * m;
  while (position < total) {
    const nextA = (i + 1) * m;
    const nextB = (j + 1) * n;
    const next = Math.min(nextA, nextB);
    s += (next - position) * powAbs(sortedA[i]! - sortedB[j]!, p);
    position = next;
    if (nextA === next) i++;
    if (nextB === next) j++;
  }
  return s / total;
}

function powAbs(t: number, p: number): number {
  return p === 2 ? t * t : p === 1 ? Math.abs(t) : Math.abs(t) ** p;
}

function sortedCopy(values: ArrayLike<number>, field: string): Float64Array {
  if (values.length < 1) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one value', field);
  const out = Float64Array.from(values);
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k]!)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${out[k]}`, `${field}[${k}]`);
  }
  return out.sort();
}

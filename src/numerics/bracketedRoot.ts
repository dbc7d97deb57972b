import { NumericalError } from '../core/errors.ts';

/**
 * Root of a monotone increasing function g on a bracket by bisection to `xtol`.
 * Bisection, not Brent: the functions here (mixture CDFs) are monotone and cheap, and bisection's
 * guaranteed 1-bit-per-step progress to the floating-point resolution is what a reference solution needs.
 * The bracket is widened geometrically from `[lo, hi]` until it straddles the root.
 */
export function increasingRoot(g: (x: number) => number, lo: number, hi: number, xtol: number): number {
  let glo = g(lo);
  let ghi = g(hi);
  let width = Math.max(hi - lo, 1);
  for (let i = 0; glo > 0 && i < 200; i++) {
    width *= 2;
    lo -= width;
    glo = g(lo);
  }
  for (let i = 0; ghi < 0 && i < 200; i++) {
    width *= 2;
    hi += width;
    ghi = g(hi);
  }
  if (!(glo <= 0 && ghi >= 0)) {
    throw new NumericalError('E_NON_FINITE_STATE', `could not bracket a root (g(lo)=${glo}, g(hi)=${ghi})`);
  }
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi || hi - lo <= xtol * Math.max(1, Math.abs(mid))) return mid;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

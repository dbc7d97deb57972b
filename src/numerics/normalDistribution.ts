import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';

// stdlib's erfc keeps full relative precision in both tails, which the 1-D quantile-map flows need
// (a survival probability of 1e-200 must not round to 0 before we invert it).

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(z), accurate in the upper tail. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Standard normal quantile Φ⁻¹(p) for p in (0, 1). */
export function normalQuantile(p: number): number {
  return -Math.SQRT2 * erfcinv(2 * p);
}

export const LOG_2PI = Math.log(2 * Math.PI);

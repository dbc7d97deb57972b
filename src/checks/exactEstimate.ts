import type { Estimate } from '../estimators/estimate.ts';

/**
 * A value computed exactly (closed form or deterministic float64 arithmetic) as an Estimate: the interval is
 * the point and the method is 'exact', so decisions on it are deterministic and `sumOfEstimates` gives it SE 0.
 */
export function exactEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: value, level: 1 }, method: 'exact', n: 1 };
}

/**
 * A sure lower bound computed exactly, as an Estimate: the quantity is at least `value` (proved, not sampled), so
 * the interval is [value, ∞) at level 1 and the method 'lower-bound' — never labelled 'exact'. E.g. ĉ₄ of a mixture
 * read from an upper bound on its tail probability.
 */
export function lowerBoundEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: Infinity, level: 1 }, method: 'lower-bound', n: 1 };
}

import { ValidationError } from '../core/errors.ts';
import type { Estimate } from '../estimators/estimate.ts';

/**
 * A value computed exactly (closed form, or float64 arithmetic / root-finding to rounding) as an Estimate: the interval
 * is the point and the method is 'exact', so decisions on it are deterministic and `sumOfEstimates` gives it SE 0.
 * Never for a Monte Carlo average (use an estimator with an interval), a maximum over sampled points (a sup lower
 * bound: `estimateSupremumByMaximum`) or a value with a discretisation error (`numericalEstimate`).
 */
export function exactEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: value, level: 1 }, method: 'exact', n: 1 };
}

/**
 * A value from a deterministic numerical computation (quadrature, grid, discretised law) whose error is bounded by a
 * stated `accuracy` measured against an independent computation: the interval is value ± accuracy at level 1 and the
 * method is 'numerical'. Not 'exact': use this whenever the value carries a discretisation error.
 */
export function numericalEstimate(value: number, accuracy: number): Estimate {
  if (!(accuracy >= 0) || !Number.isFinite(accuracy)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number ≥ 0, got ${accuracy}`, 'accuracy');
  return { value, interval: { lower: value - accuracy, upper: value + accuracy, level: 1 }, method: 'numerical', n: 1 };
}

/**
 * A sure lower bound computed exactly, as an Estimate: the quantity is at least `value` (proved, not sampled), so
 * the interval is [value, ∞) at level 1 and the method 'lower-bound' — never labelled 'exact'. E.g. ĉ₄ of a mixture
 * read from an upper bound on its tail probability.
 */
export function lowerBoundEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: Infinity, level: 1 }, method: 'lower-bound', n: 1 };
}

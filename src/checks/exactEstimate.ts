import type { Estimate } from '../estimators/estimate.ts';

/**
 * A value computed exactly (closed form or deterministic float64 arithmetic) as an Estimate: the interval is
 * the point and the method is 'exact', so decisions on it are deterministic and `sumOfEstimates` gives it SE 0.
 */
export function exactEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: value, level: 1 }, method: 'exact', n: 1 };
}

// TODO(estimators): re-export `Estimate` and the estimators from src/estimators once they land, and delete
// the interim helpers below (estimateMeanByClt, estimateLogLogSlope, sumOfEstimates, exactEstimate).

/** A confidence interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** An estimated quantity with its interval (the estimators' `Estimate`). */
export interface Estimate {
  readonly value: number;
  readonly interval: Interval;
  readonly method: string;
  readonly n: number;
  readonly standardError?: number;
}

/** A value computed exactly (closed form or float64 arithmetic): the interval is the point. */
export function exactEstimate(value: number): Estimate {
  return { value, interval: { lower: value, upper: value, level: 1 }, method: 'exact', n: 1 };
}

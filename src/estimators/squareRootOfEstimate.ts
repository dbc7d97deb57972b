import type { Estimate } from './estimate.ts';

/**
 * An estimate of √Q from an estimate of Q ≥ 0 (a mean square → an RMS): the value and both interval ends mapped by
 * √ (monotone, so the coverage is kept), negative values (sampling noise around 0) read as 0.
 */
export function squareRootOfEstimate(estimate: Estimate): Estimate {
  return {
    ...estimate,
    value: Math.sqrt(Math.max(estimate.value, 0)),
    interval: { ...estimate.interval, lower: Math.sqrt(Math.max(estimate.interval.lower, 0)), upper: Math.sqrt(Math.max(estimate.interval.upper, 0)) },
  };
}

/**
 * Rates of deterministic sequences (closed forms, quadrature, solver chains without sampling): an OLS interval would
 * measure curvature, not uncertainty, so the rate is summarised by the local log–log slopes between consecutive
 * sweep points.
 */
import type { Estimate } from './estimate.ts';
import { estimateLogLogSlope } from './logLogSlope.ts';

/**
 * Slope of log y against log x: value = the OLS slope over all points, interval = [min, max] of the local slopes
 * log(y_{i+1}/y_i)/log(x_{i+1}/x_i) over the last `pairs` consecutive pairs (the finest resolution) and the OLS
 * slope, level 1 (deterministic: no sampling error). `decideSlope` on it is `holds` iff every late local slope is
 * ≤ the threshold.
 */
export function localSlopeEstimate(x: readonly number[], y: readonly number[], pairs = 3): Estimate {
  const fit = estimateLogLogSlope(x, y, { level: 0.95 });
  const local: number[] = [];
  for (let i = Math.max(0, x.length - 1 - pairs); i + 1 < x.length; i++) local.push(Math.log(y[i + 1]! / y[i]!) / Math.log(x[i + 1]! / x[i]!));
  const lower = Math.min(...local, fit.value);
  const upper = Math.max(...local, fit.value);
  return { value: fit.value, interval: { lower, upper, level: 1 }, method: 'exact', n: x.length };
}


import { ValidationError } from '../core/errors.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';
import { studentTQuantile } from './studentTQuantile.ts';

/** Options for {@link estimateLogLogSlope}. */
export interface LogLogSlopeOptions {
  /** Two-sided confidence level of the slope interval. @defaultValue 0.95 */
  readonly level?: number;
}

/** The OLS slope of log y on log x as an estimate, with the fitted intercept and residual scale. */
export interface LogLogSlopeEstimate extends Estimate {
  readonly method: 'ols-slope';
  /** Fitted intercept a in log y ≈ a + b·log x (so y ≈ e^a · x^b). */
  readonly intercept: number;
  /** Residual standard error s = √(RSS/(n−2)) of the fit, in log units. */
  readonly residualStandardError: number;
}

/**
 * Fits log y = a + b·log x by ordinary least squares and returns the slope b with a Student-t interval: the rate
 * test of THEORY §6.0 (fit log(A/rate) against log T; the slope's upper end decides).
 *
 * @remarks
 * With u_i = log x_i, v_i = log y_i, ū, v̄ the means: b = Σ(u−ū)(v−v̄)/Σ(u−ū)², a = v̄ − b·ū, residual variance
 * s² = Σ(v − a − b·u)²/(n−2), SE(b) = s/√Σ(u−ū)², interval b ± t_{n−2,(1+level)/2}·SE(b). Exact under i.i.d. normal
 * errors in log y (multiplicative log-normal noise); use repeated runs per sweep point (passed as separate
 * points) to make that assumption reasonable. `n` is the number of points, so SE ∝ 1/√n under repetition.
 * Centred sums keep the fit accurate when the x span a small relative range.
 *
 * Complexity: O(n).
 *
 * @param x - n ≥ 3 positive finite abscissae (e.g. T), not all equal.
 * @param y - n positive finite ordinates (e.g. A/rate).
 * @throws ValidationError naming `x`/`y` (length mismatch, n < 3, non-positive or non-finite entries, x constant).
 */
export function estimateLogLogSlope(x: ArrayLike<number>, y: ArrayLike<number>, options: LogLogSlopeOptions = {}): LogLogSlopeEstimate {
  const level = options.level ?? 0.95;
  assertLevel(level);
  const n = x.length;
  if (y.length !== n) throw new ValidationError('E_DIMENSION', `has length ${y.length}, expected ${n} like x`, 'y');
  if (n < 3) throw new ValidationError('E_INVALID_INPUT', `needs at least 3 points for a slope interval, got ${n}`, 'x');
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const [array, out, field] of [[x, u, 'x'], [y, v, 'y']] as const) {
      const value = array[i]!;
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new ValidationError('E_INVALID_INPUT', `must be a finite positive number (it is log-transformed), got ${value}`, `${field}[${i}]`);
      }
      out[i] = Math.log(value);
    }
  }
  let uBar = 0;
  let vBar = 0;
  for (let i = 0; i < n; i++) {
    uBar += u[i]!;
    vBar += v[i]!;
  }
  uBar /= n;
  vBar /= n;
  let suu = 0;
  let suv = 0;
  for (let i = 0; i < n; i++) {
    const du = u[i]! - uBar;
    suu += du * du;
    suv += du * (v[i]! - vBar);
  }
  if (!(suu > 0)) throw new ValidationError('E_INVALID_INPUT', 'all x are equal; a slope needs at least two distinct x', 'x');
  const slope = suv / suu;
  const intercept = vBar - slope * uBar;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (v[i]! - vBar - slope * (u[i]! - uBar)) ** 2;
  const residualStandardError = Math.sqrt(rss / (n - 2));
  const standardError = residualStandardError / Math.sqrt(suu);
  const halfWidth = studentTQuantile(0.5 + level / 2, n - 2) * standardError;
  return {
    value: slope,
    interval: { lower: slope - halfWidth, upper: slope + halfWidth, level },
    method: 'ols-slope',
    n,
    standardError,
    intercept,
    residualStandardError,
  };
}

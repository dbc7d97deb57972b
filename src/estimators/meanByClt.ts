import { ValidationError } from '../core/errors.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';
import { studentTQuantile } from './studentTQuantile.ts';

/** Options for {@link estimateMeanByClt}. */
export interface MeanByCltOptions {
  /** Two-sided confidence level of the interval. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * The sample mean of i.i.d. values with a Student-t confidence interval (the CLT interval).
 *
 * @remarks
 * x̄ = (1/n) Σ x_i, s² = (1/(n−1)) Σ (x_i − x̄)² (two-pass, with the rounding-error correction of Chan, Golub &
 * LeVeque), SE = s/√n, interval x̄ ± t_{n−1, (1+level)/2} · SE. Exact coverage for normal data; asymptotically exact
 * (CLT) for any law with finite variance, with coverage error O(1/√n) for skewed laws — heavy tails need more
 * samples than the nominal level suggests.
 *
 * Complexity: O(n), two passes.
 *
 * @param samples - n ≥ 2 finite values.
 * @returns an {@link Estimate} with method `'clt-mean'`, `n`, `standardError`.
 * @throws ValidationError (`samples`) for fewer than 2 values or a non-finite value; (`level`) outside (0, 1).
 */
export function estimateMeanByClt(samples: ArrayLike<number>, options: MeanByCltOptions = {}): Estimate {
  const level = options.level ?? 0.95;
  assertLevel(level);
  const { mean, variance, n } = sampleMeanAndVariance(samples, 'samples');
  const standardError = Math.sqrt(variance / n);
  const halfWidth = studentTQuantile(0.5 + level / 2, n - 1) * standardError;
  return {
    value: mean,
    interval: { lower: mean - halfWidth, upper: mean + halfWidth, level },
    method: 'clt-mean',
    n,
    standardError,
  };
}

/**
 * Sample mean and unbiased variance (two-pass with compensation), validating n ≥ 2 and finiteness.
 * @param field - the name used in error messages.
 */
export function sampleMeanAndVariance(samples: ArrayLike<number>, field: string): { mean: number; variance: number; n: number } {
  const n = samples.length;
  if (n < 2) throw new ValidationError('E_INVALID_INPUT', `needs at least 2 values for a standard error, got ${n}`, field);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    if (!Number.isFinite(x)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${x}`, `${field}[${i}]`);
    sum += x;
  }
  let mean = sum / n;
  let squares = 0;
  let residual = 0;
  for (let i = 0; i < n; i++) {
    const t = samples[i]! - mean;
    squares += t * t;
    residual += t;
  }
  // Σ(x−x̄)² − (Σ(x−x̄))²/n corrects the rounding of x̄ (Chan, Golub & LeVeque 1983).
  const variance = Math.max(0, (squares - (residual * residual) / n) / (n - 1));
  mean += residual / n;
  return { mean, variance, n };
}

import { ValidationError } from '../core/errors.ts';
import type { Rng } from '../random/rng.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';

/** Options for {@link estimateByPercentileBootstrap}. */
export interface PercentileBootstrapOptions {
  /** Two-sided confidence level. @defaultValue 0.95 */
  readonly level?: number;
  /** Number of bootstrap resamples B. @defaultValue 2000 */
  readonly resamples?: number;
}

/**
 * A statistic of i.i.d. values with a percentile-bootstrap confidence interval (seeded).
 *
 * @remarks
 * Draws B resamples of size n with replacement (indices from `rng`), evaluates the statistic on each, and returns
 * the empirical (1−level)/2 and (1+level)/2 quantiles of the replicates (linear interpolation between order
 * statistics, Hyndman–Fan type 7) as the interval; `standardError` is the standard deviation of the replicates.
 * The value is the statistic on the original sample. First-order accurate; prefer {@link estimateMeanByClt} for
 * means. The replicates depend only on (`rng`'s seed and path, n, B), not on the statistic.
 *
 * Complexity: B evaluations of the statistic on n values, plus O(B log B).
 *
 * @param samples - n ≥ 2 finite values.
 * @param statistic - maps a sample (a fresh Float64Array the function may modify) to a number.
 * @param rng - the stream the resample indices are drawn from.
 * @returns an {@link Estimate} with method `'percentile-bootstrap'`, `n` = number of values.
 * @throws ValidationError for < 2 values, non-finite values, B < 10, or a non-finite statistic.
 * @see B. Efron, R. Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 13.
 */
export function estimateByPercentileBootstrap(
  samples: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  rng: Rng,
  options: PercentileBootstrapOptions = {},
): Estimate {
  const level = options.level ?? 0.95;
  assertLevel(level);
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 10) {
    throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 10, got ${resamples}`, 'resamples');
  }
  const n = samples.length;
  if (n < 2) throw new ValidationError('E_INVALID_INPUT', `needs at least 2 values, got ${n}`, 'samples');
  const original = Float64Array.from(samples);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(original[i]!)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${original[i]}`, `samples[${i}]`);
  }
  const value = checkedStatistic(statistic(Float64Array.from(original)));
  const replicates = new Float64Array(resamples);
  const resample = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) resample[i] = original[rng.integer(n)]!;
    replicates[b] = checkedStatistic(statistic(resample));
  }
  let mean = 0;
  for (let b = 0; b < resamples; b++) mean += replicates[b]!;
  mean /= resamples;
  let squares = 0;
  for (let b = 0; b < resamples; b++) squares += (replicates[b]! - mean) ** 2;
  replicates.sort();
  return {
    value,
    interval: {
      lower: quantileOfSorted(replicates, (1 - level) / 2),
      upper: quantileOfSorted(replicates, (1 + level) / 2),
      level,
    },
    method: 'percentile-bootstrap',
    n,
    standardError: Math.sqrt(squares / (resamples - 1)),
  };
}

/** Type-7 quantile (linear interpolation between order statistics) of an ascending array. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function checkedStatistic(x: number): number {
  if (!Number.isFinite(x)) throw new ValidationError('E_NON_FINITE', `returned ${x}`, 'statistic');
  return x;
}

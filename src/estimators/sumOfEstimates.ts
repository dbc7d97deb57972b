import { ValidationError } from '../core/errors.ts';
import { normalQuantile } from '../numerics/normalDistribution.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';

/** Options for {@link sumOfEstimates}. */
export interface SumOfEstimatesOptions {
  /** Two-sided confidence level of the sum's interval. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * The sum of independent estimates, with standard errors added in quadrature and a normal (CLT) interval.
 *
 * @remarks
 * value = Σ_k v_k, SE = √(Σ_k SE_k²), interval value ± z_{(1+level)/2}·SE. Valid when the estimates are
 * independent (separate Rng streams) and each is approximately normal; exact terms (method `'exact'`, or a
 * degenerate interval) contribute SE 0. Typical use: the telescoped error sums of THEORY §1.10 and §2.3, one
 * estimate per time step. `n` is the total of the parts' n (so a decision's `samplesNeeded` reads as the total
 * under proportional allocation).
 *
 * Complexity: O(k).
 *
 * @param estimates - k ≥ 1 estimates, each with a `standardError` or an exact (degenerate) interval.
 * @returns an {@link Estimate} with method `'clt-sum'`.
 * @throws ValidationError naming `estimates[k]` when a part has no standard error and a non-degenerate interval
 *   (e.g. a sup lower bound), or a non-finite value.
 */
export function sumOfEstimates(estimates: readonly Estimate[], options: SumOfEstimatesOptions = {}): Estimate {
  const level = options.level ?? 0.95;
  assertLevel(level);
  if (estimates.length < 1) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one estimate', 'estimates');
  let value = 0;
  let variance = 0;
  let n = 0;
  estimates.forEach((e, k) => {
    if (!Number.isFinite(e.value)) throw new ValidationError('E_NON_FINITE', `has value ${e.value}`, `estimates[${k}]`);
    let se = e.standardError;
    if (se === undefined) {
      if (e.interval.lower === e.interval.upper) se = 0;
      else {
        throw new ValidationError(
          'E_INVALID_INPUT',
          `has no standardError (method ${e.method}); a sum needs a standard error for every part`,
          `estimates[${k}]`,
        );
      }
    }
    if (!(se >= 0) || !Number.isFinite(se)) throw new ValidationError('E_NON_FINITE', `has standardError ${se}`, `estimates[${k}]`);
    value += e.value;
    variance += se * se;
    n += e.n;
  });
  const standardError = Math.sqrt(variance);
  const halfWidth = normalQuantile(0.5 + level / 2) * standardError;
  return { value, interval: { lower: value - halfWidth, upper: value + halfWidth, level }, method: 'clt-sum', n, standardError };
}

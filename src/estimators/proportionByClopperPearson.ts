import jStat from 'jstat';
import { ValidationError } from '../core/errors.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';

/** Options for {@link estimateProportionByClopperPearson}. */
export interface ProportionByClopperPearsonOptions {
  /** Two-sided confidence level. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * A binomial proportion k/n with the Clopper–Pearson ("exact") confidence interval.
 *
 * @remarks
 * With α = 1 − level: lower = Beta⁻¹(α/2; k, n−k+1) (0 when k = 0), upper = Beta⁻¹(1−α/2; k+1, n−k) (1 when k = n);
 * the one-sided closed forms (α/2)^{1/n} and 1 − (α/2)^{1/n} are used at k = n and k = 0. Coverage is at least
 * `level` for every true p (the interval inverts two one-sided exact binomial tests), so it is conservative.
 * `standardError` is the plug-in √(p̂(1−p̂)/n). Beta quantiles from jStat: accurate to ≈ 5e-10 relative (its log-gamma prefactor limits
 * it), far below the interval's own statistical meaning.
 *
 * Complexity: O(1) (two incomplete-beta inversions).
 *
 * @param successes - k, an integer in [0, n].
 * @param trials - n ≥ 1.
 * @returns an {@link Estimate} with method `'clopper-pearson'`.
 * @throws ValidationError naming `successes`, `trials` or `level`.
 * @see C. J. Clopper, E. S. Pearson, Biometrika 26 (1934) 404–413.
 */
export function estimateProportionByClopperPearson(
  successes: number,
  trials: number,
  options: ProportionByClopperPearsonOptions = {},
): Estimate {
  const level = options.level ?? 0.95;
  assertLevel(level);
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${trials}`, 'trials');
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new ValidationError('E_INVALID_INPUT', `must be an integer in [0, ${trials}], got ${successes}`, 'successes');
  }
  const k = successes;
  const n = trials;
  const tail = (1 - level) / 2;
  const lower = k === 0 ? 0 : k === n ? tail ** (1 / n) : jStat.beta.inv(tail, k, n - k + 1);
  const upper = k === n ? 1 : k === 0 ? 1 - tail ** (1 / n) : jStat.beta.inv(1 - tail, k + 1, n - k);
  const value = k / n;
  return {
    value,
    interval: { lower, upper, level },
    method: 'clopper-pearson',
    n,
    standardError: Math.sqrt((value * (1 - value)) / n),
  };
}

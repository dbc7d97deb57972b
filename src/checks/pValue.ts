import jStat from 'jstat';
import type { Estimate } from '../estimators/estimate.ts';
import { normalSurvival } from '../numerics/normalDistribution.ts';

/**
 * One-sided p-value of "the statement holds" for a claim `quantity ≤ bound` (side 'upper') or
 * `quantity ≥ bound` (side 'lower'), from an estimate with a standard error, by the normal approximation
 * z = (value − bound)/SE (the checks use n ≥ 10³, where Student t and normal agree to < 1% in p).
 * An exact estimate gives 0 when the claim fails and 1 when it holds. This is what the battery's Holm step
 * adjusts (`holmAdjust`).
 */
export function pValueAgainstBound(estimate: Estimate, bound: number, side: 'upper' | 'lower'): number {
  const excess = side === 'upper' ? estimate.value - bound : bound - estimate.value;
  const se = estimate.standardError;
  if (se === undefined || !(se > 0)) return excess > 0 ? 0 : 1;
  return normalSurvival(excess / se);
}

/**
 * p-value of "the quantity equals `value` within `tolerance`", i.e. of |quantity − value| ≤ tolerance (normal
 * approximation, as above) — the same band `decideEquality(estimate, value, tolerance)` decides with, so a check
 * whose verdict accepts a float-rounding residual inside the band does not report a tiny p-value for it.
 *
 * @remarks With gap = |v̂ − value| − tolerance: 1 when gap ≤ 0 (the estimate lies in the band); otherwise the
 * probability, at the nearer edge of the band, of an estimate at least this far out on either side,
 * Φ̄(gap/SE) + Φ̄((gap + 2·tolerance)/SE) (= 2Φ̄(gap/SE) for tolerance 0, the plain two-sided test).
 * An exact estimate gives 0 outside the band and 1 inside.
 */
export function pValueAgainstEquality(estimate: Estimate, value: number, tolerance = 0): number {
  const se = estimate.standardError;
  const gap = Math.abs(estimate.value - value) - tolerance;
  if (!(gap > 0)) return 1;
  if (se === undefined || !(se > 0)) return 0;
  return Math.min(1, normalSurvival(gap / se) + normalSurvival((gap + 2 * tolerance) / se));
}

/** Bonferroni combination of the p-values of m tests inside one check: min(1, m·min p). */
export function bonferroniCombined(pValues: readonly number[]): number {
  if (pValues.length === 0) return 1;
  return Math.min(1, pValues.length * Math.min(...pValues));
}

/**
 * Exact p-value of "a proportion is ≤ `bound`" after `successes` of `trials` Bernoulli draws: P(Bin(trials, bound) ≥
 * successes) (1 for no successes), from jStat's binomial CDF, which rounds to 10 decimals: the p-value is accurate
 * to 1e-10 absolute (tested), and one below that may read 0.
 */
export function pValueOfProportionAtMost(successes: number, trials: number, bound: number): number {
  return successes === 0 ? 1 : Math.max(0, 1 - jStat.binomial.cdf(successes - 1, trials, bound));
}

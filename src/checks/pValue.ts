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

/** Two-sided p-value of "the quantity equals `value`" (normal approximation, as above). */
export function pValueAgainstEquality(estimate: Estimate, value: number): number {
  const se = estimate.standardError;
  const gap = Math.abs(estimate.value - value);
  if (se === undefined || !(se > 0)) return gap > 0 ? 0 : 1;
  return Math.min(1, 2 * normalSurvival(gap / se));
}

/** Bonferroni combination of the p-values of m tests inside one check: min(1, m·min p). */
export function bonferroniCombined(pValues: readonly number[]): number {
  if (pValues.length === 0) return 1;
  return Math.min(1, pValues.length * Math.min(...pValues));
}

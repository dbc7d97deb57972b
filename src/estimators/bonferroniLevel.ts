import { ValidationError } from '../core/errors.ts';
import { assertLevel } from './assertProbability.ts';

/**
 * The per-interval confidence level that gives m intervals simultaneous coverage ≥ `familyLevel` (Bonferroni):
 * 1 − (1 − familyLevel)/m.
 *
 * @remarks By the union bound, P(some interval misses) ≤ Σ (1 − level_k) = 1 − familyLevel, under any dependence.
 * THEORY §6.0: "default δ = 1e-3 per check, Bonferroni within a battery" — a battery of m checks at family
 * false-fail rate δ uses `levelForFalseFailRate(δ/m)` = `bonferroniLevel(1 − 2δ, m)`.
 *
 * @param familyLevel - the simultaneous coverage wanted, in (0, 1).
 * @param m - the number of intervals, a positive integer.
 * @throws ValidationError for m not a positive integer or a level outside (0, 1).
 */
export function bonferroniLevel(familyLevel: number, m: number): number {
  assertLevel(familyLevel, 'familyLevel');
  if (!Number.isInteger(m) || m < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${m}`, 'm');
  return 1 - (1 - familyLevel) / m;
}

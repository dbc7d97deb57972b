import { ValidationError } from '../core/errors.ts';

/**
 * Holm's step-down adjusted p-values for a family of m tests: reject test k at family-wise error rate α iff
 * `adjusted[k] ≤ α`.
 *
 * @remarks
 * With p_(1) ≤ … ≤ p_(m) sorted, adjusted p_(j) = max_{i ≤ j} min(1, (m − i + 1)·p_(i)), returned in the input order.
 * Controls the family-wise error rate under any dependence and is uniformly more powerful than Bonferroni
 * (`bonferroniLevel`). In a battery, the p-value of a `violated` verdict is the one-sided p-value of the estimate
 * against its threshold; Holm then decides which violations survive multiplicity.
 *
 * Complexity: O(m log m).
 *
 * @param pValues - m values in [0, 1].
 * @throws ValidationError naming `pValues[k]` for a value outside [0, 1] or NaN.
 * @see S. Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6 (1979) 65–70.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, k) => {
    if (!(p >= 0 && p <= 1)) throw new ValidationError('E_INVALID_INPUT', `must be a probability in [0, 1], got ${p}`, `pValues[${k}]`);
  });
  const order = pValues.map((_, k) => k).sort((i, j) => pValues[i]! - pValues[j]! || i - j);
  const adjusted = new Array<number>(m).fill(0);
  let running = 0;
  order.forEach((k, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[k]!));
    adjusted[k] = running;
  });
  return adjusted;
}

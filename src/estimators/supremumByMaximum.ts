import { ValidationError } from '../core/errors.ts';
import type { Estimate } from './estimate.ts';

/** A maximum over samples read as a lower bound on a supremum, with the index that attains it (the witness). */
export interface SupremumLowerBound extends Estimate {
  readonly method: 'sup-lower-bound';
  readonly supLowerBound: true;
  /** Index of the largest value: the reproducible witness a `violated` verdict reports. */
  readonly argmax: number;
}

/**
 * The maximum of observed values, labelled as a **lower bound** on the supremum it probes.
 *
 * @remarks
 * For a sup-type quantity (a Lipschitz constant, a worst-case error) max_i g(x_i) ≤ sup_x g(x) holds surely, for
 * any sample; nothing bounds the supremum from above. So the interval is [max, +∞) with level 1: with the decision
 * rules it can prove a claimed bound *violated* (max > B, with the witness `argmax`) and can never prove it
 * *holds* (THEORY §6.0, "sup-type quantities"). The values must be exact evaluations of g (or themselves lower
 * bounds); a noisy estimate of g needs its own interval first.
 *
 * Complexity: O(n).
 *
 * @param values - n ≥ 1 finite values g(x_i).
 * @returns an estimate with `value = max`, `interval = [max, ∞)`, `supLowerBound: true` and `argmax`.
 * @throws ValidationError for an empty input or a non-finite value (NaN must not be silently skipped).
 */
export function estimateSupremumByMaximum(values: ArrayLike<number>): SupremumLowerBound {
  const n = values.length;
  if (n < 1) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one value', 'values');
  let argmax = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${v}`, `values[${i}]`);
    if (v > values[argmax]!) argmax = i;
  }
  const max = values[argmax]!;
  return {
    value: max,
    interval: { lower: max, upper: Number.POSITIVE_INFINITY, level: 1 },
    method: 'sup-lower-bound',
    n,
    supLowerBound: true,
    argmax,
  };
}

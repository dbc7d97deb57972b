import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';

/**
 * Validates two point sets that a distance will compare: both non-empty, the same dimension, all coordinates
 * finite, and (when `sameSize`) the same number of points.
 *
 * @param names - how the two sets are named in error messages, e.g. `['a', 'b']` or `['--a', '--b']`.
 * @throws ValidationError whose `field` names the offending set (and point/coordinate):
 *   `E_INVALID_INPUT` for an empty set, `E_DIMENSION` for mismatched dimensions or sizes, `E_NON_FINITE` for NaN/±∞.
 */
export function assertComparablePointSets(
  a: PointBatch,
  b: PointBatch,
  options: { readonly sameSize?: boolean; readonly names?: readonly [string, string]; readonly why?: string } = {},
): void {
  const [nameA, nameB] = options.names ?? ['a', 'b'];
  for (const [x, name] of [[a, nameA], [b, nameB]] as const) {
    if (x.n < 1) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one point', name);
    if (x.data.length !== x.n * x.d) {
      throw new ValidationError('E_DIMENSION', `data has length ${x.data.length}, expected n·d = ${x.n * x.d}`, name);
    }
    for (let k = 0; k < x.data.length; k++) {
      const value = x.data[k]!;
      if (!Number.isFinite(value)) {
        throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${value}`, `${name}[${Math.floor(k / x.d)}][${k % x.d}]`);
      }
    }
  }
  if (a.d !== b.d) {
    throw new ValidationError('E_DIMENSION', `points have ${b.d} coordinates but ${nameA} points have ${a.d}`, nameB);
  }
  if (options.sameSize === true && a.n !== b.n) {
    throw new ValidationError(
      'E_DIMENSION',
      `has ${b.n} points but ${nameA} has ${a.n}; ${options.why ?? 'this metric needs equal sizes'}`,
      nameB,
    );
  }
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from './exactTarget.ts';

export interface BoxGridOptions {
  /** Half-width of the box in standard deviations. @defaultValue 5 */
  readonly halfWidthSd?: number;
  /** Number of points, odd so that the mean is one of them. @defaultValue 41 */
  readonly points?: number;
}

/**
 * Equispaced points over mean ± halfWidthSd·sd of X₀ + σZ for a 1-D target (sd = √(Var X₀ + σ²)): the box where
 * checks take a sup over x of a deterministic error (a solver step or chain against the exact flow).
 */
export function noisedBoxGrid1d(target: ExactTarget, sigma: number, options: BoxGridOptions = {}): PointBatch {
  if (target.dim !== 1) throw new ValidationError('E_DIMENSION', `needs a 1-D target, this one has d=${target.dim}`, 'target');
  const halfWidthSd = options.halfWidthSd ?? 5;
  const points = options.points ?? 41;
  if (!(Number.isInteger(points) && points >= 3 && points % 2 === 1)) throw new ValidationError('E_INVALID_INPUT', `must be an odd integer ≥ 3, got ${points}`, 'points');
  const half = (points - 1) / 2;
  const m = target.mean()[0]!;
  const sd = Math.sqrt(target.secondMoment() - m * m + sigma * sigma);
  return { n: points, d: 1, data: Float64Array.from({ length: points }, (_, i) => m + halfWidthSd * sd * (i / half - 1)) };
}

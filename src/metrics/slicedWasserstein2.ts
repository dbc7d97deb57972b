import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import { assertLevel } from '../estimators/assertProbability.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { sampleMeanAndVariance } from '../estimators/meanByClt.ts';
import { studentTQuantile } from '../estimators/studentTQuantile.ts';
import type { Rng } from '../random/rng.ts';
import { assertComparablePointSets } from './assertComparablePointSets.ts';
import { wasserstein1dPower } from './wasserstein1d.ts';

/** Options for {@link slicedWasserstein2}. */
export interface SlicedWasserstein2Options {
  /** Number P of random directions. @defaultValue 128 */
  readonly projections?: number;
  /** Two-sided confidence level of the Monte-Carlo interval. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * Sliced 2-Wasserstein distance between two point sets (uniform weights, any sizes), estimated with P seeded
 * random directions, with its Monte-Carlo standard error and interval.
 *
 * @remarks
 * SW₂(μ, ν)² = ∫_{S^{d−1}} W₂(θ♯μ, θ♯ν)² dσ(θ), σ the uniform law on the sphere. Each direction θ_k (a normalised
 * standard normal vector drawn from `rng`) gives an exact 1-D W₂² by sorting ({@link wasserstein1dPower}); their mean
 * m̂ estimates SW₂² without bias. The value is √m̂. The interval is the t-interval of the mean of the P per-direction
 * values (they are i.i.d.), mapped through the square root (lower end clamped at 0); `standardError` is the delta
 * method SE(m̂)/(2√m̂). `n` is P, the number the standard error scales with.
 * The interval covers the *projection* Monte-Carlo error only: it is the sliced distance between these two point
 * sets, not between the laws they were drawn from (that carries an additional sampling error and bias).
 * In d = 1 every direction is ±1 and the result is the exact W₂ (standard error 0).
 *
 * Complexity: O(P·(n + m)·d) for the projections plus O(P·(n log n + m log m)) for the sorts.
 *
 * @param a - n×d points.
 * @param b - m×d points.
 * @param rng - the stream the directions are drawn from.
 * @returns an {@link Estimate} of SW₂ (not squared) with method `'sliced-monte-carlo'`.
 * @throws ValidationError for empty sets, mismatched dimensions, non-finite coordinates, P < 2, bad level.
 * @see N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein barycenters of measures",
 *   J. Math. Imaging Vis. 51 (2015); POT `ot.sliced_wasserstein_distance`.
 */
export function slicedWasserstein2(a: PointBatch, b: PointBatch, rng: Rng, options: SlicedWasserstein2Options = {}): Estimate {
  const projections = options.projections ?? 128;
  const level = options.level ?? 0.95;
  assertLevel(level);
  if (!Number.isInteger(projections) || projections < 2) {
    throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2 (a standard error needs two), got ${projections}`, 'projections');
  }
  assertComparablePointSets(a, b);
  const { d } = a;
  const perDirection = new Float64Array(projections);
  const theta = new Float64Array(d);
  const projectedA = new Float64Array(a.n);
  const projectedB = new Float64Array(b.n);
  for (let k = 0; k < projections; k++) {
    let norm = 0;
    do {
      rng.fillNormal(theta);
      norm = 0;
      for (let j = 0; j < d; j++) norm += theta[j]! * theta[j]!;
    } while (norm === 0);
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) theta[j] = theta[j]! * scale;
    project(a, theta, projectedA);
    project(b, theta, projectedB);
    projectedA.sort();
    projectedB.sort();
    perDirection[k] = wasserstein1dPower(projectedA, projectedB, 2);
  }
  const { mean, variance } = sampleMeanAndVariance(perDirection, 'perDirection');
  const seMean = Math.sqrt(variance / projections);
  const halfWidth = studentTQuantile(0.5 + level / 2, projections - 1) * seMean;
  const value = Math.sqrt(mean);
  return {
    value,
    interval: { lower: Math.sqrt(Math.max(0, mean - halfWidth)), upper: Math.sqrt(mean + halfWidth), level },
    method: 'sliced-monte-carlo',
    n: projections,
    // Delta method; at value 0 every direction gave 0, so the standard error is 0 too.
    standardError: value > 0 ? seMean / (2 * value) : 0,
  };
}

function project(x: PointBatch, theta: Float64Array, out: Float64Array): void {
  const { d, data } = x;
  for (let i = 0; i < x.n; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += data[row + j]! * theta[j]!;
    out[i] = s;
  }
}

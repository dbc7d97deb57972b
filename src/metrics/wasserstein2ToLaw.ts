import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import type { Rng } from '../random/rng.ts';
import { exactWasserstein } from './exactWasserstein.ts';
import { wasserstein1d } from './wasserstein1d.ts';

/** Options for {@link estimateWasserstein2ToLaw}. */
export interface Wasserstein2ToLawOptions {
  /** Points per sample (both sides). @defaultValue 512 */
  readonly n?: number;
  /** Independent repetitions R (each draws four fresh samples). @defaultValue 8 */
  readonly repetitions?: number;
  /** Two-sided level of the interval. @defaultValue 0.95 */
  readonly level?: number;
}

/** The per-repetition exact distances behind {@link estimateWasserstein2ToLaw}. */
export interface Wasserstein2ToLawParts {
  /** W₂(model sample, fresh target sample) per repetition. */
  readonly cross: Float64Array;
  /** W₂(model sample, independent model sample) per repetition: the model side's sampling floor. */
  readonly modelFloor: Float64Array;
  /** W₂(target sample, independent target sample) per repetition: the target side's sampling floor. */
  readonly targetFloor: Float64Array;
}

/** The estimate of W₂(μ, ν) with the pieces it is built from. */
export interface Wasserstein2ToLawResult {
  /**
   * `value`: the bias-corrected estimate √max(0, m_μν − ½m_μμ − ½m_νν) (m = mean squared empirical W₂), clipped into
   * the interval; `interval`: [lower, upper], each end a one-sided bound on W₂(μ, ν) at (1 + level)/2 that holds for
   * any laws with finite second moments (see remarks); method `'assignment-vs-law'`, `n` = points per sample.
   */
  readonly estimate: Estimate;
  readonly parts: Wasserstein2ToLawParts;
  /** Mean empirical W₂ between two independent target samples of size n: the size of the plug-in bias. */
  readonly targetFloorMean: number;
}

/**
 * W₂ between a law μ we can sample (a model's outputs) and a law ν we can sample (the exact target), from exact
 * optimal assignments (Jonker–Volgenant, {@link exactWasserstein}) of equal-size samples, with an interval whose ends
 * are bounds on W₂(μ, ν) itself, not on the biased plug-in value.
 *
 * @remarks
 * Each of the R repetitions draws two independent model samples μ_n, μ′_n and two independent target samples ν_n,
 * ν′_n (n points each) and computes three exact distances: W₂(μ_n, ν_n), W₂(μ_n, μ′_n) and W₂(ν_n, ν′_n).
 * - **Upper end.** W₂² is jointly convex and E μ_n = μ, E ν_n = ν (averaging the optimal couplings of the draws
 *   couples μ and ν), so W₂(μ, ν)² ≤ E W₂(μ_n, ν_n)²: the square root of the CLT upper end of the mean squared cross
 *   distance bounds W₂(μ, ν) from above. It carries the whole plug-in bias (≈ n^{−1/d}), so it is conservative.
 * - **Lower end.** By the triangle inequality E W₂(μ_n, ν_n) ≤ W₂(μ, ν) + E W₂(μ_n, μ) + E W₂(ν_n, ν), and by the same
 *   convexity E W₂(ν_n, ν) ≤ (E W₂(ν_n, ν)²)^{1/2} ≤ (E W₂(ν_n, ν′_n)²)^{1/2} (likewise for μ). So
 *   W₂(μ, ν) ≥ E W₂(μ_n, ν_n) − (E W₂(μ_n, μ′_n)²)^{1/2} − (E W₂(ν_n, ν′_n)²)^{1/2}: the bias is bounded by the two
 *   same-law floors and subtracted. The three means are estimated by CLT, each at level 1 − (1 − level)/3
 *   (Bonferroni), and the lower end takes the cross mean's lower end and the floors' upper ends.
 * - **Value.** m_μν − ½m_μμ − ½m_νν (a Sinkhorn-divergence-like correction) is exactly W₂(μ, ν)² in expectation when ν
 *   is a translate of μ in one dimension (sorted matching: the cross term is the shift² plus the same-law floor);
 *   otherwise an approximation, which is why the value is clipped into the interval and decisions use the ends.
 *
 * In one dimension the optimal assignment is the sorted matching, computed by sorting (same value, O(n log n)).
 * Both ends are one-sided bounds at (1 + level)/2 under the CLT approximation for R repetitions (Student t).
 * Complexity: R × (4 draws of n points + 3 assignments of size n, O(n³) worst case; n = 512 in d ≤ 3 takes
 * milliseconds per assignment).
 *
 * @param sampleModel - draws n points of μ from the given stream (e.g. a model applied to prior draws).
 * @param sampleTarget - draws n points of ν from the given stream.
 * @param rng - the parent stream; repetition k uses the children `w2law/<k>/{model-a,model-b,target-a,target-b}`.
 * @throws ValidationError for n < 2, R < 2, a level outside (0, 1), samples of the wrong size or dimension.
 */
export function estimateWasserstein2ToLaw(
  sampleModel: (n: number, rng: Rng) => PointBatch,
  sampleTarget: (n: number, rng: Rng) => PointBatch,
  rng: Rng,
  options: Wasserstein2ToLawOptions = {},
): Wasserstein2ToLawResult {
  const n = options.n ?? 512;
  const level = options.level ?? 0.95;
  const { cross, modelFloor, targetFloor } = sampleLawDistances(sampleModel, sampleTarget, rng, 2, { n, repetitions: options.repetitions ?? 8, level, stream: 'w2law' });
  const repetitions = cross.length;
  const corrected = cross.map((c, k) => c ** 2 - 0.5 * modelFloor[k]! ** 2 - 0.5 * targetFloor[k]! ** 2);
  const each = 1 - (1 - level) / 3;
  const square = (values: Float64Array): Float64Array => values.map((v) => v * v);
  const crossSq = estimateMeanByClt(square(cross), { level: each });
  const crossMean = estimateMeanByClt(cross, { level: each });
  const modelSq = estimateMeanByClt(square(modelFloor), { level: each });
  const targetSq = estimateMeanByClt(square(targetFloor), { level: each });
  const upper = Math.sqrt(Math.max(0, crossSq.interval.upper));
  const lower = Math.max(0, crossMean.interval.lower - Math.sqrt(Math.max(0, modelSq.interval.upper)) - Math.sqrt(Math.max(0, targetSq.interval.upper)));
  let correctedMean = 0;
  for (const v of corrected) correctedMean += v / repetitions;
  const value = Math.min(upper, Math.max(lower, Math.sqrt(Math.max(0, correctedMean))));
  let floorMean = 0;
  for (const v of targetFloor) floorMean += v / repetitions;
  return {
    estimate: { value, interval: { lower, upper, level }, method: 'assignment-vs-law', n },
    parts: { cross, modelFloor, targetFloor },
    targetFloorMean: floorMean,
  };
}

/**
 * The repetitions behind {@link estimateWasserstein2ToLaw} and `estimateWasserstein1ToLaw` (one home for both): for
 * k < R, draws two independent model samples and two independent target samples of n points from the children
 * `<stream>/<k>/{model-a,model-b,target-a,target-b}` of `rng`, and returns the exact W_p of the three pairs
 * (model–target, model–model, target–target). In 1-D the optimal assignment is the sorted matching (same value,
 * O(n log n)); otherwise Jonker–Volgenant ({@link exactWasserstein}).
 *
 * @throws ValidationError for n < 2, R < 2, a level outside (0, 1), samples of the wrong size.
 */
export function sampleLawDistances(
  sampleModel: (n: number, rng: Rng) => PointBatch,
  sampleTarget: (n: number, rng: Rng) => PointBatch,
  rng: Rng,
  p: 1 | 2,
  options: { readonly n: number; readonly repetitions: number; readonly level: number; readonly stream: string },
): Wasserstein2ToLawParts {
  const { n, repetitions, level } = options;
  if (!Number.isInteger(n) || n < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${n}`, 'n');
  if (!Number.isInteger(repetitions) || repetitions < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${repetitions}`, 'repetitions');
  if (!(level > 0 && level < 1)) throw new ValidationError('E_INVALID_INPUT', `must lie in (0, 1), got ${level}`, 'level');
  const draw = (sampler: (n: number, rng: Rng) => PointBatch, stream: Rng, field: string): PointBatch => {
    const batch = sampler(n, stream);
    if (batch.n !== n) throw new ValidationError('E_DIMENSION', `returned ${batch.n} points, expected ${n}`, field);
    return batch;
  };
  const exactWp = (a: PointBatch, b: PointBatch): number => (a.d === 1 && b.d === 1 ? wasserstein1d(a.data, b.data, p) : exactWasserstein(a, b, p).value);
  const cross = new Float64Array(repetitions);
  const modelFloor = new Float64Array(repetitions);
  const targetFloor = new Float64Array(repetitions);
  const root = rng.child(options.stream);
  for (let k = 0; k < repetitions; k++) {
    const rep = root.child(String(k));
    const modelA = draw(sampleModel, rep.child('model-a'), 'sampleModel');
    const modelB = draw(sampleModel, rep.child('model-b'), 'sampleModel');
    const targetA = draw(sampleTarget, rep.child('target-a'), 'sampleTarget');
    const targetB = draw(sampleTarget, rep.child('target-b'), 'sampleTarget');
    cross[k] = exactWp(modelA, targetA);
    modelFloor[k] = exactWp(modelA, modelB);
    targetFloor[k] = exactWp(targetA, targetB);
  }
  return { cross, modelFloor, targetFloor };
}

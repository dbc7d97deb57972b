import type { PointBatch } from '../core/pointBatch.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import type { Rng } from '../random/rng.ts';
import { sampleLawDistances } from './wasserstein2ToLaw.ts';

/** Options for {@link estimateWasserstein1ToLaw}. */
export interface Wasserstein1ToLawOptions {
  /** Points per sample (both sides). @defaultValue 256 */
  readonly n?: number;
  /** Independent repetitions R (each draws four fresh samples). @defaultValue 8 */
  readonly repetitions?: number;
  /** Two-sided level of the interval. @defaultValue 0.95 */
  readonly level?: number;
}

/** The estimate of W₁(μ, ν) with the per-repetition exact distances it is built from. */
export interface Wasserstein1ToLawResult {
  /**
   * `value`: m_μν − ½m_μμ − ½m_νν (m = mean empirical W₁) clipped into the interval; `interval`: [lower, upper], each
   * end a one-sided bound on W₁(μ, ν) at (1 + level)/2 (see remarks); method `'assignment-vs-law'`, `n` = points per sample.
   */
  readonly estimate: Estimate;
  /** W₁(model sample, fresh target sample) per repetition. */
  readonly cross: Float64Array;
  /** W₁(model sample, independent model sample) per repetition. */
  readonly modelFloor: Float64Array;
  /** W₁(target sample, independent target sample) per repetition: the size of the plug-in bias. */
  readonly targetFloor: Float64Array;
}

/**
 * W₁ between a law μ we can sample (a model's outputs) and a law ν we can sample (the exact target), from exact
 * optimal assignments of equal-size samples (Jonker–Volgenant; sorting in 1-D), with an interval whose ends bound
 * W₁(μ, ν) itself, not the upward-biased plug-in value.
 *
 * @remarks
 * Each of the R repetitions draws two independent model samples μ_n, μ′_n and two independent target samples ν_n,
 * ν′_n and computes W₁(μ_n, ν_n), W₁(μ_n, μ′_n) and W₁(ν_n, ν′_n) exactly.
 * - **Upper end.** W₁ is jointly convex (it is linear in the coupling) and E μ_n = μ, E ν_n = ν, so
 *   W₁(μ, ν) ≤ E W₁(μ_n, ν_n): the CLT upper end of the mean cross distance bounds W₁(μ, ν) from above; it carries the
 *   whole plug-in bias (≈ n^{−1/d}), so it is conservative.
 * - **Lower end.** Triangle inequality: E W₁(μ_n, ν_n) ≤ W₁(μ, ν) + E W₁(μ_n, μ) + E W₁(ν_n, ν), and by convexity
 *   W₁(ν_n, ν) = W₁(ν_n, E ν′_n) ≤ E[W₁(ν_n, ν′_n) | ν_n] (likewise for μ). So
 *   W₁(μ, ν) ≥ E W₁(μ_n, ν_n) − E W₁(μ_n, μ′_n) − E W₁(ν_n, ν′_n): the bias is bounded by the two same-law floors and
 *   subtracted. The three means are CLT estimates at level 1 − (1 − level)/3 each (Bonferroni); the lower end takes
 *   the cross mean's lower end and the floors' upper ends.
 * - **Value.** The cross mean less half of each floor (an energy-distance-like correction), clipped into the interval.
 * This is the W₁ form of `estimateWasserstein2ToLaw` (same streams, same argument without the squares).
 *
 * @param sampleModel - draws n points of μ from the given stream.
 * @param sampleTarget - draws n points of ν from the given stream.
 * @param rng - the parent stream; repetition k uses the children `w1law/<k>/{model-a,model-b,target-a,target-b}`.
 * @throws ValidationError for n < 2, R < 2, a level outside (0, 1), samples of the wrong size.
 */
export function estimateWasserstein1ToLaw(
  sampleModel: (n: number, rng: Rng) => PointBatch,
  sampleTarget: (n: number, rng: Rng) => PointBatch,
  rng: Rng,
  options: Wasserstein1ToLawOptions = {},
): Wasserstein1ToLawResult {
  const n = options.n ?? 256;
  const level = options.level ?? 0.95;
  const { cross, modelFloor, targetFloor } = sampleLawDistances(sampleModel, sampleTarget, rng, 1, { n, repetitions: options.repetitions ?? 8, level, stream: 'w1law' });
  const each = 1 - (1 - level) / 3;
  const crossMean = estimateMeanByClt(cross, { level: each });
  const modelMean = estimateMeanByClt(modelFloor, { level: each });
  const targetMean = estimateMeanByClt(targetFloor, { level: each });
  const upper = crossMean.interval.upper;
  const lower = Math.max(0, crossMean.interval.lower - modelMean.interval.upper - targetMean.interval.upper);
  const value = Math.min(upper, Math.max(lower, crossMean.value - 0.5 * modelMean.value - 0.5 * targetMean.value));
  return { estimate: { value, interval: { lower, upper, level }, method: 'assignment-vs-law', n }, cross, modelFloor, targetFloor };
}

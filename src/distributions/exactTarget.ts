import type { PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';

/** JSON form of a target (DESIGN §4 `TargetSpec`, plus the product-of-1-D-mixtures extension). */
export type TargetSpecJson =
  | { kind: 'gmm'; weights: number[]; means: number[][]; covariances: number[][][] }
  | { kind: 'gaussian'; mean: number[]; covariance: number[][] }
  | { kind: 'product'; factors: { weights: number[]; means: number[]; variances: number[] }[] };

/**
 * A data distribution p₀ whose every Gaussian-path marginal is known in closed form, in float64.
 * Implemented by `GaussianMixture` (and `gaussian()`), and `ProductMixture`.
 */
export interface ExactTarget {
  readonly kind: 'gmm' | 'gaussian' | 'product';
  readonly dim: number;
  /** Built-in name, when the target came from `builtInTarget`. */
  readonly name: string | undefined;
  /** n i.i.d. draws; the first m of `sample(n, rng)` equal `sample(m, rng)` (batch-size invariance). */
  sample(n: number, rng: Rng): PointBatch;
  /** log p₀(x) per point. */
  logDensity(x: PointBatch): Float64Array;
  /** The law of a·X₀ + s·Z, Z ~ N(0, I) independent, with exact score and posterior. */
  noised(signal: number, noise: number): NoisedTarget;
  /** E[X₀]. */
  mean(): Float64Array;
  /** E‖X₀‖². */
  secondMoment(): number;
  toSpec(): TargetSpecJson;
}

/** The marginal of X = a·X₀ + s·Z and the posterior of X₀ given X = x (THEORY §4.1–4.2). */
export interface NoisedTarget {
  readonly dim: number;
  readonly signal: number;
  readonly noise: number;
  logDensity(x: PointBatch): Float64Array;
  /** ∇ log p(x). */
  score(x: PointBatch, out?: PointBatch): PointBatch;
  /** ∇² log p(x), d×d row-major per point (n·d² values). */
  scoreHessian(x: PointBatch): Float64Array;
  /** E[X₀ | X = x] (Tweedie: (x + s²∇log p)/a). */
  posteriorMean(x: PointBatch, out?: PointBatch): PointBatch;
  /** Cov(X₀ | X = x), d×d row-major per point. */
  posteriorCovariance(x: PointBatch): Float64Array;
  /** Hot path: posterior means of n points stored from data[off], written to out[outOff…]. */
  posteriorMeanInto(data: Float64Array, off: number, n: number, out: Float64Array, outOff: number): void;
  /** Hot path: posterior covariance (d×d) of the point at data[off]. */
  posteriorCovarianceAt(data: Float64Array, off: number, out: Float64Array, outOff: number): void;
  sample(n: number, rng: Rng): PointBatch;
}

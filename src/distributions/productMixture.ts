import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';
import type { ExactTarget, NoisedTarget, TargetSpecJson } from './exactTarget.ts';
import { GaussianMixture, type NoisedMixture } from './gaussianMixture.ts';

/** One coordinate's law: a 1-D mixture Σ_k w_k N(m_k, v_k). */
export interface MixtureFactor {
  readonly weights: ArrayLike<number>;
  readonly means: ArrayLike<number>;
  readonly variances: ArrayLike<number>;
}

/**
 * p₀ = ⊗_j p₀^{(j)} with each factor a 1-D Gaussian mixture (THEORY §4.5). The score separates, so flows,
 * Jacobians (diagonal) and posteriors are coordinatewise and exact in any d — the cheap way to reach d = 64
 * with a multimodal target whose flow is known to 1e-12 by 1-D quantile maps.
 */
export class ProductMixture implements ExactTarget {
  readonly kind = 'product' as const;
  readonly name: string | undefined;
  readonly dim: number;
  readonly factors: readonly GaussianMixture[];

  constructor(factors: readonly MixtureFactor[], options: { name?: string; field?: string } = {}) {
    const field = options.field ?? 'target';
    if (factors.length === 0) throw new ValidationError('E_INVALID_INPUT', 'must have at least one factor', `${field}.factors`);
    this.name = options.name;
    this.dim = factors.length;
    this.factors = factors.map((f, j) => {
      const f2 = `${field}.factors[${j}]`;
      if (f.means.length !== f.weights.length || f.variances.length !== f.weights.length) {
        throw new ValidationError('E_DIMENSION', `weights, means and variances must have equal lengths (${f.weights.length}, ${f.means.length}, ${f.variances.length})`, f2);
      }
      const means = Array.from(f.means, (m) => [m]);
      const covs = Array.from(f.variances, (v) => [v]);
      return new GaussianMixture(f.weights, means, covs, { field: f2 });
    });
  }

  sample(n: number, rng: Rng): PointBatch {
    const d = this.dim;
    const out = pointBatch(n, d);
    this.factors.forEach((f, j) => {
      const col = f.sample(n, rng.child(`coordinate-${j}`));
      for (let i = 0; i < n; i++) out.data[i * d + j] = col.data[i]!;
    });
    return out;
  }

  logDensity(x: PointBatch): Float64Array {
    return this.noised(1, 0).logDensity(x);
  }

  noised(signal: number, noise: number): NoisedProduct {
    return new NoisedProduct(this.factors.map((f) => f.noised(signal, noise)), signal, noise);
  }

  mean(): Float64Array {
    return Float64Array.from(this.factors, (f) => f.mean()[0]!);
  }

  secondMoment(): number {
    return this.factors.reduce((s, f) => s + f.secondMoment(), 0);
  }

  toSpec(): TargetSpecJson {
    return {
      kind: 'product',
      factors: this.factors.map((f) => ({
        weights: Array.from(f.weights),
        means: f.means.map((m) => m[0]!),
        variances: f.covariances.map((c) => c[0]!),
      })),
    };
  }
}

/** Coordinatewise marginal of a product target: every query is d independent 1-D queries. */
export class NoisedProduct implements NoisedTarget {
  readonly dim: number;
  readonly factors: readonly NoisedMixture[];
  readonly signal: number;
  readonly noise: number;
  private column = new Float64Array(0);
  private columnOut = new Float64Array(0);

  constructor(factors: readonly NoisedMixture[], signal: number, noise: number) {
    this.factors = factors;
    this.dim = factors.length;
    this.signal = signal;
    this.noise = noise;
  }

  logDensity(x: PointBatch): Float64Array {
    const out = new Float64Array(x.n);
    this.factors.forEach((f, j) => {
      const lp = f.logDensity(this.columnBatch(x, j));
      for (let i = 0; i < x.n; i++) out[i] = out[i]! + lp[i]!;
    });
    return out;
  }

  score(x: PointBatch, out: PointBatch = pointBatch(x.n, x.d)): PointBatch {
    this.factors.forEach((f, j) => this.scatter(f.score(this.columnBatch(x, j)).data, out, j));
    return out;
  }

  scoreHessian(x: PointBatch): Float64Array {
    return this.diagonal(x, (f, c) => f.scoreHessian(c));
  }

  posteriorMean(x: PointBatch, out: PointBatch = pointBatch(x.n, x.d)): PointBatch {
    this.posteriorMeanInto(x.data, 0, x.n, out.data, 0);
    return out;
  }

  posteriorMeanInto(data: Float64Array, off: number, n: number, out: Float64Array, outOff: number): void {
    const d = this.dim;
    if (this.column.length < n) {
      this.column = new Float64Array(n);
      this.columnOut = new Float64Array(n);
    }
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) this.column[i] = data[off + i * d + j]!;
      this.factors[j]!.posteriorMeanInto(this.column, 0, n, this.columnOut, 0);
      for (let i = 0; i < n; i++) out[outOff + i * d + j] = this.columnOut[i]!;
    }
  }

  posteriorCovariance(x: PointBatch): Float64Array {
    return this.diagonal(x, (f, c) => f.posteriorCovariance(c));
  }

  posteriorCovarianceAt(data: Float64Array, off: number, out: Float64Array, outOff: number): void {
    const d = this.dim;
    const one = new Float64Array(1);
    for (let a = 0; a < d * d; a++) out[outOff + a] = 0;
    for (let j = 0; j < d; j++) {
      this.factors[j]!.posteriorCovarianceAt(data, off + j, one, 0);
      out[outOff + j * d + j] = one[0]!;
    }
  }

  sample(n: number, rng: Rng): PointBatch {
    const d = this.dim;
    const out = pointBatch(n, d);
    this.factors.forEach((f, j) => this.scatter(f.sample(n, rng.child(`coordinate-${j}`)).data, out, j));
    return out;
  }

  private columnBatch(x: PointBatch, j: number): PointBatch {
    if (x.d !== this.dim) throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the target has ${this.dim}`, 'x');
    const c = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) c[i] = x.data[i * x.d + j]!;
    return pointBatch(x.n, 1, c);
  }

  private scatter(col: Float64Array, out: PointBatch, j: number): void {
    for (let i = 0; i < out.n; i++) out.data[i * out.d + j] = col[i]!;
  }

  private diagonal(x: PointBatch, one: (f: NoisedMixture, c: PointBatch) => Float64Array): Float64Array {
    const d = this.dim;
    const out = new Float64Array(x.n * d * d);
    this.factors.forEach((f, j) => {
      const v = one(f, this.columnBatch(x, j));
      for (let i = 0; i < x.n; i++) out[i * d * d + j * d + j] = v[i]!;
    });
    return out;
  }
}

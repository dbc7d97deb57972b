import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import { LOG_2PI, normalCdf, normalSurvival } from '../numerics/normalDistribution.ts';
import { multiplyRowsInto, multiplyShiftedRowsInto } from '../numerics/blockMatmul.ts';
import { isPositiveDefinite, symmetricEigen, type SymmetricEigen } from '../numerics/symmetricEigen.ts';
import type { Rng } from '../random/rng.ts';
import type { ExactTarget, NoisedTarget, TargetSpecJson } from './exactTarget.ts';

/** Relative tolerance on |Σ_ij − Σ_ji| (against max |Σ|) accepted as rounding of a symmetric matrix. */
export const SYMMETRY_RTOL = 1e-12;
/** Tolerance on |Σ w − 1| (DESIGN §4). */
export const WEIGHT_SUM_TOL = 1e-12;

export interface GaussianMixtureOptions {
  /** Reported as `kind`: a one-component mixture built by `gaussian()` says 'gaussian'. @defaultValue 'gmm' */
  readonly kind?: 'gmm' | 'gaussian';
  /** Name of a built-in target, carried into reports. */
  readonly name?: string;
  /** Field prefix for validation messages. @defaultValue 'target' */
  readonly field?: string;
}

/**
 * p₀ = Σ_k w_k N(μ_k, Σ_k) in R^d with full covariances (THEORY §4.1–4.2).
 *
 * Every covariance is eigendecomposed once, Σ_k = U_k diag(λ_k) U_kᵀ. Then for any Gaussian path
 * X = a·X₀ + s·Z the marginal component covariance is C_k = U_k diag(a²λ_k + s²) U_kᵀ, so log-densities,
 * scores, Hessians and posterior moments at every (a, s) need only rotations by U_k and diagonal scalings:
 * no per-time factorisation and no explicit inverse in the hot loops.
 */
export class GaussianMixture implements ExactTarget {
  readonly kind: 'gmm' | 'gaussian';
  readonly name: string | undefined;
  readonly dim: number;
  readonly weights: Float64Array;
  readonly means: readonly Float64Array[];
  readonly covariances: readonly Float64Array[];
  /** Per-component eigendecompositions of Σ_k. */
  readonly eigen: readonly SymmetricEigen[];
  /** √Σ_k = U_k diag(√λ_k) U_kᵀ applied as U_k diag(√λ_k) for sampling; row-major d×d. */
  private readonly sampleFactors: readonly Float64Array[];
  /**
   * The same data packed contiguously for the hot kernels (K·d means and eigenvalues, K·d² eigenvectors as
   * U and Uᵀ so both rotations read memory in order, and a per-component diagonal flag).
   */
  readonly packed: PackedMixture;

  constructor(weights: ArrayLike<number>, means: readonly ArrayLike<number>[], covariances: readonly ArrayLike<number>[], options: GaussianMixtureOptions = {}) {
    const field = options.field ?? 'target';
    this.kind = options.kind ?? 'gmm';
    this.name = options.name;
    const K = weights.length;
    if (K === 0) throw new ValidationError('E_INVALID_INPUT', 'must have at least one component', `${field}.weights`);
    if (means.length !== K) {
      throw new ValidationError('E_DIMENSION', `has ${means.length} entries but there are ${K} weights`, `${field}.means`);
    }
    if (covariances.length !== K) {
      throw new ValidationError('E_DIMENSION', `has ${covariances.length} entries but there are ${K} weights`, `${field}.covariances`);
    }
    this.weights = Float64Array.from(weights);
    let sum = 0;
    this.weights.forEach((w, k) => {
      if (!Number.isFinite(w)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${w}`, `${field}.weights[${k}]`);
      if (w < 0) throw new ValidationError('E_WEIGHTS', `must be ≥ 0, got ${w}`, `${field}.weights[${k}]`);
      sum += w;
    });
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOL) {
      throw new ValidationError('E_WEIGHTS', `must sum to 1 within ${WEIGHT_SUM_TOL}, sum is ${sum}`, `${field}.weights`);
    }
    const d = means[0]!.length;
    if (d < 1) throw new ValidationError('E_DIMENSION', 'must have at least one coordinate', `${field}.means[0]`);
    this.dim = d;
    this.means = means.map((m, k) => {
      if (m.length !== d) throw new ValidationError('E_DIMENSION', `has dimension ${m.length}, expected ${d}`, `${field}.means[${k}]`);
      const out = Float64Array.from(m);
      out.forEach((v, j) => {
        if (!Number.isFinite(v)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${v}`, `${field}.means[${k}][${j}]`);
      });
      return out;
    });
    this.covariances = covariances.map((c, k) => validateCovariance(c, d, `${field}.covariances[${k}]`));
    this.eigen = this.covariances.map((c, k) => {
      const e = symmetricEigen(c, d);
      const minEig = Math.min(...e.values);
      if (!(minEig > 0)) {
        throw new ValidationError('E_NOT_SPD', `numerically singular; smallest eigenvalue ${minEig.toPrecision(3)}`, `${field}.covariances[${k}]`);
      }
      return e;
    });
    this.packed = packMixture(this.means, this.eigen, d);
    this.sampleFactors = this.eigen.map((e) => {
      const f = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) f[i * d + j] = e.vectors[i * d + j]! * Math.sqrt(Math.max(e.values[j]!, 0));
      return f;
    });
  }

  get components(): number {
    return this.weights.length;
  }

  sample(n: number, rng: Rng): PointBatch {
    // Component labels and Gaussian noise come from separate child streams and are consumed in point order,
    // so the first m points of sample(n) equal sample(m) for the same rng: batch-size invariance.
    const labels = rng.child('component');
    const noise = rng.child('noise');
    const d = this.dim;
    const out = pointBatch(n, d);
    const z = new Float64Array(d);
    const cumulative = cumulativeWeights(this.weights);
    for (let i = 0; i < n; i++) {
      const k = pickComponent(cumulative, labels.uniform());
      noise.fillNormal(z);
      const f = this.sampleFactors[k]!;
      const mu = this.means[k]!;
      for (let a = 0; a < d; a++) {
        let v = mu[a]!;
        for (let b = 0; b < d; b++) v += f[a * d + b]! * z[b]!;
        out.data[i * d + a] = v;
      }
    }
    return out;
  }

  logDensity(x: PointBatch): Float64Array {
    return this.noised(1, 0).logDensity(x);
  }

  noised(signal: number, noise: number): NoisedMixture {
    return new NoisedMixture(this, signal, noise);
  }

  mean(): Float64Array {
    const m = new Float64Array(this.dim);
    this.means.forEach((mu, k) => mu.forEach((v, j) => (m[j] = m[j]! + this.weights[k]! * v)));
    return m;
  }

  secondMoment(): number {
    let m2 = 0;
    this.means.forEach((mu, k) => {
      let tr = 0;
      let norm2 = 0;
      for (let j = 0; j < this.dim; j++) {
        tr += this.covariances[k]![j * this.dim + j]!;
        norm2 += mu[j]! * mu[j]!;
      }
      m2 += this.weights[k]! * (tr + norm2);
    });
    return m2;
  }

  toSpec(): TargetSpecJson {
    const d = this.dim;
    const covs = this.covariances.map((c) => Array.from({ length: d }, (_, i) => Array.from(c.subarray(i * d, (i + 1) * d))));
    if (this.kind === 'gaussian') return { kind: 'gaussian', mean: Array.from(this.means[0]!), covariance: covs[0]! };
    return { kind: 'gmm', weights: Array.from(this.weights), means: this.means.map((m) => Array.from(m)), covariances: covs };
  }
}

/** A single Gaussian N(mean, covariance): a one-component mixture that reports kind 'gaussian'. */
export function gaussian(mean: ArrayLike<number>, covariance: ArrayLike<number>, options: Omit<GaussianMixtureOptions, 'kind'> = {}): GaussianMixture {
  return new GaussianMixture([1], [mean], [covariance], { ...options, kind: 'gaussian' });
}

/**
 * The law of a·X₀ + s·Z for X₀ ~ mixture and Z ~ N(0, I): a mixture with means aμ_k and covariances
 * C_k = a²Σ_k + s²I, plus the posterior of X₀ given the noisy point (THEORY §4.2).
 */
export class NoisedMixture implements NoisedTarget {
  readonly dim: number;
  readonly signal: number;
  readonly noise: number;
  private readonly base: GaussianMixture;
  private readonly K: number;
  /** a·μ_k, packed K·d. */
  private readonly aMeans: Float64Array;
  /** 1 / (a²λ_i + s²), packed K·d. */
  private readonly cInv: Float64Array;
  private componentSds: Float64Array | undefined;
  /** a·λ_i / (a²λ_i + s²): the posterior-mean gain in each eigenbasis, packed K·d. */
  private readonly gain: Float64Array;
  /** λ_i s² / (a²λ_i + s²): the posterior covariance in each eigenbasis, packed K·d. */
  private readonly postVar: Float64Array;
  /** log w_k − ½(d log 2π + log det C_k). */
  private readonly logNorm: Float64Array;
  // scratch for one point at a time (methods are not re-entrant)
  private readonly rotated: Float64Array;
  private readonly resp: Float64Array;
  private readonly centred: Float64Array;
  private readonly scaled: Float64Array;

  constructor(base: GaussianMixture, signal: number, noise: number) {
    if (!Number.isFinite(signal) || !Number.isFinite(noise) || noise < 0) {
      throw new ValidationError('E_INVALID_INPUT', `signal and noise scales must be finite with noise ≥ 0, got a=${signal}, s=${noise}`, 'process');
    }
    this.base = base;
    this.dim = base.dim;
    this.signal = signal;
    this.noise = noise;
    const d = base.dim;
    const K = base.components;
    this.K = K;
    const a2 = signal * signal;
    const s2 = noise * noise;
    const { values, means } = base.packed;
    // One backing store for all per-marginal arrays: the reference flow builds a marginal per field evaluation, and
    // nine separate typed arrays each time made the garbage collector a sixth of the d = 8 flow's time.
    const store = new Float64Array(5 * K * d + 2 * K + 2 * d);
    let at = 0;
    const view = (length: number): Float64Array => store.subarray(at, (at += length));
    this.aMeans = view(K * d);
    this.cInv = view(K * d);
    this.gain = view(K * d);
    this.postVar = view(K * d);
    this.logNorm = view(K);
    for (let k = 0; k < K; k++) {
      let logdet = 0;
      for (let i = 0; i < d; i++) {
        const idx = k * d + i;
        const lam = values[idx]!;
        const c = a2 * lam + s2;
        if (!(c > 0)) {
          throw new ValidationError('E_NOT_SPD', `marginal covariance is singular at a=${signal}, s=${noise}`, `target.covariances[${k}]`);
        }
        this.aMeans[idx] = signal * means[idx]!;
        this.cInv[idx] = 1 / c;
        this.gain[idx] = (signal * lam) / c;
        this.postVar[idx] = (lam * s2) / c;
        logdet += Math.log(c);
      }
      this.logNorm[k] = Math.log(base.weights[k]!) - 0.5 * (d * LOG_2PI + logdet);
    }
    this.rotated = view(K * d);
    this.resp = view(K);
    this.centred = view(d);
    this.scaled = view(d);
  }

  /**
   * For the point x = data[off … off+d): rotated[k] = U_kᵀ(x − aμ_k) and resp[k] = r_k(x) (log-sum-exp);
   * returns log p(x).
   */
  private prepare(data: Float64Array, off: number): number {
    const d = this.dim;
    const K = this.K;
    const { Ut, diagonal } = this.base.packed;
    const { aMeans, cInv, rotated, resp, centred, logNorm } = this;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const base = k * d;
      let quad = 0;
      if (diagonal[k] === 1) {
        for (let i = 0; i < d; i++) {
          const w = data[off + i]! - aMeans[base + i]!;
          rotated[base + i] = w;
          quad += w * w * cInv[base + i]!;
        }
      } else {
        for (let i = 0; i < d; i++) centred[i] = data[off + i]! - aMeans[base + i]!;
        const uBase = k * d * d;
        for (let j = 0; j < d; j++) {
          const row = uBase + j * d;
          let v = 0;
          for (let i = 0; i < d; i++) v += Ut[row + i]! * centred[i]!;
          rotated[base + j] = v;
          quad += v * v * cInv[base + j]!;
        }
      }
      const lp = logNorm[k]! - 0.5 * quad;
      resp[k] = lp;
      if (lp > max) max = lp;
    }
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      // e^{−42} ≈ 6e-19 < NEGLIGIBLE_RESPONSIBILITY: such a component is exactly 0 to the kernels, so skip its exp
      const delta = resp[k]! - max;
      const r = delta < -42 ? 0 : Math.exp(delta);
      resp[k] = r;
      sum += r;
    }
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) resp[k] = resp[k]! * inv;
    return max + Math.log(sum);
  }

  /** out[off … off+d) += scale · U_k · (diag_k ⊙ rotated_k): a rotation back from component k's eigenbasis. */
  private addRotatedBack(k: number, diag: Float64Array, scale: number, out: Float64Array, off: number): void {
    const d = this.dim;
    const base = k * d;
    const { U, diagonal } = this.base.packed;
    const { rotated, scaled } = this;
    if (diagonal[k] === 1) {
      for (let i = 0; i < d; i++) out[off + i] = out[off + i]! + scale * diag[base + i]! * rotated[base + i]!;
      return;
    }
    for (let j = 0; j < d; j++) scaled[j] = scale * diag[base + j]! * rotated[base + j]!;
    const uBase = k * d * d;
    for (let i = 0; i < d; i++) {
      const row = uBase + i * d;
      let v = 0;
      for (let j = 0; j < d; j++) v += U[row + j]! * scaled[j]!;
      out[off + i] = out[off + i]! + v;
    }
  }

  logDensity(x: PointBatch): Float64Array {
    this.checkDim(x);
    const out = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) out[i] = this.prepare(x.data, i * x.d);
    return out;
  }

  /** r_k(x) for each point: n×K row-major. */
  responsibilities(x: PointBatch): Float64Array {
    this.checkDim(x);
    const out = new Float64Array(x.n * this.K);
    for (let i = 0; i < x.n; i++) {
      this.prepare(x.data, i * x.d);
      out.set(this.resp, i * this.K);
    }
    return out;
  }

  /** ∇ log p(x) = −Σ_k r_k C_k⁻¹ (x − aμ_k). */
  score(x: PointBatch, out: PointBatch = pointBatch(x.n, x.d)): PointBatch {
    this.checkDim(x);
    out.data.fill(0);
    for (let i = 0; i < x.n; i++) {
      this.prepare(x.data, i * x.d);
      for (let k = 0; k < this.K; k++) this.addRotatedBack(k, this.cInv, -this.resp[k]!, out.data, i * x.d);
    }
    return out;
  }

  /** E[X₀ | a X₀ + s Z = x] = Σ_k r_k (μ_k + aΣ_k C_k⁻¹ (x − aμ_k)). */
  posteriorMean(x: PointBatch, out: PointBatch = pointBatch(x.n, x.d)): PointBatch {
    this.checkDim(x);
    this.posteriorMeanInto(x.data, 0, x.n, out.data, 0);
    return out;
  }

  /**
   * Hot-path form of `posteriorMean` on raw arrays (used by the reference flow). A component whose
   * responsibility is below NEGLIGIBLE_RESPONSIBILITY contributes less than 1e-18·|m̂_k| — far below any
   * tolerance the flow can be asked for — and its back-rotation is skipped.
   */
  posteriorMeanInto(data: Float64Array, off: number, n: number, out: Float64Array, outOff: number): void {
    // Blocks pay off from d = 4 (measured: 1.6× at d = 8, 2.6–3× at d = 32); at d ≤ 3 the rotations are too short.
    if (n >= 2 && this.dim >= BLOCKED_MIN_DIMENSION) {
      for (let start = 0; start < n; start += POSTERIOR_MEAN_BLOCK) {
        this.posteriorMeanBlockInto(data, off + start * this.dim, Math.min(POSTERIOR_MEAN_BLOCK, n - start), out, outOff + start * this.dim);
      }
      return;
    }
    // One point: one fused loop, locals instead of property loads, the back-rotation inlined.
    const d = this.dim;
    const K = this.K;
    const { means, U, diagonal } = this.base.packed;
    const { resp, rotated, gain, scaled } = this;
    for (let i = 0; i < n; i++) {
      const o = outOff + i * d;
      this.prepare(data, off + i * d);
      for (let j = 0; j < d; j++) out[o + j] = 0;
      for (let k = 0; k < K; k++) {
        const r = resp[k]!;
        if (r < NEGLIGIBLE_RESPONSIBILITY) continue;
        const base = k * d;
        if (diagonal[k] === 1) {
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + r * (means[base + j]! + gain[base + j]! * rotated[base + j]!);
          continue;
        }
        for (let j = 0; j < d; j++) scaled[j] = r * gain[base + j]! * rotated[base + j]!;
        const uBase = k * d * d;
        for (let a = 0; a < d; a++) {
          const row = uBase + a * d;
          let v = r * means[base + a]!;
          for (let j = 0; j < d; j++) v += U[row + j]! * scaled[j]!;
          out[o + a] = out[o + a]! + v;
        }
      }
    }
  }

  /**
   * `posteriorMeanInto` for a block of P ≤ POSTERIOR_MEAN_BLOCK points: the rotations into and out of each
   * eigenbasis become P×d by d×d products ({@link multiplyRowsInto}) over Float64Array scratch shared by all
   * marginals (no allocation per call once it has grown). Same sums as the one-point loop, in the same order, except
   * that the back-rotation adds r_k·μ_k after the rotated sum instead of before (a reassociation: agreement to
   * about 1e-15 relative, tested to 1e-12). Components with negligible responsibility are skipped per point by
   * packing the remaining points' rows before the back-rotation.
   */
  private posteriorMeanBlockInto(data: Float64Array, off: number, P: number, out: Float64Array, outOff: number): void {
    const d = this.dim;
    const K = this.K;
    const { means, U, Ut, diagonal } = this.base.packed;
    const { aMeans, cInv, gain, logNorm } = this;
    const block = P * d;
    const s = blockScratch(K * block + 3 * block + P * K);
    const rotatedAt = 0; // K blocks of P×d: U_kᵀ(x_p − aμ_k), component-major
    const centredAt = K * block; // P×d; reused as the packed rows scaled for the back-rotation
    const backAt = centredAt + block; // P×d: the back-rotated rows
    const respAt = backAt + block; // P×K: log-weights, then responsibilities
    const rowOf = blockRows(P);
    for (let k = 0; k < K; k++) {
      const base = k * d;
      const rot = rotatedAt + k * block;
      if (diagonal[k] === 1) {
        for (let p = 0; p < P; p++) for (let i = 0; i < d; i++) s[rot + p * d + i] = data[off + p * d + i]! - aMeans[base + i]!;
      } else {
        multiplyShiftedRowsInto(data, off, P, aMeans, base, U, k * d * d, d, s, rot);
      }
      for (let p = 0; p < P; p++) {
        let quad = 0;
        const row = rot + p * d;
        for (let j = 0; j < d; j++) {
          const v = s[row + j]!;
          quad += v * v * cInv[base + j]!;
        }
        s[respAt + p * K + k] = logNorm[k]! - 0.5 * quad;
      }
    }
    for (let p = 0; p < P; p++) {
      const r0 = respAt + p * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (s[r0 + k]! > max) max = s[r0 + k]!;
      if (max === -Infinity) {
        for (let k = 0; k < K; k++) s[r0 + k] = 0;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const delta = s[r0 + k]! - max;
        const r = delta < -42 ? 0 : Math.exp(delta);
        s[r0 + k] = r;
        sum += r;
      }
      const inv = 1 / sum;
      for (let k = 0; k < K; k++) s[r0 + k] = s[r0 + k]! * inv;
    }
    for (let i = 0; i < block; i++) out[outOff + i] = 0;
    for (let k = 0; k < K; k++) {
      const base = k * d;
      const rot = rotatedAt + k * block;
      if (diagonal[k] === 1) {
        for (let p = 0; p < P; p++) {
          const r = s[respAt + p * K + k]!;
          if (r < NEGLIGIBLE_RESPONSIBILITY) continue;
          const o = outOff + p * d;
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + r * (means[base + j]! + gain[base + j]! * s[rot + p * d + j]!);
        }
        continue;
      }
      let rows = 0;
      for (let p = 0; p < P; p++) {
        const r = s[respAt + p * K + k]!;
        if (r < NEGLIGIBLE_RESPONSIBILITY) continue;
        const packed = centredAt + rows * d;
        for (let j = 0; j < d; j++) s[packed + j] = r * gain[base + j]! * s[rot + p * d + j]!;
        rowOf[rows++] = p;
      }
      if (rows === 0) continue;
      multiplyRowsInto(s, centredAt, rows, Ut, k * d * d, d, s, backAt);
      for (let q = 0; q < rows; q++) {
        const p = rowOf[q]!;
        const r = s[respAt + p * K + k]!;
        const o = outOff + p * d;
        const back = backAt + q * d;
        for (let a = 0; a < d; a++) out[o + a] = out[o + a]! + (r * means[base + a]! + s[back + a]!);
      }
    }
  }

  /** ∇² log p(x) = −Σ r_k C_k⁻¹ + Σ r_k (g_k − s)(g_k − s)ᵀ, per point d×d row-major (n·d·d values). */
  scoreHessian(x: PointBatch): Float64Array {
    return this.secondOrder(x, 'hessian');
  }

  /** Cov(X₀ | x) = Σ r_k (Ŝ_k + δ_k δ_kᵀ), δ_k = m̂_k − x̂₀; per point d×d row-major. */
  posteriorCovariance(x: PointBatch): Float64Array {
    return this.secondOrder(x, 'posterior');
  }

  /** Hot-path posterior covariance of one point into out[outOff … outOff+d²). */
  posteriorCovarianceAt(data: Float64Array, off: number, out: Float64Array, outOff: number): void {
    this.secondOrderAt(data, off, 'posterior', out, outOff);
  }

  private secondOrder(x: PointBatch, which: 'hessian' | 'posterior'): Float64Array {
    this.checkDim(x);
    const d = this.dim;
    const out = new Float64Array(x.n * d * d);
    for (let i = 0; i < x.n; i++) this.secondOrderAt(x.data, i * d, which, out, i * d * d);
    return out;
  }

  private hessianMatrices: Float64Array | undefined;
  private posteriorMatrices: Float64Array | undefined;

  /** U_k diag(v_k) U_kᵀ for every component, packed K·d² (computed once per marginal, O(K d³)). */
  private componentMatrices(which: 'hessian' | 'posterior'): Float64Array {
    const cached = which === 'hessian' ? this.hessianMatrices : this.posteriorMatrices;
    if (cached) return cached;
    const d = this.dim;
    const diag = which === 'hessian' ? this.cInv : this.postVar;
    const { U } = this.base.packed;
    const out = new Float64Array(this.K * d * d);
    for (let k = 0; k < this.K; k++) {
      const uBase = k * d * d;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          let v = 0;
          for (let j = 0; j < d; j++) v += U[uBase + a * d + j]! * diag[k * d + j]! * U[uBase + b * d + j]!;
          out[uBase + a * d + b] = v;
          out[uBase + b * d + a] = v;
        }
      }
    }
    if (which === 'hessian') this.hessianMatrices = out;
    else this.posteriorMatrices = out;
    return out;
  }

  private secondOrderAt(data: Float64Array, off: number, which: 'hessian' | 'posterior', out: Float64Array, outOff: number): void {
    const d = this.dim;
    const K = this.K;
    const mats = this.componentMatrices(which);
    const means = this.base.packed.means;
    this.prepare(data, off);
    // per component: g_k (the component's score) or m̂_k (the component's posterior mean), and their r-average
    const vec = new Float64Array(K * d);
    const avg = new Float64Array(d);
    for (let k = 0; k < K; k++) {
      if (which === 'hessian') this.addRotatedBack(k, this.cInv, -1, vec, k * d);
      else {
        for (let j = 0; j < d; j++) vec[k * d + j] = means[k * d + j]!;
        this.addRotatedBack(k, this.gain, 1, vec, k * d);
      }
      const r = this.resp[k]!;
      for (let j = 0; j < d; j++) avg[j] = avg[j]! + r * vec[k * d + j]!;
    }
    for (let j = 0; j < d * d; j++) out[outOff + j] = 0;
    const sign = which === 'hessian' ? -1 : 1;
    for (let k = 0; k < K; k++) {
      const r = this.resp[k]!;
      if (r === 0) continue;
      const mBase = k * d * d;
      for (let a = 0; a < d; a++) {
        const da = vec[k * d + a]! - avg[a]!;
        for (let b = a; b < d; b++) {
          const db = vec[k * d + b]! - avg[b]!;
          const add = r * (sign * mats[mBase + a * d + b]! + da * db);
          out[outOff + a * d + b] = out[outOff + a * d + b]! + add;
          if (b !== a) out[outOff + b * d + a] = out[outOff + b * d + a]! + add;
        }
      }
    }
  }

  /** Draws from this marginal (a·X₀ + s·Z with X₀ and Z from child streams 'data' and 'noise'). */
  sample(n: number, rng: Rng): PointBatch {
    const x0 = this.base.sample(n, rng.child('data'));
    const z = rng.child('noise');
    for (let i = 0; i < x0.data.length; i++) x0.data[i] = this.signal * x0.data[i]! + this.noise * z.normal();
    return x0;
  }

  /** The marginal as an explicit mixture (means aμ_k, covariances a²Σ_k + s²I). */
  asMixture(): GaussianMixture {
    const d = this.dim;
    const a2 = this.signal * this.signal;
    const s2 = this.noise * this.noise;
    const covs = this.base.covariances.map((c) => {
      const out = c.map((v) => a2 * v);
      for (let i = 0; i < d; i++) out[i * d + i] = out[i * d + i]! + s2;
      return out;
    });
    return new GaussianMixture(this.base.weights, this.base.means.map((m) => m.map((v) => this.signal * v)), covs, { kind: this.base.kind });
  }

  /** CDF of a 1-D marginal. */
  cdf(x: number): number {
    return this.sum1d(x, normalCdf);
  }

  /** Survival function 1 − CDF of a 1-D marginal, accurate in the upper tail. */
  survival(x: number): number {
    return this.sum1d(x, normalSurvival);
  }

  /** Density of a 1-D marginal (no batch wrapper). */
  density1d(x: number): number {
    const sds = this.sd1d();
    let p = 0;
    for (let k = 0; k < this.K; k++) {
      const sd = sds[k]!;
      const z = (x - this.aMeans[k]!) / sd;
      p += (this.base.weights[k]! * Math.exp(-0.5 * z * z)) / (sd * Math.sqrt(2 * Math.PI));
    }
    return p;
  }

  /** Smallest and largest component mean ± `width` standard deviations (a bracket for 1-D root finding). */
  range1d(width: number): [number, number] {
    this.require1d();
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < this.K; k++) {
      const sd = 1 / Math.sqrt(this.cInv[k]!);
      const m = this.aMeans[k]!;
      lo = Math.min(lo, m - width * sd);
      hi = Math.max(hi, m + width * sd);
    }
    return [lo, hi];
  }

  private sum1d(x: number, phi: (z: number) => number): number {
    const sds = this.sd1d();
    let p = 0;
    for (let k = 0; k < this.K; k++) p += this.base.weights[k]! * phi((x - this.aMeans[k]!) / sds[k]!);
    return p;
  }

  /** Standard deviations 1/√(1/c_k) of the components of a 1-D marginal, computed once (the 1-D CDF and density are hot loops). */
  private sd1d(): Float64Array {
    if (this.componentSds) return this.componentSds;
    this.require1d();
    this.componentSds = Float64Array.from({ length: this.K }, (_, k) => 1 / Math.sqrt(this.cInv[k]!));
    return this.componentSds;
  }

  private require1d(): void {
    if (this.dim !== 1) throw new ValidationError('E_DIMENSION', `needs a 1-D target, this one has d=${this.dim}`, 'target');
  }

  private checkDim(x: PointBatch): void {
    if (x.d !== this.dim) throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the target has ${this.dim}`, 'x');
  }
}

function validateCovariance(c: ArrayLike<number>, d: number, field: string): Float64Array {
  if (c.length !== d * d) throw new ValidationError('E_DIMENSION', `has ${c.length} entries, expected d×d = ${d * d}`, field);
  const out = Float64Array.from(c);
  let scale = 0;
  out.forEach((v, idx) => {
    if (!Number.isFinite(v)) {
      throw new ValidationError('E_NON_FINITE', `entry [${Math.floor(idx / d)}][${idx % d}] must be finite, got ${v}`, field);
    }
    scale = Math.max(scale, Math.abs(v));
  });
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const a = out[i * d + j]!;
      const b = out[j * d + i]!;
      if (Math.abs(a - b) > SYMMETRY_RTOL * scale) {
        throw new ValidationError('E_NOT_SYMMETRIC', `not symmetric: [${i}][${j}]=${a} but [${j}][${i}]=${b}`, field);
      }
      // symmetrise the rounding so the eigensolver sees an exactly symmetric matrix
      const m = 0.5 * (a + b);
      out[i * d + j] = m;
      out[j * d + i] = m;
    }
  }
  // Cholesky is the test (it fails exactly when a pivot is ≤ 0); the eigenvalue is only for the message.
  if (!isPositiveDefinite(out, d)) {
    const minEig = Math.min(...symmetricEigen(out, d).values);
    throw new ValidationError('E_NOT_SPD', `not positive definite; smallest eigenvalue ${minEig.toPrecision(3)}. Check the covariance or add jitter explicitly`, field);
  }
  return out;
}

function cumulativeWeights(w: Float64Array): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  w.forEach((v, k) => {
    s += v;
    c[k] = s;
  });
  return c;
}

function pickComponent(cumulative: Float64Array, u: number): number {
  const total = cumulative[cumulative.length - 1]!;
  const target = u * total;
  for (let k = 0; k < cumulative.length; k++) if (target < cumulative[k]!) return k;
  return cumulative.length - 1;
}

/** Packed per-component data for the hot kernels. */
export interface PackedMixture {
  /** μ_k, K·d. */
  readonly means: Float64Array;
  /** eigenvalues λ_k, K·d. */
  readonly values: Float64Array;
  /** U_k row-major (column j = eigenvector j), K·d². */
  readonly U: Float64Array;
  /** U_kᵀ row-major, K·d². */
  readonly Ut: Float64Array;
  /** 1 where Σ_k was diagonal (U_k = I: rotations skipped). */
  readonly diagonal: Uint8Array;
}

/** Points per block of the blocked posterior-mean kernel (its scratch is (K + 3)·32·d + 32·K doubles). */
const POSTERIOR_MEAN_BLOCK = 32;
/** Smallest dimension routed to the blocked kernel (at d = 2 it measured 0.9–1.0× the one-point loop). */
const BLOCKED_MIN_DIMENSION = 4;

let scratch = new Float64Array(0);
let scratchRows = new Int32Array(0);

/** Module-level scratch of the blocked kernels, grown on demand (JS runs one kernel at a time per thread). */
function blockScratch(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch;
}

function blockRows(size: number): Int32Array {
  if (scratchRows.length < size) scratchRows = new Int32Array(size);
  return scratchRows;
}

/** Responsibilities below this are dropped from posterior means (see `posteriorMeanInto`). */
export const NEGLIGIBLE_RESPONSIBILITY = 1e-18;

function packMixture(means: readonly Float64Array[], eigen: readonly SymmetricEigen[], d: number): PackedMixture {
  const K = means.length;
  const packed = {
    means: new Float64Array(K * d),
    values: new Float64Array(K * d),
    U: new Float64Array(K * d * d),
    Ut: new Float64Array(K * d * d),
    diagonal: new Uint8Array(K),
  };
  for (let k = 0; k < K; k++) {
    packed.means.set(means[k]!, k * d);
    packed.values.set(eigen[k]!.values, k * d);
    packed.diagonal[k] = eigen[k]!.isDiagonal ? 1 : 0;
    const V = eigen[k]!.vectors;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        packed.U[k * d * d + i * d + j] = V[i * d + j]!;
        packed.Ut[k * d * d + j * d + i] = V[i * d + j]!;
      }
    }
  }
  return packed;
}

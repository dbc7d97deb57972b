import { NumericalError, ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';
import { timesPerPoint, type FunctionClass, type ParameterSnapshot, type TrainableConsistencyFunction } from './consistencyFunction.ts';

/** 'full': A is any d×d matrix; 'diagonal': A is diagonal (coordinatewise maps, enough for product targets). */
export type AffineStructure = 'full' | 'diagonal';

export interface AffineGridOptions {
  /** Increasing node times; times[0] is the boundary tMin, where the map is fixed to the identity. */
  readonly times: ArrayLike<number>;
  /** @defaultValue 'full' */
  readonly structure?: AffineStructure;
  /** Fit an offset b (affine) or not (linear, b = 0). @defaultValue true */
  readonly intercept?: boolean;
}

/** First and second moments of a regression problem y ≈ A x + b, all float64 (d×d row-major covariances). */
export interface RegressionMoments {
  readonly meanX: Float64Array;
  readonly meanY: Float64Array;
  /** Cov(x) (or E[x xᵀ] when `centered` is false), d×d row-major. */
  readonly covXX: Float64Array;
  /** Cov(x, y) with (i, j) = Cov(x_i, y_j) (or E[x_i y_j] when `centered` is false), d×d row-major. */
  readonly covXY: Float64Array;
  /** Whether covXX and covXY are centred. */
  readonly centered: boolean;
}

/**
 * The affine function class on a time grid: f(x, t_i) = A_i x + b_i at each node, linear interpolation of the two
 * neighbouring node maps in between, and A_0 = I, b_0 = 0 at t_0 = tMin so f(x, tMin) = x exactly.
 *
 * Each node is fitted by exact least squares (`fitNode`, `fitNodeFromMoments`), so training error splits into the
 * class's approximation error ε_F (zero when the regression target is itself affine, e.g. any Gaussian flow) and
 * a purely statistical error (THEORY §1.6) — no optimiser in between.
 */
export class AffineGridConsistency implements TrainableConsistencyFunction {
  readonly id: string;
  readonly precision = 'float64' as const;
  readonly dim: number;
  readonly times: Float64Array;
  readonly structure: AffineStructure;
  readonly intercept: boolean;
  /** Node matrices A_i, d×d row-major each. */
  private matrices: Float64Array[];
  /** Node offsets b_i. */
  private offsets: Float64Array[];

  constructor(dim: number, options: AffineGridOptions) {
    const times = Float64Array.from(options.times);
    if (times.length < 2) throw new ValidationError('E_INVALID_INPUT', `needs at least 2 node times, got ${times.length}`, 'times');
    for (let i = 0; i < times.length; i++) {
      if (!Number.isFinite(times[i]!)) throw new ValidationError('E_NON_FINITE', `entry ${i} is ${times[i]}`, 'times');
      if (i > 0 && !(times[i]! > times[i - 1]!)) {
        throw new ValidationError('E_INVALID_INPUT', `must be strictly increasing; times[${i}] = ${times[i]} ≤ times[${i - 1}] = ${times[i - 1]}`, 'times');
      }
    }
    this.dim = dim;
    this.times = times;
    this.structure = options.structure ?? 'full';
    this.intercept = options.intercept ?? true;
    this.id = `affine-grid-${this.structure}${this.intercept ? '' : '-linear'}`;
    this.matrices = Array.from(times, () => identity(dim));
    this.offsets = Array.from(times, () => new Float64Array(dim));
  }

  /** A_i (a copy). */
  matrix(i: number): Float64Array {
    return Float64Array.from(this.nodeMatrix(i));
  }

  /** b_i (a copy). */
  offset(i: number): Float64Array {
    return Float64Array.from(this.offsets[this.checkNode(i)]!);
  }

  /** Sets node i's map directly (i ≥ 1; node 0 is the identity). */
  setNode(i: number, matrix: ArrayLike<number>, offset: ArrayLike<number>): void {
    const k = this.checkNode(i);
    if (k === 0) throw new ValidationError('E_INVALID_INPUT', 'node 0 is the boundary tMin and stays the identity', 'node');
    if (matrix.length !== this.dim * this.dim || offset.length !== this.dim) {
      throw new ValidationError('E_DIMENSION', `expected a ${this.dim}×${this.dim} matrix and a ${this.dim}-vector`, 'node');
    }
    const A = Float64Array.from(matrix);
    const b = this.intercept ? Float64Array.from(offset) : new Float64Array(this.dim);
    if (this.structure === 'diagonal') for (let r = 0; r < this.dim; r++) for (let c = 0; c < this.dim; c++) if (r !== c) A[r * this.dim + c] = 0;
    for (const v of [...A, ...b]) if (!Number.isFinite(v)) throw new NumericalError('E_NON_FINITE', `node ${i} map has a non-finite entry`, 'node');
    this.matrices[k] = A;
    this.offsets[k] = b;
  }

  /** Exact least-squares fit of node i to the pairs (inputs[j], targets[j]). */
  fitNode(i: number, inputs: PointBatch, targets: PointBatch): void {
    this.fitNodeFromMoments(i, empiricalMoments(inputs, targets, this.intercept));
  }

  /**
   * Exact least squares from moments: A = Cov(y, x) Cov(x)⁻¹, b = E y − A E x (or, without intercept,
   * A = E[y xᵀ] E[x xᵀ]⁻¹). Passing population moments gives the population minimiser within the class.
   */
  fitNodeFromMoments(i: number, m: RegressionMoments): void {
    const d = this.dim;
    if (this.intercept !== m.centered) {
      throw new ValidationError('E_INVALID_INPUT', `an ${this.intercept ? 'affine' : 'linear'} fit needs ${this.intercept ? 'centred' : 'uncentred'} moments`, 'moments');
    }
    const A = new Float64Array(d * d);
    if (this.structure === 'diagonal') {
      for (let j = 0; j < d; j++) {
        const v = m.covXX[j * d + j]!;
        if (!(v > 0)) throw new NumericalError('E_NON_FINITE', `input variance of coordinate ${j} is ${v}; the fit is singular`, `node[${i}]`);
        A[j * d + j] = m.covXY[j * d + j]! / v;
      }
    } else {
      // Aᵀ = Cov(x)⁻¹ Cov(x, y): solve for all d right-hand sides with one Cholesky factor.
      const At = solveSpd(m.covXX, m.covXY, d, `node[${i}]`);
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) A[r * d + c] = At[c * d + r]!;
    }
    const b = new Float64Array(d);
    if (this.intercept) {
      for (let r = 0; r < d; r++) {
        let s = m.meanY[r]!;
        for (let c = 0; c < d; c++) s -= A[r * d + c]! * m.meanX[c]!;
        b[r] = s;
      }
    }
    this.setNode(i, A, b);
  }

  evaluate(x: PointBatch, t: number | Float64Array): PointBatch {
    const d = this.dim;
    if (x.d !== d) throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the model has ${d}`, 'x');
    const times = timesPerPoint(t, x.n);
    const out = new Float64Array(x.n * d);
    const tmp = new Float64Array(d);
    for (let p = 0; p < x.n; p++) {
      const { lower, weight } = this.locate(times[p]!);
      const xo = p * d;
      this.applyNode(lower, x.data, xo, out, xo, 1 - weight, tmp);
      if (weight > 0) this.applyNode(lower + 1, x.data, xo, out, xo, weight, tmp, true);
    }
    return { n: x.n, d, data: out };
  }

  snapshot(): ParameterSnapshot {
    const entries = [];
    for (let i = 0; i < this.times.length; i++) {
      entries.push({ name: `A${i}`, shape: [this.dim, this.dim], values: Float64Array.from(this.matrices[i]!) });
      entries.push({ name: `b${i}`, shape: [this.dim], values: Float64Array.from(this.offsets[i]!) });
    }
    return { dtype: 'float64', entries };
  }

  restore(snapshot: ParameterSnapshot): void {
    if (snapshot.entries.length !== 2 * this.times.length) {
      throw new ValidationError('E_DIMENSION', `has ${snapshot.entries.length} entries, expected ${2 * this.times.length}`, 'snapshot');
    }
    this.matrices = this.times.reduce<Float64Array[]>((acc, _t, i) => [...acc, Float64Array.from(snapshot.entries[2 * i]!.values)], []);
    this.offsets = this.times.reduce<Float64Array[]>((acc, _t, i) => [...acc, Float64Array.from(snapshot.entries[2 * i + 1]!.values)], []);
  }

  dispose(): void {}

  /** Index of the node interval containing t and the interpolation weight of the upper node. */
  private locate(t: number): { lower: number; weight: number } {
    const ts = this.times;
    const last = ts.length - 1;
    if (!(t >= ts[0]! && t <= ts[last]!)) {
      throw new ValidationError('E_TIME_RANGE', `t=${t} is outside the grid [${ts[0]}, ${ts[last]}]`, 't');
    }
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= t) lo = mid;
      else hi = mid;
    }
    if (t === ts[lo]!) return { lower: lo, weight: 0 };
    if (t === ts[hi]!) return { lower: hi, weight: 0 };
    return { lower: lo, weight: (t - ts[lo]!) / (ts[hi]! - ts[lo]!) };
  }

  private applyNode(i: number, x: Float64Array, xo: number, out: Float64Array, oo: number, scale: number, tmp: Float64Array, accumulate = false): void {
    const d = this.dim;
    const A = this.matrices[i]!;
    const b = this.offsets[i]!;
    for (let r = 0; r < d; r++) {
      let s = b[r]!;
      if (this.structure === 'diagonal') s += A[r * d + r]! * x[xo + r]!;
      else for (let c = 0; c < d; c++) s += A[r * d + c]! * x[xo + c]!;
      tmp[r] = s;
    }
    for (let r = 0; r < d; r++) out[oo + r] = (accumulate ? out[oo + r]! : 0) + scale * tmp[r]!;
  }

  private nodeMatrix(i: number): Float64Array {
    return this.matrices[this.checkNode(i)]!;
  }

  private checkNode(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.times.length) {
      throw new ValidationError('E_INVALID_INPUT', `node index must be an integer in [0, ${this.times.length - 1}], got ${i}`, 'node');
    }
    return i;
  }
}

/** The affine grid class as a `FunctionClass` (initial parameters: identity at every node, so `rng` is unused). */
export function affineFunctionClass(options: AffineGridOptions): FunctionClass<AffineGridConsistency> {
  const probe = new AffineGridConsistency(1, options);
  return {
    id: probe.id,
    instantiate: (dim: number, _rng: Rng) => new AffineGridConsistency(dim, options),
  };
}

/** Empirical regression moments (centred when `centered`), float64, two-pass for accuracy. */
export function empiricalMoments(inputs: PointBatch, targets: PointBatch, centered: boolean): RegressionMoments {
  const { n, d } = inputs;
  if (targets.n !== n || targets.d !== d) {
    throw new ValidationError('E_DIMENSION', `targets are ${targets.n}×${targets.d}, inputs ${n}×${d}`, 'targets');
  }
  if (n < (centered ? d + 1 : d)) throw new ValidationError('E_INVALID_INPUT', `needs at least ${centered ? d + 1 : d} pairs, got ${n}`, 'inputs');
  const meanX = new Float64Array(d);
  const meanY = new Float64Array(d);
  if (centered) {
    for (let p = 0; p < n; p++) {
      for (let j = 0; j < d; j++) {
        meanX[j] = meanX[j]! + inputs.data[p * d + j]!;
        meanY[j] = meanY[j]! + targets.data[p * d + j]!;
      }
    }
    for (let j = 0; j < d; j++) {
      meanX[j] = meanX[j]! / n;
      meanY[j] = meanY[j]! / n;
    }
  }
  const covXX = new Float64Array(d * d);
  const covXY = new Float64Array(d * d);
  const cx = new Float64Array(d);
  const cy = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < d; j++) {
      cx[j] = inputs.data[p * d + j]! - meanX[j]!;
      cy[j] = targets.data[p * d + j]! - meanY[j]!;
    }
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        covXX[r * d + c] = covXX[r * d + c]! + cx[r]! * cx[c]!;
        covXY[r * d + c] = covXY[r * d + c]! + cx[r]! * cy[c]!;
      }
    }
  }
  for (let k = 0; k < d * d; k++) {
    covXX[k] = covXX[k]! / n;
    covXY[k] = covXY[k]! / n;
  }
  return { meanX, meanY, covXX, covXY, centered };
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

/** Solves S X = B for symmetric positive-definite S (d×d) and d right-hand sides (columns of B), by Cholesky. */
function solveSpd(S: Float64Array, B: Float64Array, d: number, field: string): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) throw new NumericalError('E_NON_FINITE', `input covariance is not positive definite (pivot ${s}); the fit is singular`, field);
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / L[j * d + j]!;
      }
    }
  }
  const X = new Float64Array(d * d);
  for (let col = 0; col < d; col++) {
    const y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = B[i * d + col]!;
      for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
      y[i] = s / L[i * d + i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * X[k * d + col]!;
      X[i * d + col] = s / L[i * d + i]!;
    }
  }
  return X;
}

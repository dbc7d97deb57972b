import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { AffineGridConsistency, type AffineStructure } from '../models/affineConsistency.ts';
import type { ConsistencyFunction, ParameterSnapshot } from '../models/consistencyFunction.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Rng } from '../random/rng.ts';
import type { TrainingVariant } from './trainingVariant.ts';

export interface AffineSequentialOptions {
  /** Fresh (x₀, z) pairs drawn for each node's least-squares fit. */
  readonly samplesPerNode: number;
  readonly rng: Rng;
  /** @defaultValue 'full' */
  readonly structure?: AffineStructure;
  /** @defaultValue true */
  readonly intercept?: boolean;
}

/**
 * Trains the affine grid class with any variant's pairs by exact least squares, node by node from the boundary up:
 * node i+1 is fitted to the stop-gradient teacher f(teacherX, t_i) of the already-fitted node i (the sequential,
 * teacher-frozen recursion of LHW (14) and of CT/CD with θ⁻ = the previous stage). Optimisation error is zero; what
 * remains is the class's approximation error ε_F and the statistical error of `samplesPerNode` samples (THEORY §1.6).
 * The grid is the variant's final grid N(K) = `schedule.stageAt(finalStep)`.
 */
export function fitAffineSequential(variant: TrainingVariant, target: ExactTarget, process: ForwardProcess, options: AffineSequentialOptions, finalStep = Number.MAX_SAFE_INTEGER): AffineGridConsistency {
  const times = variant.schedule.times(variant.schedule.stageAt(finalStep));
  const model = new AffineGridConsistency(target.dim, { times, ...optional(options) });
  const M = options.samplesPerNode;
  if (!Number.isInteger(M) || M < target.dim + 1) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ d + 1 = ${target.dim + 1}, got ${M}`, 'samplesPerNode');
  for (let i = 0; i + 1 < times.length; i++) {
    const rng = options.rng.child(`node-${i + 1}`);
    const x0 = target.sample(M, rng.child('data'));
    const pairs = variant.makePairs(x0, times, new Int32Array(M).fill(i), { target, process, step: i }, rng.child('noise'));
    model.fitNode(i + 1, pairs.studentX, model.evaluate(pairs.teacherX, pairs.teacherT));
  }
  return model;
}

/**
 * THE NOTE'S TWO-TIME FLOW-MAP VARIANT (THEORY §5.1 item 3) — not a consistency model. A map G(x, t, s) from time t to
 * an earlier grid time s, learned one grid step at a time by regressing X_{t_i} on X_{t_{i+1}} under the variant's
 * coupling (no teacher network: the target is the paired point itself). With CT pairs the population minimiser is
 * E[X_{t_i} | X_{t_{i+1}}] = the Euler step (THEORY §5.2), so composing the steps reproduces a first-order sampler;
 * with CD-exact pairs it reproduces the exact flow on Gaussian data.
 */
export class AffineTwoTimeFlowMap {
  readonly id = 'affine-two-time-flow-map (note §5.1 item 3)';
  readonly times: Float64Array;
  /** Node i holds the one-step map G(·, t_i, t_{i−1}) (node 0 unused: the identity). */
  private readonly steps: AffineGridConsistency;

  constructor(steps: AffineGridConsistency) {
    this.steps = steps;
    this.times = steps.times;
  }

  /** G(x, t, s) for grid times s ≤ t: the composition of the one-step maps from t down to s. */
  evaluate(x: PointBatch, t: number, s: number): PointBatch {
    const hi = this.gridIndex(t, 't');
    const lo = this.gridIndex(s, 's');
    if (lo > hi) throw new ValidationError('E_TIME_RANGE', `needs s ≤ t, got s=${s} > t=${t}`, 's');
    let y = x;
    for (let i = hi; i > lo; i--) y = this.steps.evaluate(y, this.times[i]!);
    return y;
  }

  /** f(x, t) = G(x, t, tMin) as a ConsistencyFunction (t must be a grid time). */
  asConsistencyFunction(): ConsistencyFunction {
    return {
      id: this.id,
      precision: 'float64',
      evaluate: (x, t) => {
        if (typeof t !== 'number') throw new ValidationError('E_INVALID_INPUT', 'the flow-map composition takes one time per batch', 't');
        return this.evaluate(x, t, this.times[0]!);
      },
    };
  }

  /** The one-step maps' parameters (node i: G(·, t_i, t_{i−1})), for saving. */
  snapshot(): ParameterSnapshot {
    return this.steps.snapshot();
  }

  /** The fitted one-step map from t_i to t_{i−1} (matrix, row-major). */
  stepMatrix(i: number): Float64Array {
    return this.steps.matrix(i);
  }

  private gridIndex(t: number, field: string): number {
    const i = this.times.indexOf(t);
    if (i < 0) throw new ValidationError('E_TIME_RANGE', `t=${t} is not a grid time`, field);
    return i;
  }
}

/** Fits the note's two-time flow map G by exact least squares on the variant's pairs (see `AffineTwoTimeFlowMap`). */
export function fitAffineFlowMap(variant: TrainingVariant, target: ExactTarget, process: ForwardProcess, options: AffineSequentialOptions, finalStep = Number.MAX_SAFE_INTEGER): AffineTwoTimeFlowMap {
  const times = variant.schedule.times(variant.schedule.stageAt(finalStep));
  const steps = new AffineGridConsistency(target.dim, { times, ...optional(options) });
  const M = options.samplesPerNode;
  for (let i = 0; i + 1 < times.length; i++) {
    const rng = options.rng.child(`node-${i + 1}`);
    const x0 = target.sample(M, rng.child('data'));
    const pairs = variant.makePairs(x0, times, new Int32Array(M).fill(i), { target, process, step: i }, rng.child('noise'));
    steps.fitNode(i + 1, pairs.studentX, pairs.teacherX);
  }
  return new AffineTwoTimeFlowMap(steps);
}

function optional(options: AffineSequentialOptions): { structure?: AffineStructure; intercept?: boolean } {
  return {
    ...(options.structure === undefined ? {} : { structure: options.structure }),
    ...(options.intercept === undefined ? {} : { intercept: options.intercept }),
  };
}

/**
 * How the idealised recursion couples X_{t_i} with X_{t_{i+1}} (both with the correct marginals, THEORY §5.2):
 * 'shared-noise': the CT / LHW coupling a_t X₀ + s_t Z with one Z; 'markov': independent increments
 * X_{t_{i+1}} = (a_{i+1}/a_i) X_{t_i} + noise (negative control: the recursion telescopes to E[X_tMin | X_t]).
 */
export type IdealCoupling = 'shared-noise' | 'markov';

/**
 * Idealised sequential training of the affine class on Gaussian data N(μ, Σ): every node is the POPULATION least-squares
 * fit (exact second moments of the coupling, no samples), node i+1 regressed on the already-fitted node i. For the
 * shared-noise coupling this is LHW's idealised CT (ε = ε_F = 0 for Gaussians) and equals the exact-score first-order
 * sampler: per eigen-direction the final gain is ∏cos Δφ × the exact gain (THEORY §5.3). Float64, O(N·d³).
 */
export function idealAffineSequential(mean: ArrayLike<number>, covariance: ArrayLike<number>, process: ForwardProcess, times: ArrayLike<number>, coupling: IdealCoupling = 'shared-noise'): AffineGridConsistency {
  const d = mean.length;
  if (covariance.length !== d * d) throw new ValidationError('E_DIMENSION', `covariance has ${covariance.length} entries, expected ${d * d}`, 'covariance');
  const model = new AffineGridConsistency(d, { times });
  const mu = Float64Array.from(mean);
  const S = Float64Array.from(covariance);
  // Cov(a X₀ + s Z, a' X₀ + s' Z) = a a' Σ + s s' I
  const cross = (a1: number, s1: number, a2: number, s2: number): Float64Array => {
    const C = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) C[k] = a1 * a2 * S[k]!;
    for (let j = 0; j < d; j++) C[j * d + j] = C[j * d + j]! + s1 * s2;
    return C;
  };
  for (let i = 0; i + 1 < model.times.length; i++) {
    const lo = model.times[i]!;
    const hi = model.times[i + 1]!;
    const aLo = process.signalScale(lo);
    const sLo = process.noiseScale(lo);
    const aHi = process.signalScale(hi);
    const sHi = process.noiseScale(hi);
    const covXX = cross(aHi, sHi, aHi, sHi);
    // Cov(X_hi, X_lo): shared noise a_hi a_lo Σ + s_hi s_lo I; Markov (a_hi/a_lo)·Cov(X_lo)
    const covHiLo = coupling === 'shared-noise' ? cross(aHi, sHi, aLo, sLo) : cross(aLo, sLo, aLo, sLo).map((v) => (aHi / aLo) * v);
    const K = model.matrix(i);
    const b = model.offset(i);
    // target y = K X_lo + b: Cov(x, y) = Cov(X_hi, X_lo) Kᵀ, E y = K a_lo μ + b
    const covXY = new Float64Array(d * d);
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += covHiLo[r * d + k]! * K[c * d + k]!;
      covXY[r * d + c] = s;
    }
    const meanY = new Float64Array(d);
    for (let r = 0; r < d; r++) {
      let s = b[r]!;
      for (let k = 0; k < d; k++) s += K[r * d + k]! * aLo * mu[k]!;
      meanY[r] = s;
    }
    model.fitNodeFromMoments(i + 1, { meanX: mu.map((v) => aHi * v), meanY, covXX, covXY, centered: true });
  }
  return model;
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';

/**
 * f(x, t) ≈ Φ_{t→tMin}(x): the map that sends a point of the noised marginal p_t back along the probability-flow
 * ODE to the boundary time tMin (Song et al. 2023, Def. of a consistency function; THEORY §3.1).
 *
 * Exact, fitted (affine least squares), trained (tfjs MLP) and deliberately broken models all implement this, so
 * a check never needs to know how a model was made.
 */
export interface ConsistencyFunction {
  /** Names the model and, for a negative control, its defect: 'exact', 'affine-grid', 'mlp-3x128-silu', 'droppedTMinBoundaryScalings'. */
  readonly id: string;
  /** Arithmetic precision of the model's interior; inputs and outputs are always float64. */
  readonly precision: 'float64' | 'float32';
  /**
   * f(x, t) for a batch. `t` is one time for every point, or one time per point (length n).
   * @returns a new n×d float64 batch.
   */
  evaluate(x: PointBatch, t: number | Float64Array): PointBatch;
}

/**
 * The scalings of f(x, t) = c_skip(t)·x + c_out(t)·F(c_in(t)·x, t) (Song et al. 2023, Eq. 5 and App. C;
 * THEORY §3.2). A valid parameterisation has c_skip(tMin) = 1 and c_out(tMin) = 0 exactly, so f(x, tMin) = x
 * holds for any finite network output F.
 */
export interface Parameterization {
  readonly id: string;
  readonly tMin: number;
  readonly sigmaData: number;
  cSkip(t: number): number;
  cOut(t: number): number;
  cIn(t: number): number;
  /** The scalar time fed to the network's time embedding (EDM's c_noise); any smooth monotone function of t. */
  cNoise(t: number): number;
}

/** Model parameters as plain float64 data (float32 models store exactly representable float32 values). */
export interface ParameterSnapshot {
  /** The arithmetic precision the values came from; a float32 snapshot round-trips exactly through Float32Array. */
  readonly dtype: 'float32' | 'float64';
  readonly entries: readonly ParameterEntry[];
}

export interface ParameterEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/** A consistency function whose parameters can be saved, restored and released. */
export interface TrainableConsistencyFunction extends ConsistencyFunction {
  /** A deep copy of the parameters (for EMA teachers and checkpoints). */
  snapshot(): ParameterSnapshot;
  /** Replaces the parameters by `snapshot` (shapes must match). */
  restore(snapshot: ParameterSnapshot): void;
  /** Frees backend memory (tfjs tensors); a no-op for float64 models. */
  dispose(): void;
}

/** A family of models with one architecture; `instantiate` draws initial parameters from `rng`. */
export interface FunctionClass<M extends TrainableConsistencyFunction = TrainableConsistencyFunction> {
  /** 'affine-grid', 'mlp-3x128-silu'. */
  readonly id: string;
  /** The c_skip/c_out/c_in scalings, for classes that use them (the affine grid class imposes f(x, tMin) = x directly). */
  readonly parameterization?: Parameterization;
  instantiate(dim: number, rng: Rng): M;
}

/** Expands `t` to one time per point, validating its length and finiteness. */
export function timesPerPoint(t: number | Float64Array, n: number, field = 't'): Float64Array {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new ValidationError('E_NON_FINITE', `must be a finite time, got ${t}`, field);
    return new Float64Array(n).fill(t);
  }
  if (t.length !== n) throw new ValidationError('E_DIMENSION', `has ${t.length} times for ${n} points`, field);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i]!)) throw new ValidationError('E_NON_FINITE', `entry ${i} is ${t[i]}`, field);
  }
  return t;
}

/**
 * Groups point indices by equal time, so models that are cheap per time (closed forms, ODE solves) can treat
 * each distinct time once. Keys are the exact float64 times.
 */
export function groupByTime(times: Float64Array): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const group = groups.get(t);
    if (group === undefined) groups.set(t, [i]);
    else group.push(i);
  }
  return groups;
}

/** Applies a per-time batch function to the groups of equal time and scatters the results back. */
export function evaluateByTimeGroups(x: PointBatch, t: number | Float64Array, atTime: (xs: PointBatch, t: number) => PointBatch): PointBatch {
  const { n, d } = x;
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new ValidationError('E_NON_FINITE', `must be a finite time, got ${t}`, 't');
    return atTime(x, t);
  }
  const times = timesPerPoint(t, n);
  const out = new Float64Array(n * d);
  for (const [time, idx] of groupByTime(times)) {
    const sub = new Float64Array(idx.length * d);
    idx.forEach((i, k) => sub.set(x.data.subarray(i * d, (i + 1) * d), k * d));
    const y = atTime({ n: idx.length, d, data: sub }, time);
    idx.forEach((i, k) => out.set(y.data.subarray(k * d, (k + 1) * d), i * d));
  }
  return { n, d, data: out };
}

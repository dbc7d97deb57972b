import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import { searchModelLipschitz, type ModelLipschitzWitness } from '../flows/lipschitz/modelLipschitzWitness.ts';
import { referenceFlow } from '../flows/referenceFlow.ts';
import { evaluateByTimeGroups, type ConsistencyFunction } from '../models/consistencyFunction.ts';
import { ReclockedModel, timeAtSigma } from '../models/reclockedModel.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { ornsteinUhlenbeck } from '../processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../processes/varianceExploding.ts';
import type { Rng } from '../random/rng.ts';

// The constants of the Lyu–Feng–Chen chain measured on one consistency model (trained or exact), each computed by one
// function here so that every statement that uses a constant reads the same number: ε̂_cm (per-step consistency
// residuals along the exact flow) and L̂_f (the witness search). Results are memoised per model object and settings,
// and the random streams are a function of the settings only, so two checks asking for the same constant get the
// identical estimate whatever order they run in.

/** A process of `kind` covering exactly the noise levels σ ∈ [σ(tMin), σ(tMax)] of `process`. */
export function equivalentClock(process: ForwardProcess, kind: 've' | 'vp-ou'): ForwardProcess {
  if (process.kind === kind) return process;
  const sigmaMin = process.sigma(process.tMin);
  const sigmaMax = process.sigma(process.tMax);
  const clock = kind === 've' ? varianceExploding : ornsteinUhlenbeck;
  // the times of the same noise levels on the other clock (timeAtSigma reads only the clock's kind)
  const template = clock();
  return clock({ tMin: timeAtSigma(template, sigmaMin), tMax: timeAtSigma(template, sigmaMax) });
}

/**
 * A model viewed on the clock `kind` through the exact change of variables (`ReclockedModel`): the same function of
 * the data, with times and inputs rescaled; the identity view when the model is already on that clock.
 */
export function modelOnClock(model: ConsistencyFunction, process: ForwardProcess, kind: 've' | 'vp-ou'): { readonly model: ConsistencyFunction; readonly process: ForwardProcess } {
  if (process.kind === kind) return { model, process };
  const to = equivalentClock(process, kind);
  return { model: new ReclockedModel(model, process, to, { boundaryTolerance: 1e-9 }), process: to };
}

/** `size` geometric times from tMin to tMax (endpoints exact). */
export function geometricTimeGrid(process: ForwardProcess, size: number): number[] {
  if (!Number.isInteger(size) || size < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${size}`, 'gridSize');
  return Array.from({ length: size }, (_, i) => (i === 0 ? process.tMin : i === size - 1 ? process.tMax : process.tMin * Math.pow(process.tMax / process.tMin, i / (size - 1))));
}

export interface ConsistencyResidualOptions {
  /** Grid size N on [δ, T] (geometric). */
  readonly gridSize: number;
  /** Draws of Y ~ p_T. */
  readonly samples: number;
  /** Level of each CLT interval (the caller's Bonferroni share). */
  readonly level: number;
  /** Stream for the draws of Y ~ p_T. */
  readonly rng: Rng;
}

/** Consistency residuals of a model along the exact probability-flow ODE, Y ~ p_T pushed to every grid time. */
export interface ConsistencyResiduals {
  readonly times: readonly number[];
  /** RMS ‖f(Φ_{T→t_{n+1}}Y, t_{n+1}) − f(Φ_{T→t_n}Y, t_n)‖ for n = 0..N−2, CLT interval on the mean square, square-rooted. */
  readonly residuals: readonly Estimate[];
  /** residuals[n] / h_n: the per-step consistency error ε_cm,n against the exact ODE step. */
  readonly perUnitTime: readonly Estimate[];
  /** ε̂_cm = max_n ε_cm,n: value the largest value, interval [max of lower ends, max of upper ends] (simultaneous). */
  readonly epsCm: Estimate;
  /** Index n of the largest ε_cm,n. */
  readonly worst: number;
  /** R = Σ_n residuals[n], interval the sum of the ends. */
  readonly sum: Estimate;
  /** b = RMS ‖f(Φ_{T→δ}Y, δ) − Φ_{T→δ}Y‖: the boundary term. */
  readonly boundary: Estimate;
  /** A = RMS ‖f(Y, T) − Φ_{T→δ}Y‖: the coupling bound on W₂(f(·, T)_♯p_T, p_δ). */
  readonly coupling: Estimate;
  /** Plain (interval-free) A − (R + b): ≤ 0 by Minkowski on the same draws; a positive value is a harness bug. */
  readonly minkowskiGap: number;
  readonly n: number;
}

function rootOf(est: Estimate): Estimate {
  return { ...est, value: Math.sqrt(Math.max(est.value, 0)), interval: { ...est.interval, lower: Math.sqrt(Math.max(est.interval.lower, 0)), upper: Math.sqrt(Math.max(est.interval.upper, 0)) } };
}

function squaredDistances(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const n = a.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (a[i * d + j]! - b[i * d + j]!) ** 2;
    out[i] = s;
  }
  return out;
}

function plainRms(sq: Float64Array): number {
  let s = 0;
  for (const v of sq) s += v;
  return Math.sqrt(s / sq.length);
}

const memo = new WeakMap<ConsistencyFunction, Map<string, unknown>>();

function remembered<T>(model: ConsistencyFunction, key: string, compute: () => T): T {
  let forModel = memo.get(model);
  if (forModel === undefined) {
    forModel = new Map();
    memo.set(model, forModel);
  }
  if (forModel.has(key)) return forModel.get(key) as T;
  const value = compute();
  forModel.set(key, value);
  return value;
}

function settingsKey(target: ExactTarget, process: ForwardProcess, rest: Record<string, unknown>): string {
  return JSON.stringify({ target: target.toSpec(), process: process.toSpec(), ...rest });
}

/**
 * The per-step consistency error of a model against the exact ODE step (the ideal teacher: no score error, no
 * discretisation error) on a geometric grid of [δ, T], with common random numbers: Y ~ p_T is pushed by the exact
 * flow to every grid time, so the residuals telescope pathwise (A ≤ R + b on the same draws, by Minkowski). Memoised
 * per model and settings: every statement that uses ε̂_cm or R reads this one computation.
 */
export function measureConsistencyResiduals(model: ConsistencyFunction, target: ExactTarget, process: ForwardProcess, options: ConsistencyResidualOptions): ConsistencyResiduals {
  const { gridSize, samples: n, level, rng } = options;
  if (!Number.isInteger(n) || n < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${n}`, 'samples');
  const key = settingsKey(target, process, { gridSize, n, level, rng: rng.describe() });
  return remembered(model, `residuals:${key}`, () => {
    const d = target.dim;
    const times = geometricTimeGrid(process, gridSize);
    const T = process.tMax;
    const flow = referenceFlow(target, process);
    const Y = target.noised(process.signalScale(T), process.noiseScale(T)).sample(n, rng);
    const xs: PointBatch[] = times.map((t) => (t === T ? Y : flow.map(Y, T, t).y));
    const fs = times.map((t, i) => model.evaluate(xs[i]!, t).data);
    const residualSquares = times.slice(1).map((_, k) => squaredDistances(fs[k + 1]!, fs[k]!, d));
    const residuals = residualSquares.map((sq) => rootOf(estimateMeanByClt(sq, { level })));
    const perUnitTime = residuals.map((e, k) => {
      const h = times[k + 1]! - times[k]!;
      return { ...e, value: e.value / h, interval: { ...e.interval, lower: e.interval.lower / h, upper: e.interval.upper / h } };
    });
    const worst = perUnitTime.reduce((best, e, k) => (e.value > perUnitTime[best]!.value ? k : best), 0);
    const epsCm: Estimate = {
      value: perUnitTime[worst]!.value,
      interval: { lower: Math.max(...perUnitTime.map((e) => e.interval.lower)), upper: Math.max(...perUnitTime.map((e) => e.interval.upper)), level },
      method: 'clt-mean',
      n,
    };
    const sum: Estimate = {
      value: residuals.reduce((a, e) => a + e.value, 0),
      interval: { lower: residuals.reduce((a, e) => a + e.interval.lower, 0), upper: residuals.reduce((a, e) => a + e.interval.upper, 0), level },
      method: 'clt-sum',
      n,
    };
    const boundarySq = squaredDistances(fs[0]!, xs[0]!.data, d);
    const couplingSq = squaredDistances(fs[gridSize - 1]!, xs[0]!.data, d);
    const minkowskiGap = plainRms(couplingSq) - (residualSquares.reduce((a, sq) => a + plainRms(sq), 0) + plainRms(boundarySq));
    return { times, residuals, perUnitTime, epsCm, worst, sum, boundary: rootOf(estimateMeanByClt(boundarySq, { level })), coupling: rootOf(estimateMeanByClt(couplingSq, { level })), minkowskiGap, n };
  });
}

/**
 * The witness search for sup_t Lip(f(·, t)) on a grid (`searchModelLipschitz`: central-difference Jacobians at mode
 * seeds and draws of p_t, refined by compass search) — a lower bound on the supremum, never a certificate. Memoised
 * per model and settings: `lyu2023.modelLipschitz` (sup over the grid) and `lyu2023.oneStep` (the value at T) read
 * this one search.
 */
export function witnessModelLipschitz(model: ConsistencyFunction, target: ExactTarget, process: ForwardProcess, times: readonly number[], rng: Rng, checkBudget?: () => void): ModelLipschitzWitness {
  const key = settingsKey(target, process, { times, rng: rng.describe() });
  return remembered(model, `lipschitz:${key}`, () => searchModelLipschitz(model, target, process, times, { rng, ...(checkBudget ? { checkBudget } : {}) }));
}

/**
 * f(x, t) + (t − tMin)·v: a model whose consistency residual between any two times s < t is exactly (t − s)·‖v‖ more
 * than the base model's along any path (per unit time ‖v‖ when the base is consistent), while the boundary condition,
 * the Lipschitz constant in x and every other hypothesis stay those of the base. The injected offset of the
 * controls of `lyu2023.consistencyError`.
 */
export function linearTimeOffset(base: ConsistencyFunction, process: ForwardProcess, velocity: ArrayLike<number>): ConsistencyFunction {
  const v = Float64Array.from(velocity);
  return {
    id: `${base.id}+(t−tMin)·v`,
    precision: base.precision,
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => {
        if (xs.d !== v.length) throw new ValidationError('E_DIMENSION', `velocity has ${v.length} coordinates, points ${xs.d}`, 'velocity');
        const y = base.evaluate(xs, time);
        const s = time - process.tMin;
        const out = new Float64Array(y.data.length);
        for (let k = 0; k < out.length; k++) out[k] = y.data[k]! + s * v[k % xs.d]!;
        return { n: y.n, d: y.d, data: out };
      }),
  };
}

import { pointBatch, type PointBatch } from '../../core/pointBatch.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';
import { GaussianMixture } from '../../distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../models/consistencyFunction.ts';
import { compassSearchMaximum } from '../../numerics/compassSearch.ts';
import { operatorNorm } from '../../numerics/operatorNorm.ts';
import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import type { Rng } from '../../random/rng.ts';
import { distinctPoints, mixtureLengthScale, mixtureSeeds } from './mixtureCriticalPoints.ts';

/** The largest central-difference Jacobian norm of a model found over x at each time, and where. */
export interface ModelLipschitzWitness {
  readonly value: number;
  readonly point: readonly number[];
  readonly time: number;
  /** Per time of the grid, the largest norm found at it. */
  readonly perTime: readonly number[];
  readonly candidates: number;
}

export interface ModelLipschitzSearchOptions {
  readonly rng: Rng;
  /** Draws from p_t per time added to the seeds. @defaultValue 64 */
  readonly draws?: number;
  /** Best seeds per time refined by compass search. @defaultValue 2 */
  readonly refine?: number;
  /** Compass rounds per time. @defaultValue 20 */
  readonly rounds?: number;
  readonly checkBudget?: () => void;
}

/**
 * Operator norms of the central-difference Jacobian (x ± h·e_j) of a model at every point, with h = 1e-7·scale for
 * float64 models (the steep inter-mode region of a mixture flow bends on the scale 1/Lip) and 1e-3·scale for float32
 * ones (far above their rounding). Each column is a secant quotient ‖f(x + he_j) − f(x − he_j)‖/2h ≤ Lip(f), up to the
 * rounding of f, ≈ ε·|f|/h ≈ 1e-9 relative for float64 models (tested).
 */
export function finiteDifferenceJacobianNorms(model: ConsistencyFunction, x: PointBatch, t: number, scale: number): Float64Array {
  const { n, d } = x;
  const h = (model.precision === 'float32' ? 1e-3 : 1e-7) * scale;
  const shifted = new Float64Array(2 * d * n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) {
    const v = x.data[i * d + c]!;
    shifted[(2 * j * n + i) * d + c] = v + (c === j ? h : 0);
    shifted[((2 * j + 1) * n + i) * d + c] = v - (c === j ? h : 0);
  }
  const y = model.evaluate(pointBatch(2 * d * n, d, shifted), t).data;
  const norms = new Float64Array(n);
  const J = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) for (let r = 0; r < d; r++) J[r * d + j] = (y[(2 * j * n + i) * d + r]! - y[((2 * j + 1) * n + i) * d + r]!) / (2 * h);
    norms[i] = operatorNorm(J, 0, d);
  }
  return norms;
}

/**
 * A sup-type lower bound on sup_t sup_x ‖∂f(x, t)/∂x‖ for a black-box model, by central differences: at each time,
 * seeds (for a Gaussian mixture: the mean, mode centres, midpoints of pairs of modes and critical points of log p_t;
 * for any target, `draws` draws from p_t) are scored, and the best `refine` refined by compass search.
 */
export function searchModelLipschitz(model: ConsistencyFunction, target: ExactTarget, process: ForwardProcess, times: readonly number[], options: ModelLipschitzSearchOptions): ModelLipschitzWitness {
  const d = target.dim;
  const sd = Math.sqrt(Math.max(target.secondMoment() / d, 1e-12));
  let best = { value: -Infinity, point: [] as number[], time: times[0]! };
  const perTime: number[] = [];
  let candidates = 0;
  for (const t of times) {
    options.checkBudget?.();
    const signal = process.signalScale(t);
    const noise = process.noiseScale(t);
    const marginal = target.noised(signal, noise);
    const scale = Math.sqrt(signal * signal * sd * sd + noise * noise);
    const sets: PointBatch[] = [marginal.sample(options.draws ?? 64, options.rng.child(`t=${t}`))];
    if (target instanceof GaussianMixture) sets.unshift(mixtureSeeds(target, target.noised(signal, noise), signal));
    const seeds = distinctPoints(sets, 1e-12 * scale);
    candidates += seeds.n;
    const values = finiteDifferenceJacobianNorms(model, seeds, t, scale);
    const order = Array.from({ length: seeds.n }, (_, i) => i).sort((a, b) => values[b]! - values[a]!).slice(0, options.refine ?? 2);
    const starts = new Float64Array(order.length * d);
    order.forEach((i, r) => starts.set(seeds.data.subarray(i * d, (i + 1) * d), r * d));
    const componentScale = target instanceof GaussianMixture ? mixtureLengthScale(target, signal, noise) : scale;
    const refined = compassSearchMaximum(
      (points, count) => finiteDifferenceJacobianNorms(model, pointBatch(count, d, points), t, scale),
      starts,
      Float64Array.from(order, (i) => values[i]!),
      d,
      { initialStep: 0.1 * componentScale, minStep: 1e-6 * componentScale, maxRounds: options.rounds ?? 20, ...(options.checkBudget ? { beforeRound: options.checkBudget } : {}) },
    );
    let worst = -Infinity;
    for (let r = 0; r < order.length; r++) {
      const value = refined.values[r]!;
      worst = Math.max(worst, value);
      if (value > best.value) best = { value, point: Array.from(refined.points.subarray(r * d, (r + 1) * d)), time: t };
    }
    perTime.push(worst);
  }
  return { ...best, perTime, candidates };
}

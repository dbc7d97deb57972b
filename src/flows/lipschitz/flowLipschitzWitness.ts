import { ValidationError } from '../../core/errors.ts';
import { pointBatch, type PointBatch } from '../../core/pointBatch.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';
import { GaussianMixture, type NoisedMixture } from '../../distributions/gaussianMixture.ts';
import { ProductMixture } from '../../distributions/productMixture.ts';
import { compassSearchMaximum } from '../../numerics/compassSearch.ts';
import { operatorNorm } from '../../numerics/operatorNorm.ts';
import { symmetricEigen } from '../../numerics/symmetricEigen.ts';
import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import type { Rng } from '../../random/rng.ts';
import { referenceFlow, type FlowMethod, type ReferenceFlow } from '../referenceFlow.ts';
import { distinctPoints, mixtureLengthScale, mixtureSeeds } from './mixtureCriticalPoints.ts';

/**
 * A witnessed lower bound on sup over the examined pairs and all x of ‖∂Φ_{from→to}(x)‖_op, with the point that attains it.
 * `value` is re-evaluated at `point` (the coordinates exactly as stored: printing them with `String(v)` round-trips).
 */
export interface FlowLipschitzWitness {
  /** ‖∂Φ_{from→to}(point)‖_op, re-evaluated at the tight tolerance (ODE) or by the quantile map. */
  readonly value: number;
  /** The point x at time `from`. */
  readonly point: readonly number[];
  readonly from: number;
  readonly to: number;
  /** Indices of `from` and `to` in the options' `starts` and `ends`. */
  readonly fromIndex: number;
  readonly toIndex: number;
  /**
   * ODE only: |value − the same norm solved at 10× looser tolerances| / value, an a-posteriori estimate of the relative
   * error of `value` (tested against the closed form at the centre of ring8-2d, where the norm is ≈ 1.4e10).
   */
  readonly relativeError?: number;
  readonly method: FlowMethod;
  /** Pairs (from, to) examined, start points screened, and Jacobian evaluations (points × pairs) spent. */
  readonly pairs: number;
  readonly candidates: number;
  readonly evaluations: number;
  /** Per start time, the largest norm found from it over its end times (NaN where no end time is earlier). */
  readonly perStart: readonly number[];
}

export interface FlowLipschitzSearchOptions {
  /** Times the maps start from (each pair is from > to). */
  readonly starts: readonly number[];
  /** Times the maps end at. */
  readonly ends: readonly number[];
  readonly rng: Rng;
  /** Draws from p_from added to the seeds of each start time. @defaultValue 16 */
  readonly draws?: number;
  /** Best screened seeds (over all start times) that the compass search refines. @defaultValue 4 */
  readonly refine?: number;
  /** Compass-search rounds. @defaultValue 40 in d ≤ 2, fewer above (about 640 trajectories: 640/(2d·refine), at least 8) */
  readonly rounds?: number;
  /** Called between units of work (budget checks). */
  readonly checkBudget?: () => void;
}

/**
 * Tolerances: screening and compass search (rtol 1e-7: only comparisons matter, and the point found is re-evaluated),
 * the reported value (1e-13) and its error estimate (1e-12).
 */
const SEARCH_TOLERANCE = { rtol: 1e-7, atol: 1e-9 } as const;
const REPORT_TOLERANCE = { rtol: 1e-13, atol: 1e-15 } as const;
const CHECK_TOLERANCE = { rtol: 1e-12, atol: 1e-14 } as const;

/**
 * Searches the largest operator norm of the flow Jacobian ∂Φ_{s→e}(x) over x and over every pair (s, e) with s in
 * `starts`, e in `ends`, e < s — a sup-type LOWER bound (THEORY §6.0): the maximum over the points examined.
 *
 * For each start time s: seeds at s are the mean, the mode centres, the midpoints of every pair of modes and the
 * critical points of log p_s (Newton from those), the critical points of log p_e of every end time e pulled back to s
 * by Φ_{e→s} (their images are the low-density points between modes where det ∂Φ = p_s/p_e∘Φ is largest), and
 * `draws` draws from p_s. Every seed is scored by max_e ‖∂Φ_{s→e}‖ (one segmented ODE solve s → e₁ → e₂ … composing
 * the variational Jacobians at rtol 1e-7, or the quantile maps in 1-D), and the best `refine` over all start times
 * are refined by a batched compass
 * search started at a tenth of the component scale and stopped at 1e-10 of it (steep maxima are narrow: at the
 * centre of ring8-2d, Φ_{1000→1} stretches by 1.4e10, so its peak is ~1e-10 wide). The best point is re-evaluated
 * directly (no segments) at rtol 1e-13 and, for the error estimate, at 1e-12.
 *
 * Which pairs: the caller's grid (li2024.assumption1: 10 geometric steps including 1 and T, all 45 pairs). Leaving
 * pairs out can only lower the reported value, which stays a lower bound on the sup over all pairs. On the built-in
 * mixtures the largest stretch is at a point that symmetry fixes (the centre of ring8-2d, 0 for bimodal-1d), where
 * log‖∂Φ_{t→k}‖ = h(k) − h(t) with h falling in the step, so the worst pair is (T, 1), on every such grid (tested).
 *
 * Product mixtures are searched factor by factor (the Jacobian is diagonal, its norm the largest factor derivative).
 * @throws ValidationError when no pair has from > to, or the target is not a Gaussian or product mixture.
 */
export function searchFlowLipschitz(target: ExactTarget, process: ForwardProcess, options: FlowLipschitzSearchOptions): FlowLipschitzWitness {
  const starts = options.starts;
  const ends = options.ends;
  const pairs = starts.reduce((n, s) => n + ends.filter((e) => e < s).length, 0);
  if (pairs === 0) throw new ValidationError('E_INVALID_INPUT', 'no pair with a start time after an end time', 'starts');
  if (target instanceof ProductMixture) return searchProduct(target, process, options, pairs);
  if (!(target instanceof GaussianMixture)) throw new ValidationError('E_UNSUPPORTED', 'the flow Lipschitz search needs a Gaussian or product mixture', 'target');
  const search = referenceFlow(target, process, methodOptions(target, SEARCH_TOLERANCE));
  const d = target.dim;
  interface Candidate { value: number; point: Float64Array; fromIndex: number }
  const screened: Candidate[] = [];
  let candidates = 0;
  let evaluations = 0;
  const endsBelow = (s: number): (readonly [number, number])[] => ends.map((e, i) => [e, i] as const).filter(([e]) => e < s).sort((a, b) => b[0] - a[0]);
  const score = (flow: ReferenceFlow, fromIndex: number, points: Float64Array, count: number): { values: Float64Array; ends: Int32Array } => {
    const endIndices = endsBelow(starts[fromIndex]!);
    evaluations += count * endIndices.length;
    return largestNorms(flow, pointBatch(count, d, points), starts[fromIndex]!, endIndices);
  };
  // Phase 1: seeds of every start time, scored at the screening tolerance.
  for (const [fromIndex, s] of starts.entries()) {
    const endIndices = endsBelow(s);
    if (endIndices.length === 0) continue;
    options.checkBudget?.();
    const signal = process.signalScale(s);
    const marginal = target.noised(signal, process.noiseScale(s));
    const scale = mixtureLengthScale(target, signal, process.noiseScale(s));
    const seedSets: PointBatch[] = [mixtureSeeds(target, marginal, signal)];
    for (const [e] of endIndices) {
      const at = process.signalScale(e);
      const low = lowDensityCriticalPoints(target.noised(at, process.noiseScale(e)), mixtureSeeds(target, target.noised(at, process.noiseScale(e)), at));
      if (low.n > 0) seedSets.push(search.map(low, e, s).y);
    }
    seedSets.push(marginal.sample(options.draws ?? 16, options.rng.child(`draws from=${s}`)));
    const seeds = distinctPoints(seedSets, 1e-12 * scale);
    candidates += seeds.n;
    const values = score(search, fromIndex, seeds.data, seeds.n).values;
    for (let i = 0; i < seeds.n; i++) screened.push({ value: values[i]!, point: seeds.data.slice(i * d, (i + 1) * d), fromIndex });
  }
  const perStart = starts.map(() => Number.NaN);
  for (const c of screened) if (!(c.value <= perStart[c.fromIndex]!)) perStart[c.fromIndex] = c.value;
  // Phase 2: the best `refine` seeds over all start times, refined by compass search at the search tolerance.
  screened.sort((a, b) => b.value - a.value);
  const chosen = screened.slice(0, options.refine ?? 4);
  let best: { value: number; point: Float64Array; fromIndex: number; toIndex: number } | undefined;
  for (const fromIndex of new Set(chosen.map((c) => c.fromIndex))) {
    const group = chosen.filter((c) => c.fromIndex === fromIndex);
    const s = starts[fromIndex]!;
    const scale = mixtureLengthScale(target, process.signalScale(s), process.noiseScale(s));
    const startPoints = new Float64Array(group.length * d);
    group.forEach((c, r) => startPoints.set(c.point, r * d));
    const refined = compassSearchMaximum(
      (points, count) => score(search, fromIndex, points, count).values,
      startPoints,
      score(search, fromIndex, startPoints, group.length).values,
      d,
      { initialStep: 0.1 * scale, minStep: 1e-10 * scale, maxRounds: options.rounds ?? defaultRounds(chosen.length, d), ...(options.checkBudget ? { beforeRound: options.checkBudget } : {}) },
    );
    for (let r = 0; r < group.length; r++) {
      const value = refined.values[r]!;
      perStart[fromIndex] = Math.max(perStart[fromIndex]!, value);
      if (best === undefined || value > best.value) {
        const point = refined.points.slice(r * d, (r + 1) * d);
        best = { value, point, fromIndex, toIndex: score(search, fromIndex, point, 1).ends[0]! };
      }
    }
  }
  const found = best!;
  const from = starts[found.fromIndex]!;
  const to = ends[found.toIndex]!;
  const x = pointBatch(1, d, found.point);
  const method = search.method;
  if (method !== 'ode') {
    const value = operatorNorm(search.jacobian(x, from, to).jacobian, 0, d);
    return { value, point: Array.from(found.point), from, to, fromIndex: found.fromIndex, toIndex: found.toIndex, method, pairs, candidates, evaluations, perStart };
  }
  const value = operatorNorm(referenceFlow(target, process, { method: 'ode', ...REPORT_TOLERANCE }).jacobian(x, from, to).jacobian, 0, d);
  const check = operatorNorm(referenceFlow(target, process, { method: 'ode', ...CHECK_TOLERANCE }).jacobian(x, from, to).jacobian, 0, d);
  return { value, point: Array.from(found.point), from, to, fromIndex: found.fromIndex, toIndex: found.toIndex, relativeError: Math.abs(value - check) / value, method, pairs, candidates, evaluations, perStart };
}

/** Compass rounds for `refined` starts in dimension d: ≈ 640 trajectories in all (each round costs 2d per start). */
function defaultRounds(refined: number, d: number): number {
  return Math.max(8, Math.min(40, Math.floor(640 / (Math.max(refined, 1) * 2 * d))));
}

/** The ‖∂Φ_{from→to}(x)‖_op the search reports, re-evaluated the same way (for reproducing a printed witness). */
export function flowJacobianNorm(target: ExactTarget, process: ForwardProcess, point: readonly number[], from: number, to: number): number {
  const flow = referenceFlow(target, process, methodOptions(target, REPORT_TOLERANCE));
  return operatorNorm(flow.jacobian(pointBatch(1, point.length, Float64Array.from(point)), from, to).jacobian, 0, point.length);
}

function methodOptions(target: ExactTarget, tolerance: { rtol: number; atol: number }) {
  return target.dim === 1 || target instanceof ProductMixture ? {} : { method: 'ode' as const, ...tolerance };
}

/**
 * The critical points of log p that are not local maxima (the Hessian of log p has an eigenvalue ≥ 0 there): saddles
 * between modes and minima, the low-density points whose pull-backs the flow stretches most.
 */
function lowDensityCriticalPoints(marginal: NoisedMixture, seeds: PointBatch): PointBatch {
  const d = seeds.d;
  const hessians = marginal.scoreHessian(seeds);
  const keep: number[] = [];
  for (let i = 0; i < seeds.n; i++) {
    if (Math.hypot(...marginal.score(pointBatch(1, d, seeds.data.slice(i * d, (i + 1) * d))).data) > 1e-8 * (1 + Math.hypot(...seeds.data.subarray(i * d, (i + 1) * d)))) continue;
    const h = hessians.slice(i * d * d, (i + 1) * d * d);
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) h[b * d + a] = h[a * d + b] = (h[a * d + b]! + h[b * d + a]!) / 2;
    if (Math.max(...symmetricEigen(h, d).values) >= 0) keep.push(i);
  }
  return pointBatch(keep.length, d, Float64Array.from(keep.flatMap((i) => Array.from(seeds.data.subarray(i * d, (i + 1) * d)))));
}

/** max over the end times of ‖∂Φ_{s→e}(x)‖_op per point, and the index (into `ends`) of the maximising end. */
function largestNorms(flow: ReferenceFlow, x: PointBatch, s: number, endIndices: readonly (readonly [number, number])[]): { values: Float64Array; ends: Int32Array } {
  const { n, d } = x;
  const values = new Float64Array(n).fill(-Infinity);
  const which = new Int32Array(n);
  const record = (jacobian: Float64Array, endIndex: number): void => {
    for (let i = 0; i < n; i++) {
      const norm = operatorNorm(jacobian, i * d * d, d);
      if (norm > values[i]! || Number.isNaN(values[i]!)) {
        values[i] = norm;
        which[i] = endIndex;
      }
    }
  };
  if (flow.method !== 'ode') {
    for (const [e, endIndex] of endIndices) record(flow.jacobian(x, s, e).jacobian, endIndex);
    return { values, ends: which };
  }
  // One trajectory per point: solve s → e₁ → e₂ … and compose ∂Φ_{s→e_{m+1}} = ∂Φ_{e_m→e_{m+1}}(Φ_{s→e_m}(x))·∂Φ_{s→e_m}.
  let current = x;
  let time = s;
  let total: Float64Array | undefined;
  for (const [e, endIndex] of endIndices) {
    const segment = flow.jacobian(current, time, e);
    total = total === undefined ? segment.jacobian : multiplyBatch(segment.jacobian, total, n, d);
    record(total, endIndex);
    current = segment.y;
    time = e;
  }
  return { values, ends: which };
}

/** Per point, A_i·B_i (d×d row-major). */
function multiplyBatch(A: Float64Array, B: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d * d;
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += A[o + r * d + k]! * B[o + k * d + c]!;
      out[o + r * d + c] = v;
    }
  }
  return out;
}

function searchProduct(target: ProductMixture, process: ForwardProcess, options: FlowLipschitzSearchOptions, pairs: number): FlowLipschitzWitness {
  let best: (FlowLipschitzWitness & { factor: number }) | undefined;
  const perStart = options.starts.map(() => Number.NaN);
  let candidates = 0;
  let evaluations = 0;
  target.factors.forEach((factor, j) => {
    const w = searchFlowLipschitz(factor, process, { ...options, rng: options.rng.child(`factor=${j}`) });
    candidates += w.candidates;
    evaluations += w.evaluations;
    w.perStart.forEach((v, i) => {
      if (!(v <= perStart[i]!)) perStart[i] = v;
    });
    if (best === undefined || w.value > best.value) best = { ...w, factor: j };
  });
  const found = best!;
  const signal = process.signalScale(found.from);
  const point = target.factors.map((f, j) => (j === found.factor ? found.point[0]! : signal * f.mean()[0]!));
  const value = flowJacobianNorm(target, process, point, found.from, found.to);
  return { ...found, value, point, pairs, candidates, evaluations, perStart };
}

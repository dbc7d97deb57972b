/**
 * The Li–Huang–Wei chain on a trained consistency model (THEORY §1.6–1.10): the model viewed as the sequence f_t on
 * schedule (23) through the exact change of clock, the per-step training errors e_t = E‖f_t − f*_t‖ given the learned
 * f_{t−1}, the idealised discretisation error D_T of the target, the directly measured output error E‖f_T − Φ_T‖,
 * and W₁(f_T(X_T), X₁) against the exact data law. The statements (theorems/li2024) compose these and decide.
 */
import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import { GaussianMixture } from '../distributions/gaussianMixture.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import { estimateStepSum, type StepSumResult } from '../estimators/stratifiedStepSum.ts';
import { sumOfEstimates } from '../estimators/sumOfEstimates.ts';
import { estimateWasserstein1ToLaw, type Wasserstein1ToLawResult } from '../metrics/wasserstein1ToLaw.ts';
import type { ConsistencyFunction } from '../models/consistencyFunction.ts';
import { ReclockedModel } from '../models/reclockedModel.ts';
import { constantOffset } from '../models/brokenModels.ts';
import { exactConsistencyFunction } from '../models/exactConsistency.ts';
import { referenceFlow } from '../flows/referenceFlow.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { lhwSchedule, type LhwSchedule } from '../processes/lhwSchedule.ts';
import { Rng } from '../random/rng.ts';
import { sha256Hex } from '../checks/resultsCache.ts';
import { marginalAtStep, type LhwSetting } from '../checks/lhw/lhwSetting.ts';
import { conditionalExpectation, flowSequence, sequenceFromConsistencyFunction, type ConsistencySequence } from './ctRecursion.ts';
import { gaussianIdealisedErrors } from './idealisedError.ts';

/** Constants (T, c₀, c₁) of schedule (23). */
export interface LhwScheduleConstants {
  readonly T: number;
  readonly c0: number;
  readonly c1: number;
}

/**
 * The (c₀, c₁) of schedule (23) with T steps whose noise levels span exactly a model's trained range: σ₁ = σ(tMin) (β₁ =
 * T^{−c₀} = σ²_min/(1 + σ²_min), since σ_t² = (1 − ᾱ_t)/ᾱ_t) and σ_T = σ(tMax) up to a relative 1e-12 below it (c₁ by
 * bisection; σ_T increases with c₁). Schedule (23) asks nothing of c₀, c₁ but positivity and c₁ log T/T < 1; the
 * theory's c₁ ≥ 8 and c₂ ≥ 1000 (27d) are not met by a model trained on a bounded noise range, as THEORY §1.7 notes.
 * @throws ValidationError when no c₁ < T/log T reaches σ(tMax) (T too small for the range).
 */
export function lhwScheduleForModelRange(process: ForwardProcess, T: number): LhwScheduleConstants {
  if (!Number.isInteger(T) || T < 3) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 3, got ${T}`, 'T');
  const sigmaMin = process.sigma(process.tMin);
  const sigmaMax = process.sigma(process.tMax);
  const beta1 = (sigmaMin * sigmaMin) / (1 + sigmaMin * sigmaMin);
  const c0 = -Math.log(beta1) / Math.log(T);
  const uMax = Math.log1p(sigmaMax * sigmaMax);
  const uT = (c1: number): number => lhwSchedule({ T, c0, c1 }).timeOfStep(T);
  let lo = 1e-9;
  let hi = (0.999 * T) / Math.log(T);
  if (uT(hi) < uMax) throw new ValidationError('E_INVALID_INPUT', `T = ${T} steps of schedule (23) cannot reach the model's σ(tMax) = ${sigmaMax}`, 'T');
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (uT(mid) <= uMax) lo = mid;
    else hi = mid;
  }
  return { T, c0, c1: lo };
}

/** Steps of the schedule whose noise level lies outside the model's trained range (a prefix below it, a suffix above). */
export interface StepsOutsideRange {
  /** Steps t ≥ 2 with σ_t < σ(tMin). */
  readonly below: readonly number[];
  /** Steps with σ_t > σ(tMax). */
  readonly above: readonly number[];
}

/** Which steps 2..T of `schedule` a model trained on `process` cannot be asked about without extrapolating. */
export function stepsOutsideModelRange(process: ForwardProcess, schedule: LhwSchedule): StepsOutsideRange {
  const lhw = schedule.process();
  const sigmaMin = process.sigma(process.tMin);
  const sigmaMax = process.sigma(process.tMax);
  const below: number[] = [];
  const above: number[] = [];
  for (let t = 2; t <= schedule.T; t++) {
    const sigma = lhw.sigma(schedule.timeOfStep(t));
    if (sigma < sigmaMin * (1 - 1e-12)) below.push(t);
    else if (sigma > sigmaMax * (1 + 1e-12)) above.push(t);
  }
  return { below, above };
}

/** One sentence naming the out-of-range steps, or undefined when every step is inside the model's range. */
export function describeStepsOutsideRange(process: ForwardProcess, schedule: LhwSchedule): string | undefined {
  const { below, above } = stepsOutsideModelRange(process, schedule);
  if (below.length === 0 && above.length === 0) return undefined;
  const lhw = schedule.process();
  const parts: string[] = [];
  if (below.length > 0) parts.push(`steps ${below[0]}–${below[below.length - 1]} have σ_t down to ${lhw.sigma(schedule.timeOfStep(below[0]!)).toPrecision(4)} < σ(tMin) = ${process.sigma(process.tMin).toPrecision(4)}`);
  if (above.length > 0) parts.push(`steps ${above[0]}–${above[above.length - 1]} have σ_t up to ${lhw.sigma(schedule.timeOfStep(above[above.length - 1]!)).toPrecision(4)} > σ(tMax) = ${process.sigma(process.tMax).toPrecision(4)}`);
  return `schedule (23) with T = ${schedule.T}, c₀ = ${schedule.c0}, c₁ = ${schedule.c1} leaves the range the model was trained on (${process.kind} clock, t ∈ [${process.tMin}, ${process.tMax}]): ${parts.join('; ')} — the model is not extrapolated`;
}

/**
 * A consistency function on its own clock seen as the Li–Huang–Wei sequence f_t on `schedule`: f_t(x) = the model
 * reclocked to the schedule's ᾱ-clock (x_VE = x/√ᾱ_t, σ_t² = (1 − ᾱ_t)/ᾱ_t; the same X₀ prediction up to the boundary
 * scale √ᾱ₁), f₁ = id. A step outside the model's range throws E_TIME_RANGE when evaluated.
 */
export function lhwSequenceOfModel(model: ConsistencyFunction, process: ForwardProcess, schedule: LhwSchedule): ConsistencySequence {
  return sequenceFromConsistencyFunction(new ReclockedModel(model, process, schedule.process()), schedule);
}

function distances(a: PointBatch, b: PointBatch): Float64Array {
  const out = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++) {
    let v = 0;
    for (let j = 0; j < a.d; j++) v += (a.data[i * a.d + j]! - b.data[i * a.d + j]!) ** 2;
    out[i] = Math.sqrt(v);
  }
  return out;
}

/** Options of the step-sum estimates. */
export interface ChainSumOptions {
  /** Draws X_t per measured step. */
  readonly points: number;
  /** Gauss–Hermite nodes per dimension for the conditional expectation over X_{t−1} | X_t. */
  readonly nodes: number;
  readonly strata: number;
  readonly perStratum: number;
  readonly level: number;
  /** Called between steps (the check's budget). */
  readonly checkBudget?: () => void;
}

/** Posterior components below this weight are left out of the quadrature (≤ 1e-12·K·max‖g‖ relative). */
const PRUNE = 1e-12;

/**
 * ε̂_tot = Σ_{t=2}^T E‖f_t(X_t) − f*_t(X_t)‖ with f*_t(x) = E[f_{t−1}(X_{t−1}) | X_t = x] under the shared-noise (CT)
 * coupling, given the sequence's own f_{t−1} (Assumption 2's population minimiser, THEORY §1.6): X_t from the exact
 * marginal, the inner expectation by Gauss–Hermite quadrature over the exact Gaussian-mixture posterior of X₀ pushed
 * through X_{t−1} = A_t x + B_t X₀, the outer by the CLT; the sum over steps by {@link estimateStepSum} (every step
 * when few, else a stratified random subset — unbiased, the between-step variance in the interval; step 2, where a
 * model's boundary error enters, always). The interval's lower end is clipped at 0.
 */
export function estimateTrainingErrorSum(setting: LhwSetting, sequence: ConsistencySequence, rng: Rng, options: ChainSumOptions): StepSumResult {
  const sum = estimateStepSum(
    2,
    setting.schedule.T,
    (t, stream) => {
      options.checkBudget?.();
      const x = marginalAtStep(setting, t).sample(options.points, stream);
      const fStar = conditionalExpectation(setting, 'ct', t, x, (y) => sequence.evaluate(t - 1, y), options.nodes, PRUNE);
      return distances(sequence.evaluate(t, x), fStar);
    },
    rng,
    // step 2 is always measured: there f₁ = id, so a model's boundary error enters there and only there
    { strata: options.strata, perStratum: options.perStratum, level: options.level, certain: [2] },
  );
  // a sum of mean norms is ≥ 0: the normal interval's lower end is clipped there
  const e = sum.estimate;
  return { ...sum, estimate: { ...e, interval: { ...e.interval, lower: Math.max(0, e.interval.lower) } } };
}

/** D_T with how it was obtained. */
export interface IdealisedDiscretisation {
  readonly estimate: Estimate;
  readonly method: string;
}

const idealisedCache = new Map<string, IdealisedDiscretisation>();

/**
 * D_T = Σ_{t=2}^T E‖Δ_t(X_t)‖, Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x) (THEORY §1.10): it depends on the data law
 * and the schedule only. A single Gaussian: exact (closed form per eigen-direction, §5.3). Otherwise: Δ_t by the
 * exact flows (quantile maps in 1-D, the float64 ODE otherwise) and Gauss–Hermite quadrature over the exact posterior,
 * summed over steps by {@link estimateStepSum}; its stream is seeded from the setting and the options (not from a
 * check's stream), so every statement and every model on the same target and schedule shares one value, which is
 * computed once per process. `flowTarget` is the same law in the form whose flows are cheapest (a product of 1-D
 * mixtures: quantile maps per coordinate) when `setting.target` is its Gaussian-mixture expansion.
 */
export function idealisedDiscretisation(setting: LhwSetting, options: ChainSumOptions, flowTarget: ExactTarget = setting.target): IdealisedDiscretisation {
  const { target, schedule } = setting;
  if (!(target instanceof GaussianMixture)) throw new ValidationError('E_UNSUPPORTED', 'D_T needs a Gaussian-mixture target', 'target');
  if (target.components === 1) {
    const D = gaussianIdealisedErrors(target.eigen[0]!.values, schedule, 'ct', 'mean').D;
    return { estimate: { value: D, interval: { lower: D, upper: D, level: 1 }, method: 'exact', n: 0, standardError: 0 }, method: 'exact (closed form per eigen-direction, THEORY §5.3)' };
  }
  const key = JSON.stringify({ target: target.toSpec(), T: schedule.T, c0: schedule.c0, c1: schedule.c1, points: options.points, nodes: options.nodes, strata: options.strata, perStratum: options.perStratum, level: options.level });
  // the flow target is part of the cache key (not of the seed): a flowTarget that were not the same law must not reuse
  // another computation's D_T
  const cacheKey = flowTarget === target ? key : `${key}|flows:${JSON.stringify(flowTarget.toSpec())}`;
  const cached = idealisedCache.get(cacheKey);
  if (cached !== undefined) return cached;
  // the ODE at rtol 1e-8 (the oracle's default is 1e-10): Δ_t is a difference of two flows at nearby points, and the
  // solver error stays far below the Monte Carlo interval of the sum at a fraction of the cost
  const ode = referenceFlow(flowTarget, schedule.process(), { rtol: 1e-8, atol: 1e-10 });
  const flow: ConsistencySequence = {
    label: 'exact flow Φ_t (ODE at rtol 1e-8)',
    T: schedule.T,
    evaluate: (t, x) => (t === 1 ? pointBatch(x.n, x.d, Float64Array.from(x.data)) : ode.map(x, schedule.timeOfStep(t), schedule.timeOfStep(1)).y),
  };
  const seed = Number.parseInt(sha256Hex(key).slice(0, 12), 16);
  const sum = estimateTrainingErrorSum(setting, flow, new Rng(seed, ['idealised-discretisation']), options);
  const result = {
    estimate: sum.estimate,
    method: `Δ_t by the exact flows (${ode.method === 'ode' ? 'float64 ODE, rtol 1e-8' : ode.method}) and ${options.nodes}-point Gauss–Hermite quadrature over the exact posterior, ${options.points} draws per step, ${sum.exhaustive ? 'every step' : `${sum.steps.length} steps in ${options.strata} strata (stratified, unbiased)`}`,
  };
  idealisedCache.set(cacheKey, result);
  return result;
}

/** E‖f_T(X_T) − Φ_T(X_T)‖ (≥ W₁(f_T(X_T), X₁), synchronous coupling): the directly measured error of the chain's output. */
export function measureOutputError(setting: LhwSetting, sequence: ConsistencySequence, n: number, rng: Rng, level: number, flowTarget: ExactTarget = setting.target): Estimate {
  const T = setting.schedule.T;
  const x = marginalAtStep(setting, T).sample(n, rng.child('output-error'));
  return estimateMeanByClt(distances(sequence.evaluate(T, x), flowSequence({ target: flowTarget, schedule: setting.schedule }).evaluate(T, x)), { level });
}

/**
 * W₁(f_T(X_T), X₁) between the chain's one-step samples (X_T from the exact forward marginal at step T, which for a
 * schedule fitted to the model's range is the model's own `--start exact-marginal` draw) and fresh draws of X₁, by
 * exact assignment with the finite-sample bias bounded by same-law floors ({@link estimateWasserstein1ToLaw}).
 */
export function measureOneStepW1(setting: LhwSetting, sequence: ConsistencySequence, rng: Rng, options: { readonly n: number; readonly repetitions: number; readonly level: number }): Wasserstein1ToLawResult {
  const T = setting.schedule.T;
  return estimateWasserstein1ToLaw(
    (n, stream) => sequence.evaluate(T, marginalAtStep(setting, T).sample(n, stream)),
    (n, stream) => marginalAtStep(setting, 1).sample(n, stream),
    rng,
    options,
  );
}

/** A schedule's (T, c₀, c₁) as text. */
export function describeSchedule(constants: LhwScheduleConstants): string {
  return `T = ${constants.T}, c₀ = ${constants.c0.toPrecision(6)}, c₁ = ${constants.c1.toPrecision(6)}`;
}


/** Sample sizes of the chain's estimates on a trained model. */
export interface TrainedChainSamples {
  /** Draws X_t per measured step for ε̂_tot. @defaultValue 32 */
  readonly points?: number;
  /** Gauss–Hermite nodes per dimension for f*_t. @defaultValue 5 */
  readonly nodes?: number;
  /** Strata × steps per stratum of the step sums (every step when T − 1 ≤ their product). @defaultValue 16 × 2 */
  readonly strata?: number;
  readonly perStratum?: number;
  /** Draws per measured step for D̂_T (mixtures; the exact flow is an ODE solve per node). @defaultValue 8 */
  readonly idealisedPoints?: number;
  /** Gauss–Hermite nodes per dimension for D̂_T. @defaultValue 3 */
  readonly idealisedNodes?: number;
  /** Points per sample and repetitions of the W₁ estimate. @defaultValue 256, 8 */
  readonly w1Points?: number;
  readonly w1Repetitions?: number;
  /** Draws for the directly measured E‖f_T − Φ_T‖. @defaultValue 256 */
  readonly outputPoints?: number;
}

/**
 * A trained consistency model as the Li–Huang–Wei statements take it: the model on its own clock, the data law it
 * was trained on, schedule (23) it is viewed on (by default fitted to the model's range, {@link lhwScheduleForModelRange})
 * and the constants declared for it.
 */
export interface TrainedLhwSubject {
  readonly trained: {
    readonly model: ConsistencyFunction;
    /** The model's own clock (VE, VP/OU, …) and trained time range. */
    readonly process: ForwardProcess;
    /** Names the model and its weights (part of the results-cache key). */
    readonly label: string;
  };
  readonly target: GaussianMixture;
  /** The same law in the form whose exact flows are cheapest (e.g. a product of 1-D mixtures), for Φ_t. @defaultValue target */
  readonly flowTarget?: ExactTarget;
  readonly schedule: LhwScheduleConstants;
  /** Whose schedule it is, for the Evidence ('fitted to the model's trained range', 'declared with --schedule'). */
  readonly scheduleOrigin: string;
  /** Declared constants: L_f (Assumption 1) and ε + ε_F (Assumption 2); a bound without ε uses the measured ε̂_tot. */
  readonly claimed: { readonly Lf?: number; readonly epsilonTotal?: number };
  readonly samples?: TrainedChainSamples;
}

/** True for the trained-model form of a Li–Huang–Wei subject. */
export function isTrainedLhwSubject(subject: unknown): subject is TrainedLhwSubject {
  return typeof subject === 'object' && subject !== null && 'trained' in subject;
}

/** A stable key of a trained subject (the model's label names its weights). */
export function trainedLhwSubjectKey(subject: TrainedLhwSubject): string {
  return JSON.stringify({ target: subject.target.toSpec(), process: subject.trained.process.toSpec(), model: subject.trained.label, schedule: subject.schedule, claimed: subject.claimed, samples: subject.samples ?? null });
}

/** The subject's setting and sequence, or why the model cannot be asked (steps outside its trained range). */
export type TrainedChainView =
  | { readonly ok: true; readonly setting: LhwSetting; readonly sequence: ConsistencySequence; readonly scheduleText: string }
  | { readonly ok: false; readonly reason: string; readonly scheduleText: string };

/** Builds the schedule and the model's sequence on it; a schedule outside the model's range is reported, not extrapolated. */
export function viewTrainedChain(subject: TrainedLhwSubject): TrainedChainView {
  const schedule = lhwSchedule(subject.schedule);
  const scheduleText = `schedule (23) with ${describeSchedule(subject.schedule)} (${subject.scheduleOrigin}); σ_t ∈ [${schedule.process().sigma(schedule.timeOfStep(1)).toPrecision(4)}, ${schedule.process().sigma(schedule.timeOfStep(schedule.T)).toPrecision(4)}], the model's ${subject.trained.process.kind} range σ ∈ [${subject.trained.process.sigma(subject.trained.process.tMin).toPrecision(4)}, ${subject.trained.process.sigma(subject.trained.process.tMax).toPrecision(4)}]`;
  const outside = describeStepsOutsideRange(subject.trained.process, schedule);
  if (outside !== undefined) return { ok: false, reason: outside, scheduleText };
  return { ok: true, setting: { target: subject.target, schedule }, sequence: lhwSequenceOfModel(subject.trained.model, subject.trained.process, schedule), scheduleText };
}

/** The defaults of {@link TrainedChainSamples}, with the check's level and budget. */
export function chainSumOptions(subject: TrainedLhwSubject, level: number, checkBudget?: () => void): { readonly training: ChainSumOptions; readonly idealised: ChainSumOptions } {
  const s = subject.samples ?? {};
  const common = { strata: s.strata ?? 16, perStratum: s.perStratum ?? 2, level, ...(checkBudget ? { checkBudget } : {}) };
  return {
    training: { ...common, points: s.points ?? 32, nodes: s.nodes ?? 5 },
    idealised: { ...common, points: s.idealisedPoints ?? 8, nodes: s.idealisedNodes ?? 3 },
  };
}

/**
 * The constant-free bound of the master inequality (THEORY §1.10): W₁(f_T(X_T), X₁) ≤ E‖ξ_T(X_T)‖ ≤ ε_tot + D_T, with
 * ε_tot the declared ε + ε_F when given (the theorem's hypothesis) or else the measured ε̂_tot; the interval adds
 * the independent estimates' standard errors in quadrature (a declared value is exact).
 */
export function masterBound(training: Estimate | number, idealised: Estimate, level: number): Estimate {
  if (typeof training === 'number') {
    return { ...idealised, value: training + idealised.value, interval: { lower: training + idealised.interval.lower, upper: training + idealised.interval.upper, level: idealised.interval.level } };
  }
  return sumOfEstimates([training, idealised], { level });
}

/** A measured error against a bound, both with intervals, and their ratio. */
export interface BoundComparison {
  /** holds: the measured upper end < the bound's lower end; violated: the measured lower end > the bound's upper end. */
  readonly verdict: 'holds' | 'violated' | 'inconclusive';
  /** bound/measured with [bound lower/measured upper, bound upper/measured lower] (∞ when the measured lower end is 0). */
  readonly tightness: Estimate;
}

/** Decides a measured error against a bound with intervals on both sides and reports the tightness bound/measured. */
export function compareWithBound(measured: Estimate, bound: Estimate): BoundComparison {
  const verdict = measured.interval.upper < bound.interval.lower ? 'holds' : measured.interval.lower > bound.interval.upper ? 'violated' : 'inconclusive';
  const value = measured.value > 0 ? bound.value / measured.value : Number.POSITIVE_INFINITY;
  const lower = measured.interval.upper > 0 ? Math.max(0, bound.interval.lower) / measured.interval.upper : Number.POSITIVE_INFINITY;
  const upper = measured.interval.lower > 0 ? bound.interval.upper / measured.interval.lower : Number.POSITIVE_INFINITY;
  return { verdict, tightness: { value, interval: { lower: Math.min(lower, value), upper: Math.max(upper, value), level: Math.min(measured.interval.level, bound.interval.level) }, method: 'interval-ratio', n: measured.n } };
}

/**
 * The exact consistency function f* of `target` on `process` (closed form, quantile maps or the ODE), optionally with
 * a constant offset added at every time, posed as a trained model on schedule (23) fitted to the process's range:
 * the controls' models. f* viewed on the schedule is the flow sequence f_t = Φ_t (ε̂_tot = D_T, E‖ξ_T‖ = 0); with an
 * offset δ every f_t, t ≥ 2, is Φ_t + δ (ε̂_tot ≈ ‖δ‖ + D_T, W₁(f_T(X_T), X₁) = ‖δ‖ for a translation).
 */
export function exactModelAsTrained(target: GaussianMixture, process: ForwardProcess, T: number, options: { readonly offset?: readonly number[]; readonly claimed?: TrainedLhwSubject['claimed']; readonly samples?: TrainedChainSamples } = {}): TrainedLhwSubject {
  const exact = exactConsistencyFunction(referenceFlow(target, process));
  const model = options.offset === undefined ? exact : constantOffset(exact, options.offset);
  return {
    trained: { model, process, label: options.offset === undefined ? 'exact f*' : `f* + (${options.offset.join(', ')})` },
    target,
    schedule: lhwScheduleForModelRange(process, T),
    scheduleOrigin: "fitted to the model's trained range",
    claimed: options.claimed ?? {},
    ...(options.samples === undefined ? {} : { samples: options.samples }),
  };
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import { referenceFlow, type FlowMethod, type ReferenceFlowOptions } from '../flows/referenceFlow.ts';
import { couplingUpperBound } from '../metrics/couplingUpperBound.ts';
import type { ConsistencyFunction } from '../models/consistencyFunction.ts';
import { boundaryError, squaredDistances } from '../models/modelDiagnostics.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Rng } from '../random/rng.ts';

/** Draws x_t ~ p_t (the exact marginal) with the exact f*(x_t, t) = Φ_{t→tMin}(x_t), shared by every model of a rung. */
export interface ReferencePoints {
  readonly t: number;
  readonly x: PointBatch;
  readonly fStar: PointBatch;
  readonly method: FlowMethod;
  /** Estimated error of f* (re-solve at 100× tighter tolerances, or the closed form's bound); absent if not certified. */
  readonly errorEstimate?: number;
}

/** Everything the audit measures on one rung that does not depend on the model. */
export interface RungReference {
  readonly points: readonly ReferencePoints[];
  /** Draws of p_tMin for the boundary error. */
  readonly boundary: PointBatch;
  readonly tMin: number;
}

/**
 * The reference of a rung: n draws of p_t at each time (stream `t=<t>`) with f* by the reference flow (certified),
 * and n draws of p_tMin. Every model of the rung is evaluated at the same points, so comparisons are paired.
 */
export function rungReference(target: ExactTarget, process: ForwardProcess, times: readonly number[], n: number, rng: Rng, flowOptions: ReferenceFlowOptions = {}): RungReference {
  if (!Number.isInteger(n) || n < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${n}`, 'n');
  const flow = referenceFlow(target, process, flowOptions);
  const points = times.map((t) => {
    if (!(t > process.tMin && t <= process.tMax)) throw new ValidationError('E_TIME_RANGE', `t=${t} is outside (tMin, tMax] = (${process.tMin}, ${process.tMax}]`, 'times');
    const x = target.noised(process.signalScale(t), process.noiseScale(t)).sample(n, rng.child(`t=${t}`));
    const mapped = flow.map(x, t, process.tMin, { certify: true });
    return { t, x, fStar: mapped.y, method: mapped.method, ...(mapped.errorEstimate === undefined ? {} : { errorEstimate: mapped.errorEstimate }) };
  });
  const tMin = process.tMin;
  const boundary = target.noised(process.signalScale(tMin), process.noiseScale(tMin)).sample(n, rng.child('tMin'));
  return { points, boundary, tMin };
}

/** The synchronous-coupling bound at one time, with the per-point squared errors kept for paired comparisons. */
export interface CouplingAtTime {
  readonly t: number;
  /** (E‖f(X_t, t) − f*(X_t, t)‖²)^{1/2}: an upper bound on W₂(f(·, t)♯p_t, p_tMin) (its interval's upper end is an upper confidence bound). */
  readonly estimate: Estimate;
  readonly squaredErrors: Float64Array;
}

export interface ModelEvaluation {
  readonly coupling: readonly CouplingAtTime[];
  /** max over draws and coordinates of |f(x, tMin) − x| (exactly 0 for a valid parameterisation). */
  readonly boundaryError: number;
}

/** Evaluates a model against a rung's reference (level: two-sided level of each coupling interval). */
export function evaluateModel(model: ConsistencyFunction, reference: RungReference, level: number): ModelEvaluation {
  const coupling = reference.points.map((p) => {
    const fx = model.evaluate(p.x, p.t);
    return { t: p.t, estimate: couplingUpperBound(fx, p.fStar, 2, { level }), squaredErrors: squaredDistances(fx, p.fStar) };
  });
  return { coupling, boundaryError: boundaryError(model, reference.boundary, reference.tMin) };
}

/** How one model's coupling cost compares with another's on the same draws. */
export type PairedOutcome = 'lower' | 'higher' | 'no significant difference';

/**
 * Paired comparison of two models' squared errors ‖f − f*‖² at the same draws: the CLT interval of the mean
 * difference a − b at `level`. 'lower' when the whole interval is below 0 (a's coupling cost is smaller), 'higher'
 * when it is above 0, else no significant difference. Pairing removes the draw-to-draw variance both share.
 */
export function pairedComparison(a: Float64Array, b: Float64Array, level: number): { readonly difference: Estimate; readonly outcome: PairedOutcome } {
  if (a.length !== b.length) throw new ValidationError('E_DIMENSION', `paired samples have sizes ${a.length} and ${b.length}`, 'b');
  const diff = Float64Array.from(a, (v, i) => v - b[i]!);
  const difference = estimateMeanByClt(diff, { level });
  const outcome: PairedOutcome = difference.interval.upper < 0 ? 'lower' : difference.interval.lower > 0 ? 'higher' : 'no significant difference';
  return { difference, outcome };
}

/** How a paired comparison's interval was obtained: over the draws of one seed, or over the seeds' paired means. */
export type PairedMethod = 'draws' | 'seeds';

/**
 * The paired comparison of two variants trained with the same seeds, each seed with its own evaluation draws.
 * One seed: {@link pairedComparison} over the draws (training randomness is not covered: one model per variant).
 * Several seeds: for each seed k the mean difference d_k = mean_i (a_{k,i} − b_{k,i}) on that seed's draws; the
 * d_k are independent replicates (fresh training and fresh draws per seed), so the Student-t interval of their
 * mean (n − 1 degrees of freedom, n = seeds) covers the between-seed variance of training and the draws together.
 * @throws ValidationError (`pairs`) for no seed; (`b`) for paired samples of different sizes.
 */
export function pairedComparisonOverSeeds(
  pairs: readonly { readonly a: Float64Array; readonly b: Float64Array }[],
  level: number,
): { readonly difference: Estimate; readonly outcome: PairedOutcome; readonly method: PairedMethod } {
  if (pairs.length === 0) throw new ValidationError('E_INVALID_INPUT', 'needs at least one seed', 'pairs');
  if (pairs.length === 1) return { ...pairedComparison(pairs[0]!.a, pairs[0]!.b, level), method: 'draws' };
  const perSeed = pairs.map(({ a, b }) => {
    if (a.length !== b.length) throw new ValidationError('E_DIMENSION', `paired samples have sizes ${a.length} and ${b.length}`, 'b');
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i]! - b[i]!;
    return sum / a.length;
  });
  const difference = estimateMeanByClt(perSeed, { level });
  const outcome: PairedOutcome = difference.interval.upper < 0 ? 'lower' : difference.interval.lower > 0 ? 'higher' : 'no significant difference';
  return { difference, outcome, method: 'seeds' };
}

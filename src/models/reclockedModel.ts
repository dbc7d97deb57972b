import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { timesPerPoint, type ConsistencyFunction } from './consistencyFunction.ts';

/**
 * The time on `process`'s clock at which its equivalent VE noise level σ_t = s_t/a_t equals `sigma` (σ_t increases
 * with t on every process). Closed forms: VE σ = t; VP/OU σ = √(e^{2t} − 1) ⇒ t = ½·log1p(σ²); the Li–Huang–Wei
 * clock u = −log ᾱ, σ = √(e^u − 1) ⇒ u = log1p(σ²). Not clamped to [tMin, tMax]: callers decide what outside means.
 */
export function timeAtSigma(process: ForwardProcess, sigma: number): number {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ValidationError('E_INVALID_INPUT', `must be a finite positive noise level, got ${sigma}`, 'sigma');
  switch (process.kind) {
    case 've':
      return sigma;
    case 'vp-ou':
      return 0.5 * Math.log1p(sigma * sigma);
    case 'lhw':
      return Math.log1p(sigma * sigma);
  }
}

export interface ReclockOptions {
  /**
   * Largest accepted relative difference between the two clocks' boundary noise levels σ(tMin). The two consistency
   * functions map to their own boundary; when those differ the view is not the same function, and the difference
   * is reported (`boundarySigmaMismatch`) instead of hidden. @defaultValue Infinity (report only)
   */
  readonly boundaryTolerance?: number;
}

/**
 * A consistency function trained on one clock (`from`: VE, VP/OU, the Li–Huang–Wei ᾱ-clock) viewed on another
 * (`to`), through the exact change of variables between forward processes with the same equivalent VE noise level:
 * a point x at time u of `to` is the point x·a_from(t)/a_to(u) at the time t of `from` with σ_from(t) = σ_to(u)
 * (both are a·(X₀ + σZ)); the data predictions differ only by the boundary scale a(tMin), so
 *
 *     f_to(x, u) = a_to(uMin)/a_from(tMin) · f_from(x·a_from(t)/a_to(u), t).
 *
 * E.g. the Li–Huang–Wei sequence f_t on schedule (23) from a VE model: x_VE = x_VP/√ᾱ_t, σ_t² = (1 − ᾱ_t)/ᾱ_t.
 * The time range the model was trained on is part of it: a query whose t falls outside [from.tMin, from.tMax] throws
 * an E_TIME_RANGE error that says so, never an extrapolation.
 */
export class ReclockedModel implements ConsistencyFunction {
  readonly id: string;
  readonly precision: 'float64' | 'float32';
  /** |σ_from(tMin) − σ_to(tMin)| / σ_to(tMin): 0 when the two boundaries are the same noise level. */
  readonly boundarySigmaMismatch: number;
  private readonly boundaryScale: number;

  constructor(
    readonly model: ConsistencyFunction,
    readonly from: ForwardProcess,
    readonly to: ForwardProcess,
    options: ReclockOptions = {},
  ) {
    this.id = `${model.id}@${to.kind}`;
    this.precision = model.precision;
    const sigmaFrom = from.sigma(from.tMin);
    const sigmaTo = to.sigma(to.tMin);
    this.boundarySigmaMismatch = Math.abs(sigmaFrom - sigmaTo) / sigmaTo;
    const tolerance = options.boundaryTolerance ?? Infinity;
    if (this.boundarySigmaMismatch > tolerance) {
      throw new ValidationError('E_TIME_RANGE', `the model's boundary σ(tMin) = ${sigmaFrom} differs from the ${to.kind} clock's ${sigmaTo} by ${this.boundarySigmaMismatch.toExponential(2)} (relative) > ${tolerance}`, 'model.process.tMin');
    }
    this.boundaryScale = to.signalScale(to.tMin) / from.signalScale(from.tMin);
  }

  /** The time on the model's clock that a query at time u of the target clock needs. */
  modelTime(u: number): number {
    return timeAtSigma(this.from, this.to.sigma(u));
  }

  evaluate(x: PointBatch, u: number | Float64Array): PointBatch {
    const times = timesPerPoint(u, x.n, 'u');
    const t = new Float64Array(x.n);
    const input = new Float64Array(x.n * x.d);
    const slack = 1e-12;
    for (let i = 0; i < x.n; i++) {
      const ti = this.modelTime(times[i]!);
      if (ti < this.from.tMin * (1 - slack) || ti > this.from.tMax * (1 + slack)) {
        throw new ValidationError(
          'E_TIME_RANGE',
          `time ${times[i]} of the ${this.to.kind} clock is t = ${ti} on the model's ${this.from.kind} clock, outside the range it was trained on [${this.from.tMin}, ${this.from.tMax}]`,
          'u',
        );
      }
      t[i] = Math.min(this.from.tMax, Math.max(this.from.tMin, ti));
      const scale = this.from.signalScale(t[i]!) / this.to.signalScale(times[i]!);
      for (let j = 0; j < x.d; j++) input[i * x.d + j] = scale * x.data[i * x.d + j]!;
    }
    const y = this.model.evaluate(pointBatch(x.n, x.d, input), t);
    const out = new Float64Array(x.n * x.d);
    for (let k = 0; k < out.length; k++) out[k] = this.boundaryScale * y.data[k]!;
    return pointBatch(x.n, x.d, out);
  }
}

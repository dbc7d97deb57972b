import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { GaussianMixture } from '../distributions/gaussianMixture.ts';
import { ProductMixture } from '../distributions/productMixture.ts';
import { assertTimeInRange, type ForwardProcess } from '../processes/forwardProcess.ts';
import { gaussianFlow } from './gaussianFlow.ts';
import { quantileMapFlow } from './quantileMapFlow.ts';
import { solveDormandPrince, type DormandPrinceOptions, type DormandPrinceStats } from './dormandPrince.ts';

/** How Φ is computed: the adaptive ODE solve, the affine closed form (Gaussians) or 1-D quantile maps. */
export type FlowMethod = 'ode' | 'closed-form' | 'quantile-map';

export interface ReferenceFlowOptions extends DormandPrinceOptions {
  /**
   * 'auto' uses the exact closed form where one exists (a single Gaussian: affine map; 1-D or product
   * mixtures: quantile maps) and the ODE otherwise. @defaultValue 'auto'
   */
  readonly method?: FlowMethod | 'auto';
}

export interface FlowResult {
  /** Φ_{from→to}(x). */
  readonly y: PointBatch;
  /** ∂Φ/∂x per point, d×d row-major (only from `jacobian`). */
  readonly jacobian?: Float64Array;
  readonly method: FlowMethod;
  /** Solver statistics (ODE only). */
  readonly stats?: DormandPrinceStats;
  /**
   * Error estimate of `y`: for the ODE, max |Φ − Φ_tight| over all coordinates, where Φ_tight re-solves with rtol and
   * atol divided by 100 — an a-posteriori estimate, NOT a bound (it measures the first solve against a better one;
   * the true error exceeded it, e.g. 1.0095e-9 against 9.996e-10); for closed forms, the documented rounding /
   * root-finding bound of gaussianFlow / quantileMapFlow. Present when `certify` was requested or the method is exact.
   */
  readonly errorEstimate?: number;
}

export interface MapOptions {
  /** Re-solve at 100× tighter tolerances and report the difference as `errorEstimate`. @defaultValue false */
  readonly certify?: boolean;
}

/**
 * The true probability-flow map Φ_{t→u} of a target under a forward process, in float64 (THEORY §4.4–4.7),
 * and the true consistency function f*(x, t) = Φ_{t→tMin}(x).
 *
 * The ODE is integrated for the equivalent VE process in λ = log σ in data-prediction form,
 * dx/dλ = x − E[X₀ | X₀ + σZ = x], which stays well conditioned as σ → tMin, with the variational equation
 * dJ/dλ = (I − Cov(X₀ | x)/σ²)·J alongside when a Jacobian is asked for. Other processes map to VE by
 * Φ_{t→u}(x) = a_u·Φ^{VE}_{σ_t→σ_u}(x/a_t) (THEORY §0.2).
 */
export class ReferenceFlow {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  private readonly options: ReferenceFlowOptions;

  constructor(target: ExactTarget, process: ForwardProcess, options: ReferenceFlowOptions = {}) {
    this.target = target;
    this.process = process;
    this.options = options;
  }

  /** The method 'auto' resolves to for this target. */
  get method(): FlowMethod {
    const m = this.options.method ?? 'auto';
    if (m !== 'auto') return m;
    if (isSingleGaussian(this.target)) return 'closed-form';
    if (this.target instanceof ProductMixture || this.target.dim === 1) return 'quantile-map';
    return 'ode';
  }

  /** Φ_{from→to}(x) for every point (either direction in time). */
  map(x: PointBatch, from: number, to: number, options: MapOptions = {}): FlowResult {
    this.validate(x, from, to);
    return this.compute(x, from, to, false, options.certify ?? false);
  }

  /** Φ_{from→to}(x) and its Jacobian ∂Φ/∂x. */
  jacobian(x: PointBatch, from: number, to: number, options: MapOptions = {}): FlowResult & { readonly jacobian: Float64Array } {
    this.validate(x, from, to);
    const r = this.compute(x, from, to, true, options.certify ?? false);
    return { ...r, jacobian: r.jacobian! };
  }

  /** f*(x, t) = Φ_{t→tMin}(x). */
  consistency(x: PointBatch, t: number): PointBatch {
    return this.map(x, t, this.process.tMin).y;
  }

  private validate(x: PointBatch, from: number, to: number): void {
    if (x.d !== this.target.dim) throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the target has ${this.target.dim}`, 'x');
    assertTimeInRange(this.process, from, 'from');
    assertTimeInRange(this.process, to, 'to');
  }

  private compute(x: PointBatch, from: number, to: number, withJacobian: boolean, certify: boolean): FlowResult {
    const method = this.method;
    if (method === 'closed-form') {
      if (!isSingleGaussian(this.target)) {
        throw new ValidationError('E_UNSUPPORTED', 'the closed-form flow exists only for a single Gaussian', 'method');
      }
      const { errorBound, ...rest } = gaussianFlow(this.target, this.process, x, from, to, withJacobian);
      return { ...rest, errorEstimate: errorBound, method };
    }
    if (method === 'quantile-map') {
      if (!(this.target instanceof ProductMixture || this.target instanceof GaussianMixture) || (this.target instanceof GaussianMixture && this.target.dim !== 1)) {
        throw new ValidationError('E_UNSUPPORTED', 'quantile-map flows need a 1-D mixture or a product of 1-D mixtures', 'method');
      }
      const { errorBound, ...rest } = quantileMapFlow(this.target, this.process, x, from, to, withJacobian);
      return { ...rest, errorEstimate: errorBound, method };
    }
    const first = this.solve(x, from, to, withJacobian, this.options);
    if (!certify) return first;
    const tight = this.solve(x, from, to, withJacobian, {
      ...this.options,
      rtol: (this.options.rtol ?? 1e-10) / 100,
      atol: (this.options.atol ?? 1e-12) / 100,
    });
    let difference = 0;
    for (let i = 0; i < first.y.data.length; i++) difference = Math.max(difference, Math.abs(first.y.data[i]! - tight.y.data[i]!));
    return { ...first, errorEstimate: difference };
  }

  private solve(x: PointBatch, from: number, to: number, withJacobian: boolean, options: DormandPrinceOptions): FlowResult {
    const d = x.d;
    const n = x.n;
    const p = this.process;
    const aFrom = p.signalScale(from);
    const aTo = p.signalScale(to);
    const m = withJacobian ? d + d * d : d;
    const state = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) state[i * m + j] = x.data[i * d + j]! / aFrom;
      if (withJacobian) for (let j = 0; j < d; j++) state[i * m + d + j * d + j] = 1;
    }
    const field = withJacobian ? new VeJacobianField(this.target) : new VeDataPredictionField(this.target);
    const { y: out, stats } = solveDormandPrince(field, state, n, Math.log(p.sigma(from)), Math.log(p.sigma(to)), options);
    const y = pointBatch(n, d);
    const jac = withJacobian ? new Float64Array(n * d * d) : undefined;
    const ratio = aTo / aFrom;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) y.data[i * d + j] = aTo * out[i * m + j]!;
      if (jac) for (let j = 0; j < d * d; j++) jac[i * d * d + j] = ratio * out[i * m + d + j]!;
    }
    return jac ? { y, jacobian: jac, method: 'ode', stats } : { y, method: 'ode', stats };
  }
}

/** Convenience factory: `referenceFlow(target, process).consistency(x, t)`. */
export function referenceFlow(target: ExactTarget, process: ForwardProcess, options: ReferenceFlowOptions = {}): ReferenceFlow {
  return new ReferenceFlow(target, process, options);
}

function isSingleGaussian(target: ExactTarget): target is GaussianMixture {
  return target instanceof GaussianMixture && target.components === 1;
}

/** dx/dλ = x − x̂₀(x, σ = e^λ) for the VE path X₀ + σZ. */
class VeDataPredictionField {
  readonly stateSize: number;
  constructor(private readonly target: ExactTarget) {
    this.stateSize = target.dim;
  }
  evaluate(lambda: number, y: Float64Array, count: number, out: Float64Array): void {
    this.target.noised(1, Math.exp(lambda)).posteriorMeanInto(y, 0, count, out, 0);
    const len = count * this.stateSize;
    for (let i = 0; i < len; i++) out[i] = y[i]! - out[i]!;
  }
}

/** State [x, J] per point: dx/dλ = x − x̂₀, dJ/dλ = (I − Cov(X₀|x)/σ²) J. */
class VeJacobianField {
  readonly stateSize: number;
  private readonly d: number;
  private readonly cov: Float64Array;
  constructor(private readonly target: ExactTarget) {
    this.d = target.dim;
    this.stateSize = this.d + this.d * this.d;
    this.cov = new Float64Array(this.d * this.d);
  }
  evaluate(lambda: number, y: Float64Array, count: number, out: Float64Array): void {
    const d = this.d;
    const m = this.stateSize;
    const sigma = Math.exp(lambda);
    const inv2 = 1 / (sigma * sigma);
    const noised = this.target.noised(1, sigma);
    const cov = this.cov;
    for (let p = 0; p < count; p++) {
      const o = p * m;
      noised.posteriorMeanInto(y, o, 1, out, o);
      for (let j = 0; j < d; j++) out[o + j] = y[o + j]! - out[o + j]!;
      noised.posteriorCovarianceAt(y, o, cov, 0);
      const J = o + d;
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let v = y[J + a * d + b]!;
          for (let c = 0; c < d; c++) v -= cov[a * d + c]! * inv2 * y[J + c * d + b]!;
          out[J + a * d + b] = v;
        }
      }
    }
  }
}

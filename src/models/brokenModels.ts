import { ValidationError } from '../core/errors.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { evaluateByTimeGroups, type ConsistencyFunction } from './consistencyFunction.ts';
import { droppedTMinParameterization, edmParameterization, missingSqrtCInParameterization, type ParameterizationOptions } from './parameterization.ts';
import { idealNetwork, parameterizedConsistency, type Float64Network } from './parameterizedConsistency.ts';

// Deliberately broken consistency functions for negative controls, each named for the one defect it injects
// (STYLE C3). The denoiser and the Markov-coupled CT solution live in exactConsistency.ts beside f*.
export { denoiserAsConsistencyFunction, markovCoupledCtSolution } from './exactConsistency.ts';

/**
 * Boundary scalings without tMin (diffusers' CT script, ANCHORS §2): c_skip = σ_d²/(σ²+σ_d²), c_out = σσ_d/√(σ_d²+σ²)
 * around a network F. f(x, tMin) ≠ x: the error is ≈ (σ_min²/σ_d²)|x| + σ_min|F| (1.6e-5|x| + 2e-3|F| for
 * σ_min = 0.002, σ_d = 0.5).
 */
export function droppedTMinBoundaryScalings(process: ForwardProcess, network: Float64Network, options: ParameterizationOptions = {}): ConsistencyFunction {
  return parameterizedConsistency(droppedTMinParameterization(process, options), network, 'droppedTMinBoundaryScalings');
}

/**
 * c_in without the square root, around the network that is ideal for the correct c_in: the network sees
 * x/(a(σ²+σ_d²)) and decodes it as if it were x/(a√(σ²+σ_d²)), i.e. it evaluates f* at x/√(σ²+σ_d²). The boundary
 * condition holds (c_out(tMin) = 0); the defect shows as distance to f* and a flow residual at t > tMin.
 */
export function missingSqrtCIn(process: ForwardProcess, exact: ConsistencyFunction, options: ParameterizationOptions = {}): ConsistencyFunction {
  const network = idealNetwork(exact, edmParameterization(process, options));
  return parameterizedConsistency(missingSqrtCInParameterization(process, options), network, 'missingSqrtCIn');
}

/** f(x, t) = base(x, t) + b for every t, including tMin: the boundary error is exactly ‖b‖ (THEORY §6.1 LHW-A2, §6.2). */
export function constantOffset(base: ConsistencyFunction, offset: ArrayLike<number>): ConsistencyFunction {
  const b = Float64Array.from(offset);
  return {
    id: 'constantOffset',
    precision: base.precision,
    evaluate: (x, t) => {
      if (x.d !== b.length) throw new ValidationError('E_DIMENSION', `offset has ${b.length} coordinates, points ${x.d}`, 'offset');
      const y = base.evaluate(x, t);
      for (let k = 0; k < y.data.length; k++) y.data[k] = y.data[k]! + b[k % x.d]!;
      return y;
    },
  };
}

export interface InflatedScoreOptions {
  /** Fixed RK4 steps in log σ per evaluation. @defaultValue 400 */
  readonly steps?: number;
}

/**
 * The consistency function of the probability-flow ODE driven by `factor`×(true score): integrates, in the
 * VE-equivalent variable y = x/a_t and λ = log σ, dy/dλ = factor·(y − E[X₀ | X₀ + σZ = y]) (since
 * σ²∇log p_σ(y) = E[X₀|y] − y) from σ_t down to σ_min with classical RK4, and returns a_min·y.
 * With factor = 1 it is f* up to the RK4 error; with factor > 1 it over-contracts (for a 1-D Gaussian of variance λ
 * the gain becomes ((λ+σ_min²)/(λ+σ_t²))^{factor/2}).
 */
export function inflatedScore(target: ExactTarget, process: ForwardProcess, factor: number, options: InflatedScoreOptions = {}): ConsistencyFunction {
  const steps = options.steps ?? 400;
  if (!Number.isFinite(factor)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${factor}`, 'factor');
  if (!Number.isInteger(steps) || steps < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${steps}`, 'steps');
  const tMin = process.tMin;
  const aMin = process.signalScale(tMin);
  const lambdaMin = Math.log(process.sigma(tMin));
  return {
    id: `inflatedScore(${factor})`,
    precision: 'float64',
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => {
        const n = xs.n;
        const d = xs.d;
        const aT = process.signalScale(time);
        const y = new Float64Array(xs.data.length);
        for (let k = 0; k < y.length; k++) y[k] = xs.data[k]! / aT;
        const lambda0 = Math.log(process.sigma(time));
        const h = (lambdaMin - lambda0) / steps;
        const k1 = new Float64Array(y.length);
        const k2 = new Float64Array(y.length);
        const k3 = new Float64Array(y.length);
        const k4 = new Float64Array(y.length);
        const tmp = new Float64Array(y.length);
        const field = (lambda: number, state: Float64Array, out: Float64Array): void => {
          const sigma = Math.exp(lambda);
          target.noised(1, sigma).posteriorMeanInto(state, 0, n, out, 0);
          for (let k = 0; k < out.length; k++) out[k] = factor * (state[k]! - out[k]!);
        };
        for (let s = 0; s < steps && time !== tMin; s++) {
          const l = lambda0 + s * h;
          field(l, y, k1);
          for (let k = 0; k < y.length; k++) tmp[k] = y[k]! + 0.5 * h * k1[k]!;
          field(l + 0.5 * h, tmp, k2);
          for (let k = 0; k < y.length; k++) tmp[k] = y[k]! + 0.5 * h * k2[k]!;
          field(l + 0.5 * h, tmp, k3);
          for (let k = 0; k < y.length; k++) tmp[k] = y[k]! + h * k3[k]!;
          field(l + h, tmp, k4);
          for (let k = 0; k < y.length; k++) y[k] = y[k]! + (h / 6) * (k1[k]! + 2 * k2[k]! + 2 * k3[k]! + k4[k]!);
        }
        for (let k = 0; k < y.length; k++) y[k] = aMin * y[k]!;
        return { n, d, data: y };
      }),
  };
}

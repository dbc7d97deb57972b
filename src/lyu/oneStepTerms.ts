/**
 * The pieces of Lyu–Feng–Chen's one-step W₂ bound that do not depend on the consistency residuals (THEORY §2.3,
 * §6.2 LYU-1S): the prior mismatch W₂(N(0, s_T²I), p_T) and the early-stopping term W₂(p_δ, p_data) (paired-component
 * Bures bounds, exact for one Gaussian), and Lip(f(·, T)) of a model (exact when f(·, T) is affine, else the value at
 * T of the chain's shared witness search, a sup lower bound).
 */
import type { PointBatch } from '../core/pointBatch.ts';
import { asGaussianMixture } from '../distributions/asGaussianMixture.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { AffineMap } from '../distributions/gaussianLaw.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { exactEstimate } from '../checks/exactEstimate.ts';
import { estimateSupremumByMaximum } from '../estimators/supremumByMaximum.ts';
import { pairedComponentsWasserstein2Bound, type GaussianComponent } from '../metrics/pairedComponentsWasserstein2.ts';
import type { ConsistencyFunction } from '../models/consistencyFunction.ts';
import { AFFINE_RTOL, probeAffine } from '../models/probeAffine.ts';
import { operatorNorm } from '../numerics/operatorNorm.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Rng } from '../random/rng.ts';
import { geometricTimeGrid, witnessModelLipschitz } from './trainedModelConstants.ts';

/** Times of the shared witness search for L_f (the grid of lyu2023.modelLipschitz). */
export const LIPSCHITZ_GRID_SIZE = 12;

/** σ²·I_d, row-major. */
export function isotropicCovariance(d: number, variance: number): Float64Array {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) cov[i * d + i] = variance;
  return cov;
}

/** Component k of a·X₀ + s·Z for a Gaussian-mixture target. */
function noisedComponents(means: readonly Float64Array[], covariances: readonly Float64Array[], a: number, s: number): GaussianComponent[] {
  return means.map((m, k) => {
    const d = m.length;
    const cov = covariances[k]!.map((v) => a * a * v);
    for (let i = 0; i < d; i++) cov[i * d + i] = cov[i * d + i]! + s * s;
    return { mean: m.map((v) => a * v), covariance: cov };
  });
}

/** n draws of the prior N(0, s_T²I). */
export function priorDraws(n: number, d: number, sT: number, rng: Rng): PointBatch {
  return { n, d, data: rng.fillNormal(new Float64Array(n * d)).map((v) => sT * v) };
}

/** The prior-mismatch and early-stopping terms of the one-step bound, and how they were computed. */
export interface OneStepFixedTerms {
  /** An upper bound on W₂(N(0, s_T²I), p_T) (exact for one Gaussian). */
  readonly priorW2: number;
  /** An upper bound on W₂(p_δ, p_data) (exact for one Gaussian). */
  readonly earlyStop: number;
  readonly method: string;
}

/**
 * W₂(N(0, s_T²I), p_T) and W₂(p_δ, p_data): paired-component Bures bounds for Gaussian mixtures (and products of 1-D
 * mixtures), else the synchronous-coupling bounds a_T·m₂ and √((1 − a_δ)²m₂² + s_δ²d) from the second moment.
 */
export function oneStepFixedTerms(target: ExactTarget, process: ForwardProcess): OneStepFixedTerms {
  const d = target.dim;
  const T = process.tMax;
  const delta = process.tMin;
  const aT = process.signalScale(T);
  const sT = process.noiseScale(T);
  const m2 = target.secondMoment();
  const aDelta = process.signalScale(delta);
  const sDelta = process.noiseScale(delta);
  const mixture = asGaussianMixture(target);
  if (mixture === undefined) {
    return {
      priorW2: aT * Math.sqrt(m2),
      earlyStop: Math.sqrt((1 - aDelta) ** 2 * m2 + sDelta * sDelta * d),
      method: 'synchronous-coupling bounds a_T·m₂ and √((1 − a_δ)²m₂² + s_δ²d)',
    };
  }
  const K = mixture.weights.length;
  const priorComponents = Array.from({ length: K }, () => ({ mean: new Float64Array(d), covariance: isotropicCovariance(d, sT * sT) }));
  return {
    priorW2: pairedComponentsWasserstein2Bound(mixture.weights, priorComponents, noisedComponents(mixture.means, mixture.covariances, aT, sT)),
    earlyStop: pairedComponentsWasserstein2Bound(mixture.weights, noisedComponents(mixture.means, mixture.covariances, aDelta, sDelta), noisedComponents(mixture.means, mixture.covariances, 1, 0)),
    method: K === 1 ? 'Bures (exact)' : `paired-component Bures bound over ${K} components`,
  };
}

/** Whether x ↦ A x + b reproduces f(x, t) at every point of `x` to AFFINE_RTOL (relative to |f| + 1). */
function affineFitHolds(f: ConsistencyFunction, t: number, map: { readonly A: Float64Array; readonly b: Float64Array }, x: PointBatch): boolean {
  const { d } = x;
  const y = f.evaluate(x, t).data;
  for (let i = 0; i < x.n; i++) {
    for (let r = 0; r < d; r++) {
      let v = map.b[r]!;
      for (let c = 0; c < d; c++) v += map.A[r * d + c]! * x.data[i * d + c]!;
      if (Math.abs(v - y[i * d + r]!) > AFFINE_RTOL * (Math.abs(y[i * d + r]!) + 1)) return false;
    }
  }
  return true;
}

/** Lip(f(·, T)) with what it rests on. */
export interface FinalTimeLipschitz {
  /** Exact (an affine f(·, T)) or a sup lower bound (the witness search). */
  readonly lip: Estimate;
  /** The affine map of f(·, T) when its fit reproduces the model at draws of p_T and of the prior. */
  readonly affine: AffineMap | undefined;
  /** The witness point when the search's maximum sits at T (else empty). */
  readonly point: number[];
}

/**
 * Lip(f(·, T)): an affine fit from 5 probes near the (noised) mean counts only if it also reproduces f(·, T) at
 * `checkPoints` draws of p_T and as many of the prior (then the operator norm is exact); otherwise the value at T of
 * the chain's shared witness search (central differences at mode seeds and draws of p_t, compass-refined), memoised
 * per model so that lyu2023.modelLipschitz reports the same number. Streams: `rng.child('affine-check')`,
 * `rng.child('lipschitz-prior')`, `rng.child('affine-probe')`, and `constantsRng.child('lipschitz')`.
 */
export function finalTimeLipschitz(model: ConsistencyFunction, target: ExactTarget, process: ForwardProcess, checkPoints: number, rng: Rng, constantsRng: Rng, checkBudget?: () => void): FinalTimeLipschitz {
  const d = target.dim;
  const T = process.tMax;
  const aT = process.signalScale(T);
  const sT = process.noiseScale(T);
  const m = 2 * checkPoints;
  const at = new Float64Array(m * d);
  at.set(target.noised(aT, sT).sample(checkPoints, rng.child('affine-check')).data);
  at.set(priorDraws(checkPoints, d, sT, rng.child('lipschitz-prior')).data, checkPoints * d);
  const fitted = probeAffine(model, T, Array.from(target.mean(), (v) => aT * v), 1, rng.child('affine-probe'));
  const affine = fitted !== undefined && affineFitHolds(model, T, fitted, { n: m, d, data: at }) ? fitted : undefined;
  if (affine) return { lip: exactEstimate(operatorNorm(affine.A, 0, d)), affine, point: [] };
  const grid = geometricTimeGrid(process, LIPSCHITZ_GRID_SIZE);
  const witness = witnessModelLipschitz(model, target, process, grid, constantsRng.child('lipschitz'), checkBudget);
  return { lip: estimateSupremumByMaximum([witness.perTime[grid.length - 1]!]), affine: undefined, point: witness.time === T ? [...witness.point] : [] };
}

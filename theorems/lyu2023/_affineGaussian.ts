/**
 * Private helpers of the issue-6 checks: affine models on Gaussian laws, propagated exactly.
 *
 * A model that is affine in x at a fixed t (exact f* of a Gaussian target, the offset and scaled controls, the affine
 * grid class) maps N(m, S) to N(Am + b, ASAᵀ); sampler steps (re-noising) add a multiple of the identity. This turns
 * the sampling checks into closed forms with Bures W₂ (no Monte Carlo). Not a statement file (leading `_`).
 */
import type { ExactTarget } from '../../src/distributions/exactTarget.ts';
import { GaussianMixture } from '../../src/distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../src/models/consistencyFunction.ts';
import type { Rng } from '../../src/random/rng.ts';

/** N(mean, cov), cov d×d row-major. */
export interface GaussianLaw {
  readonly mean: Float64Array;
  readonly cov: Float64Array;
}

/** x ↦ A x + b (A d×d row-major). */
export interface AffineMap {
  readonly A: Float64Array;
  readonly b: Float64Array;
  /** Largest relative residual of the affine fit at the random verification points. */
  readonly residual: number;
}

/** Relative residual below which a probed model counts as affine (ODE-free closed forms reach 1e-13). */
export const AFFINE_RTOL = 1e-9;

export function isSingleGaussian(target: ExactTarget): target is GaussianMixture {
  return target instanceof GaussianMixture && target.components === 1;
}

/**
 * Probes f(·, t) at `centre` and centre + scale·e_i (finite differences are exact for affine maps), then checks the
 * fit at 4 random points centre + scale·z. Returns undefined when the model is not affine to `AFFINE_RTOL`.
 */
export function probeAffine(f: ConsistencyFunction, t: number, centre: ArrayLike<number>, scale: number, rng: Rng): AffineMap | undefined {
  const d = centre.length;
  const pts = new Float64Array((d + 1) * d);
  for (let i = 0; i <= d; i++) for (let j = 0; j < d; j++) pts[i * d + j] = centre[j]! + (i > 0 && j === i - 1 ? scale : 0);
  const y = f.evaluate({ n: d + 1, d, data: pts }, t).data;
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let r = 0; r < d; r++) A[r * d + i] = (y[(i + 1) * d + r]! - y[r]!) / scale;
  const b = new Float64Array(d);
  for (let r = 0; r < d; r++) {
    let v = y[r]!;
    for (let c = 0; c < d; c++) v -= A[r * d + c]! * centre[c]!;
    b[r] = v;
  }
  const q = 4;
  const z = rng.fillNormal(new Float64Array(q * d));
  const test = new Float64Array(q * d);
  for (let k = 0; k < q * d; k++) test[k] = centre[k % d]! + scale * z[k]!;
  const fy = f.evaluate({ n: q, d, data: test }, t).data;
  let residual = 0;
  for (let p = 0; p < q; p++) {
    for (let r = 0; r < d; r++) {
      let v = b[r]!;
      for (let c = 0; c < d; c++) v += A[r * d + c]! * test[p * d + c]!;
      residual = Math.max(residual, Math.abs(v - fy[p * d + r]!) / (Math.abs(fy[p * d + r]!) + scale));
    }
  }
  return residual <= AFFINE_RTOL ? { A, b, residual } : undefined;
}

/** The law of A X + b for X ~ N(m, S). */
export function pushAffine(law: GaussianLaw, map: AffineMap): GaussianLaw {
  const d = law.mean.length;
  const { A, b } = map;
  const mean = new Float64Array(d);
  for (let r = 0; r < d; r++) {
    let v = b[r]!;
    for (let c = 0; c < d; c++) v += A[r * d + c]! * law.mean[c]!;
    mean[r] = v;
  }
  const AS = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
    let v = 0;
    for (let k = 0; k < d; k++) v += A[r * d + k]! * law.cov[k * d + c]!;
    AS[r * d + c] = v;
  }
  const cov = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
    let v = 0;
    for (let k = 0; k < d; k++) v += AS[r * d + k]! * A[c * d + k]!;
    cov[r * d + c] = v;
  }
  for (let r = 0; r < d; r++) for (let c = r + 1; c < d; c++) {
    const s = 0.5 * (cov[r * d + c]! + cov[c * d + r]!);
    cov[r * d + c] = s;
    cov[c * d + r] = s;
  }
  return { mean, cov };
}

/** The law of scale·X + noise·Z, Z ~ N(0, I) independent. */
export function scaleAndNoise(law: GaussianLaw, scale: number, noise: number): GaussianLaw {
  const d = law.mean.length;
  const cov = law.cov.map((v) => scale * scale * v);
  for (let i = 0; i < d; i++) cov[i * d + i] = cov[i * d + i]! + noise * noise;
  return { mean: law.mean.map((v) => scale * v), cov };
}

/** The exact marginal a·X₀ + s·Z of a single Gaussian target. */
export function gaussianMarginal(target: GaussianMixture, a: number, s: number): GaussianLaw {
  return scaleAndNoise({ mean: Float64Array.from(target.means[0]!), cov: Float64Array.from(target.covariances[0]!) }, a, s);
}

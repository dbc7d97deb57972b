/**
 * Gaussian laws pushed through affine maps, exactly: x ↦ Ax + b maps N(m, S) to N(Am + b, ASAᵀ), and re-noising
 * (scale·X + noise·Z) adds a multiple of the identity. Models that are affine in x at a fixed t (the exact f* of a
 * Gaussian target, offset and scaled controls, the affine grid class) turn sampling checks into closed forms with
 * Bures W₂, no Monte Carlo.
 */
import type { ExactTarget } from './exactTarget.ts';
import { GaussianMixture } from './gaussianMixture.ts';

/** N(mean, cov), cov d×d row-major. */
export interface GaussianLaw {
  readonly mean: Float64Array;
  readonly cov: Float64Array;
}

/** x ↦ A x + b (A d×d row-major). */
export interface AffineMap {
  readonly A: Float64Array;
  readonly b: Float64Array;
  /** Largest relative residual of the affine fit at the verification points (see `probeAffine`). */
  readonly residual: number;
}

/** Whether the target is one Gaussian (a one-component mixture). */
export function isSingleGaussian(target: ExactTarget): target is GaussianMixture {
  return target instanceof GaussianMixture && target.components === 1;
}

/** The law of A X + b for X ~ N(m, S); the covariance is symmetrised against rounding. */
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

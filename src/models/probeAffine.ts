/**
 * Whether a consistency function is affine in x at a fixed t, and its map x ↦ Ax + b if so (for the closed-form
 * pushforwards of `distributions/gaussianLaw.ts`).
 */
import type { AffineMap } from '../distributions/gaussianLaw.ts';
import type { Rng } from '../random/rng.ts';
import type { ConsistencyFunction } from './consistencyFunction.ts';

/** Relative residual below which a probed model counts as affine (ODE-free closed forms reach 1e-13). */
export const AFFINE_RTOL = 1e-9;

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
  const verificationPoints = 4;
  const z = rng.fillNormal(new Float64Array(verificationPoints * d));
  const test = new Float64Array(verificationPoints * d);
  for (let k = 0; k < verificationPoints * d; k++) test[k] = centre[k % d]! + scale * z[k]!;
  const fy = f.evaluate({ n: verificationPoints, d, data: test }, t).data;
  let residual = 0;
  for (let p = 0; p < verificationPoints; p++) {
    for (let r = 0; r < d; r++) {
      let v = b[r]!;
      for (let c = 0; c < d; c++) v += A[r * d + c]! * test[p * d + c]!;
      residual = Math.max(residual, Math.abs(v - fy[p * d + r]!) / (Math.abs(fy[p * d + r]!) + scale));
    }
  }
  return residual <= AFFINE_RTOL ? { A, b, residual } : undefined;
}

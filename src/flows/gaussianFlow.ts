import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { GaussianMixture } from '../distributions/gaussianMixture.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';

/**
 * Closed-form PF-ODE flow of a single Gaussian N(μ, Σ) (THEORY §4.4): with Σ = U diag(λ) Uᵀ and
 * c_i(t) = a_t²λ_i + s_t², Φ_{t→u}(x) = a_uμ + U diag(√(c_i(u)/c_i(t))) Uᵀ (x − a_tμ), and ∂Φ/∂x is the
 * matrix in the middle. Exact up to rounding (errorBound: 8 ulps of the largest coordinate, a bound on the
 * O(d) rounding of two rotations for d ≤ 64 well-conditioned inputs).
 */
export function gaussianFlow(target: GaussianMixture, process: ForwardProcess, x: PointBatch, from: number, to: number, withJacobian: boolean): { y: PointBatch; jacobian?: Float64Array; errorBound: number } {
  const d = target.dim;
  const mu = target.means[0]!;
  const { values, vectors: U } = target.eigen[0]!;
  const at = process.signalScale(from), st = process.noiseScale(from);
  const au = process.signalScale(to), su = process.noiseScale(to);
  const gain = new Float64Array(d);
  for (let i = 0; i < d; i++) gain[i] = Math.sqrt((au * au * values[i]! + su * su) / (at * at * values[i]! + st * st));
  // M = U diag(gain) Uᵀ
  const M = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += U[a * d + j]! * gain[j]! * U[b * d + j]!;
      M[a * d + b] = v;
    }
  }
  const y = pointBatch(x.n, d);
  let scale = 0;
  for (let i = 0; i < x.n; i++) {
    for (let a = 0; a < d; a++) {
      let v = au * mu[a]!;
      for (let b = 0; b < d; b++) v += M[a * d + b]! * (x.data[i * d + b]! - at * mu[b]!);
      y.data[i * d + a] = v;
      scale = Math.max(scale, Math.abs(v));
    }
  }
  const errorBound = 8 * Number.EPSILON * d * Math.max(scale, 1);
  if (!withJacobian) return { y, errorBound };
  const jacobian = new Float64Array(x.n * d * d);
  for (let i = 0; i < x.n; i++) jacobian.set(M, i * d * d);
  return { y, jacobian, errorBound };
}

/**
 * Independent reference for src/flows/solvers/pfOdeStep.ts, kept to cross-check it (test/unit/flows/pfOdeStep.spec.ts):
 * one step of a PF-ODE solver on VE (σ(t) = t, dx/dt = −t∇log p_t(x)) driven by the exact score of a target, written
 * directly in x and t from Song et al. Eq. (6) and THEORY §5.1 rather than in the library's VE-equivalent variables.
 * Not used by any check.
 */
import type { ExactTarget, PointBatch } from '../../src/index.ts';

/**
 * 'euler': x + (t_n − t_{n+1})·(−t_{n+1}∇log p) (Eq. 6); 'heun': the trapezoidal corrector on top;
 * 'euler-missing-t-factor': the handwritten note's x + (t_{n+1} − t_n)·∇log p, without the factor t_{n+1} (THEORY §5.1 item 2).
 */
export type VeSolver = 'euler' | 'heun' | 'euler-missing-t-factor';

/** v(x, t) = −t∇log p_t(x) = (x − E[X₀ | X_t = x])/t on VE. */
function velocity(target: ExactTarget, x: Float64Array, n: number, t: number): Float64Array {
  const D = new Float64Array(x.length);
  target.noised(1, t).posteriorMeanInto(x, 0, n, D, 0);
  for (let k = 0; k < x.length; k++) D[k] = (x[k]! - D[k]!) / t;
  return D;
}

/** One step of `solver` from `from` to `to` (either direction), on VE with the target's exact score. */
export function veSolverStep(target: ExactTarget, x: PointBatch, from: number, to: number, solver: VeSolver): PointBatch {
  const h = to - from;
  const out = new Float64Array(x.data.length);
  const v1 = velocity(target, x.data, x.n, from);
  if (solver === 'euler-missing-t-factor') {
    // x + (t_{n+1} − t_n)·∇log p = x − h·(−v/t)·… : ∇log p = −v/t, and (t_{n+1} − t_n) = −h
    for (let k = 0; k < out.length; k++) out[k] = x.data[k]! + h * (v1[k]! / from);
    return { n: x.n, d: x.d, data: out };
  }
  for (let k = 0; k < out.length; k++) out[k] = x.data[k]! + h * v1[k]!;
  if (solver === 'euler') return { n: x.n, d: x.d, data: out };
  const v2 = velocity(target, out, x.n, to);
  for (let k = 0; k < out.length; k++) out[k] = x.data[k]! + 0.5 * h * (v1[k]! + v2[k]!);
  return { n: x.n, d: x.d, data: out };
}


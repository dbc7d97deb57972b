/**
 * Private helper of the issue-6 checks: one step of a PF-ODE solver on VE (σ(t) = t, dx/dt = −t∇log p_t(x)) driven by
 * the exact score of a target, from time `from` down to `to`. The training variants keep their solver step private
 * (src/training/variants/consistencyDistillation.ts), so the checks carry their own copy, written from Song et al.
 * Eq. (6) and THEORY §5.1 — not shared code, so a defect in one is not hidden by the other.
 * Not a statement file (leading `_`).
 */
import type { PointBatch } from '../../src/core/pointBatch.ts';
import type { ExactTarget } from '../../src/distributions/exactTarget.ts';

/**
 * 'euler': x + (t_n − t_{n+1})·(−t_{n+1}∇log p) (Eq. 6); 'heun': the trapezoidal corrector on top;
 * 'note-missing-t': the handwritten note's x + (t_{n+1} − t_n)·∇log p, without the factor t_{n+1} (THEORY §5.1 item 2).
 */
export type VeSolver = 'euler' | 'heun' | 'note-missing-t';

/** Local order of accuracy p (global error O(h^p)) of each solver; 0 for the inconsistent note step. */
export const SOLVER_ORDER: Readonly<Record<VeSolver, number>> = { euler: 1, heun: 2, 'note-missing-t': 0 };

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
  if (solver === 'note-missing-t') {
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

/** Gain of one step on a 1-D Gaussian direction of variance λ (mean removed): x ↦ g·x. Closed forms of the above. */
export function veSolverGain(lambda: number, from: number, to: number, solver: VeSolver): number {
  const h = to - from;
  const a1 = from / (lambda + from * from);
  if (solver === 'note-missing-t') return 1 + h / (lambda + from * from);
  const gE = 1 + h * a1;
  if (solver === 'euler') return gE;
  return 1 + 0.5 * h * (a1 + (to * gE) / (lambda + to * to));
}

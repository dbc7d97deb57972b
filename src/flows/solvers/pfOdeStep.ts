import type { PointBatch } from '../../core/pointBatch.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';
import type { ForwardProcess } from '../../processes/forwardProcess.ts';

/**
 * One step of a probability-flow ODE solver driven by the target's EXACT score (Song et al. 2023, Eq. 6):
 * 'euler': y + h·(y − D(y, σ))/σ, 'heun': the trapezoidal corrector on top, both in the VE-equivalent variables
 * y = x/a, σ (dy/dσ = (y − D)/σ with D = E[X₀ | X₀ + σZ = y]), h = σ_to − σ_from;
 * 'euler-missing-t-factor': NEGATIVE CONTROL — the handwritten note's step x + (t_{n+1} − t_n)·∇log p without the
 * factor t_{n+1} of the velocity −t∇log p (THEORY §5.1 item 2): y − h·(D − y)/σ², an inconsistent scheme.
 */
export type PfOdeSolver = 'euler' | 'heun' | 'euler-missing-t-factor';

/** Order p of each solver (global error O(h^p)); 0 for the inconsistent note step. */
export const PF_ODE_SOLVER_ORDER: Readonly<Record<PfOdeSolver, number>> = { euler: 1, heun: 2, 'euler-missing-t-factor': 0 };

/** One step of `solver` from time `from` to `to` (either direction), returned in x-space at `to`. */
export function pfOdeStep(target: ExactTarget, process: ForwardProcess, x: PointBatch, from: number, to: number, solver: PfOdeSolver): PointBatch {
  const aFrom = process.signalScale(from);
  const aTo = process.signalScale(to);
  const sFrom = process.sigma(from);
  const sTo = process.sigma(to);
  const h = sTo - sFrom;
  const y = x.data.map((v) => v / aFrom);
  const D = new Float64Array(y.length);
  target.noised(1, sFrom).posteriorMeanInto(y, 0, x.n, D, 0);
  const out = new Float64Array(y.length);
  if (solver === 'euler-missing-t-factor') {
    // ∇log p = (D − y)/σ²; the factor σ of the velocity −σ∇log p is missing
    for (let k = 0; k < y.length; k++) out[k] = aTo * (y[k]! - h * ((D[k]! - y[k]!) / (sFrom * sFrom)));
    return { n: x.n, d: x.d, data: out };
  }
  const k1 = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) k1[k] = (y[k]! - D[k]!) / sFrom;
  if (solver === 'euler') {
    for (let k = 0; k < y.length; k++) out[k] = aTo * (y[k]! + h * k1[k]!);
    return { n: x.n, d: x.d, data: out };
  }
  const ye = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) ye[k] = y[k]! + h * k1[k]!;
  const D2 = new Float64Array(y.length);
  target.noised(1, sTo).posteriorMeanInto(ye, 0, x.n, D2, 0);
  for (let k = 0; k < y.length; k++) out[k] = aTo * (y[k]! + 0.5 * h * (k1[k]! + (ye[k]! - D2[k]!) / sTo));
  return { n: x.n, d: x.d, data: out };
}

/**
 * The same steps on VE (σ = t) in closed form for one eigen-direction of a Gaussian target with variance λ (mean
 * removed): each step is x ↦ g·x, and this returns g. D = λy/(λ + σ²) gives (y − D)/σ = σy/(λ + σ²).
 */
export function pfOdeStepGainVe(lambda: number, from: number, to: number, solver: PfOdeSolver): number {
  const h = to - from;
  const a1 = from / (lambda + from * from);
  if (solver === 'euler-missing-t-factor') return 1 + h / (lambda + from * from);
  const gE = 1 + h * a1;
  if (solver === 'euler') return gE;
  return 1 + 0.5 * h * (a1 + (to * gE) / (lambda + to * to));
}

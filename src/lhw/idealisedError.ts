import type { LhwSchedule } from '../processes/lhwSchedule.ts';
import { gaussianMeanNorm } from '../numerics/meanNorm.ts';
import { couplingCoefficients, type Coupling } from './ctRecursion.ts';

/** The idealised errors of Li–Huang–Wei consistency training on one schedule (ε = ε_F = 0, THEORY §1.10). */
export interface GaussianIdealisedErrors {
  /** D_T = Σ_{t=2}^T E‖Δ_t(X_t)‖, Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x) (the sum in the master inequality). */
  readonly D: number;
  /** W_ideal = E‖f*_T(X_T) − Φ_T(X_T)‖ (the synchronous-coupling bound on W₁; = W₁ in 1-D). */
  readonly W: number;
}

/**
 * D_T and W_ideal for N(μ, U diag λ Uᵀ) on an LHW schedule, in closed form per eigen-direction (THEORY §5.3):
 * Δ_t(X_t) ~ N(0, diag σ²_{t,i}) with σ²_{t,i} = (c_{1,i}/c_{t−1,i})·(e_{t,i} − √(c_{t−1,i}/c_{t,i}))²·c_{t,i},
 * c_{t,i} = ᾱ_tλ_i + 1 − ᾱ_t and e_{t,i} = a_x + a₀√ᾱ_tλ_i/c_{t,i} the coupling's conditional-mean gain (for CT,
 * e_t = cos Δφ_t·√(c_{t−1}/c_t)); f*_T − Φ_T has gain Π_t e_t − √(c₁/c_T) per direction. For a non-CT coupling the same
 * sum is the master-inequality bound of its recursion (Φ_{t−1} is affine, so only the conditional-mean gain enters).
 *
 * @param norm 'mean': the exact E‖·‖ of each Gaussian (√(2/π)σ in 1-D, the Laplace identity for d > 1);
 *   'rms': (E‖·‖²)^{1/2}, an upper bound with the same rate.
 */
export function gaussianIdealisedErrors(lambdas: ArrayLike<number>, schedule: LhwSchedule, coupling: Coupling, norm: 'mean' | 'rms' = 'mean'): GaussianIdealisedErrors {
  const d = lambdas.length;
  const size = (variances: Float64Array): number => (norm === 'mean' ? gaussianMeanNorm(variances) : Math.sqrt(variances.reduce((s, v) => s + v, 0)));
  const c = (t: number, lam: number): number => schedule.alphaBars[t]! * lam + schedule.oneMinusAlphaBars[t]!;
  const gains = new Float64Array(d).fill(1);
  const variances = new Float64Array(d);
  let D = 0;
  for (let t = 2; t <= schedule.T; t++) {
    const { ax, a0 } = couplingCoefficients(schedule, coupling, t);
    for (let i = 0; i < d; i++) {
      const lam = lambdas[i]!;
      const e = ax + (a0 * Math.sqrt(schedule.alphaBars[t]!) * lam) / c(t, lam);
      gains[i] = gains[i]! * e;
      variances[i] = (c(1, lam) / c(t - 1, lam)) * (e - Math.sqrt(c(t - 1, lam) / c(t, lam))) ** 2 * c(t, lam);
    }
    D += size(variances);
  }
  const T = schedule.T;
  for (let i = 0; i < d; i++) {
    const lam = lambdas[i]!;
    variances[i] = (gains[i]! - Math.sqrt(c(1, lam) / c(T, lam))) ** 2 * c(T, lam);
  }
  return { D, W: size(variances) };
}

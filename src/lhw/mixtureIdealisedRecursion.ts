import { ValidationError } from '../core/errors.ts';
import { pointBatch } from '../core/pointBatch.ts';
import { GaussianMixture } from '../distributions/gaussianMixture.ts';
import type { LhwSchedule } from '../processes/lhwSchedule.ts';
import { couplingCoefficients, settingFlow, type ConsistencySequence, type Coupling } from './ctRecursion.ts';
import { chebyshevNodes, evaluateChebyshev, type ChebyshevFunction } from '../numerics/chebyshev.ts';
import { gaussHermite } from '../numerics/gaussHermite.ts';
import { posteriorMixture } from './posteriorMixture.ts';

export interface MixtureRecursionOptions {
  /** Chebyshev points of the representation of each f_t. @defaultValue 97 */
  readonly nodes?: number;
  /** Gauss–Hermite nodes per posterior component. @defaultValue 12 */
  readonly hermite?: number;
}

/**
 * The idealised recursion f₁ = id, f_t(x) = E[f_{t−1}(X_{t−1}) | X_t = x] for a 1-D Gaussian mixture on an LHW schedule
 * (THEORY §1.5, §6.1 LHW-T1(a) "1-D recursion on a grid with Gauss–Hermite posterior quadrature"). Each f_t is held as
 * its values at Chebyshev–Lobatto points of one interval that carries every marginal to ±9 sd; the conditional
 * expectation is Gauss–Hermite over each component of the exact posterior pushed through the coupling.
 * Returns f_T; validate it against the Gaussian closed form (`gaussianIdealisedSequence`).
 */
export function mixtureIdealisedRecursion(target: GaussianMixture, schedule: LhwSchedule, coupling: Coupling, options: MixtureRecursionOptions = {}): ChebyshevFunction {
  if (!(target instanceof GaussianMixture) || target.dim !== 1) {
    throw new ValidationError('E_UNSUPPORTED', 'the grid recursion needs a 1-D Gaussian mixture', 'target');
  }
  const n = options.nodes ?? 97;
  const rule = gaussHermite(options.hermite ?? 12);
  // One interval for all steps: |X_t| ≤ max(|μ_k|) + 9·max(√λ_k, 1) since √ᾱ ≤ 1 and ᾱλ + 1 − ᾱ ≤ max(λ, 1).
  let reach = 0;
  target.means.forEach((m, k) => (reach = Math.max(reach, Math.abs(m[0]!) + 9 * Math.max(Math.sqrt(target.covariances[k]![0]!), 1))));
  const a = -reach;
  const b = reach;
  const nodes = chebyshevNodes(a, b, n);
  let current: ChebyshevFunction = { a, b, nodes, values: Float64Array.from(nodes) }; // f₁ = id
  for (let t = 2; t <= schedule.T; t++) {
    const { ax, a0, noise } = couplingCoefficients(schedule, coupling, t);
    const marginal = target.noised(Math.sqrt(schedule.alphaBars[t]!), Math.sqrt(schedule.oneMinusAlphaBars[t]!));
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = nodes[i]!;
      const post = posteriorMixture(target, marginal, Float64Array.of(x));
      let v = 0;
      post.weights.forEach((r, k) => {
        if (!(r > 0)) return;
        const mean = ax * x + a0 * post.means[k]![0]!;
        const sd = Math.sqrt(a0 * a0 * post.variances[k]![0]! + noise * noise);
        let e = 0;
        for (let g = 0; g < rule.nodes.length; g++) e += rule.weights[g]! * evaluateChebyshev(current, mean + sd * rule.nodes[g]!);
        v += r * e;
      });
      values[i] = v;
    }
    current = { a, b, nodes, values };
  }
  return current;
}

/**
 * W_ideal(T) = E|f_T(X_T) − Φ_T(X_T)| for a 1-D mixture, by the trapezoid rule on ±8 sd of p_T (`gridPoints` points)
 * with the quantile-map flow Φ_T = Φ_{T→1}.
 */
export function mixtureIdealisedError(target: GaussianMixture, schedule: LhwSchedule, fT: ChebyshevFunction, gridPoints = 401): number {
  const T = schedule.T;
  const marginal = target.noised(Math.sqrt(schedule.alphaBars[T]!), Math.sqrt(schedule.oneMinusAlphaBars[T]!));
  const [lo, hi] = marginal.range1d(8);
  const x = pointBatch(gridPoints, 1);
  for (let i = 0; i < gridPoints; i++) x.data[i] = lo + ((hi - lo) * i) / (gridPoints - 1);
  const phi = settingFlow({ target, schedule }, 'quantile-map').map(x, schedule.timeOfStep(T), schedule.timeOfStep(1)).y;
  let num = 0;
  let den = 0;
  for (let i = 0; i < gridPoints; i++) {
    const w = marginal.density1d(x.data[i]!) * (i === 0 || i === gridPoints - 1 ? 0.5 : 1);
    num += w * Math.abs(evaluateChebyshev(fT, x.data[i]!) - phi.data[i]!);
    den += w;
  }
  return num / den;
}

/**
 * A lower bound on L_f for a 1-D mixture: max over a grid on ±8 sd of p_T of Φ′_{T→1} = p_T/p_1∘Φ (quantile maps),
 * the pair that dominates for well-separated data (THEORY §4.5). A sup-type lower bound, not the exact L_f.
 */
export function mixtureFlowLipschitzLowerBound(target: GaussianMixture, schedule: LhwSchedule, gridPoints = 201): number {
  const T = schedule.T;
  const marginal = target.noised(Math.sqrt(schedule.alphaBars[T]!), Math.sqrt(schedule.oneMinusAlphaBars[T]!));
  const [lo, hi] = marginal.range1d(8);
  const x = pointBatch(gridPoints, 1);
  for (let i = 0; i < gridPoints; i++) x.data[i] = lo + ((hi - lo) * i) / (gridPoints - 1);
  const { jacobian } = settingFlow({ target, schedule }, 'quantile-map').jacobian(x, schedule.timeOfStep(T), schedule.timeOfStep(1));
  return Math.max(1, ...jacobian);
}

/**
 * The output map f_T of a grid recursion as a sequence that can be evaluated at t = T (and t = 1, the identity) only:
 * enough for Theorem 1's W₁ bounds with a declared training error.
 */
export function finalStepSequence(f: ChebyshevFunction, T: number, label: string): ConsistencySequence {
  return {
    label,
    T,
    evaluate(t, x) {
      if (t === 1) return pointBatch(x.n, x.d, Float64Array.from(x.data));
      if (t !== T) throw new ValidationError('E_UNSUPPORTED', `only f_T (t = ${T}) and f_1 are available from a grid recursion, asked for t = ${t}`, 't');
      return pointBatch(x.n, 1, x.data.map((v) => evaluateChebyshev(f, v)));
    },
  };
}

import { ValidationError } from '../core/errors.ts';
import { buresWasserstein } from './buresWasserstein.ts';

/** A Gaussian component N(mean, covariance), covariance d×d row-major. */
export interface GaussianComponent {
  readonly mean: ArrayLike<number>;
  readonly covariance: ArrayLike<number>;
}

/**
 * An upper bound on W₂ between two Gaussian mixtures with the same weights, Σ_k w_k N(a_k, A_k) and
 * Σ_k w_k N(b_k, B_k): W₂² ≤ Σ_k w_k W₂(N(a_k, A_k), N(b_k, B_k))², each term by the Bures formula.
 *
 * @remarks The mixture of the components' optimal couplings, with weights w_k, couples the two mixtures (W₂² is
 * jointly convex), so the bound holds for any pairing of the components; it is exact when there is one component.
 * Used for W₂(N(0, s²I), p_t) (every component of the prior paired with the noised component k of the target) and
 * for the early-stopping term W₂(p_δ, p_data) (component k noised against component k). Accuracy: each Bures term
 * carries the absolute error ≈ √(ε·tr Σ) of {@link buresWasserstein}.
 *
 * @param weights - w_k ≥ 0, summing to 1 (to 1e-9).
 * @throws ValidationError (`weights`, `componentsA`, `componentsB`) for mismatched lengths, negative or non-summing
 *   weights; the Bures formula's errors for invalid components.
 */
export function pairedComponentsWasserstein2Bound(weights: ArrayLike<number>, componentsA: readonly GaussianComponent[], componentsB: readonly GaussianComponent[]): number {
  const K = weights.length;
  if (K < 1) throw new ValidationError('E_INVALID_INPUT', 'must have at least one weight', 'weights');
  if (componentsA.length !== K) throw new ValidationError('E_DIMENSION', `has ${componentsA.length} components, expected ${K} like weights`, 'componentsA');
  if (componentsB.length !== K) throw new ValidationError('E_DIMENSION', `has ${componentsB.length} components, expected ${K} like weights`, 'componentsB');
  let total = 0;
  for (let k = 0; k < K; k++) {
    const w = weights[k]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new ValidationError('E_INVALID_INPUT', `weight ${k} must be finite and ≥ 0, got ${w}`, 'weights');
    total += w;
  }
  if (Math.abs(total - 1) > 1e-9) throw new ValidationError('E_INVALID_INPUT', `must sum to 1, sum is ${total}`, 'weights');
  let sum = 0;
  for (let k = 0; k < K; k++) {
    if (weights[k] === 0) continue;
    const a = componentsA[k]!;
    const b = componentsB[k]!;
    sum += weights[k]! * buresWasserstein(a.mean, a.covariance, b.mean, b.covariance) ** 2;
  }
  return Math.sqrt(sum);
}

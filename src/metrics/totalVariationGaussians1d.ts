import erfc from '@stdlib/math-base-special-erfc';
import { ValidationError } from '../core/errors.ts';
import { normalCdf, normalSurvival } from '../numerics/normalDistribution.ts';

/**
 * Exact total-variation distance between two 1-D Gaussians N(m₁, s₁²) and N(m₂, s₂²):
 * TV = sup_A |P(A) − Q(A)| = ½ ∫ |p − q|, in [0, 1].
 *
 * @remarks
 * Standardise by the first law: z = (x − m₁)/s₁, so P = N(0, 1) and Q = N(μ, τ²) with μ = (m₂ − m₁)/s₁, τ = s₂/s₁.
 * - τ = 1 (equal variances): one crossing at μ/2 and TV = 2Φ(|μ|/2) − 1 = erf(|μ|/(2√2)), computed with erf (a
 *   series for small arguments, 1 − erfc otherwise) so small distances keep full relative precision.
 * - τ ≠ 1: the densities cross where (1 − τ²) z² − 2μ z + μ² + 2τ² log τ = 0, i.e. at
 *   z = (μ ± τR)/(1 − τ²) with R = √(μ² + 2(τ² − 1) log τ) (R² ≥ μ² > 0 since (τ² − 1) log τ ≥ 0). The roots are taken
 *   in the cancellation-free form z₁ = q/(1 − τ²), z₂ = (μ² + 2τ² log τ)/q with q = μ + sign(μ)·τR; as τ → 1 one root
 *   runs off to ±∞, which the normal CDF handles. On I = [z_lo, z_hi] the narrower law has the larger density, so
 *   TV = |P(I) − Q(I)| = |Q(Iᶜ) − P(Iᶜ)|; the complement form is used when both masses of I exceed ½ (no
 *   cancellation of probabilities near 1), with tails from erfc (full relative precision).
 * Used for the smoothing surrogate of THEORY §2.5 / §6.2 (LYU-TV): TV(N(x,σ²), N(y,σ²)) = 2Φ(|x−y|/2σ) − 1.
 *
 * Complexity: O(1).
 *
 * @param meanA - m₁, finite.
 * @param sdA - s₁ > 0 (a standard deviation, not a variance).
 * @param meanB - m₂, finite.
 * @param sdB - s₂ > 0.
 * @throws ValidationError naming the argument for a non-finite mean or a non-positive / non-finite sd.
 */
export function totalVariationGaussians1d(meanA: number, sdA: number, meanB: number, sdB: number): number {
  for (const [v, field] of [[meanA, 'meanA'], [meanB, 'meanB']] as const) {
    if (!Number.isFinite(v)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${v}`, field);
  }
  for (const [v, field] of [[sdA, 'sdA'], [sdB, 'sdB']] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValidationError('E_INVALID_INPUT', `must be a finite positive standard deviation, got ${v}`, field);
  }
  const mu = (meanB - meanA) / sdA;
  const tau = sdB / sdA;
  if (tau === 1) return erf(Math.abs(mu) / (2 * Math.SQRT2));
  const oneMinusTau2 = (1 - tau) * (1 + tau);
  const logTau = Math.log(tau);
  const r = Math.sqrt(mu * mu + 2 * (tau - 1) * (tau + 1) * logTau);
  const q = mu + (mu >= 0 ? 1 : -1) * tau * r;
  const z1 = q / oneMinusTau2;
  const z2 = (mu * mu + 2 * tau * tau * logTau) / q;
  const lo = Math.min(z1, z2);
  const hi = Math.max(z1, z2);
  // Masses of I = [lo, hi] under P = N(0,1) and Q = N(μ, τ²), and of its complement (two tails each).
  const tailsP = normalCdf(lo) + normalSurvival(hi);
  const tailsQ = normalCdf((lo - mu) / tau) + normalSurvival((hi - mu) / tau);
  const insideP = intervalMass(lo, hi);
  const insideQ = intervalMass((lo - mu) / tau, (hi - mu) / tau);
  const tv = insideP > 0.5 && insideQ > 0.5 ? Math.abs(tailsQ - tailsP) : Math.abs(insideP - insideQ);
  return Math.min(1, tv);
}

/** P(lo ≤ Z ≤ hi) for Z ~ N(0,1), computed on the side of the tails that avoids cancellation. */
function intervalMass(lo: number, hi: number): number {
  if (hi <= 0) return normalCdf(hi) - normalCdf(lo);
  if (lo >= 0) return normalSurvival(lo) - normalSurvival(hi);
  return 1 - normalCdf(lo) - normalSurvival(hi);
}

/** erf with full relative precision near 0 (Maclaurin series) and via erfc elsewhere. */
function erf(x: number): number {
  if (Math.abs(x) < 0.5) {
    // erf x = (2/√π) Σ (−1)^k x^{2k+1} / (k! (2k+1)); |x| < 0.5 converges to 1 ulp within 20 terms.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 1; k < 30; k++) {
      term *= -x2 / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  return x > 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

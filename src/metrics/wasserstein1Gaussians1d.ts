import { ValidationError } from '../core/errors.ts';
import { normalCdf } from '../numerics/normalDistribution.ts';

/**
 * W₁ between two 1-D Gaussians N(m₁, s₁²) and N(m₂, s₂²) (a zero sd is a point mass): the quantile coupling is
 * optimal in 1-D, so W₁ = E|a + bZ| with a = m₁ − m₂, b = |s₁ − s₂|, the folded-normal mean
 * b√(2/π)·e^{−a²/(2b²)} + a(1 − 2Φ(−a/b)) (|a| when b = 0).
 *
 * @param meanA - m₁, finite.
 * @param sdA - s₁ ≥ 0 (a standard deviation, not a variance).
 * @param meanB - m₂, finite.
 * @param sdB - s₂ ≥ 0.
 * @throws ValidationError naming the argument for a non-finite mean or a negative / non-finite sd.
 */
export function wasserstein1Gaussians1d(meanA: number, sdA: number, meanB: number, sdB: number): number {
  for (const [v, field] of [[meanA, 'meanA'], [meanB, 'meanB']] as const) {
    if (!Number.isFinite(v)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${v}`, field);
  }
  for (const [v, field] of [[sdA, 'sdA'], [sdB, 'sdB']] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new ValidationError('E_INVALID_INPUT', `must be a finite standard deviation ≥ 0, got ${v}`, field);
  }
  const a = meanA - meanB;
  const b = Math.abs(sdA - sdB);
  if (b === 0) return Math.abs(a);
  return b * Math.sqrt(2 / Math.PI) * Math.exp(-(a * a) / (2 * b * b)) + a * (1 - 2 * normalCdf(-a / b));
}

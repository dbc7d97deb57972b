import { describe, expect, it } from 'vitest';
import { buresWasserstein } from '../../../src/metrics/buresWasserstein.ts';

/** R·diag(values)·Rᵀ for the rotation R by angle t in the (0, 1) plane of R³. */
function rotatedDiagonal(values: readonly number[], t: number): Float64Array {
  const c = Math.cos(t);
  const s = Math.sin(t);
  const r = [c, -s, 0, s, c, 0, 0, 0, 1];
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j] = out[i * 3 + j]! + r[i * 3 + k]! * values[k]! * r[j * 3 + k]!;
  return out;
}

describe('buresWasserstein', () => {
  it('equals its definition ‖m₁−m₂‖² + ‖Σ₁^{1/2} − Σ₂^{1/2}‖_F² on commuting covariances', () => {
    const a = [4, 1, 0.25];
    const b = [1, 9, 0.25];
    const m1 = [0, 1, 2];
    const m2 = [1, 1, -1];
    const expected = Math.sqrt(1 + 9 + a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i]!)) ** 2, 0));
    for (const t of [0, 0.3, 1.1]) {
      const value = buresWasserstein(m1, rotatedDiagonal(a, t), m2, rotatedDiagonal(b, t));
      // Two eigendecompositions of well-conditioned 3×3 matrices: 1e-12 relative.
      expect(Math.abs(value - expected)).toBeLessThan(1e-12 * expected);
    }
  });

  it('matches scipy.linalg.sqrtm on non-commuting covariances', () => {
    // numpy/scipy: sqrt(|m1−m2|² + tr A + tr B − 2 tr sqrtm(sqrtm(A) B sqrtm(A))) = 2.845141681368903.
    const A = [2, 0.5, 0.1, 0.5, 1, 0.2, 0.1, 0.2, 0.5];
    const B = [1, -0.3, 0, -0.3, 2, 0.4, 0, 0.4, 1.5];
    const value = buresWasserstein([0, 1, 2], A, [1, -1, 0.5], B);
    expect(Math.abs(value - 2.845141681368903)).toBeLessThan(1e-12 * 2.845141681368903);
    // Symmetric in its two arguments.
    expect(Math.abs(buresWasserstein([1, -1, 0.5], B, [0, 1, 2], A) - value)).toBeLessThan(1e-12 * value);
  });

  it('allows singular covariances: N(0, e₁e₁ᵀ) vs N(0, e₂e₂ᵀ) has W₂² = 2', () => {
    expect(Math.abs(buresWasserstein([0, 0], [1, 0, 0, 0], [0, 0], [0, 0, 0, 1]) - Math.SQRT2)).toBeLessThan(4 * Number.EPSILON);
  });

  it('is 0 for identical Gaussians up to the documented √(ε·tr Σ) resolution', () => {
    const S = [2, 0.5, 0.1, 0.5, 1, 0.2, 0.1, 0.2, 0.5];
    expect(buresWasserstein([1, 2, 3], S, [1, 2, 3], S)).toBeLessThan(Math.sqrt(16 * Number.EPSILON * 3.5));
  });

  it('names a non-symmetric or indefinite covariance and a dimension mismatch', () => {
    expect(() => buresWasserstein([0, 0], [1, 0.5, 0, 1], [0, 0], [1, 0, 0, 1])).toThrow(/^covarianceA: entries \(0,1\)/);
    expect(() => buresWasserstein([0, 0], [1, 0, 0, 1], [0, 0], [1, 2, 2, 1])).toThrow(/^covarianceB: must be positive semi-definite/);
    expect(() => buresWasserstein([0, 0], [1, 0, 0, 1], [0], [1])).toThrow(/^meanB: has length 1, expected 2/);
    expect(() => buresWasserstein([0, Number.NaN], [1, 0, 0, 1], [0, 0], [1, 0, 0, 1])).toThrow(/^meanA\[1\]/);
  });
});

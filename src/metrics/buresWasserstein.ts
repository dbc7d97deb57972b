import { ValidationError } from '../core/errors.ts';
import { symmetricEigen } from '../numerics/symmetricEigen.ts';

/**
 * Exact W₂ between two Gaussians N(m₁, Σ₁) and N(m₂, Σ₂) on ℝ^d (the Bures–Wasserstein formula).
 *
 * @remarks
 * W₂² = ‖m₁ − m₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}  (Dowson & Landau 1982; Givens & Shortt 1984).
 * Σ₁^{1/2} comes from the symmetric eigendecomposition Σ₁ = U diag(λ) Uᵀ (ml-matrix tred2/tql2), and the trace of
 * the inner square root is Σ_i √μ_i over the eigenvalues μ_i of the (symmetrised) middle matrix, with rounding-level
 * negative eigenvalues set to 0. For commuting covariances it reduces to ‖m₁−m₂‖² + ‖Σ₁^{1/2} − Σ₂^{1/2}‖_F².
 *
 * Accuracy: W₂² carries an absolute error of order ε·d·(tr Σ₁ + tr Σ₂) from the cancellation of the trace terms, so
 * for nearly equal Gaussians W₂ itself is resolved only down to ≈ √(ε·tr Σ) (about 1e-8 for unit covariances).
 * Singular (positive semi-definite) covariances are allowed.
 *
 * Complexity: O(d³) (two symmetric eigendecompositions and a d×d×d product).
 *
 * @param meanA - m₁, length d.
 * @param covarianceA - Σ₁, d×d row-major, symmetric positive semi-definite.
 * @param meanB - m₂, length d.
 * @param covarianceB - Σ₂, d×d row-major, symmetric positive semi-definite.
 * @returns W₂ (not squared).
 * @throws ValidationError naming the argument: `E_DIMENSION` (lengths), `E_NON_FINITE`, `E_NOT_SYMMETRIC`
 *   (asymmetry above 1e-12 relative), `E_NOT_SPD` (an eigenvalue below −1e-12·‖Σ‖).
 * @see POT `ot.gaussian.bures_wasserstein_distance`; Peyré & Cuturi (2019), Remark 2.31.
 */
export function buresWasserstein(
  meanA: ArrayLike<number>,
  covarianceA: ArrayLike<number>,
  meanB: ArrayLike<number>,
  covarianceB: ArrayLike<number>,
): number {
  const d = meanA.length;
  if (d < 1) throw new ValidationError('E_DIMENSION', 'must have at least one coordinate', 'meanA');
  if (meanB.length !== d) throw new ValidationError('E_DIMENSION', `has length ${meanB.length}, expected ${d} like meanA`, 'meanB');
  const mA = checkedVector(meanA, 'meanA');
  const mB = checkedVector(meanB, 'meanB');
  const sA = checkedCovariance(covarianceA, d, 'covarianceA');
  const sB = checkedCovariance(covarianceB, d, 'covarianceB');

  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mA[i]! - mB[i]!) ** 2;
  let traceA = 0;
  let traceB = 0;
  for (let i = 0; i < d; i++) {
    traceA += sA[i * d + i]!;
    traceB += sB[i * d + i]!;
  }
  const rootA = symmetricSquareRoot(sA, d, 'covarianceA');
  symmetricSquareRoot(sB, d, 'covarianceB'); // validates Σ₂ ⪰ 0 (a negative eigenvalue would be silently clamped below)
  // middle = rootA · Σ₂ · rootA, symmetrised so the eigensolver sees an exactly symmetric matrix.
  const temp = multiply(rootA, sB, d);
  const middle = multiply(temp, rootA, d);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = 0.5 * (middle[i * d + j]! + middle[j * d + i]!);
      middle[i * d + j] = s;
      middle[j * d + i] = s;
    }
  }
  const { values } = symmetricEigen(middle, d);
  let cross = 0;
  for (const mu of values) cross += Math.sqrt(Math.max(0, mu));
  return Math.sqrt(Math.max(0, meanTerm + traceA + traceB - 2 * cross));
}

function checkedVector(v: ArrayLike<number>, field: string): Float64Array {
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${out[i]}`, `${field}[${i}]`);
  }
  return out;
}

function checkedCovariance(c: ArrayLike<number>, d: number, field: string): Float64Array {
  if (c.length !== d * d) throw new ValidationError('E_DIMENSION', `has length ${c.length}, expected d·d = ${d * d} (row-major)`, field);
  const out = checkedVector(c, field);
  let scale = 0;
  for (let k = 0; k < out.length; k++) scale = Math.max(scale, Math.abs(out[k]!));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const a = out[i * d + j]!;
      const b = out[j * d + i]!;
      if (Math.abs(a - b) > 1e-12 * scale) {
        throw new ValidationError('E_NOT_SYMMETRIC', `entries (${i},${j}) = ${a} and (${j},${i}) = ${b} differ`, field);
      }
    }
  }
  return out;
}

/** Σ^{1/2} = U diag(√λ) Uᵀ, rejecting clearly negative eigenvalues and zeroing rounding-level ones. */
function symmetricSquareRoot(s: Float64Array, d: number, field: string): Float64Array {
  const { values, vectors } = symmetricEigen(s, d);
  let largest = 0;
  for (const lambda of values) largest = Math.max(largest, Math.abs(lambda));
  const roots = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const lambda = values[k]!;
    if (lambda < -1e-12 * largest) {
      throw new ValidationError('E_NOT_SPD', `must be positive semi-definite; eigenvalue ${lambda}`, field);
    }
    roots[k] = Math.sqrt(Math.max(0, lambda));
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += vectors[i * d + k]! * roots[k]! * vectors[j * d + k]!;
      out[i * d + j] = sum;
      out[j * d + i] = sum;
    }
  }
  return out;
}

function multiply(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] = out[i * d + j]! + aik * b[k * d + j]!;
    }
  }
  return out;
}

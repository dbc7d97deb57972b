import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Σ = U diag(values) Uᵀ, with U orthogonal; `vectors` is row-major d×d with eigenvector j in column j. */
export interface SymmetricEigen {
  readonly d: number;
  readonly values: Float64Array;
  readonly vectors: Float64Array;
  /** True when Σ was diagonal: U = I and the kernels skip the rotations. */
  readonly isDiagonal: boolean;
}

/**
 * Eigendecomposition of a symmetric matrix (row-major d×d). Diagonal matrices are recognised exactly and get
 * U = I, so isotropic and axis-aligned targets cost O(d) per point instead of O(d²).
 * Uses ml-matrix's symmetric tridiagonal QL (tred2/tql2), which is backward stable.
 */
export function symmetricEigen(matrix: Float64Array, d: number): SymmetricEigen {
  let diagonal = true;
  for (let i = 0; i < d && diagonal; i++) {
    for (let j = 0; j < d; j++) {
      if (i !== j && matrix[i * d + j] !== 0) {
        diagonal = false;
        break;
      }
    }
  }
  if (diagonal) {
    const values = new Float64Array(d);
    const vectors = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      values[i] = matrix[i * d + i]!;
      vectors[i * d + i] = 1;
    }
    return { d, values, vectors, isDiagonal: true };
  }
  const evd = new EigenvalueDecomposition(toMatrix(matrix, d), { assumeSymmetric: true });
  const values = Float64Array.from(evd.realEigenvalues);
  const v = evd.eigenvectorMatrix;
  const vectors = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) vectors[i * d + j] = v.get(i, j);
  return { d, values, vectors, isDiagonal: false };
}

/** Whether a symmetric matrix is positive definite (Cholesky succeeds). */
export function isPositiveDefinite(matrix: Float64Array, d: number): boolean {
  return new CholeskyDecomposition(toMatrix(matrix, d)).isPositiveDefinite();
}

function toMatrix(a: Float64Array, d: number): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(a.subarray(i * d, (i + 1) * d)));
  return new Matrix(rows);
}

import { symmetricEigen } from './symmetricEigen.ts';

/** JᵀJ of the d×d row-major matrix stored at J[off…] (row-major, symmetric). */
function gramOf(J: Float64Array, off: number, d: number): Float64Array {
  const G = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += J[off + c * d + a]! * J[off + c * d + b]!;
      G[a * d + b] = v;
    }
  }
  return G;
}

/** Largest singular value of the d×d row-major matrix stored at J[off…]: √ of the top eigenvalue of JᵀJ. */
export function operatorNorm(J: Float64Array, off: number, d: number): number {
  return Math.sqrt(Math.max(...symmetricEigen(gramOf(J, off, d), d).values, 0));
}

/** ‖J‖_op of the d×d row-major matrix at J[off…] and a unit right singular vector attaining it (top eigenvector of JᵀJ). */
export function operatorNormAndDirection(J: Float64Array, off: number, d: number): { readonly norm: number; readonly direction: number[] } {
  const e = symmetricEigen(gramOf(J, off, d), d);
  let best = 0;
  for (let i = 1; i < d; i++) if (e.values[i]! > e.values[best]!) best = i;
  return { norm: Math.sqrt(Math.max(e.values[best]!, 0)), direction: Array.from({ length: d }, (_, r) => e.vectors[r * d + best]!) };
}

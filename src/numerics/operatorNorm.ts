import { symmetricEigen } from './symmetricEigen.ts';

/** Largest singular value of the d×d row-major matrix stored at J[off…]: √ of the top eigenvalue of JᵀJ. */
export function operatorNorm(J: Float64Array, off: number, d: number): number {
  const G = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += J[off + c * d + a]! * J[off + c * d + b]!;
      G[a * d + b] = v;
    }
  }
  return Math.sqrt(Math.max(...symmetricEigen(G, d).values, 0));
}

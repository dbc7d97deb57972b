/**
 * C = A·B for a block of rows: A is rows×d (row-major from aOff), B is d×d (row-major from bOff), C is rows×d
 * (row-major from cOff, overwritten). The kernel of the reference flow's rotations into and out of each
 * component's eigenbasis, applied to a block of points at once.
 *
 * Register-blocked 2 rows × 4 columns: each pass over the inner index loads 2 values of A and 4 of B for 8
 * multiply-adds (the one-row form loads 2 values per multiply-add). Every C[r][c] is still the sum
 * Σ_i A[r][i]·B[i][c] accumulated from 0 in increasing i, so the result is bit-identical to the naive triple loop.
 * No allocation; A and C must not overlap.
 */
export function multiplyRowsInto(A: Float64Array, aOff: number, rows: number, B: Float64Array, bOff: number, d: number, C: Float64Array, cOff: number): void {
  multiplyShiftedRowsInto(A, aOff, rows, undefined, 0, B, bOff, d, C, cOff);
}

/**
 * C = (A − 1·vᵀ)·B: {@link multiplyRowsInto} with the vector v = shift[shiftOff … shiftOff+d) subtracted from every row
 * of A as it is read (each A[r][i] − v[i] is the same float64 subtraction a separate centring pass would do, so the
 * result is bit-identical to centring first). `shift` undefined: no subtraction.
 */
export function multiplyShiftedRowsInto(A: Float64Array, aOff: number, rows: number, shift: Float64Array | undefined, shiftOff: number, B: Float64Array, bOff: number, d: number, C: Float64Array, cOff: number): void {
  if (shift === undefined) {
    shift = ZEROS.length >= d ? ZEROS : (ZEROS = new Float64Array(d));
    shiftOff = 0;
  }
  const d4 = d - (d % 4);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const a0 = aOff + r * d;
    const a1 = a0 + d;
    const c0 = cOff + r * d;
    const c1 = c0 + d;
    let c = 0;
    for (; c < d4; c += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let b = bOff + c;
      for (let i = 0; i < d; i++, b += d) {
        const v = shift[shiftOff + i]!;
        const x0 = A[a0 + i]! - v;
        const x1 = A[a1 + i]! - v;
        const b0 = B[b]!, b1 = B[b + 1]!, b2 = B[b + 2]!, b3 = B[b + 3]!;
        s00 += x0 * b0;
        s01 += x0 * b1;
        s02 += x0 * b2;
        s03 += x0 * b3;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s12 += x1 * b2;
        s13 += x1 * b3;
      }
      C[c0 + c] = s00;
      C[c0 + c + 1] = s01;
      C[c0 + c + 2] = s02;
      C[c0 + c + 3] = s03;
      C[c1 + c] = s10;
      C[c1 + c + 1] = s11;
      C[c1 + c + 2] = s12;
      C[c1 + c + 3] = s13;
    }
    for (; c < d; c++) {
      let s0 = 0, s1 = 0;
      let b = bOff + c;
      for (let i = 0; i < d; i++, b += d) {
        const bv = B[b]!;
        const v = shift[shiftOff + i]!;
        s0 += (A[a0 + i]! - v) * bv;
        s1 += (A[a1 + i]! - v) * bv;
      }
      C[c0 + c] = s0;
      C[c1 + c] = s1;
    }
  }
  if (r < rows) {
    const a0 = aOff + r * d;
    const c0 = cOff + r * d;
    for (let c = 0; c < d; c++) {
      let s = 0;
      let b = bOff + c;
      for (let i = 0; i < d; i++, b += d) s += (A[a0 + i]! - shift[shiftOff + i]!) * B[b]!;
      C[c0 + c] = s;
    }
  }
}

let ZEROS = new Float64Array(64);

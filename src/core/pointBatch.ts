import { ValidationError } from './errors.ts';

/** n points in R^d, row-major: point i is data[i*d … i*d+d). Always float64. */
export interface PointBatch {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/** Wraps (without copying) a row-major Float64Array as a batch; checks that the length is n·d. */
export function pointBatch(n: number, d: number, data: Float64Array = new Float64Array(n * d)): PointBatch {
  if (!Number.isInteger(n) || n < 0) throw new ValidationError('E_INVALID_INPUT', `n must be a non-negative integer, got ${n}`, 'n');
  if (!Number.isInteger(d) || d < 1) throw new ValidationError('E_INVALID_INPUT', `d must be a positive integer, got ${d}`, 'd');
  if (data.length !== n * d) {
    throw new ValidationError('E_DIMENSION', `data has length ${data.length}, expected n·d = ${n * d}`, 'data');
  }
  return { n, d, data };
}

/**
 * Converts nested arrays (one array per point) into a batch, validating shape and finiteness.
 * @param field - the name used in error messages, e.g. `queries[2].x`.
 */
export function fromRows(rows: readonly (readonly number[])[], field = 'x'): PointBatch {
  if (rows.length === 0) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one point', field);
  const d = rows[0]!.length;
  if (d === 0) throw new ValidationError('E_DIMENSION', 'points must have at least one coordinate', `${field}[0]`);
  const data = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    if (row.length !== d) {
      throw new ValidationError('E_DIMENSION', `has ${row.length} coordinates, expected ${d} like ${field}[0]`, `${field}[${i}]`);
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${String(v)}`, `${field}[${i}][${j}]`);
      }
      data[i * d + j] = v;
    });
  });
  return { n: rows.length, d, data };
}

/** Nested arrays, one per point (for JSON output). */
export function toRows(x: PointBatch): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < x.n; i++) rows.push(Array.from(x.data.subarray(i * x.d, (i + 1) * x.d)));
  return rows;
}

/** Point i as a view (no copy). */
export function pointAt(x: PointBatch, i: number): Float64Array {
  return x.data.subarray(i * x.d, (i + 1) * x.d);
}

/** Throws a NumericalError naming the first non-finite entry. */
export function assertFiniteBatch(x: PointBatch, what: string): void {
  for (let k = 0; k < x.data.length; k++) {
    if (!Number.isFinite(x.data[k]!)) {
      const i = Math.floor(k / x.d);
      throw new ValidationError('E_NON_FINITE', `point ${i}, coordinate ${k % x.d} is ${x.data[k]}`, what);
    }
  }
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ConsistencyFunction } from './consistencyFunction.ts';

/** max over points and coordinates of |f(x, tMin) − x| (THEORY §6.3 CM-PARAM): exactly 0 for a valid model. */
export function boundaryError(f: ConsistencyFunction, x: PointBatch, tMin: number): number {
  const y = f.evaluate(x, tMin);
  let m = 0;
  for (let k = 0; k < y.data.length; k++) m = Math.max(m, Math.abs(y.data[k]! - x.data[k]!));
  return m;
}

/** Per-point ‖a_i − b_i‖² for two batches of the same shape. */
export function squaredDistances(a: PointBatch, b: PointBatch): Float64Array {
  if (a.n !== b.n || a.d !== b.d) throw new ValidationError('E_DIMENSION', `batches are ${a.n}×${a.d} and ${b.n}×${b.d}`, 'b');
  const out = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++) {
    let s = 0;
    for (let j = 0; j < a.d; j++) {
      const e = a.data[i * a.d + j]! - b.data[i * a.d + j]!;
      s += e * e;
    }
    out[i] = s;
  }
  return out;
}

/** Per-point ‖x_i‖². */
export function squaredNorms(x: PointBatch): Float64Array {
  const out = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let s = 0;
    for (let j = 0; j < x.d; j++) s += x.data[i * x.d + j]! ** 2;
    out[i] = s;
  }
  return out;
}

/** max over points of ‖a_i − b_i‖ for two batches of the same shape (0 for empty batches). */
export function maxDistance(a: PointBatch, b: PointBatch): number {
  let worst = 0;
  for (const squared of squaredDistances(a, b)) worst = Math.max(worst, Math.sqrt(squared));
  return worst;
}

/** (mean over points of ‖f(x, t) − g(x, t)‖²)^{1/2}: the L²(sample) distance between two consistency functions. */
export function rmsDistance(f: ConsistencyFunction, g: ConsistencyFunction, x: PointBatch, t: number | Float64Array): number {
  const sq = squaredDistances(f.evaluate(x, t), g.evaluate(x, t));
  let s = 0;
  for (const v of sq) s += v;
  return Math.sqrt(s / sq.length);
}

/**
 * Self-consistency residual along the true flow: RMS over points of f(x, t) − f(Φ_{t→u}(x), u), given the flow map
 * Φ_{t→u} (e.g. `referenceFlow(...).map(x, t, u).y`). Zero for f*; positive for the denoiser and other broken models.
 */
export function flowResidual(f: ConsistencyFunction, flowMap: (x: PointBatch, from: number, to: number) => PointBatch, x: PointBatch, t: number, u: number): number {
  const sq = squaredDistances(f.evaluate(x, t), f.evaluate(flowMap(x, t, u), u));
  let s = 0;
  for (const v of sq) s += v;
  return Math.sqrt(s / sq.length);
}

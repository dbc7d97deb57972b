import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';
import { evaluateByTimeGroups, type ConsistencyFunction, type Parameterization } from './consistencyFunction.ts';

/** A float64 "network" F(u, t): the part of f that a parameterisation wraps. */
export type Float64Network = (u: PointBatch, t: number) => PointBatch;

/**
 * f(x, t) = c_skip(t)·x + c_out(t)·F(c_in(t)·x, t) in float64 (THEORY §3.2). With a valid parameterisation the
 * boundary condition holds exactly: at tMin, c_skip = 1 and c_out = 0, so f(x, tMin) = x bit for bit.
 */
export function parameterizedConsistency(param: Parameterization, network: Float64Network, id = `parameterized-${param.id}`): ConsistencyFunction {
  return {
    id,
    precision: 'float64',
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => {
        const cSkip = param.cSkip(time);
        const cOut = param.cOut(time);
        const cIn = param.cIn(time);
        const u = new Float64Array(xs.data.length);
        for (let k = 0; k < u.length; k++) u[k] = cIn * xs.data[k]!;
        const F = network({ n: xs.n, d: xs.d, data: u }, time);
        const out = new Float64Array(xs.data.length);
        for (let k = 0; k < out.length; k++) out[k] = cSkip * xs.data[k]! + cOut * F.data[k]!;
        return { n: xs.n, d: xs.d, data: out };
      }),
  };
}

/**
 * The network that makes `param` reproduce `exact`: F*(u, t) = (f*(u/c_in, t) − c_skip·u/c_in)/c_out for t > tMin.
 * At tMin, where c_out = 0 and F is not determined by f*, it returns 0.
 */
export function idealNetwork(exact: ConsistencyFunction, param: Parameterization): Float64Network {
  return (u, t) => {
    const cOut = param.cOut(t);
    if (cOut === 0) return { n: u.n, d: u.d, data: new Float64Array(u.data.length) };
    const cIn = param.cIn(t);
    const cSkip = param.cSkip(t);
    const x = new Float64Array(u.data.length);
    for (let k = 0; k < x.length; k++) x[k] = u.data[k]! / cIn;
    const f = exact.evaluate({ n: u.n, d: u.d, data: x }, t);
    const F = new Float64Array(x.length);
    for (let k = 0; k < F.length; k++) F[k] = (f.data[k]! - cSkip * x[k]!) / cOut;
    return { n: u.n, d: u.d, data: F };
  };
}

export interface RandomFeatureNetworkOptions {
  /** Hidden width. @defaultValue 16 */
  readonly width?: number;
}

/**
 * A fixed random one-hidden-layer tanh network F(u, t) = W₂ tanh(W₁u + w·¼log t + b), weights N(0, 1/fan-in)
 * from `rng`: the "random F_θ" of the CM-PARAM check (THEORY §6.3), finite and O(1) everywhere.
 */
export function randomFeatureNetwork(dim: number, rng: Rng, options: RandomFeatureNetworkOptions = {}): Float64Network {
  const width = options.width ?? 16;
  if (!Number.isInteger(width) || width < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${width}`, 'width');
  const W1 = rng.child('W1').fillNormal(new Float64Array(width * dim)).map((v) => v / Math.sqrt(dim + 1));
  const w = rng.child('w').fillNormal(new Float64Array(width)).map((v) => v / Math.sqrt(dim + 1));
  const b = rng.child('b').fillNormal(new Float64Array(width)).map((v) => 0.1 * v);
  const W2 = rng.child('W2').fillNormal(new Float64Array(dim * width)).map((v) => v / Math.sqrt(width));
  return (u, t) => {
    const c = 0.25 * Math.log(t);
    const out = new Float64Array(u.n * dim);
    const h = new Float64Array(width);
    for (let p = 0; p < u.n; p++) {
      for (let k = 0; k < width; k++) {
        let s = b[k]! + w[k]! * c;
        for (let j = 0; j < dim; j++) s += W1[k * dim + j]! * u.data[p * dim + j]!;
        h[k] = Math.tanh(s);
      }
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let k = 0; k < width; k++) s += W2[j * width + k]! * h[k]!;
        out[p * dim + j] = s;
      }
    }
    return { n: u.n, d: dim, data: out };
  };
}

import { SolverError } from '../core/errors.ts';

/**
 * A vector field on a batch of independent points, each with `stateSize` float64 components.
 * `evaluate` writes dy/dt for `count` points stored contiguously from y[0] into out[0…).
 */
export interface BatchVectorField {
  readonly stateSize: number;
  evaluate(t: number, y: Float64Array, count: number, out: Float64Array): void;
}

export interface DormandPrinceOptions {
  /** Relative tolerance of the local error control. @defaultValue 1e-10 */
  readonly rtol?: number;
  /** Absolute tolerance of the local error control. @defaultValue 1e-12 */
  readonly atol?: number;
  /** Accepted + rejected steps allowed per block before a SolverError. @defaultValue 100000 */
  readonly maxSteps?: number;
  /**
   * Points integrated together with one shared step size. Small blocks adapt the step to each point's own
   * difficulty (points near a decision boundary need more steps); large blocks amortise per-step overhead.
   * Measured (bench, K = 8, d = 2 and 8): total field evaluations grow only ~20% from blocks of 1 to 512,
   * while throughput peaks near 64. @defaultValue 64
   */
  readonly blockSize?: number;
}

export interface DormandPrinceStats {
  readonly steps: number;
  readonly rejectedSteps: number;
  /** Vector-field evaluations per point (summed over blocks, divided by the number of points). */
  readonly evaluationsPerPoint: number;
}

export interface DormandPrinceResult {
  readonly y: Float64Array;
  readonly stats: DormandPrinceStats;
}

// Dormand & Prince (1980) RK5(4)7M tableau (Hairer, Nørsett & Wanner, Solving ODEs I, Table 5.2).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// error weights b − b̂ (5th minus embedded 4th order)
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/**
 * Integrates dy/dt = f(t, y) from t0 to t1 (either direction) for every point of a batch, with the adaptive
 * Dormand–Prince 5(4) method, FSAL, Hairer's initial step and a PI step-size controller
 * (exponents 0.7/5 and 0.4/5), error measured in the RMS norm of err_i / (atol + rtol·max(|y0_i|, |y1_i|))
 * over the block.
 *
 * Written here rather than taken from a package: no npm ODE solver is batched over points on Float64Array
 * state with a Jacobian riding along, and the hot loop must not allocate.
 *
 * @param y0 - n·stateSize values, point-major.
 * @throws SolverError E_MAX_STEPS, E_STEP_UNDERFLOW or E_NON_FINITE_STATE, naming the block's first point and t.
 */
export function solveDormandPrince(field: BatchVectorField, y0: Float64Array, n: number, t0: number, t1: number, options: DormandPrinceOptions = {}): DormandPrinceResult {
  const rtol = options.rtol ?? 1e-10;
  const atol = options.atol ?? 1e-12;
  const maxSteps = options.maxSteps ?? 100_000;
  const blockSize = Math.max(1, Math.floor(options.blockSize ?? 64));
  const m = field.stateSize;
  const y = Float64Array.from(y0);
  if (t0 === t1 || n === 0) return { y, stats: { steps: 0, rejectedSteps: 0, evaluationsPerPoint: 0 } };

  const len = blockSize * m;
  const k1 = new Float64Array(len), k2 = new Float64Array(len), k3 = new Float64Array(len), k4 = new Float64Array(len);
  const k5 = new Float64Array(len), k6 = new Float64Array(len), k7 = new Float64Array(len);
  const tmp = new Float64Array(len), ynew = new Float64Array(len);
  let steps = 0;
  let rejected = 0;
  let evaluations = 0;
  const direction = Math.sign(t1 - t0);
  const span = Math.abs(t1 - t0);

  for (let start = 0; start < n; start += blockSize) {
    const count = Math.min(blockSize, n - start);
    const cm = count * m;
    const yb = y.subarray(start * m, start * m + cm);
    let t = t0;
    field.evaluate(t, yb, count, k1);
    evaluations += count;
    // Hairer's initial step size (II.4): h0 from ‖y‖/‖f‖, then one Euler probe for the second derivative.
    let d0 = 0, d1 = 0;
    for (let i = 0; i < cm; i++) {
      const sc = atol + rtol * Math.abs(yb[i]!);
      d0 += (yb[i]! / sc) ** 2;
      d1 += (k1[i]! / sc) ** 2;
    }
    d0 = Math.sqrt(d0 / cm);
    d1 = Math.sqrt(d1 / cm);
    let h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h = Math.min(h, span);
    for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + direction * h * k1[i]!;
    field.evaluate(t + direction * h, tmp, count, k2);
    evaluations += count;
    let d2 = 0;
    for (let i = 0; i < cm; i++) {
      const sc = atol + rtol * Math.abs(yb[i]!);
      d2 += ((k2[i]! - k1[i]!) / sc) ** 2;
    }
    d2 = Math.sqrt(d2 / cm) / h;
    const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / 5);
    h = Math.min(100 * h, h1, span);

    let errOld = 1e-4;
    let lastRejected = false;
    let blockSteps = 0;
    while (direction * (t1 - t) > 0) {
      if (blockSteps++ >= maxSteps) {
        throw new SolverError('E_MAX_STEPS', `Dormand–Prince reached maxSteps=${maxSteps} at t=${t} (block starting at point ${start}); increase maxSteps or loosen rtol`);
      }
      if (h < 1e-14 * Math.max(Math.abs(t), span)) {
        throw new SolverError('E_STEP_UNDERFLOW', `step size underflow (h=${h}) at t=${t} (block starting at point ${start})`);
      }
      const last = h >= direction * (t1 - t);
      if (last) h = direction * (t1 - t);
      const hs = direction * h;
      for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + hs * A21 * k1[i]!;
      field.evaluate(t + C2 * hs, tmp, count, k2);
      for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + hs * (A31 * k1[i]! + A32 * k2[i]!);
      field.evaluate(t + C3 * hs, tmp, count, k3);
      for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + hs * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
      field.evaluate(t + C4 * hs, tmp, count, k4);
      for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + hs * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
      field.evaluate(t + C5 * hs, tmp, count, k5);
      for (let i = 0; i < cm; i++) tmp[i] = yb[i]! + hs * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
      const tNew = last ? t1 : t + hs;
      field.evaluate(tNew, tmp, count, k6);
      for (let i = 0; i < cm; i++) ynew[i] = yb[i]! + hs * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
      field.evaluate(tNew, ynew, count, k7);
      evaluations += 6 * count;
      let err = 0;
      for (let i = 0; i < cm; i++) {
        const e = hs * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
        const sc = atol + rtol * Math.max(Math.abs(yb[i]!), Math.abs(ynew[i]!));
        err += (e / sc) ** 2;
      }
      err = Math.sqrt(err / cm);
      if (!Number.isFinite(err)) {
        // a non-finite stage: shrink hard and retry; a persistent one ends in underflow or is reported here
        if (h < 1e-10 * span) {
          throw new SolverError('E_NON_FINITE_STATE', `non-finite state at t=${t} (block starting at point ${start})`);
        }
        h *= 0.1;
        rejected++;
        lastRejected = true;
        continue;
      }
      if (err <= 1) {
        steps++;
        t = tNew;
        yb.set(ynew.subarray(0, cm));
        k1.set(k7.subarray(0, cm)); // FSAL
        let fac = 0.9 * Math.pow(err, -0.7 / 5) * Math.pow(errOld, 0.4 / 5);
        fac = Math.min(lastRejected ? 1 : 5, Math.max(0.2, fac));
        errOld = Math.max(err, 1e-4);
        h *= fac;
        lastRejected = false;
      } else {
        rejected++;
        h *= Math.max(0.2, 0.9 * Math.pow(err, -1 / 5));
        lastRejected = true;
      }
    }
  }
  return { y, stats: { steps, rejectedSteps: rejected, evaluationsPerPoint: evaluations / n } };
}

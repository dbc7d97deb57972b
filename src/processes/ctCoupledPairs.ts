import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { Rng } from '../random/rng.ts';
import type { LhwSchedule } from './lhwSchedule.ts';

/** Pairs (X_{t−1}, X_t) drawn as the consistency-training objective pairs them, with the X₀ and Z they share. */
export interface CtCoupledPairs {
  readonly x0: PointBatch;
  readonly previous: PointBatch;
  readonly current: PointBatch;
}

/**
 * M draws of the pair (X_{t−1}, X_t) of Li–Huang–Wei's consistency-training objective (14) (THEORY §1.5): one
 * X₀ ~ p_data and one Z ~ N(0, I) per draw, shared by both times, X_s = √ᾱ_s X₀ + √(1 − ᾱ_s) Z.
 *
 * @remarks Written from the objective's definition, not from the conditional law of X_{t−1} given X_t, so it serves
 * as an independent simulation against which that conditional law (and everything computed with it, such as the
 * error recursion (34)) can be tested. X₀ comes from the stream `x0`, Z from `z`.
 *
 * @throws ValidationError for t outside 2..T or M < 1.
 */
export function sampleCtCoupledPairs(target: ExactTarget, schedule: LhwSchedule, t: number, M: number, rng: Rng): CtCoupledPairs {
  if (!Number.isInteger(t) || t < 2 || t > schedule.T) throw new ValidationError('E_INVALID_INPUT', `must be an integer step in 2..${schedule.T}, got ${t}`, 't');
  if (!Number.isInteger(M) || M < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${M}`, 'M');
  const x0 = target.sample(M, rng.child('x0'));
  const d = x0.d;
  const z = rng.child('z').fillNormal(new Float64Array(M * d));
  const at = (s: number): PointBatch => {
    const signal = Math.sqrt(schedule.alphaBars[s]!);
    const noise = Math.sqrt(schedule.oneMinusAlphaBars[s]!);
    const data = new Float64Array(M * d);
    for (let k = 0; k < data.length; k++) data[k] = signal * x0.data[k]! + noise * z[k]!;
    return { n: M, d, data };
  };
  return { x0, previous: at(t - 1), current: at(t) };
}

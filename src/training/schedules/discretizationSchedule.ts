import { ValidationError } from '../../core/errors.ts';
import type { Rng } from '../../random/rng.ts';

/**
 * A discretisation curriculum: at training step k the grid has N(k) = `stageAt(k)` times, and `times(N)` is that
 * grid, increasing from t_1 = tMin to t_N = tMax. Members end with `Schedule` (STYLE C3).
 */
export interface DiscretizationSchedule {
  /** 'karras-rho7', 'ct-curriculum', 'ict-doubling', 'lhw-sequential'. */
  readonly id: string;
  readonly tMin: number;
  readonly tMax: number;
  /** N(k): the number of grid times at step k (≥ 2). */
  stageAt(step: number): number;
  /** The increasing grid of `size` times, endpoints exactly tMin and tMax. */
  times(size: number): Float64Array;
}

/**
 * Which grid interval [t_i, t_{i+1}] a training example uses: a probability for each i = 0 … N−2 (0-based), possibly
 * depending on the step (the LHW sequential sampler puts all mass on the current stage).
 */
export interface IndexSampler {
  /** 'uniform', 'lognormal(-1.1,2)', 'lhw-current-stage'. */
  readonly id: string;
  probabilities(times: Float64Array, step: number): Float64Array;
}

/** Throws unless `times` is strictly increasing, finite, with at least two entries. */
export function assertIncreasingGrid(times: Float64Array, field = 'times'): void {
  if (times.length < 2) throw new ValidationError('E_INVALID_INPUT', `needs at least 2 times, got ${times.length}`, field);
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i]!)) throw new ValidationError('E_NON_FINITE', `entry ${i} is ${times[i]}`, field);
    if (i > 0 && !(times[i]! > times[i - 1]!)) {
      throw new ValidationError('E_INVALID_INPUT', `must be strictly increasing; entry ${i} (${times[i]}) ≤ entry ${i - 1} (${times[i - 1]})`, field);
    }
  }
}

/**
 * Draws `count` interval indices from `probabilities` by inverting the cumulative sum with one uniform each
 * (deterministic for a given Rng stream).
 */
export function sampleIndices(probabilities: Float64Array, count: number, rng: Rng): Int32Array {
  const cdf = new Float64Array(probabilities.length);
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0) || !Number.isFinite(p)) throw new ValidationError('E_INVALID_INPUT', `probability ${i} is ${p}`, 'probabilities');
    s += p;
    cdf[i] = s;
  }
  if (!(s > 0)) throw new ValidationError('E_INVALID_INPUT', 'probabilities sum to 0', 'probabilities');
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const u = rng.uniform() * s;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[k] = lo;
  }
  return out;
}

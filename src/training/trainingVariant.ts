import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Rng } from '../random/rng.ts';
import type { ConsistencyLoss } from './losses/consistencyLoss.ts';
import type { DiscretizationSchedule, IndexSampler } from './schedules/discretizationSchedule.ts';

/** What a variant may use to build its pairs: the exact target and process (CD teachers use the exact score). */
export interface TrainingContext {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  /** The training step (0-based). */
  readonly step: number;
}

/**
 * One batch of consistency pairs, float64: the student is evaluated at (studentX, studentT) and regressed onto the
 * stop-gradient teacher f_{θ⁻}(teacherX, teacherT), with weight λ per point.
 */
export interface TrainingPairs {
  readonly studentX: PointBatch;
  readonly studentT: Float64Array;
  readonly teacherX: PointBatch;
  readonly teacherT: Float64Array;
  readonly weights: Float64Array;
  /** The grid interval index of each pair (for the loss-by-quartile history). */
  readonly indices: Int32Array;
  /** The grid size N the indices refer to. */
  readonly gridSize: number;
}

/**
 * A consistency-training recipe (STYLE C2, C4 rule 2): a new variant is a new object, never a flag in the loop.
 * The loop asks the variant for its grid, its interval distribution, its pairs, its loss and its teacher EMA rate,
 * and knows nothing else about it.
 */
export interface TrainingVariant {
  /** 'ct', 'ict', 'cd-euler', 'cd-heun', 'cd-exact', 'lhw', or a user's own. */
  readonly id: string;
  readonly title: string;
  readonly schedule: DiscretizationSchedule;
  readonly indexSampler: IndexSampler;
  readonly loss: ConsistencyLoss;
  /** μ(k): after step k the teacher becomes μθ⁻ + (1 − μ)θ. 0: the teacher is stop-gradient(θ) (iCT); 1: frozen. */
  teacherEmaRate(step: number): number;
  /**
   * The pairs for data x₀ (n×d) and interval indices i (pairs use t_i < t_{i+1} of `times`). All randomness must
   * come from `rng` (the loop hands a stream derived from the seed and the step).
   */
  makePairs(x0: PointBatch, times: Float64Array, indices: Int32Array, ctx: TrainingContext, rng: Rng): TrainingPairs;
}

/**
 * The CT coupling with shared noise (Song et al. 2023, Eq. 10; LHW (14)): one z per point,
 * student a_{t_{i+1}}x₀ + s_{t_{i+1}}z, teacher a_{t_i}x₀ + s_{t_i}z, weight λ(t_i, t_{i+1}).
 */
export function sharedNoisePairs(x0: PointBatch, times: Float64Array, indices: Int32Array, process: ForwardProcess, loss: ConsistencyLoss, rng: Rng): TrainingPairs {
  const { n, d } = x0;
  const z = rng.fillNormal(new Float64Array(n * d));
  const studentX = new Float64Array(n * d);
  const teacherX = new Float64Array(n * d);
  const studentT = new Float64Array(n);
  const teacherT = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const i = indices[p]!;
    const lo = times[i]!;
    const hi = times[i + 1]!;
    const aHi = process.signalScale(hi);
    const sHi = process.noiseScale(hi);
    const aLo = process.signalScale(lo);
    const sLo = process.noiseScale(lo);
    for (let j = 0; j < d; j++) {
      const k = p * d + j;
      studentX[k] = aHi * x0.data[k]! + sHi * z[k]!;
      teacherX[k] = aLo * x0.data[k]! + sLo * z[k]!;
    }
    studentT[p] = hi;
    teacherT[p] = lo;
    weights[p] = loss.weighting.weight(lo, hi);
  }
  return { studentX: { n, d, data: studentX }, studentT, teacherX: { n, d, data: teacherX }, teacherT, weights, indices, gridSize: times.length };
}

const REQUIRED: readonly (readonly [string, 'string' | 'function' | 'object'])[] = [
  ['id', 'string'],
  ['title', 'string'],
  ['schedule', 'object'],
  ['indexSampler', 'object'],
  ['loss', 'object'],
  ['teacherEmaRate', 'function'],
  ['makePairs', 'function'],
];
const NESTED: readonly (readonly [string, string, 'string' | 'function' | 'number' | 'object'])[] = [
  ['schedule', 'id', 'string'],
  ['schedule', 'tMin', 'number'],
  ['schedule', 'tMax', 'number'],
  ['schedule', 'stageAt', 'function'],
  ['schedule', 'times', 'function'],
  ['indexSampler', 'id', 'string'],
  ['indexSampler', 'probabilities', 'function'],
  ['loss', 'id', 'string'],
  ['loss', 'weighting', 'object'],
  ['loss', 'distance', 'function'],
  ['loss', 'tensorDistanceAndGradient', 'function'],
];

/**
 * Checks that `value` has the shape of a `TrainingVariant` (a user's module is untyped at run time) and names every
 * missing or mistyped member, e.g. `variant.loss.tensorDistanceAndGradient: missing (expected a function)`.
 * @param source - where the value came from, for the message (a module path).
 * @throws ValidationError E_INVALID_INPUT listing all problems at once.
 */
export function validateTrainingVariant(value: unknown, source = 'variant'): TrainingVariant {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError('E_INVALID_INPUT', `${source} does not export a TrainingVariant object (got ${value === null ? 'null' : typeof value})`, 'variant');
  }
  const v = value as Record<string, unknown>;
  for (const [key, type] of REQUIRED) {
    if (!(key in v) || v[key] === undefined) problems.push(`variant.${key}: missing (expected a ${type})`);
    else if (typeof v[key] !== type || v[key] === null) problems.push(`variant.${key}: expected a ${type}, got ${typeof v[key]}`);
  }
  for (const [outer, key, type] of NESTED) {
    const o = v[outer];
    if (typeof o !== 'object' || o === null) continue;
    const inner = (o as Record<string, unknown>)[key];
    if (inner === undefined) problems.push(`variant.${outer}.${key}: missing (expected a ${type})`);
    else if (typeof inner !== type) problems.push(`variant.${outer}.${key}: expected a ${type}, got ${typeof inner}`);
  }
  if (problems.length > 0) throw new ValidationError('E_INVALID_INPUT', `${source} is not a valid TrainingVariant: ${problems.join('; ')}`, 'variant');
  return value as TrainingVariant;
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import type { Rng } from '../random/rng.ts';

/** Options for {@link targetVsTargetBaseline}. */
export interface TargetVsTargetBaselineOptions {
  /** Independent repetitions R of the pair draw. @defaultValue 20 */
  readonly repetitions?: number;
  /** Two-sided confidence level. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * The noise floor of a plug-in distance at sample size n: the expected distance between two independent size-n
 * samples of the *same* target, E[D(P_n, P′_n)], estimated from R repetitions with a CLT interval.
 *
 * @remarks
 * A plug-in W_p between a model's n samples and n target samples is biased upwards by a term that decays like
 * n^{−1/d} (THEORY §6.0: "never compare a bound with a plug-in empirical W in d > 2 without the baseline"). Running
 * the same distance on target-vs-target pairs of the same size measures that floor: a model is indistinguishable
 * from the target at this n when its distance lies within the baseline's spread. Repetition k draws its two sets
 * from the child streams `baseline/<k>/a` and `baseline/<k>/b` of `rng`, so results do not depend on R's
 * neighbours or on the distance used.
 *
 * Complexity: R × (two draws of n points + one distance evaluation).
 *
 * @param sampleTarget - draws n points of the target from the given stream.
 * @param n - the sample size to match (the model sample's size).
 * @param distance - the plug-in distance, e.g. `(a, b) => exactWasserstein(a, b, 2).value`.
 * @param rng - the parent stream.
 * @returns an {@link Estimate} of E[D(P_n, P′_n)] with method `'clt-mean'` and `n` = R.
 * @throws ValidationError for n < 1, R < 2 or a non-finite distance.
 */
export function targetVsTargetBaseline(
  sampleTarget: (n: number, rng: Rng) => PointBatch,
  n: number,
  distance: (a: PointBatch, b: PointBatch) => number,
  rng: Rng,
  options: TargetVsTargetBaselineOptions = {},
): Estimate {
  const repetitions = options.repetitions ?? 20;
  if (!Number.isInteger(n) || n < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${n}`, 'n');
  if (!Number.isInteger(repetitions) || repetitions < 2) {
    throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${repetitions}`, 'repetitions');
  }
  const values = new Float64Array(repetitions);
  const stream = rng.child('baseline');
  for (let k = 0; k < repetitions; k++) {
    const rep = stream.child(String(k));
    const value = distance(sampleTarget(n, rep.child('a')), sampleTarget(n, rep.child('b')));
    if (!Number.isFinite(value)) throw new ValidationError('E_NON_FINITE', `returned ${value} at repetition ${k}`, 'distance');
    values[k] = value;
  }
  return estimateMeanByClt(values, options.level === undefined ? {} : { level: options.level });
}

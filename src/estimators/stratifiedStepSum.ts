import { ValidationError } from '../core/errors.ts';
import type { Rng } from '../random/rng.ts';
import { assertLevel } from './assertProbability.ts';
import type { Estimate } from './estimate.ts';
import { estimateMeanByClt, sampleMeanAndVariance } from './meanByClt.ts';
import { studentTQuantile } from './studentTQuantile.ts';
import { sumOfEstimates } from './sumOfEstimates.ts';

/** Options for {@link estimateStepSum}. */
export interface StepSumOptions {
  /** Contiguous strata of the step range. @defaultValue 16 */
  readonly strata?: number;
  /** Steps drawn per stratum, without replacement (≥ 2, so that the between-step variance is estimable). @defaultValue 2 */
  readonly perStratum?: number;
  /** Two-sided level of the interval. @defaultValue 0.95 */
  readonly level?: number;
  /**
   * Steps always measured (certainty strata), e.g. a step where an error is known to concentrate; they are left out
   * of the sampled strata. @defaultValue none
   */
  readonly certain?: readonly number[];
}

/** The estimate of Σ_t μ_t and the steps it looked at. */
export interface StepSumResult {
  /** Method `'clt-sum'`; `n` = number of steps measured. */
  readonly estimate: Estimate;
  /** The measured steps, increasing, with the Monte Carlo mean of each. */
  readonly steps: readonly number[];
  readonly means: readonly number[];
  /** True when every step of the range was measured (no step sampling). */
  readonly exhaustive: boolean;
}

/**
 * Σ_{t=first}^{last} μ_t, where μ_t = E[V_t] is the mean of per-point values `measure(t, rng)` returns (e.g.
 * ‖f_t(X_t) − f*_t(X_t)‖ at n draws X_t), when measuring every step is too dear: an unbiased estimate from a
 * stratified random subset of steps.
 *
 * @remarks
 * When the range has at most strata·perStratum steps every step is measured and the per-step CLT means are summed
 * (`sumOfEstimates`). Otherwise the range is cut into `strata` contiguous blocks h of N_h steps; in each, m = perStratum
 * distinct steps are drawn uniformly without replacement (stream `stratum=<h>`), each measured once (stream `t=<t>`)
 * by its Monte Carlo mean m̂_t. The estimate Σ_h N_h·mean_{t∈S_h} m̂_t is unbiased for Σ_t μ_t (uniform selection
 * within a block, unbiased m̂_t). Its variance is Σ_h N_h²·Var(m̂_{t_h})/m less a finite-population term; each
 * Var(m̂_{t_h}) (the between-step spread of μ_t in the block plus the Monte Carlo variance of m̂_t) is estimated by the
 * sample variance s_h² of the m measured means, and the finite-population correction is left out (conservative):
 * SE² = Σ_h N_h² s_h²/m. The interval is value ± t_{ν,(1+level)/2}·SE with ν = strata·(m − 1) degrees of freedom.
 * Steps listed in `certain` are measured every time and added with their own CLT standard errors; the strata then
 * cover the remaining steps (a certain step at the range's start or end shortens it; one inside keeps its stratum's
 * N_h one smaller, so the remaining steps stay uniformly weighted).
 *
 * @param first - the first step (integer).
 * @param last - the last step (integer ≥ first).
 * @param measure - per-point values at step t (≥ 2 finite values).
 * @param rng - the parent stream.
 */
export function estimateStepSum(first: number, last: number, measure: (t: number, rng: Rng) => ArrayLike<number>, rng: Rng, options: StepSumOptions = {}): StepSumResult {
  const strata = options.strata ?? 16;
  const perStratum = options.perStratum ?? 2;
  const level = options.level ?? 0.95;
  assertLevel(level);
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) throw new ValidationError('E_INVALID_INPUT', `needs integers first ≤ last, got ${first}, ${last}`, 'last');
  if (!Number.isInteger(strata) || strata < 1) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 1, got ${strata}`, 'strata');
  if (!Number.isInteger(perStratum) || perStratum < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${perStratum}`, 'perStratum');
  // Stryker disable next-line ArrayDeclaration: a non-numeric default entry is dropped by the range filter (a string compares false with first/last), leaving the same empty list
  const certain = [...new Set(options.certain ?? [])].filter((t) => t >= first && t <= last).sort((a, b) => a - b);
  const isCertain = new Set(certain);
  const rest: number[] = [];
  for (let t = first; t <= last; t++) if (!isCertain.has(t)) rest.push(t);
  const count = rest.length;
  if (count <= strata * perStratum) {
    const steps: number[] = [];
    const parts: Estimate[] = [];
    for (let t = first; t <= last; t++) {
      steps.push(t);
      parts.push(estimateMeanByClt(measure(t, rng.child(`t=${t}`)), { level }));
    }
    return { estimate: sumOfEstimates(parts, { level }), steps, means: parts.map((p) => p.value), exhaustive: true };
  }
  const measured: { t: number; mean: number }[] = [];
  let value = 0;
  let variance = 0;
  for (const t of certain) {
    const e = estimateMeanByClt(measure(t, rng.child(`t=${t}`)), { level });
    measured.push({ t, mean: e.value });
    value += e.value;
    variance += (e.standardError ?? 0) ** 2;
  }
  for (let h = 0; h < strata; h++) {
    const lo = Math.floor((h * count) / strata);
    const hi = Math.floor(((h + 1) * count) / strata) - 1;
    const size = hi - lo + 1;
    // m distinct steps of the stratum by a partial Fisher–Yates shuffle
    const pool = rest.slice(lo, hi + 1);
    const pick = rng.child(`stratum=${h}`);
    const chosen: number[] = [];
    for (let k = 0; k < perStratum; k++) {
      const j = k + Math.floor(pick.uniform() * (size - k));
      [pool[k], pool[j]] = [pool[j]!, pool[k]!];
      chosen.push(pool[k]!);
    }
    const means = chosen.map((t) => sampleMeanAndVariance(measure(t, rng.child(`t=${t}`)), 'measure').mean);
    chosen.forEach((t, k) => measured.push({ t, mean: means[k]! }));
    const { mean, variance: spread } = sampleMeanAndVariance(means, 'measure');
    value += size * mean;
    variance += (size * size * spread) / perStratum;
  }
  measured.sort((a, b) => a.t - b.t);
  const standardError = Math.sqrt(variance);
  const halfWidth = studentTQuantile(0.5 + level / 2, strata * (perStratum - 1)) * standardError;
  return {
    estimate: { value, interval: { lower: value - halfWidth, upper: value + halfWidth, level }, method: 'clt-sum', n: measured.length, standardError },
    steps: measured.map((m) => m.t),
    means: measured.map((m) => m.mean),
    exhaustive: false,
  };
}

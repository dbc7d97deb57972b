import { assertRate } from './assertProbability.ts';

/**
 * # Estimates, intervals and verdicts
 *
 * The vocabulary every statistical check in cmbounds speaks. An {@link Estimate} is a value with an honest
 * interval; a decision (see `decisions.ts`) turns an interval and a threshold into a {@link Verdict}.
 *
 * Naming grammar (after TensorFlow Probability's `statistical_testing`): `estimate<Property>By<Method>`
 * (`estimateMeanByClt`), `minSamplesFor<Property>BoundBy<Method>`, `minDetectableDiscrepancyBy<Method>`.
 * Confidence is `level`; error rates are `falseFailRate` (P(verdict `violated` | statement true)) and
 * `falsePassRate` (P(no `violated` | statement false by the stated discrepancy)).
 *
 * @module
 */

/** A three-valued verdict: the whole interval on the safe side, the whole interval beyond, or neither. */
export type Verdict = 'holds' | 'violated' | 'inconclusive';

/**
 * A confidence interval [lower, upper] with two-sided coverage `level`.
 *
 * @remarks With the decision rule of THEORY §6.0 each end is used as a one-sided bound, so a two-sided interval at
 * level 1 − 2δ gives the false-fail rate δ (see {@link levelForFalseFailRate}). A one-sided interval has an infinite
 * end (e.g. `upper = Infinity` for a lower bound on a supremum); `level` is then its one-sided coverage.
 */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** How an estimate (and its interval) was obtained. */
export type EstimateMethod =
  | 'exact'
  | 'numerical'
  | 'interval-ratio'
  | 'clt-mean'
  | 'clt-power-mean'
  | 'clt-sum'
  | 'clopper-pearson'
  | 'percentile-bootstrap'
  | 'u-statistic-clt'
  | 'dkwm'
  | 'sup-lower-bound'
  | 'lower-bound'
  | 'ols-slope'
  | 'sliced-monte-carlo'
  | 'assignment-vs-law';

/**
 * A value with an interval, the method that produced both, the sample size and (when meaningful) a standard error.
 *
 * @remarks
 * `n` is the number of independent replicates the standard error scales with (samples, projections, sweep
 * points), so a decision can predict how many would resolve an inconclusive verdict (SE ∝ 1/√n).
 * `supLowerBound` marks a maximum over samples used for a supremum: a lower bound that can prove a claimed bound
 * violated but never prove it holds (THEORY §6.0, sup-type quantities).
 */
export interface Estimate {
  readonly value: number;
  readonly interval: Interval;
  readonly method: EstimateMethod;
  readonly n: number;
  readonly standardError?: number;
  readonly supLowerBound?: boolean;
}

/** An estimator as an object: an id for reports, the estimate, and optionally its sample-size design. */
export interface Estimator<I> {
  /** e.g. `'meanByClt'`. */
  readonly id: string;
  estimate(input: I, options: { readonly level: number }): Estimate;
  /** Samples needed to resolve `discrepancy` at the given error rates (experiment design). */
  minSamples?(discrepancy: number, rates: { readonly falseFailRate: number; readonly falsePassRate: number }): number;
}

/**
 * The two-sided interval level whose ends are one-sided (1 − δ) bounds: level = 1 − 2δ.
 *
 * @remarks Use it to build the interval a decision is made from when the check's false-fail rate is δ
 * (THEORY §6.0 default δ = 1e-3, so level = 0.998).
 */
export function levelForFalseFailRate(falseFailRate: number): number {
  assertRate(falseFailRate, 'falseFailRate');
  return 1 - 2 * falseFailRate;
}

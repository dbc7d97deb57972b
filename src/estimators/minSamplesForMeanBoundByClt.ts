import { ValidationError } from '../core/errors.ts';
import { normalQuantile } from '../numerics/normalDistribution.ts';
import { assertRate } from './assertProbability.ts';
import { studentTQuantile } from './studentTQuantile.ts';

/** The two error rates a stochastic check is designed for (THEORY §6.0; TFP `statistical_testing`). */
export interface ErrorRates {
  /** P(verdict `violated` | the bound holds exactly at the threshold). */
  readonly falseFailRate: number;
  /** P(verdict not `violated` | the quantity exceeds the threshold by the discrepancy). */
  readonly falsePassRate: number;
}

/**
 * How many i.i.d. samples a CLT mean check needs to resolve a bound at a given discrepancy, at both error rates.
 *
 * @remarks
 * The check estimates μ = E X with a two-sided t-interval at level 1 − 2·falseFailRate and decides by THEORY §6.0
 * (`violated` iff the lower end exceeds the bound B). If μ = B the false-fail rate is `falseFailRate`; if
 * μ = B + Δ, `violated` has probability ≈ 1 − falsePassRate once
 *   Δ ≥ (t_{n−1, 1−α} + z_{1−β}) · σ/√n,   α = falseFailRate, β = falsePassRate.
 * By symmetry the same n makes `holds` likely (≥ 1 − β) when μ = B − Δ. We return the smallest such n, starting from
 * the normal-theory n = ⌈((z_{1−α} + z_{1−β}) σ/Δ)²⌉ and increasing it until the t quantile also fits (the power
 * side uses z, a standard approximation to the non-central t that is accurate once n ≳ 20).
 * This is TFP's `min_num_samples_for_dkwm_mean_test` with the CLT in place of the DKWM inequality: it needs σ
 * (an upper bound on the standard deviation) but no bounded support.
 *
 * Complexity: O(1) plus a short upward search.
 *
 * @param discrepancy - Δ > 0, the smallest violation (or margin) the check must resolve.
 * @param sd - σ > 0, the (upper bound on the) standard deviation of one sample.
 * @returns n ≥ 2.
 * @throws ValidationError for Δ ≤ 0, σ ≤ 0 or rates outside (0, 0.5).
 * @see TensorFlow Probability, `tfp.distributions.internal.statistical_testing`.
 */
export function minSamplesForMeanBoundByClt(discrepancy: number, sd: number, rates: ErrorRates): number {
  assertPositive(discrepancy, 'discrepancy');
  assertPositive(sd, 'sd');
  assertRate(rates.falseFailRate, 'falseFailRate');
  assertRate(rates.falsePassRate, 'falsePassRate');
  const zFail = normalQuantile(1 - rates.falseFailRate);
  const zPass = normalQuantile(1 - rates.falsePassRate);
  const ratio = sd / discrepancy;
  let n = Math.max(2, Math.ceil(((zFail + zPass) * ratio) ** 2));
  if (!Number.isSafeInteger(n)) {
    throw new ValidationError('E_INVALID_INPUT', `needs more than 2^53 samples (sd/discrepancy = ${ratio})`, 'discrepancy');
  }
  // Grow geometrically, then bisect, until (t_{n−1} + z) · σ/√n ≤ Δ.
  const fits = (m: number): boolean => (studentTQuantile(1 - rates.falseFailRate, m - 1) + zPass) * ratio <= Math.sqrt(m);
  if (fits(n)) return n;
  let lo = n;
  let hi = n + 1;
  while (!fits(hi)) {
    lo = hi;
    hi = Math.ceil(hi * 1.25) + 1;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The smallest discrepancy a CLT mean check with n samples resolves at the given error rates:
 * Δ = (t_{n−1, 1−α} + z_{1−β}) · σ/√n (the inverse of {@link minSamplesForMeanBoundByClt}).
 *
 * @param n - samples, ≥ 2.
 * @param sd - σ > 0.
 * @throws ValidationError for n < 2, σ ≤ 0 or rates outside (0, 0.5).
 */
export function minDetectableDiscrepancyByClt(n: number, sd: number, rates: ErrorRates): number {
  if (!Number.isInteger(n) || n < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${n}`, 'n');
  assertPositive(sd, 'sd');
  assertRate(rates.falseFailRate, 'falseFailRate');
  assertRate(rates.falsePassRate, 'falsePassRate');
  return ((studentTQuantile(1 - rates.falseFailRate, n - 1) + normalQuantile(1 - rates.falsePassRate)) * sd) / Math.sqrt(n);
}

function assertPositive(x: number, field: string): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new ValidationError('E_INVALID_INPUT', `must be a finite positive number, got ${x}`, field);
}

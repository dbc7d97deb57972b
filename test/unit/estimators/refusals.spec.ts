import { describe, expect, it } from 'vitest';
import { CmboundsError, ValidationError, type ErrorCode } from '../../../src/core/errors.ts';
import { bonferroniLevel } from '../../../src/estimators/bonferroniLevel.ts';
import { decideEquality, decideLowerBound, decideSlope, decideUpperBound } from '../../../src/estimators/decisions.ts';
import type { Estimate } from '../../../src/estimators/estimate.ts';
import { holmAdjust } from '../../../src/estimators/holmAdjust.ts';
import { estimateLogLogSlope } from '../../../src/estimators/logLogSlope.ts';
import { estimateMeanByClt, sampleMeanAndVariance } from '../../../src/estimators/meanByClt.ts';
import { minDetectableDiscrepancyByClt, minSamplesForMeanBoundByClt } from '../../../src/estimators/minSamplesForMeanBoundByClt.ts';
import { estimateByPercentileBootstrap } from '../../../src/estimators/percentileBootstrap.ts';
import { estimateProportionByClopperPearson } from '../../../src/estimators/proportionByClopperPearson.ts';
import { estimateStepSum } from '../../../src/estimators/stratifiedStepSum.ts';
import { studentTQuantile } from '../../../src/estimators/studentTQuantile.ts';
import { sumOfEstimates } from '../../../src/estimators/sumOfEstimates.ts';
import { estimateSupremumByMaximum } from '../../../src/estimators/supremumByMaximum.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

/**
 * Every refusal of the estimators, triggered through the public function: the user-facing contract is a
 * ValidationError whose code is stable, whose `field` names the offending input, and whose message is
 * `${field}: ${text}` (core/errors.ts) with the text stating the constraint and the value received.
 */
const est = (lower: number, upper: number, value: number, over: Partial<Estimate> = {}): Estimate => ({
  value,
  interval: { lower, upper, level: 0.95 },
  method: 'clt-mean',
  n: 10,
  standardError: 0.1,
  ...over,
});
const ok = est(0, 1, 0.5);
const pairs = (t: number): number[] => [t, t + 1];
const rates = { falseFailRate: 0.05, falsePassRate: 0.05 };

const cases: [string, () => unknown, ErrorCode, string, string][] = [
  ['assertLevel (via the CLT mean)', () => estimateMeanByClt([1, 2], { level: 1 }), 'E_INVALID_INPUT', 'level', 'must be strictly between 0 and 1, got 1'],
  ['assertRate', () => minSamplesForMeanBoundByClt(1, 1, { falseFailRate: 0.5, falsePassRate: 0.05 }), 'E_INVALID_INPUT', 'falseFailRate', 'must be strictly between 0 and 0.5, got 0.5'],
  ['bonferroniLevel m', () => bonferroniLevel(0.05, 0), 'E_INVALID_INPUT', 'm', 'must be a positive integer, got 0'],
  ['decideEquality tolerance', () => decideEquality(ok, 0.5, -1), 'E_INVALID_INPUT', 'tolerance', 'must be a finite number ≥ 0, got -1'],
  ['decideUpperBound bound', () => decideUpperBound(ok, Number.NaN), 'E_INVALID_INPUT', 'bound', 'must be a finite number, got NaN'],
  ['decideLowerBound bound', () => decideLowerBound(ok, Number.POSITIVE_INFINITY), 'E_INVALID_INPUT', 'bound', 'must be a finite number, got Infinity'],
  ['decideSlope maxSlope', () => decideSlope(ok, Number.NaN), 'E_INVALID_INPUT', 'maxSlope', 'must be a finite number, got NaN'],
  ['decision interval reversed', () => decideUpperBound(est(2, 1, 1.5), 3), 'E_INVALID_INPUT', 'estimate.interval', 'must satisfy lower ≤ upper, got [2, 1]'],
  ['decision interval NaN', () => decideLowerBound(est(Number.NaN, 1, 0.5), 0), 'E_INVALID_INPUT', 'estimate.interval', 'must satisfy lower ≤ upper, got [NaN, 1]'],
  ['decision value NaN', () => decideEquality(est(0, 1, Number.NaN), 0.5, 1), 'E_NON_FINITE', 'estimate.value', 'is NaN'],
  ['holmAdjust p', () => holmAdjust([0.1, 1.5]), 'E_INVALID_INPUT', 'pValues[1]', 'must be a probability in [0, 1], got 1.5'],
  ['logLogSlope length', () => estimateLogLogSlope([1, 2, 3], [1, 2]), 'E_DIMENSION', 'y', 'has length 2, expected 3 like x'],
  ['logLogSlope n', () => estimateLogLogSlope([1, 2], [1, 2]), 'E_INVALID_INPUT', 'x', 'needs at least 3 points for a slope interval, got 2'],
  ['logLogSlope x ≤ 0', () => estimateLogLogSlope([1, 0, 3], [1, 2, 3]), 'E_INVALID_INPUT', 'x[1]', 'must be a finite positive number (it is log-transformed), got 0'],
  ['logLogSlope y ≤ 0', () => estimateLogLogSlope([1, 2, 3], [1, 2, -1]), 'E_INVALID_INPUT', 'y[2]', 'must be a finite positive number (it is log-transformed), got -1'],
  ['logLogSlope constant x', () => estimateLogLogSlope([2, 2, 2], [1, 2, 3]), 'E_INVALID_INPUT', 'x', 'all x are equal; a slope needs at least two distinct x'],
  ['CLT mean n', () => estimateMeanByClt([1]), 'E_INVALID_INPUT', 'samples', 'needs at least 2 values for a standard error, got 1'],
  ['CLT mean non-finite', () => sampleMeanAndVariance([1, 2, Number.NEGATIVE_INFINITY], 'draws'), 'E_NON_FINITE', 'draws[2]', 'must be a finite number, got -Infinity'],
  // (z_{.95} + z_{.95})²·(10⁸)² ≈ 1.08e17 > 2^53 ≈ 9.0e15 samples
  ['minSamples beyond 2^53', () => minSamplesForMeanBoundByClt(1, 1e8, rates), 'E_INVALID_INPUT', 'discrepancy', 'needs more than 2^53 samples (sd/discrepancy = 100000000)'],
  ['minSamples discrepancy', () => minSamplesForMeanBoundByClt(0, 1, rates), 'E_INVALID_INPUT', 'discrepancy', 'must be a finite positive number, got 0'],
  ['minSamples sd', () => minSamplesForMeanBoundByClt(1, Number.POSITIVE_INFINITY, rates), 'E_INVALID_INPUT', 'sd', 'must be a finite positive number, got Infinity'],
  ['minDetectable n', () => minDetectableDiscrepancyByClt(1, 1, rates), 'E_INVALID_INPUT', 'n', 'must be an integer ≥ 2, got 1'],
  ['minDetectable rate', () => minDetectableDiscrepancyByClt(4, 1, { falseFailRate: 0.05, falsePassRate: 0 }), 'E_INVALID_INPUT', 'falsePassRate', 'must be strictly between 0 and 0.5, got 0'],
  ['bootstrap resamples', () => estimateByPercentileBootstrap([1, 2], (s) => s[0]!, rngFromSeed(1), { resamples: 9 }), 'E_INVALID_INPUT', 'resamples', 'must be an integer ≥ 10, got 9'],
  ['bootstrap n', () => estimateByPercentileBootstrap([1], (s) => s[0]!, rngFromSeed(1)), 'E_INVALID_INPUT', 'samples', 'needs at least 2 values, got 1'],
  ['bootstrap non-finite', () => estimateByPercentileBootstrap([1, Number.NaN], (s) => s[0]!, rngFromSeed(1)), 'E_NON_FINITE', 'samples[1]', 'must be a finite number, got NaN'],
  ['bootstrap statistic', () => estimateByPercentileBootstrap([1, 2], () => Number.NaN, rngFromSeed(1)), 'E_NON_FINITE', 'statistic', 'returned NaN'],
  ['Clopper–Pearson trials', () => estimateProportionByClopperPearson(0, 0), 'E_INVALID_INPUT', 'trials', 'must be a positive integer, got 0'],
  ['Clopper–Pearson successes', () => estimateProportionByClopperPearson(5, 4), 'E_INVALID_INPUT', 'successes', 'must be an integer in [0, 4], got 5'],
  ['step sum range', () => estimateStepSum(5, 4, pairs, rngFromSeed(1)), 'E_INVALID_INPUT', 'last', 'needs integers first ≤ last, got 5, 4'],
  ['step sum strata', () => estimateStepSum(1, 4, pairs, rngFromSeed(1), { strata: 0 }), 'E_INVALID_INPUT', 'strata', 'must be an integer ≥ 1, got 0'],
  ['step sum perStratum', () => estimateStepSum(1, 4, pairs, rngFromSeed(1), { perStratum: 1 }), 'E_INVALID_INPUT', 'perStratum', 'must be an integer ≥ 2, got 1'],
  ['t quantile p', () => studentTQuantile(1, 5), 'E_INVALID_INPUT', 'p', 'must be strictly between 0 and 1, got 1'],
  ['t quantile dof', () => studentTQuantile(0.9, 0), 'E_INVALID_INPUT', 'dof', 'must be positive, got 0'],
  ['sum of none', () => sumOfEstimates([]), 'E_INVALID_INPUT', 'estimates', 'must contain at least one estimate'],
  ['sum non-finite value', () => sumOfEstimates([ok, est(0, 1, Number.POSITIVE_INFINITY)]), 'E_NON_FINITE', 'estimates[1]', 'has value Infinity'],
  [
    'sum without standard error',
    () => sumOfEstimates([{ value: 0.5, interval: { lower: 0, upper: 1, level: 0.95 }, method: 'percentile-bootstrap', n: 10 }]),
    'E_INVALID_INPUT',
    'estimates[0]',
    'has no standardError (method percentile-bootstrap); a sum needs a standard error for every part',
  ],
  ['sum bad standard error', () => sumOfEstimates([ok, ok, est(0, 1, 0.5, { standardError: -1 })]), 'E_NON_FINITE', 'estimates[2]', 'has standardError -1'],
  ['supremum of none', () => estimateSupremumByMaximum([]), 'E_INVALID_INPUT', 'values', 'must contain at least one value'],
  ['supremum non-finite', () => estimateSupremumByMaximum([3, Number.NaN]), 'E_NON_FINITE', 'values[1]', 'must be a finite number, got NaN'],
];

describe('estimator refusals name the field and the value', () => {
  it.each(cases)('%s', (_name, call, code, field, text) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as CmboundsError;
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${text}`);
  });
});

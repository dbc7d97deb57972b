import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { bonferroniLevel } from '../../../src/estimators/bonferroniLevel.ts';
import { decideUpperBound } from '../../../src/estimators/decisions.ts';
import { holmAdjust } from '../../../src/estimators/holmAdjust.ts';
import { estimateLogLogSlope } from '../../../src/estimators/logLogSlope.ts';
import { estimateMeanByClt } from '../../../src/estimators/meanByClt.ts';
import { minSamplesForMeanBoundByClt } from '../../../src/estimators/minSamplesForMeanBoundByClt.ts';
import { estimateByPercentileBootstrap, quantileOfSorted } from '../../../src/estimators/percentileBootstrap.ts';
import { estimateProportionByClopperPearson } from '../../../src/estimators/proportionByClopperPearson.ts';
import { studentTQuantile } from '../../../src/estimators/studentTQuantile.ts';
import { sumOfEstimates } from '../../../src/estimators/sumOfEstimates.ts';
import { estimateSupremumByMaximum } from '../../../src/estimators/supremumByMaximum.ts';
import { normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';

/**
 * Each estimator's input checks at the exact edge of what it accepts (the smallest valid value passes, the first
 * invalid one is refused with the field named), and the formulas whose mutants the existing tests could not tell
 * apart (a quantile interpolation whose lower order statistic was 0, a standard error at p = ½).
 */
describe('levels and rates at their edges', () => {
  it('a level must lie strictly inside (0, 1)', () => {
    for (const bad of [0, -0.5, 1]) expect(() => estimateMeanByClt([1, 2, 3], { level: bad })).toThrow(/^level:/);
    expect(estimateMeanByClt([1, 2, 3], { level: 1e-9 }).interval.level).toBe(1e-9);
    expect(() => bonferroniLevel(0, 3)).toThrow(/^familyLevel:/);
  });

  it('an error rate must lie strictly inside (0, ½)', () => {
    for (const bad of [0, -0.1, 0.5]) expect(() => minSamplesForMeanBoundByClt(1, 1, { falseFailRate: bad, falsePassRate: 0.1 })).toThrow(/^falseFailRate:/);
    expect(() => minSamplesForMeanBoundByClt(1, 1, { falseFailRate: 0.05, falsePassRate: 0 })).toThrow(/^falsePassRate:/);
    expect(minSamplesForMeanBoundByClt(1, 1, { falseFailRate: 0.49, falsePassRate: 0.49 })).toBeGreaterThanOrEqual(2);
  });
});

describe('holmAdjust', () => {
  it('accepts p-values 0 and 1 and refuses anything outside [0, 1], naming the index', () => {
    expect(holmAdjust([0, 1])).toEqual([0, 1]);
    expect(() => holmAdjust([0.5, -0.01])).toThrow(/^pValues\[1\]:/);
    expect(() => holmAdjust([1.01])).toThrow(/^pValues\[0\]:/);
    expect(() => holmAdjust([Number.NaN])).toThrow(/^pValues\[0\]:/);
  });
});

describe('estimateLogLogSlope', () => {
  it('uses n − 2 degrees of freedom: with 3 points the half-width is t₁ (12.7) times the standard error', () => {
    const e = estimateLogLogSlope([1, 2, 4], [1, 2.2, 3.9]);
    const halfWidth = (e.interval.upper - e.interval.lower) / 2;
    expect(halfWidth / e.standardError!).toBeCloseTo(jStat.studentt.inv(0.975, 1), 6);
  });
});

describe('estimateByPercentileBootstrap', () => {
  it('takes its percentile interval and standard error from the replicates (a statistic that counts its calls)', () => {
    // the statistic returns 0 on the original sample and 1, 2, …, B on the replicates, whatever they are: the
    // interval is then the type-7 2.5% and 97.5% quantiles of 1..B and the SE the sd of 1..B, √(B(B+1)/12)
    let calls = 0;
    const B = 1000;
    const e = estimateByPercentileBootstrap([3, 1, 4, 1, 5], () => calls++, new Rng(1, ['count']), { resamples: B });
    expect(e.value).toBe(0);
    expect(e.interval.lower).toBeCloseTo(1 + 999 * 0.025, 9);
    expect(e.interval.upper).toBeCloseTo(1 + 999 * 0.975, 9);
    expect(e.standardError).toBeCloseTo(Math.sqrt((B * (B + 1)) / 12), 9);
  });

  it('interpolates between two non-zero order statistics', () => {
    // h = 3·0.5 = 1.5 between 10 and 30 → 20
    expect(quantileOfSorted(Float64Array.from([5, 10, 30, 40]), 0.5)).toBe(20);
    expect(quantileOfSorted(Float64Array.from([5, 10, 30, 40]), 0)).toBe(5);
  });

  it('accepts 10 resamples and 2 values, refuses 9 resamples, 1 value and a non-finite value', () => {
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(estimateByPercentileBootstrap([1, 2], mean, new Rng(0), { resamples: 10 }).n).toBe(2);
    expect(() => estimateByPercentileBootstrap([1, 2], mean, new Rng(0), { resamples: 9 })).toThrow(/^resamples:/);
    expect(() => estimateByPercentileBootstrap([1], mean, new Rng(0))).toThrow(/^samples: needs at least 2 values/);
    expect(() => estimateByPercentileBootstrap([1, Number.NaN, 2], mean, new Rng(0))).toThrow(/^samples\[1\]:/);
  });
});

describe('estimateProportionByClopperPearson', () => {
  it('accepts one trial, refuses successes outside [0, trials] and non-integers', () => {
    expect(estimateProportionByClopperPearson(1, 1).value).toBe(1);
    expect(() => estimateProportionByClopperPearson(0, 0)).toThrow(/^trials:/);
    expect(() => estimateProportionByClopperPearson(4, 3)).toThrow(/^successes:/);
    expect(() => estimateProportionByClopperPearson(-1, 3)).toThrow(/^successes:/);
    expect(() => estimateProportionByClopperPearson(1.5, 3)).toThrow(/^successes:/);
  });

  it('reports the plug-in standard error √(p̂(1 − p̂)/n) away from p̂ = ½', () => {
    expect(estimateProportionByClopperPearson(3, 10).standardError).toBeCloseTo(Math.sqrt(0.21 / 10), 14);
  });
});

describe('studentTQuantile', () => {
  it('is the normal quantile at infinite dof and matches jStat on the large-dof branch', () => {
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBe(normalQuantile(0.975));
    // jStat's inverse (incomplete-beta inversion) is good to ~1e-7 at this dof: 6 digits
    expect(studentTQuantile(0.975, 2000)).toBeCloseTo(jStat.studentt.inv(0.975, 2000), 6);
    expect(() => studentTQuantile(0, 5)).toThrow(/^p:/);
    expect(() => studentTQuantile(-0.2, 5)).toThrow(/^p:/);
  });
});

describe('sumOfEstimates and estimateSupremumByMaximum', () => {
  it('a single part is a valid sum; a non-finite value or standard error is refused, naming the part', () => {
    const part = { value: 1, interval: { lower: 0, upper: 2, level: 0.95 }, method: 'clt-mean' as const, n: 10, standardError: 0.5 };
    expect(sumOfEstimates([part]).value).toBe(1);
    expect(() => sumOfEstimates([part, { ...part, value: Number.POSITIVE_INFINITY }])).toThrow(/^estimates\[1\]: has value Infinity/);
    expect(() => sumOfEstimates([{ ...part, standardError: -1 }])).toThrow(/^estimates\[0\]: has standardError -1/);
    expect(() => sumOfEstimates([{ ...part, standardError: Number.NaN }])).toThrow(/^estimates\[0\]: has standardError NaN/);
  });

  it('a single value is a valid maximum; the witness of a tie is its first occurrence', () => {
    expect(estimateSupremumByMaximum([4]).argmax).toBe(0);
    expect(estimateSupremumByMaximum([1, 3, 3]).argmax).toBe(1);
  });

  it('a decision from n = 1 still predicts the samples it needs', () => {
    const e = { value: 1, interval: { lower: 0.5, upper: 1.5, level: 0.95 }, method: 'clt-mean' as const, n: 1, standardError: 0.25 };
    expect(decideUpperBound(e, 1.25).samplesNeeded).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { decideEquality, decideLowerBound, decideSlope, decideUpperBound } from '../../../src/estimators/decisions.ts';
import type { Estimate } from '../../../src/estimators/estimate.ts';
import { estimateSupremumByMaximum } from '../../../src/estimators/supremumByMaximum.ts';

/**
 * The branches of the decision rules that decide which side of a threshold an interval lies on and how many samples
 * would settle an inconclusive one, each exercised on both sides of its threshold. Sample-size hints are
 * n′ = max(⌈n·(h/g)²⌉, n + 1) with h the half-width that must clear and g the gap from the value to the threshold
 * (decisions.ts); every expected number below is that formula done by hand.
 */
function est(lower: number, upper: number, value: number, over: Partial<Estimate> = {}): Estimate {
  return { value, interval: { lower, upper, level: 0.95 }, method: 'clt-mean', n: 100, standardError: (upper - lower) / 4, ...over };
}

describe('sample-size hints of inconclusive verdicts', () => {
  it('decideLowerBound leaning violated uses the upper half-width against the gap below the bound', () => {
    // value 1 < bound 1.25: upper half-width 0.5 must shrink to 0.25 → 4n; the lower half-width (0.1) is irrelevant.
    const d = decideLowerBound(est(0.9, 1.5, 1), 1.25);
    expect(d.verdict).toBe('inconclusive');
    expect(d.samplesNeeded).toBe(400);
    // leaning holds (value ≥ bound): lower half-width 0.1 against gap 0.05 → 4n; the upper one (0.5) is irrelevant
    expect(decideLowerBound(est(0.9, 1.5, 1), 0.95).samplesNeeded).toBe(400);
  });

  it('decideUpperBound uses the half-width on the side that must clear, not the other one', () => {
    // leaning holds: upper half-width 0.3 vs gap 0.1 → 9n (the lower half-width 0.6 would give 36n)
    expect(decideUpperBound(est(0.4, 1.3, 1), 1.1).samplesNeeded).toBe(900);
    // leaning violated: lower half-width 0.6 vs gap 0.2 → 9n (the upper one 0.3 would give 2.25n)
    expect(decideUpperBound(est(0.4, 1.3, 1), 0.8).samplesNeeded).toBe(900);
  });

  it('decideEquality: value above the band, below it, and inside it with unequal half-widths', () => {
    // band [0.9, 1.1]; value 1.2 above it: lower half-width 0.4 vs gap 0.1 → 16n
    expect(decideEquality(est(0.8, 1.25, 1.2), 1, 0.1).samplesNeeded).toBe(1600);
    // value 0.8 below it: upper half-width 0.4 vs gap 0.1 → 16n
    expect(decideEquality(est(0.75, 1.2, 0.8), 1, 0.1).samplesNeeded).toBe(1600);
    // value 1 inside: left needs (0.2/0.1)² = 4n, right (0.3/0.1)² = 9n → the larger, 9n
    expect(decideEquality(est(0.8, 1.3, 1), 1, 0.1).samplesNeeded).toBe(900);
    expect(decideEquality(est(0.7, 1.2, 1), 1, 0.1).samplesNeeded).toBe(900);
    // inside, but one side unpredictable (value on the band's edge: zero gap) → no hint at all
    expect(decideEquality(est(0.8, 1.3, 1.1), 1, 0.1).samplesNeeded).toBeUndefined();
  });

  it('decideSlope leaning violated uses the lower half-width', () => {
    const slope: Estimate = { value: 0.2, interval: { lower: -0.1, upper: 0.3, level: 0.998 }, method: 'ols-slope', n: 6, standardError: 0.05 };
    // value 0.2 > allowed 0.1: lower half-width 0.3 vs gap 0.1 → 9·6 = 54 sweep points
    expect(decideSlope(slope, 0.1).samplesNeeded).toBe(54);
    // value 0.2 ≤ allowed 0.25: upper half-width 0.1 vs gap 0.05 → 4·6 = 24
    expect(decideSlope(slope, 0.25).samplesNeeded).toBe(24);
  });

  it('never predicts fewer than n + 1 samples, even when rounding puts the ratio at 1', () => {
    // upper half-width exceeds the gap by one ulp: n·(h/g)² rounds to n, and one more sample is the honest minimum
    const d = decideUpperBound(est(0, 2 + 2 * Number.EPSILON, 1), 2);
    expect(d.verdict).toBe('inconclusive');
    expect(d.samplesNeeded).toBe(101);
  });

  it('gives no hint without a usable standard error or sample count, or when the hint is not a safe integer', () => {
    const noHint = (e: Estimate, bound: number): void => {
      const d = decideUpperBound(e, bound);
      expect(d.verdict).toBe('inconclusive');
      expect(d.samplesNeeded).toBeUndefined();
      expect(d.reason).toMatch(/contains the bound .*, so the verdict is inconclusive\.$/);
    };
    const { standardError: _se, ...withoutSe } = est(0.5, 1.5, 1);
    noHint(withoutSe, 1.25);
    noHint(est(0.5, 1.5, 1, { standardError: 0 }), 1.25);
    noHint(est(0.5, 1.5, 1, { n: 0 }), 1.25);
    // gap 1e-12 with half-width 0.5: n·(h/g)² ≈ 2.5e25 > 2^53
    noHint(est(0.5, 1.5, 1), 1 + 1e-12);
    // an infinite half-width cannot shrink
    noHint(est(0.5, Number.POSITIVE_INFINITY, 1), 1.25);
    // and with them the hint is there: the four guards above are what removed it
    expect(decideUpperBound(est(0.5, 1.5, 1), 1.25).samplesNeeded).toBe(400);
  });
});

describe('a sup lower bound (maximum over samples)', () => {
  const sup = estimateSupremumByMaximum([0.2, 1.7, 0.9]);

  it('is violated strictly above the bound, naming the witness sample, and prints its interval with ∞', () => {
    const d = decideUpperBound(sup, 1.5);
    expect(d.verdict).toBe('violated');
    expect(d.reason).toContain('(witness: sample 1)');
    expect(d.reason).toContain('sure interval [1.7, ∞]');
  });

  it('can never hold, however generous the bound; at the bound it is inconclusive', () => {
    for (const bound of [1.7, 10, 1e300]) {
      const d = decideUpperBound(sup, bound);
      expect(d.verdict).toBe('inconclusive');
      expect(d.samplesNeeded).toBeUndefined();
      expect(d.reason).toMatch(/^The maximum 1\.7 over 3 samples is only a lower bound on the supremum/);
    }
  });

  it('a plain estimate without the sup flag and the same interval gets the generic reason, without a witness', () => {
    const plain: Estimate = { value: 1.7, interval: { lower: 1.7, upper: Number.POSITIVE_INFINITY, level: 1 }, method: 'exact', n: 3 };
    expect(decideUpperBound(plain, 10).reason).toMatch(/^The sure interval \[1\.7, ∞\] .* contains the bound 10/);
    expect(decideUpperBound(plain, 1).reason).not.toContain('witness');
  });
});

describe('interval edges, mirrored', () => {
  it('decideLowerBound: −∞ lower ends never hold; the bound at the upper end is not a violation', () => {
    const e = est(Number.NEGATIVE_INFINITY, 2, 1);
    expect(decideLowerBound(e, 0).verdict).toBe('inconclusive');
    expect(decideLowerBound(e, 2).verdict).toBe('inconclusive');
    expect(decideLowerBound(e, 2 + 4 * Number.EPSILON).verdict).toBe('violated');
    expect(decideLowerBound(e, 0).reason).toContain('[−∞, 2]');
  });

  it('decideEquality: touching the lower edge of the band from outside is inconclusive, one ulp beyond is violated', () => {
    expect(decideEquality(est(0.7, 0.9, 0.8), 1, 0.1).verdict).toBe('inconclusive');
    expect(decideEquality(est(0.7, 0.8999999999999999, 0.8), 1, 0.1).verdict).toBe('violated');
    // and inside from the lower edge exactly
    expect(decideEquality(est(0.9, 1.05, 1), 1, 0.1).verdict).toBe('holds');
    expect(decideEquality(est(0.8999999999999999, 1.05, 1), 1, 0.1).verdict).toBe('inconclusive');
  });

  it('rejects a NaN value and a non-finite tolerance, naming the field', () => {
    expect(() => decideUpperBound(est(0, 1, Number.NaN), 2)).toThrow(/^estimate\.value:/);
    expect(() => decideEquality(est(0, 1, 0.5), 0.5, Number.POSITIVE_INFINITY)).toThrow(/^tolerance:/);
    expect(() => decideLowerBound(est(0, Number.NaN, 0.5), 0)).toThrow(/^estimate\.interval:/);
  });
});

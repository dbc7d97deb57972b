import { describe, expect, it } from 'vitest';
import { decideEquality, decideLowerBound, decideSlope, decideUpperBound } from '../../../src/estimators/decisions.ts';
import { levelForFalseFailRate, type Estimate } from '../../../src/estimators/estimate.ts';

/** A hand-made estimate: value 1 with interval [lower, upper] and SE = (upper − lower)/4 from n = 100 samples. */
function est(lower: number, upper: number, value = (lower + upper) / 2): Estimate {
  return { value, interval: { lower, upper, level: 0.95 }, method: 'clt-mean', n: 100, standardError: (upper - lower) / 4 };
}

describe('decideUpperBound', () => {
  it('holds when the upper end equals the bound (inclusive edge)', () => {
    const d = decideUpperBound(est(1, 2), 2);
    expect(d.verdict).toBe('holds');
    expect(d.samplesNeeded).toBeUndefined();
    expect(d.reason).toMatch(/95% interval \[1, 2\].*at or below the bound 2/);
  });

  it('is inconclusive when the upper end is one ulp above the bound', () => {
    const upper = 2 + 2 * Number.EPSILON;
    const d = decideUpperBound(est(1, upper), 2);
    expect(d.verdict).toBe('inconclusive');
    // The reason must print the end distinguishably from the bound.
    expect(d.reason).toContain('2.0000000000000004');
  });

  it('is inconclusive when the lower end equals the bound, and violated just above it (strict edge)', () => {
    expect(decideUpperBound(est(2, 3), 2).verdict).toBe('inconclusive');
    const d = decideUpperBound(est(2 + 2 * Number.EPSILON, 3), 2);
    expect(d.verdict).toBe('violated');
    expect(d.reason).toMatch(/entirely above the bound 2/);
  });

  it('predicts the samples that would resolve an inconclusive verdict from 1/√n scaling', () => {
    // value 1, upper half-width 0.5, gap to the bound 0.25: the half-width must halve, so n → 4n = 400.
    const d = decideUpperBound(est(0.5, 1.5, 1), 1.25);
    expect(d.verdict).toBe('inconclusive');
    expect(d.samplesNeeded).toBe(400);
    expect(d.reason).toMatch(/about 400 samples \(now 100\)/);
    // Leaning violated: lower half-width 0.5, gap 0.1 → 25n.
    expect(decideUpperBound(est(0.5, 1.5, 1), 0.9).samplesNeeded).toBe(2500);
  });

  it('gives no sample prediction when the value sits on the bound', () => {
    const d = decideUpperBound(est(0.5, 1.5, 1), 1);
    expect(d.verdict).toBe('inconclusive');
    expect(d.samplesNeeded).toBeUndefined();
  });

  it('rejects a malformed interval or a non-finite bound, naming the field', () => {
    expect(() => decideUpperBound(est(2, 1), 0)).toThrow(/^estimate\.interval:/);
    expect(() => decideUpperBound(est(1, 2), Number.NaN)).toThrow(/^bound:/);
  });
});

describe('decideLowerBound', () => {
  it('holds when the lower end equals the bound (inclusive edge)', () => {
    expect(decideLowerBound(est(1, 2), 1).verdict).toBe('holds');
    expect(decideLowerBound(est(1 - Number.EPSILON, 2), 1).verdict).toBe('inconclusive');
  });

  it('is violated only when the upper end is strictly below the bound', () => {
    expect(decideLowerBound(est(0, 1), 1).verdict).toBe('inconclusive');
    const d = decideLowerBound(est(0, 1 - Number.EPSILON), 1);
    expect(d.verdict).toBe('violated');
    expect(d.reason).toMatch(/entirely below the bound 1/);
  });

  it('predicts samples on the side that must clear the bound', () => {
    // value 1 ≥ bound 0.75: lower half-width 0.5 must shrink to 0.25 → 400.
    expect(decideLowerBound(est(0.5, 1.5, 1), 0.75).samplesNeeded).toBe(400);
  });
});

describe('decideEquality', () => {
  it('holds when the interval touches both edges of the band from inside', () => {
    expect(decideEquality(est(0.9, 1.1), 1, 0.1).verdict).toBe('holds');
  });

  it('is inconclusive when the interval pokes out of the band by one ulp', () => {
    expect(decideEquality(est(0.9, 1.1 + 2 * Number.EPSILON), 1, 0.1).verdict).toBe('inconclusive');
  });

  it('is violated only when the interval lies strictly outside the band on one side', () => {
    expect(decideEquality(est(1.1, 1.3), 1, 0.1).verdict).toBe('inconclusive'); // touches the upper edge
    expect(decideEquality(est(1.1 + 2 * Number.EPSILON, 1.3), 1, 0.1).verdict).toBe('violated');
    expect(decideEquality(est(0.7, 0.9 - Number.EPSILON), 1, 0.1).verdict).toBe('violated');
  });

  it('predicts samples from the nearer band edge when the value is inside', () => {
    // value 1, half-widths 0.2, band [0.9, 1.1]: both gaps 0.1 → 4n.
    expect(decideEquality(est(0.8, 1.2, 1), 1, 0.1).samplesNeeded).toBe(400);
  });

  it('names a negative tolerance', () => {
    expect(() => decideEquality(est(0, 1), 0.5, -1)).toThrow(/^tolerance:/);
  });
});

describe('decideSlope', () => {
  const slope = (lower: number, upper: number): Estimate => ({
    value: (lower + upper) / 2,
    interval: { lower, upper, level: 0.998 },
    method: 'ols-slope',
    n: 6,
    standardError: (upper - lower) / 8,
  });

  it('holds at the inclusive edge and is violated only strictly above the allowed slope', () => {
    expect(decideSlope(slope(-0.2, 0.05), 0.05).verdict).toBe('holds');
    expect(decideSlope(slope(0.05, 0.3), 0.05).verdict).toBe('inconclusive');
    const d = decideSlope(slope(0.05 * (1 + Number.EPSILON), 0.3), 0.05);
    expect(d.verdict).toBe('violated');
    expect(d.reason).toMatch(/99\.8% interval.*ratio grows/);
  });

  it('counts sweep points when inconclusive', () => {
    const d = decideSlope(slope(-0.1, 0.3), 0.2);
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/sweep points \(now 6\)/);
    // value 0.1, upper half-width 0.2, gap 0.1 → 4·6 = 24.
    expect(d.samplesNeeded).toBe(24);
  });
});

describe('levelForFalseFailRate', () => {
  it('makes each end a one-sided bound at 1 − δ', () => {
    expect(levelForFalseFailRate(1e-3)).toBe(0.998);
    expect(() => levelForFalseFailRate(0.5)).toThrow(/^falseFailRate:/);
  });
});

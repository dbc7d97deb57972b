import { describe, expect, it } from 'vitest';
import { bonferroniLevel } from '../../../src/estimators/bonferroniLevel.ts';
import { holmAdjust } from '../../../src/estimators/holmAdjust.ts';

describe('holmAdjust', () => {
  it('computes step-down adjusted p-values in the input order', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06 (monotone).
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    // Each is one product of two doubles: 1 ulp of the value.
    adjusted.forEach((p, k) => expect(Math.abs(p - expected[k]!)).toBeLessThanOrEqual(Number.EPSILON * expected[k]!));
  });

  it('caps at 1 and is never smaller than the raw p-value', () => {
    const raw = [0.6, 0.2, 0.9];
    const adjusted = holmAdjust(raw);
    expect(adjusted).toEqual([1, 0.6000000000000001, 1]);
    adjusted.forEach((p, k) => expect(p).toBeGreaterThanOrEqual(raw[k]!));
  });

  it('names a p-value outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, Number.NaN])).toThrow(/^pValues\[1\]:/);
  });
});

describe('bonferroniLevel', () => {
  it('splits the family miss probability evenly', () => {
    expect(bonferroniLevel(0.95, 10)).toBe(1 - 0.05 / 10);
    expect(bonferroniLevel(0.998, 1)).toBe(0.998);
    expect(() => bonferroniLevel(0.95, 0)).toThrow(/^m:/);
    expect(() => bonferroniLevel(1.2, 3)).toThrow(/^familyLevel:/);
  });
});

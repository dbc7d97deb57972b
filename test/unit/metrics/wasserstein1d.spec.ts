import { describe, expect, it } from 'vitest';
import { wasserstein1d } from '../../../src/metrics/wasserstein1d.ts';
import { Rng } from '../../../src/random/rng.ts';

describe('wasserstein1d', () => {
  it('computes small cases by hand', () => {
    expect(wasserstein1d([0], [1], 1)).toBe(1);
    // Sorted pairs (0,1), (2,2), (4,3): W1 = (1 + 0 + 1)/3, W2 = √(2/3).
    expect(wasserstein1d([4, 0, 2], [3, 1, 2], 1)).toBe(2 / 3);
    expect(wasserstein1d([4, 0, 2], [3, 1, 2], 2)).toBe(Math.sqrt(2 / 3));
    // Unequal sizes: F⁻¹ = 0 on (0, 1/2), 1 on (1/2, 1); G⁻¹ = 0.5 everywhere: W1 = 0.5.
    expect(wasserstein1d([0, 1], [0.5], 1)).toBe(0.5);
  });

  it('equals the equal-size answer after replicating each set to n·m points', () => {
    const rng = new Rng(4, ['w1d.unequal']);
    const a = new Float64Array(7).map(() => rng.normal());
    const b = new Float64Array(5).map(() => 1 + rng.normal());
    const aRep = Float64Array.from({ length: 35 }, (_, k) => a[k % 7]!);
    const bRep = Float64Array.from({ length: 35 }, (_, k) => b[k % 5]!);
    for (const p of [1, 2, 3]) {
      const expected = wasserstein1d(aRep, bRep, p);
      // Same integral, pieces summed in different groupings: 35 terms × ε relative.
      expect(Math.abs(wasserstein1d(a, b, p) - expected)).toBeLessThanOrEqual(35 * Number.EPSILON * expected);
    }
  });

  it('does not modify its inputs', () => {
    const a = [3, 1, 2];
    wasserstein1d(a, [0], 2);
    expect(a).toEqual([3, 1, 2]);
  });

  it('names empty and non-finite inputs', () => {
    expect(() => wasserstein1d([], [1], 1)).toThrow(/^a: must contain at least one value/);
    expect(() => wasserstein1d([1], [0, Number.POSITIVE_INFINITY], 1)).toThrow(/^b\[1\]: must be a finite number, got Infinity/);
  });
});

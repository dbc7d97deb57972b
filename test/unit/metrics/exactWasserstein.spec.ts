import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { exactWasserstein, pairwiseCostMatrix } from '../../../src/metrics/exactWasserstein.ts';
import { wasserstein1d } from '../../../src/metrics/wasserstein1d.ts';
import { Rng } from '../../../src/random/rng.ts';
import { permutations } from './permutations.ts';

function randomBatch(n: number, d: number, rng: Rng): PointBatch {
  return { n, d, data: rng.fillNormal(new Float64Array(n * d)) };
}

function bruteForceW(a: PointBatch, b: PointBatch, p: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const perm of permutations(a.n)) {
    let s = 0;
    for (let i = 0; i < a.n; i++) {
      let d2 = 0;
      for (let k = 0; k < a.d; k++) d2 += (a.data[i * a.d + k]! - b.data[perm[i]! * a.d + k]!) ** 2;
      s += Math.sqrt(d2) ** p;
    }
    best = Math.min(best, s / a.n);
  }
  return best ** (1 / p);
}

describe('exactWasserstein', () => {
  it('matches brute force over permutations in d = 3 for n ≤ 7 (W1 and W2, 10 seeds per n)', () => {
    for (let n = 1; n <= 7; n++) {
      for (let seed = 0; seed < 10; seed++) {
        const rng = new Rng(seed, ['exactW', String(n)]);
        const a = randomBatch(n, 3, rng);
        const b = randomBatch(n, 3, rng);
        for (const p of [1, 2]) {
          // Same costs, different summation order: relative 1e-13 (≈ 7 terms × ε, with headroom for the p-th root).
          const expected = bruteForceW(a, b, p);
          expect(Math.abs(exactWasserstein(a, b, p).value - expected)).toBeLessThanOrEqual(1e-13 * expected);
        }
      }
    }
  });

  it('agrees with the sorted 1-D answer in d = 1 (n = 200)', () => {
    const rng = new Rng(1, ['exactW.1d']);
    const a = randomBatch(200, 1, rng);
    const b: PointBatch = { n: 200, d: 1, data: new Float64Array(200).map(() => 0.5 + 2 * rng.normal()) };
    for (const p of [1, 2]) {
      const expected = wasserstein1d(a.data, b.data, p);
      // Both are optimal costs of the same matrix; summation order differs: 200·ε relative.
      expect(Math.abs(exactWasserstein(a, b, p).value - expected)).toBeLessThanOrEqual(200 * Number.EPSILON * expected);
    }
  });

  it('gives |c| for a translate (W2 of a shifted copy)', () => {
    const rng = new Rng(2, ['exactW.shift']);
    const a = randomBatch(64, 4, rng);
    const shift = [0.3, -1.2, 0.5, 2];
    const b: PointBatch = { n: 64, d: 4, data: a.data.map((x, k) => x + shift[k % 4]!) };
    const norm = Math.hypot(...shift);
    const { value, assignment } = exactWasserstein(a, b, 2);
    // W2(μ, μ + c) = |c|; each squared distance carries a few ulps of rounding.
    expect(Math.abs(value - norm)).toBeLessThanOrEqual(64 * Number.EPSILON * norm);
    expect(Array.from(assignment.rowToColumn)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('builds the cost matrix without the cancelling ‖a‖² + ‖b‖² − 2a·b expansion', () => {
    const a: PointBatch = { n: 1, d: 1, data: Float64Array.of(1e8 + 1e-4) };
    const b: PointBatch = { n: 1, d: 1, data: Float64Array.of(1e8) };
    const exact = (1e8 + 1e-4 - 1e8) ** 2;
    expect(pairwiseCostMatrix(a, b, 2)[0]).toBe(exact);
  });

  it('rejects unequal sizes, naming b and suggesting alternatives', () => {
    const rng = new Rng(3);
    expect(() => exactWasserstein(randomBatch(4, 2, rng), randomBatch(5, 2, rng), 2)).toThrow(
      /^b: has 5 points but a has 4; exact W with uniform weights needs equal sizes/,
    );
    expect(() => exactWasserstein(randomBatch(4, 2, rng), randomBatch(4, 3, rng), 2)).toThrow(/^b: points have 3 coordinates but a points have 2/);
    expect(() => exactWasserstein(randomBatch(4, 2, rng), randomBatch(4, 2, rng), 0.5)).toThrow(/^p:/);
  });
});

import { describe, expect, it } from 'vitest';
import { gaussian, kolmogorovDistance, pointBatch, projectedMixtureCdf, projectPoints } from '../../../src/index.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';

describe('kolmogorovDistance', () => {
  it('is the largest one-sided gap at the order statistics', () => {
    const uniform = (x: number): number => Math.min(1, Math.max(0, x));
    expect(kolmogorovDistance([0.5], uniform)).toBe(0.5);
    // sorted 0.1, 0.2, 0.9: gaps max(|0.1−0|, |1/3−0.1|, |0.2−1/3|, |2/3−0.2|, |0.9−2/3|, |1−0.9|) = 2/3 − 0.2
    expect(kolmogorovDistance([0.9, 0.1, 0.2], uniform)).toBeCloseTo(2 / 3 - 0.2, 15);
    expect(() => kolmogorovDistance([], uniform)).toThrow(/sample/);
  });
});

describe('projectedMixtureCdf', () => {
  it('is the CDF of N(aθᵀμ, a²θᵀΣθ + s²‖θ‖²) for a Gaussian, and refuses a zero direction', () => {
    const g = gaussian([1, -2], [2, 0.5, 0.5, 1]);
    const theta = [0.6, -1.3];
    const [a, s] = [0.8, 0.7];
    const mean = a * (0.6 * 1 + -1.3 * -2);
    const variance = a * a * (0.36 * 2 + 2 * 0.6 * -1.3 * 0.5 + 1.69 * 1) + s * s * (0.36 + 1.69);
    const cdf = projectedMixtureCdf(g, theta, a, s);
    for (const x of [-3, 0, 2.5, 6]) expect(cdf(x)).toBeCloseTo(normalCdf((x - mean) / Math.sqrt(variance)), 13);
    expect(() => projectedMixtureCdf(g, [0, 0], a, s)).toThrow(/direction/);
    expect(() => projectedMixtureCdf(g, [1], a, s)).toThrow(/direction/);
  });

  it('projects points row by row', () => {
    expect(Array.from(projectPoints(pointBatch(2, 2, Float64Array.from([1, 2, 3, 4])), [1, -1]))).toEqual([-1, -1]);
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { noisedBoxGrid1d } from '../../../src/distributions/boxGrid.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';

describe('noisedBoxGrid1d', () => {
  it('spans mean ± 5 sd of X₀ + σZ in 41 equal steps, the mean in the middle', () => {
    // N(0.5, 0.5) + 1.2·Z: sd = √(0.5 + 1.44)
    const grid = noisedBoxGrid1d(gaussian([0.5], [0.5]), 1.2);
    const sd = Math.sqrt(0.5 + 1.44);
    expect(grid.n).toBe(41);
    expect(grid.d).toBe(1);
    expect(grid.data[0]).toBeCloseTo(0.5 - 5 * sd, 14);
    expect(grid.data[20]).toBeCloseTo(0.5, 14);
    expect(grid.data[40]).toBeCloseTo(0.5 + 5 * sd, 14);
    for (let i = 1; i < 41; i++) expect(grid.data[i]! - grid.data[i - 1]!).toBeCloseTo((10 * sd) / 40, 12);
  });

  it('uses the mixture\'s variance (within and between components) and the options', () => {
    // bimodal-1d's Var X₀ from its own weights, means and variances
    const target = builtInTarget('bimodal-1d');
    const mix = target.toSpec() as { weights: number[]; means: number[][]; covariances: number[][][] };
    const mean = mix.weights.reduce((a, w, k) => a + w * mix.means[k]![0]!, 0);
    const variance = mix.weights.reduce((a, w, k) => a + w * (mix.covariances[k]![0]![0]! + (mix.means[k]![0]! - mean) ** 2), 0);
    const grid = noisedBoxGrid1d(target, 0, { halfWidthSd: 2, points: 5 });
    [-2, -1, 0, 1, 2].forEach((k, i) => expect(grid.data[i]).toBeCloseTo(mean + k * Math.sqrt(variance), 12));
  });

  it('refuses a target of dimension > 1 and an even number of points, naming the field', () => {
    expect(() => noisedBoxGrid1d(builtInTarget('aniso-gaussian-2d'), 1)).toThrow(ValidationError);
    expect(() => noisedBoxGrid1d(gaussian([0], [1]), 1, { points: 40 })).toThrow(/points|odd/);
  });
});

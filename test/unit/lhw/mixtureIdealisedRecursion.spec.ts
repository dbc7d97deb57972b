import { describe, expect, it } from 'vitest';
import { gaussianIdealisedSequence } from '../../../src/lhw/ctRecursion.ts';
import { finalStepSequence, mixtureIdealisedError, mixtureIdealisedRecursion } from '../../../src/lhw/mixtureIdealisedRecursion.ts';
import { evaluateChebyshev } from '../../../src/numerics/chebyshev.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { GaussianMixture, gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';

describe('mixtureIdealisedRecursion', () => {
  it('reproduces the closed-form idealised CT map of a Gaussian (one component: f_t affine, the grid is exact)', () => {
    const schedule = lhwSchedule({ T: 128, c0: 2, c1: 8 });
    const target = gaussian([0.3], [0.5]);
    const f = mixtureIdealisedRecursion(target, schedule, 'ct', { nodes: 33 });
    const exact = gaussianIdealisedSequence({ target, schedule }, 'ct');
    for (const x of [-2, 0, 0.4, 1.7]) {
      const want = exact.evaluate(128, pointBatch(1, 1, Float64Array.of(x))).data[0]!;
      // 127 steps of Gauss–Hermite on affine functions: rounding only
      expect(Math.abs(evaluateChebyshev(f, x) - want)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('converges in the number of Chebyshev points on a mixture (W_ideal at 97 and 161 points within 0.5%)', () => {
    const schedule = lhwSchedule({ T: 256, c0: 2, c1: 8 });
    const target = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const w97 = mixtureIdealisedError(target, schedule, mixtureIdealisedRecursion(target, schedule, 'ct', { nodes: 97 }));
    const w161 = mixtureIdealisedError(target, schedule, mixtureIdealisedRecursion(target, schedule, 'ct', { nodes: 161 }));
    expect(Math.abs(w97 - w161) / w161).toBeLessThan(5e-3);
  });

  it('exposes f_T as a sequence that refuses other steps', () => {
    const schedule = lhwSchedule({ T: 64, c0: 2, c1: 8 });
    const seq = finalStepSequence(mixtureIdealisedRecursion(gaussian([0], [1]), schedule, 'ct', { nodes: 17 }), 64, 'grid');
    expect(() => seq.evaluate(10, pointBatch(1, 1))).toThrow(ValidationError);
    expect(seq.evaluate(1, pointBatch(1, 1, Float64Array.of(0.7))).data[0]).toBe(0.7);
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { sampleCtCoupledPairs } from '../../../src/processes/ctCoupledPairs.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { Rng } from '../../../src/random/rng.ts';

describe('sampleCtCoupledPairs', () => {
  it('has the shared-noise covariance √(ᾱ_{t−1}ᾱ_t)λ + √((1 − ᾱ_{t−1})(1 − ᾱ_t)) within 4 standard errors', () => {
    const schedule = lhwSchedule({ T: 128, c0: 2, c1: 8 });
    const lam = 0.5;
    const t = 60;
    const M = 20000;
    const { previous, current } = sampleCtCoupledPairs(gaussian([0], [lam]), schedule, t, M, new Rng(4));
    const products = Array.from(previous.data, (v, i) => v * current.data[i]!);
    const mean = products.reduce((a, b) => a + b, 0) / M;
    const sd = Math.sqrt(products.reduce((a, b) => a + (b - mean) ** 2, 0) / (M - 1));
    const ab = schedule.alphaBars;
    const om = schedule.oneMinusAlphaBars;
    const expected = Math.sqrt(ab[t - 1]! * ab[t]!) * lam + Math.sqrt(om[t - 1]! * om[t]!);
    expect(Math.abs(mean - expected)).toBeLessThanOrEqual((4 * sd) / Math.sqrt(M));
    // the pair is nearly deterministic given X_t (shared noise): Var(X_{t−1} − X_t) is O(β_t²), far below the
    // Markov chain's O(β_t)
    const diffs = Array.from(previous.data, (v, i) => v - current.data[i]!);
    const diffVar = diffs.reduce((a, b) => a + b * b, 0) / M;
    expect(diffVar).toBeLessThan(schedule.betas[t]! / 4);
  });

  it('names the field', () => {
    const schedule = lhwSchedule({ T: 64, c0: 2, c1: 8 });
    expect(() => sampleCtCoupledPairs(gaussian([0], [1]), schedule, 1, 10, new Rng(1))).toThrow(ValidationError);
    expect(() => sampleCtCoupledPairs(gaussian([0], [1]), schedule, 5, 0, new Rng(1))).toThrow(/M|positive/);
  });
});

import { describe, expect, it } from 'vitest';
import { estimateStepSum } from '../../../src/estimators/stratifiedStepSum.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

/** A per-step mean that varies over the range (a decay, a ripple and a spike), measured as the pair μ_t ± 0.01. */
const mu = (t: number): number => Math.exp(-t / 150) + 0.2 * Math.sin(t / 7) ** 2 + (t === 400 ? 5 : 0);
const pair = (t: number): number[] => [mu(t) - 0.01, mu(t) + 0.01];

describe('estimateStepSum', () => {
  it('sums every step exactly when the range is short (the exhaustive branch)', () => {
    const r = estimateStepSum(2, 20, pair, rngFromSeed(1), { strata: 16, perStratum: 2 });
    let exact = 0;
    for (let t = 2; t <= 20; t++) exact += mu(t);
    expect(r.exhaustive).toBe(true);
    expect(r.estimate.value).toBeCloseTo(exact, 12);
    expect(r.steps).toHaveLength(19);
  });

  it('is unbiased over a long range, and its interval covers the sum at about its level', () => {
    let exact = 0;
    for (let t = 2; t <= 1000; t++) exact += mu(t);
    const values: number[] = [];
    let covered = 0;
    const runs = 300;
    for (let seed = 0; seed < runs; seed++) {
      const r = estimateStepSum(2, 1000, pair, rngFromSeed(seed), { strata: 16, perStratum: 2, level: 0.95 });
      expect(r.exhaustive).toBe(false);
      expect(r.steps).toHaveLength(32);
      values.push(r.estimate.value);
      if (r.estimate.interval.lower <= exact && exact <= r.estimate.interval.upper) covered++;
    }
    const mean = values.reduce((s, v) => s + v, 0) / runs;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (runs - 1));
    // unbiased: the mean of 300 independent estimates within 4 standard errors of the exact sum
    expect(Math.abs(mean - exact)).toBeLessThanOrEqual((4 * sd) / Math.sqrt(runs));
    // coverage: the nominal 0.95 less the spike's skew (it lands in 2 of 300 draws per stratum); 0.85 is > 5 binomial SEs below 0.95
    expect(covered / runs).toBeGreaterThanOrEqual(0.85);
  });

  it('measures certain steps every time: an error confined to step 2 is recovered exactly', () => {
    const spikeAt2 = (t: number): number[] => (t === 2 ? [0.29, 0.31] : [0, 0]);
    const r = estimateStepSum(2, 1000, spikeAt2, rngFromSeed(3), { strata: 16, perStratum: 2, certain: [2] });
    expect(r.estimate.value).toBeCloseTo(0.3, 12);
    expect(r.estimate.interval.lower).toBeGreaterThan(0.2);
    expect(r.steps[0]).toBe(2);
    const without = estimateStepSum(2, 1000, spikeAt2, rngFromSeed(3), { strata: 16, perStratum: 2 });
    // without the certainty stratum the spike is either missed or weighted by its stratum's size: never 0.3 exactly
    expect(Math.abs(without.estimate.value - 0.3)).toBeGreaterThan(0.1);
  });

  it('refuses one step per stratum (no between-step variance)', () => {
    expect(() => estimateStepSum(2, 1000, pair, rngFromSeed(1), { perStratum: 1 })).toThrow(/perStratum/);
  });
});

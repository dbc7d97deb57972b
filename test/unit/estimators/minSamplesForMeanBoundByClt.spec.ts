import { describe, expect, it } from 'vitest';
import { decideUpperBound } from '../../../src/estimators/decisions.ts';
import { levelForFalseFailRate } from '../../../src/estimators/estimate.ts';
import { estimateMeanByClt } from '../../../src/estimators/meanByClt.ts';
import {
  minDetectableDiscrepancyByClt,
  minSamplesForMeanBoundByClt,
} from '../../../src/estimators/minSamplesForMeanBoundByClt.ts';
import { normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from './binomialBand.ts';

const rates = { falseFailRate: 0.05, falsePassRate: 0.1 };

describe('minSamplesForMeanBoundByClt', () => {
  it('is the smallest n whose detectable discrepancy is within the target', () => {
    const n = minSamplesForMeanBoundByClt(0.25, 1, rates);
    expect(minDetectableDiscrepancyByClt(n, 1, rates)).toBeLessThanOrEqual(0.25);
    expect(minDetectableDiscrepancyByClt(n - 1, 1, rates)).toBeGreaterThan(0.25);
    // Never below the normal-theory answer ((z_α + z_β)σ/Δ)².
    expect(n).toBeGreaterThanOrEqual(((normalQuantile(0.95) + normalQuantile(0.9)) / 0.25) ** 2);
  });

  it('scales like (σ/Δ)² for large n', () => {
    const small = minSamplesForMeanBoundByClt(0.01, 1, rates);
    const large = minSamplesForMeanBoundByClt(0.005, 1, rates);
    // Quadrupling up to the t-vs-z correction (O(1/n)) and the ceiling: within 0.1%.
    expect(Math.abs(large / small - 4)).toBeLessThan(4e-3);
  });

  it('achieves both design error rates in simulation with the decision rule (400 seeds each)', () => {
    // Normal data, σ = 1, Δ = 0.5, bound B = 0. Decisions use the two-sided interval at 1 − 2·falseFailRate.
    // At μ = B the 'violated' count is Binomial(400, 0.05) exactly (t-interval, normal data); at μ = B + Δ the
    // 'violated' rate is ≥ 0.9 up to the non-central-t approximation (≪ the band width). Each band is 99.9%, so the
    // test's false-fail rate is ≤ 0.2%.
    const delta = 0.5;
    const n = minSamplesForMeanBoundByClt(delta, 1, rates);
    const level = levelForFalseFailRate(rates.falseFailRate);
    const trials = 400;
    const countViolated = (mu: number, label: string): number => {
      let count = 0;
      for (let seed = 0; seed < trials; seed++) {
        const rng = new Rng(seed, [label]);
        const e = estimateMeanByClt(new Float64Array(n).map(() => mu + rng.normal()), { level });
        if (decideUpperBound(e, 0).verdict === 'violated') count++;
      }
      return count;
    };
    const atBound = countViolated(0, 'design.atBound');
    const [, hiFail] = binomialBand(trials, rates.falseFailRate, 0.999);
    expect(atBound).toBeLessThanOrEqual(hiFail);
    const beyond = countViolated(delta, 'design.beyond');
    const [loPower] = binomialBand(trials, 1 - rates.falsePassRate, 0.999);
    expect(beyond).toBeGreaterThanOrEqual(loPower);
  });

  it('names the invalid design input', () => {
    expect(() => minSamplesForMeanBoundByClt(0, 1, rates)).toThrow(/^discrepancy:/);
    expect(() => minSamplesForMeanBoundByClt(1, -1, rates)).toThrow(/^sd:/);
    expect(() => minSamplesForMeanBoundByClt(1, 1, { falseFailRate: 0.6, falsePassRate: 0.1 })).toThrow(/^falseFailRate:/);
    expect(() => minDetectableDiscrepancyByClt(1, 1, rates)).toThrow(/^n:/);
  });
});

import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { estimateProportionByClopperPearson } from '../../../src/estimators/proportionByClopperPearson.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from './binomialBand.ts';

// scipy: stats.beta.ppf(0.025, k, n−k+1), stats.beta.ppf(0.975, k+1, n−k).
const fixtures: readonly [number, number, number, number][] = [
  [3, 20, 0.0320709371854637, 0.37892682654531396],
  [1, 10, 0.0025285785444617848, 0.4450161170281954],
  [17, 20, 0.621073173454686, 0.9679290628145363],
  [50, 100, 0.39832112950330095, 0.601678870496699],
];

describe('estimateProportionByClopperPearson', () => {
  it.each(fixtures)('matches scipy for k = %d of n = %d to 1e-9 relative', (k, n, lower, upper) => {
    // 1e-9: jStat's incomplete-beta inverse is accurate to ≈ 5e-10 relative (measured worst case in this table).
    const e = estimateProportionByClopperPearson(k, n);
    expect(e.value).toBe(k / n);
    expect(Math.abs(e.interval.lower - lower)).toBeLessThan(1e-9 * lower);
    expect(Math.abs(e.interval.upper - upper)).toBeLessThan(1e-9 * upper);
  });

  it('uses the closed forms at k = 0 and k = n', () => {
    const none = estimateProportionByClopperPearson(0, 10);
    expect(none.interval.lower).toBe(0);
    expect(none.interval.upper).toBe(1 - 0.025 ** (1 / 10));
    const all = estimateProportionByClopperPearson(10, 10);
    expect(all.interval.upper).toBe(1);
    expect(all.interval.lower).toBe(0.025 ** (1 / 10));
  });

  it('covers the true p over 400 seeds at its exact coverage, which is at least 95%', () => {
    // The exact coverage c = Σ_k P(k) 1[p ∈ CI(k)] is computed by enumeration; the cover count is Binomial(400, c),
    // so asserting its 99.9% band has a false-fail rate of at most 0.1%.
    const n = 40;
    const p = 0.3;
    let exactCoverage = 0;
    for (let k = 0; k <= n; k++) {
      const { interval } = estimateProportionByClopperPearson(k, n);
      if (interval.lower <= p && p <= interval.upper) exactCoverage += jStat.binomial.pdf(k, n, p);
    }
    expect(exactCoverage).toBeGreaterThanOrEqual(0.95);
    const trials = 400;
    let covered = 0;
    for (let seed = 0; seed < trials; seed++) {
      const rng = new Rng(seed, ['clopperPearson.coverage']);
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
      const { interval } = estimateProportionByClopperPearson(k, n);
      if (interval.lower <= p && p <= interval.upper) covered++;
    }
    const [lo, hi] = binomialBand(trials, exactCoverage, 0.999);
    expect(covered).toBeGreaterThanOrEqual(lo);
    expect(covered).toBeLessThanOrEqual(hi);
  });

  it('names the field for impossible counts', () => {
    expect(() => estimateProportionByClopperPearson(11, 10)).toThrow(/^successes: must be an integer in \[0, 10\]/);
    expect(() => estimateProportionByClopperPearson(0, 0)).toThrow(/^trials:/);
  });
});

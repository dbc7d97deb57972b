import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { couplingUpperBound } from '../../../src/metrics/couplingUpperBound.ts';
import { Rng } from '../../../src/random/rng.ts';
import { binomialBand } from '../estimators/binomialBand.ts';

describe('couplingUpperBound', () => {
  it('is exactly |c| with a zero-width interval when f − Φ is a constant c', () => {
    const n = 50;
    const rng = new Rng(1, ['coupling.const']);
    const phi: PointBatch = { n, d: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
    const f: PointBatch = { n, d: 2, data: phi.data.map((x, k) => x + (k % 2 === 0 ? 3 : 4)) };
    for (const p of [1, 2, 3]) {
      const e = couplingUpperBound(f, phi, p);
      // |c| = 5, up to the rounding of x + c − x (a few ulps of |x| + 4).
      expect(Math.abs(e.value - 5)).toBeLessThan(1e-13);
      expect(e.interval.upper - e.interval.lower).toBeLessThan(1e-12);
      expect(e).toMatchObject({ method: 'clt-power-mean', n });
    }
  });

  it('covers √(d)·σ for Gaussian errors at its nominal rate over 400 seeds (p = 2)', () => {
    // ‖f − Φ‖² = σ²χ²₃; the t-interval on its mean (n = 1000) has coverage within ≈ 0.3% of 95% (skewness 1.6/√n),
    // and the square root preserves coverage. The 99.9% binomial band then fails with probability ≲ 0.2%.
    const trials = 400;
    const sigma = 0.2;
    const d = 3;
    const truth = Math.sqrt(d) * sigma;
    let covered = 0;
    for (let seed = 0; seed < trials; seed++) {
      const rng = new Rng(seed, ['coupling.coverage']);
      const n = 1000;
      const phi: PointBatch = { n, d, data: new Float64Array(n * d) };
      const f: PointBatch = { n, d, data: new Float64Array(n * d).map(() => sigma * rng.normal()) };
      const { interval } = couplingUpperBound(f, phi, 2);
      if (interval.lower <= truth && truth <= interval.upper) covered++;
    }
    const [lo, hi] = binomialBand(trials, 0.95, 0.999);
    expect(covered).toBeGreaterThanOrEqual(lo);
    expect(covered).toBeLessThanOrEqual(hi);
  });

  it('uses the mean norm for p = 1', () => {
    const f: PointBatch = { n: 2, d: 2, data: Float64Array.of(3, 4, 0, 1) };
    const phi: PointBatch = { n: 2, d: 2, data: new Float64Array(4) };
    expect(couplingUpperBound(f, phi, 1).value).toBe(3);
    expect(couplingUpperBound(f, phi, 2).value).toBe(Math.sqrt(13));
  });

  it('refuses unpaired inputs, naming phiX', () => {
    const f: PointBatch = { n: 3, d: 1, data: new Float64Array(3) };
    const phi: PointBatch = { n: 2, d: 1, data: new Float64Array(2) };
    expect(() => couplingUpperBound(f, phi, 2)).toThrow(/^phiX: has 2 points but fX has 3; the rows are paired/);
  });
});

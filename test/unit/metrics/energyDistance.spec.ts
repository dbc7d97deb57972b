import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { energyDistance, energyDistanceByProjection } from '../../../src/metrics/energyDistance.ts';
import { normalCdf, normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';

function meanDistance(x: PointBatch, y: PointBatch, skipDiagonal: boolean): number {
  let s = 0;
  let count = 0;
  for (let i = 0; i < x.n; i++) {
    for (let j = 0; j < y.n; j++) {
      if (skipDiagonal && i === j) continue;
      let d2 = 0;
      for (let k = 0; k < x.d; k++) d2 += (x.data[i * x.d + k]! - y.data[j * y.d + k]!) ** 2;
      s += Math.sqrt(d2);
      count++;
    }
  }
  return s / count;
}

/** E|N(μ, s²)| (folded normal mean). */
const foldedMean = (mu: number, s: number): number =>
  s * Math.sqrt(2 / Math.PI) * Math.exp((-mu * mu) / (2 * s * s)) + mu * (1 - 2 * normalCdf(-mu / s));

describe('energyDistance', () => {
  it('equals the U-statistic written out by brute force', () => {
    const rng = new Rng(1, ['energy.brute']);
    const a: PointBatch = { n: 4, d: 2, data: rng.fillNormal(new Float64Array(8)) };
    const b: PointBatch = { n: 5, d: 2, data: rng.fillNormal(new Float64Array(10)).map((x) => x + 0.5) };
    const expected = 2 * meanDistance(a, b, false) - meanDistance(a, a, true) - meanDistance(b, b, true);
    const e = energyDistance(a, b, new Rng(2), { resamples: 20 });
    expect(Math.abs(e.value - expected)).toBeLessThan(64 * Number.EPSILON * meanDistance(a, b, false));
    expect(e).toMatchObject({ method: 'percentile-bootstrap', n: 9 });
  });

  it('estimates the population energy distance of N(0,1) and N(1,1) within 4 bootstrap standard errors', () => {
    // ℰ = 2E|X−Y| − E|X−X′| − E|Y−Y′| with X − Y ~ N(−1, 2) and X − X′ ~ N(0, 2). The U-statistic is unbiased and
    // close to normal at n = 400 per set (non-degenerate since the laws differ): 4 SE ⇒ false-fail ≈ 1e-4.
    const rng = new Rng(3, ['energy.population']);
    const n = 400;
    const a: PointBatch = { n, d: 1, data: rng.fillNormal(new Float64Array(n)) };
    const b: PointBatch = { n, d: 1, data: rng.fillNormal(new Float64Array(n)).map((x) => x + 1) };
    const truth = 2 * foldedMean(1, Math.SQRT2) - 2 * foldedMean(0, Math.SQRT2);
    const e = energyDistance(a, b, new Rng(4, ['energy.bootstrap']), { resamples: 200 });
    expect(Math.abs(e.value - truth)).toBeLessThan(4 * e.standardError!);
    expect(e.interval.lower).toBeLessThan(e.interval.upper);
  });

  it('is slightly negative for two copies of one set (unbiased within-sample terms)', () => {
    const rng = new Rng(5, ['energy.same']);
    const a: PointBatch = { n: 30, d: 3, data: rng.fillNormal(new Float64Array(90)) };
    // 2·S/n² − 2·S/(n(n−1)) with S the sum over ordered pairs i ≠ j.
    const s = meanDistance(a, a, true) * 30 * 29;
    const expected = (2 * s) / (30 * 30) - (2 * s) / (30 * 29);
    const e = energyDistance(a, a, new Rng(6), { resamples: 20 });
    expect(e.value).toBeLessThan(0);
    expect(Math.abs(e.value - expected)).toBeLessThan(1e-12 * Math.abs(s / 900));
  });

  it('names sets that are too small or too large', () => {
    const one: PointBatch = { n: 1, d: 1, data: Float64Array.of(0) };
    const two: PointBatch = { n: 2, d: 1, data: Float64Array.of(0, 1) };
    expect(() => energyDistance(one, two, new Rng(0))).toThrow(/^a: needs at least 2 points/);
    const huge: PointBatch = { n: 5000, d: 1, data: new Float64Array(5000) };
    expect(() => energyDistance(huge, huge, new Rng(0), { interval: 'bootstrap' })).toThrow(/^b: 5000 and 5000 points need 75000000 stored distances/);
    expect(() => energyDistance(two, two, new Rng(0), { interval: 'jackknife' as 'bootstrap' })).toThrow(/^interval: must be 'auto'/);
    expect(() => energyDistanceByProjection(one, two)).toThrow(/^a: needs at least 2 points/);
  });
});

/** E‖Z‖ for Z ~ N(μ, s²I₃) with ‖μ‖ = r (mean of the non-central χ₃ distribution). */
function noncentralChi3Mean(r: number, s: number): number {
  if (r === 0) return s * Math.sqrt(8 / Math.PI);
  return s * Math.sqrt(2 / Math.PI) * Math.exp((-r * r) / (2 * s * s)) + (r + (s * s) / r) * (1 - 2 * normalCdf(-r / s));
}

describe('energyDistanceByProjection (tiled, O(n) memory, U-statistic variance)', () => {
  it('gives the value of the stored-matrix statistic to 1e-12 relative, with ragged tiles and both sizes odd', () => {
    // 300 and 517 points: more than one 256-point tile, odd remainders for the 2×2 blocking, d = 5.
    const rng = new Rng(7, ['energy.tiles']);
    const a: PointBatch = { n: 300, d: 5, data: rng.fillNormal(new Float64Array(1500)) };
    const b: PointBatch = { n: 517, d: 5, data: rng.fillNormal(new Float64Array(2585)).map((x, i) => x + (i % 5 === 0 ? 0.7 : 0)) };
    const dense = energyDistance(a, b, new Rng(8), { resamples: 10, interval: 'bootstrap' });
    const tiled = energyDistanceByProjection(a, b);
    expect(Math.abs(tiled.value - dense.value)).toBeLessThan(1e-12 * meanDistance(a, b, false));
    expect(tiled).toMatchObject({ method: 'u-statistic-clt', n: 817 });
    expect(energyDistance(a, b, new Rng(8), { interval: 'u-statistic' })).toEqual(tiled);
    const z = normalQuantile(0.975);
    expect(tiled.interval.upper - tiled.value).toBeCloseTo(z * tiled.standardError!, 12);
  });

  it('goes past the stored-matrix limit: 2,500 + 2,500 points take the O(n)-memory path by default', () => {
    // 2,500² + 2,500² + 2,500² = 18.75M distances > 2²⁴: the bootstrap refuses, 'auto' switches to the projection.
    const rng = new Rng(10, ['energy.large']);
    const a: PointBatch = { n: 2500, d: 2, data: rng.fillNormal(new Float64Array(5000)) };
    const b: PointBatch = { n: 2500, d: 2, data: rng.fillNormal(new Float64Array(5000)).map((x) => x + 1) };
    expect(() => energyDistance(a, b, new Rng(0), { interval: 'bootstrap' })).toThrow(/E_UNSUPPORTED|stored distances/);
    const e = energyDistance(a, b, new Rng(0));
    expect(e.method).toBe('u-statistic-clt');
    expect(e.interval.lower).toBeGreaterThan(0); // two laws a unit apart in each coordinate: clearly separated
  }, 30_000);

  it('has an interval with its stated coverage and a standard error equal to the spread of the estimates (seeded simulation)', () => {
    // N(0, I₃) against N((0.5, 0, 0), I₃): ℰ = 2E‖X − Y‖ − 2E‖X − X′‖ with X − Y ~ N(−μ, 2I) and X − X′ ~ N(0, 2I)
    // (non-central χ₃ means, closed form). R = 300 replicates of n_a = 120, n_b = 90 points.
    // Coverage of the 90% interval: hits ~ Binomial(300, 0.9), SD 5.2; accepted within 4 SD (false-fail ≈ 6e-5)
    // plus the O(1/n) bias of the first-order variance (at these sizes the estimate is within 2% of the spread).
    // Standard error: the mean predicted SE against the empirical SD of the 300 estimates, whose relative standard
    // error is 1/√(2·299) = 4.1%; accepted within 4 of those (16%).
    const truth = 2 * noncentralChi3Mean(0.5, Math.SQRT2) - 2 * noncentralChi3Mean(0, Math.SQRT2);
    const rng = new Rng(9, ['energy.coverage']);
    const R = 300;
    const values = new Float64Array(R);
    let hits = 0;
    let predicted = 0;
    for (let r = 0; r < R; r++) {
      const a: PointBatch = { n: 120, d: 3, data: rng.fillNormal(new Float64Array(360)) };
      const b: PointBatch = { n: 90, d: 3, data: rng.fillNormal(new Float64Array(270)).map((x, i) => x + (i % 3 === 0 ? 0.5 : 0)) };
      const e = energyDistanceByProjection(a, b, { level: 0.9 });
      values[r] = e.value;
      predicted += e.standardError! / R;
      if (e.interval.lower <= truth && truth <= e.interval.upper) hits++;
    }
    const mean = values.reduce((s, v) => s + v, 0) / R;
    const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (R - 1));
    expect(Math.abs(hits - 0.9 * R)).toBeLessThanOrEqual(4 * Math.sqrt(R * 0.9 * 0.1));
    expect(Math.abs(predicted / spread - 1)).toBeLessThan(4 / Math.sqrt(2 * (R - 1)));
    // unbiased: the mean of the estimates is within 4 standard errors of the mean of the closed form
    expect(Math.abs(mean - truth)).toBeLessThan((4 * spread) / Math.sqrt(R));
  }, 30_000);
});

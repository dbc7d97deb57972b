import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { energyDistance } from '../../../src/metrics/energyDistance.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';
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
    expect(() => energyDistance(huge, huge, new Rng(0))).toThrow(/^b: 5000 and 5000 points need 75000000 stored distances/);
  });
});

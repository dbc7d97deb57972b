import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { targetVsTargetBaseline } from '../../../src/metrics/targetVsTargetBaseline.ts';
import { wasserstein1d } from '../../../src/metrics/wasserstein1d.ts';
import { Rng } from '../../../src/random/rng.ts';

const standardNormal = (n: number, rng: Rng): PointBatch => ({ n, d: 1, data: rng.fillNormal(new Float64Array(n)) });
const w1 = (a: PointBatch, b: PointBatch): number => wasserstein1d(a.data, b.data, 1);

describe('targetVsTargetBaseline', () => {
  it('shrinks with n like the plug-in bias it measures (1-D W1 ∝ n^{-1/2})', () => {
    const small = targetVsTargetBaseline(standardNormal, 25, w1, new Rng(1), { repetitions: 30 });
    const large = targetVsTargetBaseline(standardNormal, 1600, w1, new Rng(1), { repetitions: 30 });
    // E W1 ≈ 0.23 at n = 25 and ≈ 0.028 at n = 1600, each with relative SE ≈ 8%: the 95% intervals are more than
    // 10 standard errors apart, so disjointness fails with negligible probability.
    expect(small.interval.lower).toBeGreaterThan(large.interval.upper);
    // The ratio follows √(1600/25) = 8 within the two intervals' relative widths.
    const ratio = small.value / large.value;
    expect(ratio).toBeGreaterThan(8 * (small.interval.lower / small.value) * (large.value / large.interval.upper));
    expect(ratio).toBeLessThan(8 * (small.interval.upper / small.value) * (large.value / large.interval.lower));
    expect(small).toMatchObject({ method: 'clt-mean', n: 30 });
  });

  it('draws each repetition from its own labelled streams', () => {
    const seen: number[] = [];
    const record = (n: number, rng: Rng): PointBatch => {
      const x = standardNormal(n, rng);
      seen.push(x.data[0]!);
      return x;
    };
    targetVsTargetBaseline(record, 3, w1, new Rng(2), { repetitions: 2 });
    expect(new Set(seen).size).toBe(4);
    expect(seen[0]).toBe(new Rng(2).child('baseline').child('0').child('a').normal());
  });

  it('names a bad repetition count or a non-finite distance', () => {
    expect(() => targetVsTargetBaseline(standardNormal, 5, w1, new Rng(0), { repetitions: 1 })).toThrow(/^repetitions:/);
    expect(() => targetVsTargetBaseline(standardNormal, 5, () => Number.NaN, new Rng(0))).toThrow(/^distance: returned NaN at repetition 0/);
  });
});

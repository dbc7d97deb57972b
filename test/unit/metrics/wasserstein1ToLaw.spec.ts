import { describe, expect, it } from 'vitest';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { estimateWasserstein1ToLaw } from '../../../src/metrics/wasserstein1ToLaw.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

describe('estimateWasserstein1ToLaw', () => {
  it('brackets W₁ of a translation (= the shift’s length) in 1-D and 2-D', () => {
    const one = gaussian([0], [1]);
    const r1 = estimateWasserstein1ToLaw((n, rng) => {
      const x = one.sample(n, rng);
      return pointBatch(n, 1, x.data.map((v) => v + 0.5));
    }, (n, rng) => one.sample(n, rng), rngFromSeed(1), { n: 1024, repetitions: 8, level: 0.99 });
    expect(r1.estimate.interval.lower).toBeLessThanOrEqual(0.5);
    expect(r1.estimate.interval.upper).toBeGreaterThanOrEqual(0.5);
    // informative, not only valid: the floors (≈ 0.035 each at n = 1024) and 8 repetitions leave a lower end well above 0
    expect(r1.estimate.interval.lower).toBeGreaterThan(0.2);
    const ring = builtInTarget('ring8-2d');
    const r2 = estimateWasserstein1ToLaw((n, rng) => {
      const x = ring.sample(n, rng);
      return pointBatch(n, 2, x.data.map((v, k) => v + (k % 2 === 0 ? 0.6 : 0.8)));
    }, (n, rng) => ring.sample(n, rng), rngFromSeed(2), { n: 256, repetitions: 8, level: 0.99 });
    expect(r2.estimate.interval.lower).toBeLessThanOrEqual(1);
    expect(r2.estimate.interval.upper).toBeGreaterThanOrEqual(1);
  });

  it('same law: the lower end is 0 and the plug-in floor sits in the upper end only', () => {
    const ring = builtInTarget('ring8-2d');
    const r = estimateWasserstein1ToLaw((n, rng) => ring.sample(n, rng), (n, rng) => ring.sample(n, rng), rngFromSeed(3), { n: 128, repetitions: 6 });
    expect(r.estimate.interval.lower).toBe(0);
    const floor = r.targetFloor.reduce((s, v) => s + v, 0) / r.targetFloor.length;
    expect(floor).toBeGreaterThan(0.1);
    expect(r.estimate.interval.upper).toBeGreaterThanOrEqual(floor * 0.8);
  });

  it('refuses a sample of the wrong size, naming the sampler', () => {
    const one = gaussian([0], [1]);
    expect(() => estimateWasserstein1ToLaw((_n, rng) => one.sample(3, rng), (n, rng) => one.sample(n, rng), rngFromSeed(1), { n: 8 })).toThrow(/sampleModel/);
  });
});

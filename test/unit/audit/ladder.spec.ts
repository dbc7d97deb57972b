import { describe, expect, it } from 'vitest';
import { ladder, productRung, rungsFromNames } from '../../../src/audit/ladder.ts';
import { asGaussianMixture } from '../../../src/distributions/asGaussianMixture.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

describe('audit ladder', () => {
  it('quick has three rungs varying d, separation and weights; full extends it', () => {
    const quick = ladder('quick');
    expect(quick.map((r) => [r.name, r.target.dim])).toEqual([
      ['bimodal-1d', 1],
      ['ring8-2d', 2],
      ['product-3d-sep3-w25', 3],
    ]);
    const full = ladder('full');
    expect(full.slice(0, 3).map((r) => r.name)).toEqual(quick.map((r) => r.name));
    expect(Math.max(...full.map((r) => r.target.dim))).toBe(8);
  });

  it('writes a product of 1-D mixtures as the same law in GaussianMixture form', () => {
    const rung = productRung(3, 3, 0.25);
    const gmm = asGaussianMixture(rung.target)!;
    expect(gmm).toBeInstanceOf(GaussianMixture);
    expect(gmm.weights.length).toBe(8);
    const x = rung.target.sample(50, rngFromSeed(2));
    const a = rung.target.logDensity(x);
    const b = gmm.logDensity(x);
    for (let i = 0; i < x.n; i++) expect(b[i]!).toBeCloseTo(a[i]!, 12);
    // the mean of each coordinate: 0.25·(−1.5) + 0.75·1.5 = 0.75
    for (const m of gmm.mean()) expect(m).toBeCloseTo(0.75, 14);
  });

  it('parses product rung names and rejects unknown targets', () => {
    expect(rungsFromNames(['product-2d-sep4-w10'])[0]!.description).toMatch(/^d = 2, 2\^2 modes at ±2 per coordinate \(separation 8 sd\), weights 0.1\/0.90$/);
    expect(() => rungsFromNames(['no-such-target'])).toThrow(/targets/);
  });
});

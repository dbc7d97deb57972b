import { describe, expect, it } from 'vitest';
import { normalCdf, ValidationError, wasserstein1Gaussians1d } from '../../../src/index.ts';

describe('wasserstein1Gaussians1d', () => {
  it('is the folded-normal mean, checked against ∫|F − G| dx by quadrature', () => {
    // W₁ = ∫ |F(x) − G(x)| dx in 1-D; trapezoid on ±20 with 4·10⁵ cells (smooth integrand except one kink: error ≲ 1e-9).
    for (const [a, b] of [[{ mean: 0, sd: 2 }, { mean: 3, sd: 1 }], [{ mean: 0, sd: 1 }, { mean: 0.5, sd: 0.5 }], [{ mean: 0, sd: 0.3 }, { mean: 0, sd: 0.1 }]] as const) {
      const n = 400_000;
      const h = 40 / n;
      let sum = 0;
      for (let i = 0; i <= n; i++) {
        const x = -20 + i * h;
        sum += (i === 0 || i === n ? 0.5 : 1) * Math.abs(normalCdf((x - a.mean) / a.sd) - normalCdf((x - b.mean) / b.sd));
      }
      expect(Math.abs(wasserstein1Gaussians1d(a.mean, a.sd, b.mean, b.sd) - sum * h)).toBeLessThan(1e-8);
    }
  });

  it('is |m₁ − m₂| for point masses and equal sds, and refuses a negative sd naming it', () => {
    expect(wasserstein1Gaussians1d(0, 0, 1, 0)).toBe(1);
    expect(wasserstein1Gaussians1d(2, 0.7, -0.5, 0.7)).toBe(2.5);
    expect(() => wasserstein1Gaussians1d(0, -1, 0, 1)).toThrow(ValidationError);
    expect(() => wasserstein1Gaussians1d(0, 1, Number.NaN, 1)).toThrow(/finite/);
  });
});

import { describe, expect, it } from 'vitest';
import { logGamma } from '../../../src/numerics/chiSquareTail.ts';
import { gaussianMeanNorm, iidMeanNorms } from '../../../src/numerics/meanNorm.ts';

describe('mean norms by the Laplace identity', () => {
  it('E‖N(0, σ²I_d)‖ matches the χ mean σ√2·Γ((d+1)/2)/Γ(d/2)', () => {
    for (const [d, s2] of [[1, 1], [2, 0.3], [5, 2], [64, 1e-6]] as const) {
      const exact = Math.sqrt(2 * s2) * Math.exp(logGamma((d + 1) / 2) - logGamma(d / 2));
      // trapezoid on u = log s, step 1/4: error ~ exp(−2π²/h) ≈ 1e-34 plus the truncation at ±50 (e^{−25}): 1e-10 relative
      expect(gaussianMeanNorm(new Array<number>(d).fill(s2)) / exact - 1).toBeLessThan(1e-9);
      expect(gaussianMeanNorm(new Array<number>(d).fill(s2)) / exact - 1).toBeGreaterThan(-1e-9);
    }
  });

  it('the i.i.d. Laplace form gives √d for coordinates ±1 (‖Y‖ = √d exactly)', () => {
    const [d1, d4, d9] = iidMeanNorms([0.5, 0.5], [-1, 1], [1, 4, 9]);
    // measured relative error 4e-9 (truncation of the u-range for a law without density); 1e-7 leaves a margin
    expect(Math.abs(d1! - 1)).toBeLessThan(1e-7);
    expect(Math.abs(d4! / 2 - 1)).toBeLessThan(1e-7);
    expect(Math.abs(d9! / 3 - 1)).toBeLessThan(1e-7);
  });
});

import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { logChiSquareSurvival, logGamma } from '../../../src/numerics/chiSquareTail.ts';

describe('chiSquareTail', () => {
  it('matches closed forms: P(χ²₂ > x) = e^{−x/2}, P(χ²₁ > x) = erfc(√(x/2)), log Γ(n) = log (n−1)!', () => {
    for (const x of [0.1, 1, 10, 100, 1000]) {
      // relative error of the continued fraction / series: ≲ 1e-14 (16-digit arithmetic, ~20 terms)
      expect(Math.abs(logChiSquareSurvival(x, 2) + x / 2)).toBeLessThanOrEqual(1e-13 * Math.max(1, x / 2));
    }
    for (const x of [0.01, 0.5, 3, 30]) {
      const exact = Math.log(erfc(Math.sqrt(x / 2)));
      expect(Math.abs(logChiSquareSurvival(x, 1) - exact)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(exact)));
    }
    expect(Math.abs(logGamma(11) - Math.log(3628800))).toBeLessThanOrEqual(1e-14 * Math.log(3628800));
  });
});

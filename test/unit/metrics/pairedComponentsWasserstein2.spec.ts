import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { pairedComponentsWasserstein2Bound } from '../../../src/metrics/pairedComponentsWasserstein2.ts';

describe('pairedComponentsWasserstein2Bound', () => {
  it('is the 1-D Gaussian closed form for one component', () => {
    const v = pairedComponentsWasserstein2Bound([1], [{ mean: [0], covariance: [1] }], [{ mean: [1], covariance: [4] }]);
    expect(Math.abs(v - Math.SQRT2)).toBeLessThan(1e-12); // (0 − 1)² + (1 − 2)²
  });

  it('is the weighted sum of per-component squares (commuting 2-D components, hand-computed)', () => {
    const v = pairedComponentsWasserstein2Bound(
      [0.25, 0.75],
      [{ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [1, 1], covariance: [4, 0, 0, 1] }],
      [{ mean: [1, 0], covariance: [1, 0, 0, 1] }, { mean: [1, 1], covariance: [1, 0, 0, 1] }],
    );
    expect(Math.abs(v - Math.sqrt(0.25 * 1 + 0.75 * 1))).toBeLessThan(1e-12);
  });

  it('is exact for a translate and larger under a wrong pairing (still a bound)', () => {
    // ½N(±2, ¼) against its translate by 0.5: W₂ = 0.5 exactly (a translation), which the right pairing attains
    const weights = [0.5, 0.5];
    const A = [{ mean: [-2], covariance: [0.25] }, { mean: [2], covariance: [0.25] }];
    const B = [{ mean: [-1.5], covariance: [0.25] }, { mean: [2.5], covariance: [0.25] }];
    expect(Math.abs(pairedComponentsWasserstein2Bound(weights, A, B) - 0.5)).toBeLessThan(1e-12);
    // crossed pairing: √(½·4.5² + ½·3.5²)
    expect(Math.abs(pairedComponentsWasserstein2Bound(weights, A, [B[1]!, B[0]!]) - Math.sqrt(0.5 * 4.5 ** 2 + 0.5 * 3.5 ** 2))).toBeLessThan(1e-12);
  });

  it('names the field', () => {
    expect(() => pairedComponentsWasserstein2Bound([0.5, 0.6], [{ mean: [0], covariance: [1] }, { mean: [0], covariance: [1] }], [{ mean: [0], covariance: [1] }, { mean: [0], covariance: [1] }])).toThrow(ValidationError);
    expect(() => pairedComponentsWasserstein2Bound([1], [], [{ mean: [0], covariance: [1] }])).toThrow(/componentsA|components/);
  });
});

import { describe, expect, it } from 'vitest';
import { integrateAdaptive } from '../../../src/metrics/integrateAdaptive.ts';

describe('integrateAdaptive', () => {
  it('integrates a degree-22 polynomial exactly with one Kronrod rule', () => {
    // K15 is exact to degree 22; ∫₀¹ 23·u²² du = 1. G7 is not, so the error estimate forces no split below rtol 1e-3.
    const r = integrateAdaptive((u) => 23 * u ** 22, 0, 1, { rtol: 1e-3 });
    expect(Math.abs(r.value - 1)).toBeLessThan(8 * Number.EPSILON);
  });

  it('handles integrable endpoint singularities without evaluating the endpoints', () => {
    // ∫₀¹ log u du = −1 and ∫₀¹ u^{-1/2} du = 2; the integrands are infinite at 0, which is never evaluated.
    expect(Math.abs(integrateAdaptive(Math.log, 0, 1).value + 1)).toBeLessThan(1e-11);
    expect(Math.abs(integrateAdaptive((u) => 1 / Math.sqrt(u), 0, 1, { maxIntervals: 5000 }).value - 2)).toBeLessThan(1e-7);
  });

  it('raises a NumericalError when the integrand is not finite at a node', () => {
    expect(() => integrateAdaptive(() => Number.NaN, 0, 1)).toThrow(/integrand is NaN/);
  });
});

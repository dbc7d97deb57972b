import { describe, expect, it } from 'vitest';
import { studentTQuantile } from '../../../src/estimators/studentTQuantile.ts';

// Reference values: scipy 1.17 `scipy.stats.t.ppf(p, dof)` (double precision, Boost's inverse incomplete beta).
const fixtures: readonly [number, number, number][] = [
  [0.975, 1, 12.706204736174694],
  [0.9, 2, 1.8856180831641272],
  [0.9995, 3, 12.923978636687961],
  [0.975, 4, 2.7764451051977934],
  [0.975, 10, 2.228138851986274],
  [0.025, 29, -2.045229642132704],
  [0.9995, 999, 3.3002924403987666],
  [0.999, 1000, 3.0984021639129233],
  [0.999, 5000, 3.091863119960982],
  [1e-10, 5000, -6.374553536615104],
  [0.975, 1e6, 1.959966356814107],
];

describe('studentTQuantile', () => {
  it.each(fixtures)('matches scipy at p = %d, dof = %d to 1e-8 relative', (p, dof, expected) => {
    // 1e-8: the documented accuracy of jStat's t CDF after Newton refinement (measured worst 1.6e-9 at dof ≈ 1000).
    expect(Math.abs(studentTQuantile(p, dof) - expected)).toBeLessThanOrEqual(1e-8 * Math.abs(expected));
  });

  it('is antisymmetric and exactly 0 at the median', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    // 0.25 and 0.75 are exact complements in binary, so the reflection is exact.
    expect(studentTQuantile(0.25, 7)).toBe(-studentTQuantile(0.75, 7));
  });

  it('rejects p outside (0, 1) and non-positive dof, naming the argument', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/^p:/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/^dof:/);
  });
});

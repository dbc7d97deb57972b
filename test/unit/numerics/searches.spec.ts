import { describe, expect, it } from 'vitest';
import { compassSearchMaximum, goldenSectionSearch, operatorNorm } from '../../../src/index.ts';

describe('goldenSectionSearch', () => {
  it('finds the maximum and the minimum of a parabola to the bracket width 0.618⁴⁰·(b − a)', () => {
    const max = goldenSectionSearch((x) => -((x - 0.3) ** 2), -1, 2, 'maximum');
    const min = goldenSectionSearch((x) => (x + 0.7) ** 2, -1, 2, 'minimum');
    const width = 3 * ((Math.sqrt(5) - 1) / 2) ** 40;
    expect(Math.abs(max.x - 0.3)).toBeLessThanOrEqual(width);
    expect(Math.abs(min.x + 0.7)).toBeLessThanOrEqual(width);
    expect(max.value).toBe(-((max.x - 0.3) ** 2));
  });
});

describe('compassSearchMaximum', () => {
  it('climbs to the maximum of a concave quadratic from several starts at once, to within the final step', () => {
    const centre = [0.25, -1.5, 3];
    const f = (points: Float64Array, count: number): Float64Array =>
      Float64Array.from({ length: count }, (_, i) => -centre.reduce((s, c, j) => s + (j + 1) * (points[i * 3 + j]! - c) ** 2, 0));
    const starts = Float64Array.of(0, 0, 0, 5, 5, 5);
    const result = compassSearchMaximum(f, starts, f(starts, 2), 3, { initialStep: 1, minStep: 1e-9, maxRounds: 500 });
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(Math.abs(result.points[i * 3 + j]! - centre[j]!)).toBeLessThan(1e-8);
    expect(result.evaluations).toBeGreaterThan(0);
  });

  it('never returns a value below its start, and stays at a start that is the maximum', () => {
    const f = (points: Float64Array, count: number): Float64Array => Float64Array.from({ length: count }, (_, i) => Math.exp(-(points[i]! ** 2) / 1e-20));
    const result = compassSearchMaximum(f, Float64Array.of(0), Float64Array.of(1), 1, { initialStep: 0.1, minStep: 1e-12 });
    expect(result.points[0]).toBe(0);
    expect(result.values[0]).toBe(1);
  });
});

describe('operatorNorm', () => {
  it('is the largest singular value: [[3, 0], [4, 5]] has JᵀJ = [[25, 20], [20, 25]], so √45', () => {
    expect(Math.abs(operatorNorm(Float64Array.of(3, 0, 4, 5), 0, 2) - Math.sqrt(45))).toBeLessThan(1e-14 * Math.sqrt(45));
  });
  it('keeps full relative precision for a norm of 1e10 beside a unit direction', () => {
    expect(Math.abs(operatorNorm(Float64Array.of(7, 1e10, 0, 1), 0, 2) / Math.hypot(1e10, 7) - 1)).toBeLessThan(1e-14);
  });
});

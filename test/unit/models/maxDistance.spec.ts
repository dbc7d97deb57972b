import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { maxDistance, squaredNorms } from '../../../src/models/modelDiagnostics.ts';

describe('maxDistance', () => {
  it('is the largest Euclidean distance between corresponding points (3-4-5 triangles)', () => {
    const a = { n: 3, d: 2, data: Float64Array.from([0, 0, 1, 1, -2, 5]) };
    const b = { n: 3, d: 2, data: Float64Array.from([3, 4, 1, 1, 4, -3]) };
    // distances 5, 0, 10
    expect(maxDistance(a, b)).toBe(10);
    expect(maxDistance(a, a)).toBe(0);
  });

  it('refuses batches of different shapes', () => {
    expect(() => maxDistance({ n: 1, d: 2, data: new Float64Array(2) }, { n: 2, d: 1, data: new Float64Array(2) })).toThrow(ValidationError);
  });
});

describe('squaredNorms', () => {
  it('is ‖x_i‖² per point', () => {
    expect(Array.from(squaredNorms({ n: 2, d: 3, data: Float64Array.from([1, 2, 2, 0, -3, 4]) }))).toEqual([9, 25]);
  });
});

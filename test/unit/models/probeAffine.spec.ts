import { describe, expect, it } from 'vitest';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { AFFINE_RTOL, probeAffine } from '../../../src/models/probeAffine.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

/** f(x) = A x + b + bend·(tanh x₁, 0): affine for bend = 0. */
function model(bend: number): ConsistencyFunction {
  const A = [1.5, -0.2, 0.3, 0.8];
  const b = [0.25, -1];
  return {
    id: `affine+${bend}`,
    precision: 'float64',
    evaluate(x: PointBatch): PointBatch {
      const data = new Float64Array(x.n * 2);
      for (let i = 0; i < x.n; i++) {
        const [u, v] = [x.data[2 * i]!, x.data[2 * i + 1]!];
        data[2 * i] = A[0]! * u + A[1]! * v + b[0]! + bend * Math.tanh(u);
        data[2 * i + 1] = A[2]! * u + A[3]! * v + b[1]!;
      }
      return { n: x.n, d: 2, data };
    },
  };
}

describe('probeAffine', () => {
  it('recovers A and b of an affine model to rounding, with its residual', () => {
    const map = probeAffine(model(0), 1, [0.5, -0.5], 1, rngFromSeed(3));
    expect(map).toBeDefined();
    [1.5, -0.2, 0.3, 0.8].forEach((v, i) => expect(map!.A[i]).toBeCloseTo(v, 12));
    [0.25, -1].forEach((v, i) => expect(map!.b[i]).toBeCloseTo(v, 12));
    expect(map!.residual).toBeLessThanOrEqual(AFFINE_RTOL);
  });

  it('refuses a model that is not affine (a tanh bend of size 1e-3 is far above the 1e-9 tolerance)', () => {
    expect(probeAffine(model(1e-3), 1, [0.5, -0.5], 1, rngFromSeed(3))).toBeUndefined();
  });
});

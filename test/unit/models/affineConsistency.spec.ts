import { describe, expect, it } from 'vitest';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { AffineGridConsistency, affineFunctionClass, empiricalMoments } from '../../../src/models/affineConsistency.ts';
import { boundaryError } from '../../../src/models/modelDiagnostics.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

describe('AffineGridConsistency', () => {
  const times = [0.002, 0.5, 2, 80];

  it('is the identity at tMin, before and after fitting', () => {
    const f = new AffineGridConsistency(2, { times });
    const rng = rngFromSeed(5);
    const x = pointBatch(100, 2, rng.child('x').fillNormal(new Float64Array(200)));
    f.fitNode(3, x, pointBatch(100, 2, rng.child('y').fillNormal(new Float64Array(200))));
    expect(boundaryError(f, x, 0.002)).toBe(0);
  });

  it('recovers an exactly affine relation by least squares to rounding', () => {
    // y = A x + b exactly → zero residual, so the LS solution is A, b up to the conditioning of Cov(x) (≈ 1 here)
    const A = [1.5, -0.3, 0.2, 0.7];
    const b = [0.25, -1];
    const rng = rngFromSeed(6);
    const x = pointBatch(500, 2, rng.fillNormal(new Float64Array(1000)));
    const y = pointBatch(500, 2);
    for (let i = 0; i < 500; i++) {
      for (let r = 0; r < 2; r++) y.data[i * 2 + r] = b[r]! + A[r * 2]! * x.data[i * 2]! + A[r * 2 + 1]! * x.data[i * 2 + 1]!;
    }
    const f = new AffineGridConsistency(2, { times });
    f.fitNode(2, x, y);
    const fitted = f.matrix(2);
    A.forEach((v, k) => expect(Math.abs(fitted[k]! - v)).toBeLessThan(1e-13));
    const off = f.offset(2);
    b.forEach((v, k) => expect(Math.abs(off[k]! - v)).toBeLessThan(1e-13));
    const pred = f.evaluate(x, 2);
    for (let k = 0; k < 1000; k++) expect(Math.abs(pred.data[k]! - y.data[k]!)).toBeLessThan(1e-12);
  });

  it('interpolates linearly between node maps', () => {
    const f = new AffineGridConsistency(1, { times: [0, 1, 3] });
    f.setNode(1, [2], [1]);
    f.setNode(2, [4], [0]);
    const x = pointBatch(1, 1, Float64Array.from([1]));
    // at t = 2 (halfway between nodes 1 and 2): ½(2·1 + 1) + ½(4·1) = 3.5
    expect(f.evaluate(x, 2).data[0]).toBe(3.5);
    // at t = 0.5 (halfway between identity and node 1): ½·1 + ½·3 = 2
    expect(f.evaluate(x, 0.5).data[0]).toBe(2);
  });

  it('fits a linear (no intercept) and a diagonal map', () => {
    const rng = rngFromSeed(7);
    const x = pointBatch(300, 2, rng.fillNormal(new Float64Array(600)));
    const y = pointBatch(300, 2);
    for (let i = 0; i < 300; i++) {
      y.data[i * 2] = 3 * x.data[i * 2]!;
      y.data[i * 2 + 1] = -0.5 * x.data[i * 2 + 1]!;
    }
    const lin = new AffineGridConsistency(2, { times, intercept: false });
    lin.fitNode(1, x, y);
    expect(Math.abs(lin.matrix(1)[0]! - 3)).toBeLessThan(1e-13);
    expect(Array.from(lin.offset(1))).toEqual([0, 0]);
    const diag = affineFunctionClass({ times, structure: 'diagonal' }).instantiate(2, rng);
    diag.fitNode(1, x, y);
    expect(diag.matrix(1)[1]).toBe(0);
    expect(Math.abs(diag.matrix(1)[3]! + 0.5)).toBeLessThan(1e-13);
  });

  it('round-trips a snapshot', () => {
    const f = new AffineGridConsistency(1, { times });
    f.setNode(3, [0.5], [0.1]);
    const g = new AffineGridConsistency(1, { times });
    g.restore(f.snapshot());
    const x = pointBatch(3, 1, Float64Array.from([-1, 0, 2]));
    expect(Array.from(g.evaluate(x, 80).data)).toEqual(Array.from(f.evaluate(x, 80).data));
  });

  it('names the field for bad grids, times outside the grid and singular fits', () => {
    expect(() => new AffineGridConsistency(1, { times: [0, 1, 1] })).toThrow(/times: must be strictly increasing/);
    const f = new AffineGridConsistency(1, { times });
    expect(() => f.evaluate(pointBatch(1, 1), 100)).toThrow(/outside the grid/);
    const x = pointBatch(5, 1, new Float64Array(5).fill(1));
    expect(() => f.fitNode(1, x, x)).toThrow(/singular/);
    expect(() => f.setNode(0, [1], [0])).toThrow(/identity/);
    expect(() => empiricalMoments(pointBatch(1, 2), pointBatch(1, 2), true)).toThrow(/at least 3 pairs/);
  });
});

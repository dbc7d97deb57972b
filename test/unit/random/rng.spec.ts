import { describe, expect, it } from 'vitest';
import { Rng, rngFromSeed } from '../../../src/random/rng.ts';
import { expectWithinStandardErrors } from '../../helpers/allClose.ts';

describe('Rng', () => {
  it('replays the same stream for the same seed and path', () => {
    const a = rngFromSeed(7).child('x').child('y');
    const b = new Rng(7, ['x', 'y']);
    const da = Array.from({ length: 50 }, () => a.normal());
    const db = Array.from({ length: 50 }, () => b.normal());
    expect(da).toEqual(db);
  });

  it('makes a child a pure function of (seed, path, label): draws on the parent do not shift it', () => {
    const parent = rngFromSeed(3);
    const before = parent.child('check').uniform();
    for (let i = 0; i < 100; i++) parent.uniform();
    expect(parent.child('check').uniform()).toBe(before);
  });

  it('gives different streams to different labels and seeds', () => {
    const r = rngFromSeed(1);
    expect(r.child('a').uniform()).not.toBe(r.child('b').uniform());
    expect(rngFromSeed(1).uniform()).not.toBe(rngFromSeed(2).uniform());
  });

  it('draws uniforms in [0, 1) and standard normals with the right first two moments', () => {
    // n = 200000: SE of the mean of N(0,1) is 1/√n; of the variance √(2/n). k = 5 → false-fail rate ≈ 6e-7 each.
    const r = rngFromSeed(11);
    const n = 200_000;
    let sum = 0, sum2 = 0, umin = 1, umax = 0, usum = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sum2 += z * z;
      const u = r.uniform();
      umin = Math.min(umin, u);
      umax = Math.max(umax, u);
      usum += u;
    }
    expect(umin).toBeGreaterThanOrEqual(0);
    expect(umax).toBeLessThan(1);
    expectWithinStandardErrors(usum / n, 0.5, Math.sqrt(1 / 12 / n), 5, 'uniform mean');
    expectWithinStandardErrors(sum / n, 0, 1 / Math.sqrt(n), 5, 'normal mean');
    expectWithinStandardErrors(sum2 / n, 1, Math.sqrt(2 / n), 5, 'normal variance');
  });

  it('rejects a seed that is not a non-negative safe integer, naming the field', () => {
    expect(() => rngFromSeed(-1)).toThrow(/^seed: /);
    expect(() => rngFromSeed(1.5)).toThrow(/^seed: /);
  });
});

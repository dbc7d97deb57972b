import { describe, expect, it } from 'vitest';
import { localSlopeEstimate } from '../../../src/estimators/localSlopes.ts';

describe('localSlopeEstimate', () => {
  it('gives the exponent of an exact power law with a zero-width interval at level 1', () => {
    const x = [1, 2, 4, 8, 16];
    const e = localSlopeEstimate(x, x.map((v) => 3 * v ** 2));
    expect(e.value).toBeCloseTo(2, 12);
    expect(e.interval.lower).toBeCloseTo(2, 12);
    expect(e.interval.upper).toBeCloseTo(2, 12);
    expect(e.interval.level).toBe(1);
    expect(e.method).toBe('exact');
  });

  it('spans the last `pairs` local slopes and the OLS slope, ignoring the early pairs', () => {
    const x = [1, 2, 4, 8, 16, 32];
    const y = x.map((v) => v ** 2 * (1 + 4 / v)); // local slopes rise towards 2
    const local = x.slice(1).map((v, i) => Math.log(y[i + 1]! / y[i]!) / Math.log(v / x[i]!));
    const late = local.slice(-2);
    const e = localSlopeEstimate(x, y, 2);
    expect(e.interval.upper).toBeCloseTo(Math.max(...late, e.value), 12);
    expect(e.interval.lower).toBeCloseTo(Math.min(...late, e.value), 12);
    expect(e.interval.lower).toBeGreaterThan(local[0]!); // the first, flattest pair is left out
  });
});

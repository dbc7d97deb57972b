import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { hiddenStepAtTime } from '../../../src/models/hiddenStepAtTime.ts';

const identity: ConsistencyFunction = { id: 'id', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: Float64Array.from(x.data) }) };

describe('hiddenStepAtTime', () => {
  const model = hiddenStepAtTime(identity, 1, { edge: 0.5, height: -2, width: 1e-6 });
  const x = { n: 4, d: 2, data: Float64Array.from([0, 7, 0.5, 7, 1, 7, 0.5 - 1e-6, 7]) };

  it('is the base model at every other time', () => {
    expect(Array.from(model.evaluate(x, 0.5).data)).toEqual(Array.from(x.data));
  });

  it('moves the first coordinate by height·σ((edge − x₁)/width) at its time, the others not at all', () => {
    const y = model.evaluate(x, 1).data;
    expect(y[0]).toBeCloseTo(0 - 2, 12); // far below the edge: the full height
    expect(y[2]).toBeCloseTo(0.5 - 1, 12); // at the edge: half of it
    expect(y[4]).toBeCloseTo(1, 12); // far above: nothing
    // one width below: σ(1); (0.5 − (0.5 − 1e-6))/1e-6 = 1 only to ≈ 1e-10 in float64
    expect(y[6]! - (0.5 - 1e-6)).toBeCloseTo(-2 / (1 + Math.exp(-1)), 9);
    for (const i of [1, 3, 5, 7]) expect(y[i]).toBe(7);
  });

  it('applies per-point times', () => {
    const y = model.evaluate(x, Float64Array.from([1, 0.5, 0.5, 0.5])).data;
    expect(y[0]).toBeCloseTo(-2, 12);
    expect(y[2]).toBe(0.5);
  });

  it('names the field', () => {
    expect(() => hiddenStepAtTime(identity, 1, { edge: 0, height: 1, width: 0 })).toThrow(ValidationError);
    expect(() => hiddenStepAtTime(identity, Number.NaN, { edge: 0, height: 1, width: 1 })).toThrow(/time|finite/);
  });
});

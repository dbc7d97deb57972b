import { describe, expect, it } from 'vitest';
import { decideUpperBound } from '../../../src/estimators/decisions.ts';
import { estimateSupremumByMaximum } from '../../../src/estimators/supremumByMaximum.ts';

describe('estimateSupremumByMaximum', () => {
  it('labels the maximum as a sup lower bound with an unbounded interval and the witness index', () => {
    const e = estimateSupremumByMaximum([0.3, 1.7, 0.9]);
    expect(e).toMatchObject({ value: 1.7, argmax: 1, supLowerBound: true, method: 'sup-lower-bound', n: 3 });
    expect(e.interval).toEqual({ lower: 1.7, upper: Number.POSITIVE_INFINITY, level: 1 });
  });

  it('can prove a bound violated but never that it holds', () => {
    const e = estimateSupremumByMaximum([0.3, 1.7, 0.9]);
    const violated = decideUpperBound(e, 1.5);
    expect(violated.verdict).toBe('violated');
    expect(violated.reason).toContain('(witness: sample 1)');
    const below = decideUpperBound(e, 2);
    expect(below.verdict).toBe('inconclusive');
    expect(below.samplesNeeded).toBeUndefined();
    expect(below.reason).toMatch(/lower bound on the supremum/);
  });

  it('refuses NaN instead of skipping it', () => {
    expect(() => estimateSupremumByMaximum([1, Number.NaN])).toThrow(/^values\[1\]: must be a finite number/);
    expect(() => estimateSupremumByMaximum([])).toThrow(/^values:/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatEstimateFixed, formatNumber, formatTableNumber } from '../../../src/core/formatNumber.ts';

describe('formatNumber (sentences) and formatTableNumber (tables)', () => {
  it('writes four significant digits in plain notation inside [1e-3, 1e4), dropping trailing zeros', () => {
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(3.14159265)).toBe('3.142');
    expect(formatNumber(-0.0012346)).toBe('-0.001235');
    expect(formatNumber(0.001)).toBe('0.001');
    expect(formatNumber(9999)).toBe('9999');
  });

  it('switches to exponent notation at the cut-offs: 1e4 in sentences, 1e5 in tables', () => {
    expect(formatNumber(0.00099999)).toBe('1.000e-3');
    expect(formatNumber(12345)).toBe('1.235e+4');
    expect(formatTableNumber(12345)).toBe('12350');
    expect(formatTableNumber(123456)).toBe('1.235e+5');
    expect(formatTableNumber(0.0001)).toBe('1.000e-4');
  });

  it('writes zero and non-finite values as words a reader recognises', () => {
    for (const format of [formatNumber, formatTableNumber]) {
      expect(format(0)).toBe('0');
      expect(format(-0)).toBe('0');
      expect(format(Number.NaN)).toBe('NaN');
      expect(format(Infinity)).toBe('Infinity');
      expect(format(-Infinity)).toBe('-Infinity');
    }
  });

  it('writes an estimate with its interval at fixed decimals (slopes and exponents in findings)', () => {
    const slope = { value: -0.51234, interval: { lower: -0.6, upper: -0.4249 } };
    expect(formatEstimateFixed(slope)).toBe('-0.512 [-0.600, -0.425]');
    expect(formatEstimateFixed(slope, 1)).toBe('-0.5 [-0.6, -0.4]');
    expect(formatEstimateFixed({ value: 2, interval: { lower: 1, upper: Infinity } })).toBe('2.000 [1.000, Infinity]');
  });
});

import { describe, expect, it } from 'vitest';
import { gaussHermite } from '../../../src/numerics/gaussHermite.ts';

describe('gaussHermite', () => {
  it('integrates the standard normal moments exactly up to degree 2n − 1', () => {
    const { nodes, weights } = gaussHermite(6);
    // E Z^k = (k − 1)!! for even k ≤ 10 = 2·6 − 2; rounding of 6 terms of size ≤ 1e3: 1e-12 relative.
    for (const [k, m] of [[0, 1], [2, 1], [4, 3], [6, 15], [8, 105], [10, 945]] as const) {
      let s = 0;
      for (let i = 0; i < 6; i++) s += weights[i]! * nodes[i]! ** k;
      expect(Math.abs(s - m)).toBeLessThanOrEqual(1e-12 * m);
    }
  });
});

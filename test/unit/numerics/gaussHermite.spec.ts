import { describe, expect, it } from 'vitest';
import { gaussHermite } from '../../../src/numerics/gaussHermite.ts';
import { symmetricEigen } from '../../../src/numerics/symmetricEigen.ts';

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

describe('gaussHermite against Golub–Welsch (an independent algorithm)', () => {
  it('has the eigenvalues of the Jacobi matrix of the probabilists\' Hermite polynomials as nodes and the squared first eigenvector components as weights', () => {
    for (const n of [20, 40]) {
      // J_{k,k+1} = √k (three-term recurrence He_{k+1} = x He_k − k He_{k−1}); weights μ₀·v₀², μ₀ = 1 for N(0, 1)
      const jacobi = new Float64Array(n * n);
      for (let k = 1; k < n; k++) {
        jacobi[(k - 1) * n + k] = Math.sqrt(k);
        jacobi[k * n + k - 1] = Math.sqrt(k);
      }
      const { values, vectors } = symmetricEigen(jacobi, n);
      const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => values[a]! - values[b]!);
      const rule = gaussHermite(n);
      order.forEach((j, i) => {
        // nodes up to |x| ≈ 11 for n = 40: 1e-12 absolute is ~1e3 ulps of the eigensolver's accuracy
        expect(Math.abs(rule.nodes[i]! - values[j]!)).toBeLessThanOrEqual(1e-12);
        const weight = vectors[j]! ** 2;
        // eigenvector components carry absolute error ~1e-16, so tiny weights are compared absolutely
        expect(Math.abs(rule.weights[i]! - weight)).toBeLessThanOrEqual(Math.max(1e-10 * weight, 1e-15));
      });
    }
  });
});

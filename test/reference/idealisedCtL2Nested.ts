/**
 * Independent reference for the idealised ℓ2 CT recursion (studies/_lossRecursion.ts): the minimiser
 * f_i(y) = E[f_{i−1}(X_{t_{i−1}}) | X_{t_i} = y] by nested Gauss–Hermite quadrature over each posterior component, with no
 * grid, no interpolation and no cells. The cost is (K·nodes)^i per evaluation, so it is affordable only on very coarse
 * Karras grids (N ≤ 5); it is kept to cross-check the grid method, not used by any check.
 */
import { gaussHermite } from '../../src/index.ts';
import { posterior, type Mixture1d } from '../../src/index.ts';

export function l2MinimiserByNestedQuadrature(mix: Mixture1d, times: ArrayLike<number>, nodes: number): (i: number, y: number) => number {
  const rule = gaussHermite(nodes);
  const f = (i: number, y: number): number => {
    if (i === 0) return y;
    const post = posterior(mix, y, times[i]! ** 2);
    const rho = times[i - 1]! / times[i]!;
    let total = 0;
    for (let k = 0; k < post.w.length; k++) {
      const mean = (1 - rho) * post.m[k]! + rho * y;
      const sd = (1 - rho) * Math.sqrt(post.v[k]!);
      let inner = 0;
      for (let j = 0; j < nodes; j++) inner += rule.weights[j]! * f(i - 1, mean + sd * rule.nodes[j]!);
      total += post.w[k]! * inner;
    }
    return total;
  };
  return f;
}

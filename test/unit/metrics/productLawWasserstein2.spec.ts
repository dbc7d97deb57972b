import { describe, expect, it } from 'vitest';
import { buresWasserstein } from '../../../src/metrics/buresWasserstein.ts';
import { coordinatewiseWasserstein2, productLawWasserstein2 } from '../../../src/metrics/productLawWasserstein2.ts';
import { wasserstein1dToQuantile } from '../../../src/metrics/wasserstein1dToQuantile.ts';
import { normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';

const gaussianQuantile = (m: number, s: number) => (u: number) => m + s * normalQuantile(u);

describe('productLawWasserstein2', () => {
  it('equals Bures for products of Gaussians (diagonal covariances)', () => {
    const p = [[0, 1], [1, 2], [-0.5, 0.3]] as const;
    const q = [[0.4, 1.5], [1, 0.5], [2, 0.3]] as const;
    const value = productLawWasserstein2(p.map(([m, s]) => gaussianQuantile(m, s)), q.map(([m, s]) => gaussianQuantile(m, s)));
    const diag = (x: readonly (readonly [number, number])[]) => {
      const c = new Float64Array(9);
      x.forEach(([, s], i) => (c[i * 3 + i] = s * s));
      return c;
    };
    const expected = buresWasserstein(p.map(([m]) => m), diag(p), q.map(([m]) => m), diag(q));
    // Quadrature rtol 1e-11 per coordinate; 1e-10 relative leaves headroom for the Bures eigen-solver's rounding.
    expect(Math.abs(value - expected)).toBeLessThan(1e-10 * expected);
  });

  it('handles a log-singular tail: Exp(1) vs Exp(1/3) has W2² = 2·(3 − 1)² = 8', () => {
    const value = productLawWasserstein2([(u) => -Math.log1p(-u)], [(u) => -3 * Math.log1p(-u)]);
    // The unresolvable mass within 1e-16 of u = 1 contributes ≈ 1e-16·log²(1e16) ≈ 1e-13; 1e-10 covers quadrature too.
    expect(Math.abs(value ** 2 - 8)).toBeLessThan(1e-10 * 8);
  });

  it('names mismatched coordinate counts', () => {
    expect(() => productLawWasserstein2([Math.log], [])).toThrow(/^q: has 0 coordinate quantile functions but p has 1/);
  });
});

describe('coordinatewiseWasserstein2', () => {
  it('is the root-sum-of-squares of the coordinate distances, a lower bound on W2', () => {
    const rng = new Rng(8, ['coordinatewise']);
    const n = 100;
    const data = new Float64Array(n * 2);
    // Perfectly correlated coordinates (x, x): right marginals for N(0, I), wrong joint law.
    for (let i = 0; i < n; i++) data[2 * i] = data[2 * i + 1] = rng.normal();
    const q = [normalQuantile, normalQuantile];
    const value = coordinatewiseWasserstein2({ n, d: 2, data }, q);
    const column = Float64Array.from({ length: n }, (_, i) => data[2 * i]!);
    const single = wasserstein1dToQuantile(column, normalQuantile, 2);
    expect(value).toBe(Math.sqrt(2 * single * single));
    expect(() => coordinatewiseWasserstein2({ n, d: 2, data }, [normalQuantile])).toThrow(/^quantiles:/);
  });
});

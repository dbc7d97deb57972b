import { describe, expect, it } from 'vitest';
import { wasserstein1d } from '../../../src/metrics/wasserstein1d.ts';
import { wasserstein1dToQuantile } from '../../../src/metrics/wasserstein1dToQuantile.ts';
import { normalCdf, normalQuantile } from '../../../src/numerics/normalDistribution.ts';
import { Rng } from '../../../src/random/rng.ts';

/** Exact W_p^p between sorted samples and U(0, 1) (quantile u ↦ u), cell by cell in closed form. */
function uniformReference(samples: number[], p: 1 | 2): number {
  const x = samples.slice().sort((s, t) => s - t);
  const n = x.length;
  let total = 0;
  x.forEach((xi, i) => {
    const u0 = i / n;
    const u1 = (i + 1) / n;
    if (p === 2) total += ((xi - u0) ** 3 - (xi - u1) ** 3) / 3;
    else if (xi <= u0) total += ((u1 - xi) ** 2 - (u0 - xi) ** 2) / 2;
    else if (xi >= u1) total += ((xi - u0) ** 2 - (xi - u1) ** 2) / 2;
    else total += ((xi - u0) ** 2 + (u1 - xi) ** 2) / 2; // the kink inside the cell
  });
  return total ** (1 / p);
}

describe('wasserstein1dToQuantile', () => {
  it('gives the closed forms for one sample against N(0, 1)', () => {
    // W2² = 1 + x², W1 = E|Z − x| = x(2Φ(x) − 1) + 2φ(x). Quadrature rtol 1e-11 → 1e-10 relative with headroom.
    const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    for (const x of [0, 0.7, 3]) {
      const w2 = wasserstein1dToQuantile([x], normalQuantile, 2);
      expect(Math.abs(w2 ** 2 - (1 + x * x))).toBeLessThan(1e-10 * (1 + x * x));
      const w1Expected = x * (2 * normalCdf(x) - 1) + 2 * phi(x);
      expect(Math.abs(wasserstein1dToQuantile([x], normalQuantile, 1) - w1Expected)).toBeLessThan(1e-10 * w1Expected);
    }
  });

  it('matches the closed form against U(0, 1), including cells where the sample crosses its quantile (p = 1)', () => {
    const rng = new Rng(6, ['w1dq.uniform']);
    const samples = Array.from({ length: 200 }, () => rng.uniform());
    for (const p of [1, 2] as const) {
      const expected = uniformReference(samples, p);
      expect(Math.abs(wasserstein1dToQuantile(samples, (u) => u, p) - expected)).toBeLessThan(1e-10 * expected);
    }
  });

  it('agrees with a 2·10⁶-point quantile grid against N(0, 1) to the grid’s discretisation error', () => {
    const rng = new Rng(7, ['w1dq.normal']);
    const samples = new Float64Array(500).map(() => rng.normal());
    const m = 2_000_000;
    const grid = Float64Array.from({ length: m }, (_, i) => normalQuantile((i + 0.5) / m));
    const exact = wasserstein1dToQuantile(samples, normalQuantile, 2);
    // The midpoint grid misses the tails beyond 1/(2m) and discretises each cell: error O(log(m)/m) ≈ 1e-5 relative.
    expect(Math.abs(wasserstein1d(samples, grid, 2) - exact)).toBeLessThan(1e-4 * exact);
  });

  it('names the offending sample and p', () => {
    expect(() => wasserstein1dToQuantile([0, Number.NaN], normalQuantile, 2)).toThrow(/^samples\[1\]:/);
    expect(() => wasserstein1dToQuantile([], normalQuantile, 2)).toThrow(/^samples:/);
    expect(() => wasserstein1dToQuantile([0], normalQuantile, 0)).toThrow(/^p:/);
  });
});

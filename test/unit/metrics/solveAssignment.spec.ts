import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../../src/metrics/solveAssignment.ts';
import { Rng } from '../../../src/random/rng.ts';
import { permutations } from './permutations.ts';

function bruteForce(cost: Float64Array, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const p of permutations(n)) {
    let s = 0;
    for (let i = 0; i < n; i++) s += cost[i * n + p[i]!]!;
    best = Math.min(best, s);
  }
  return best;
}

function isPermutation(x: Int32Array): boolean {
  return [...x].sort((a, b) => a - b).every((v, i) => v === i);
}

describe('solveAssignment', () => {
  it('matches brute force over all permutations for n ≤ 7 (real and tied integer costs, 40 seeds per n)', () => {
    for (let n = 1; n <= 7; n++) {
      for (let seed = 0; seed < 40; seed++) {
        const rng = new Rng(seed, ['assignment', String(n)]);
        // Every third case uses costs in {0,1,2,3}: many ties, the hard case for the row-reduction phase.
        const ties = seed % 3 === 0;
        const cost = new Float64Array(n * n).map(() => (ties ? rng.integer(4) : 10 * rng.uniform() - 3));
        const result = solveAssignment(cost, n);
        expect(isPermutation(result.rowToColumn)).toBe(true);
        // Sums of ≤ 7 terms of size ≤ 10: the two summation orders differ by at most ~7·ε·70 < 1e-12.
        expect(Math.abs(result.totalCost - bruteForce(cost, n))).toBeLessThan(1e-12);
      }
    }
  });

  it('returns dual potentials that certify optimality on a 300×300 Euclidean problem', () => {
    const n = 300;
    const rng = new Rng(5, ['assignment.dual']);
    const cost = new Float64Array(n * n).map(() => rng.uniform() * rng.uniform() * 4);
    const { rowPotentials: u, columnPotentials: v, totalCost, rowToColumn, columnToRow } = solveAssignment(cost, n);
    // Reduced costs are non-negative and the duality gap vanishes, up to rounding accumulated over at most n
    // potential updates of size ≤ max C = 4: tolerance n·ε·4.
    const tol = n * Number.EPSILON * 4;
    let minReduced = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) minReduced = Math.min(minReduced, cost[i * n + j]! - u[i]! - v[j]!);
    expect(minReduced).toBeGreaterThanOrEqual(-tol);
    const dual = u.reduce((s, x) => s + x, 0) + v.reduce((s, x) => s + x, 0);
    expect(Math.abs(dual - totalCost)).toBeLessThan(n * tol);
    for (let i = 0; i < n; i++) expect(columnToRow[rowToColumn[i]!]).toBe(i);
  });

  it('handles the trivial sizes and an all-equal cost matrix', () => {
    expect(solveAssignment(new Float64Array(0), 0).totalCost).toBe(0);
    expect(solveAssignment(Float64Array.of(2.5), 1).totalCost).toBe(2.5);
    const flat = solveAssignment(new Float64Array(25).fill(1), 5);
    expect(flat.totalCost).toBe(5);
    expect(isPermutation(flat.rowToColumn)).toBe(true);
  });

  it('names the first non-finite entry and a wrong length', () => {
    expect(() => solveAssignment(Float64Array.of(0, 1, Number.NaN, 2), 2)).toThrow(/^cost: entry \(1, 0\) is NaN/);
    expect(() => solveAssignment(new Float64Array(3), 2)).toThrow(/^cost: has length 3, expected n·n = 4/);
  });
});

/**
 * Independent reference for exact W₁ between two equal-size point sets: the classical O(n³) Hungarian method
 * (Kuhn–Munkres with row/column potentials and one shortest augmenting path per row, in the textbook form of
 * Lawler 1976 / the e-maxx write-up), written here from scratch and not sharing code with src/metrics (which uses
 * Jonker–Volgenant with its own initialisation). Kept to cross-check W₁ estimates, not used by any check.
 */

/** min over permutations σ of (1/n)·Σ_i ‖a_i − b_σ(i)‖₂, for row-major point arrays of dimension d. */
export function hungarianW1(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  const n = a.length / d;
  if (!Number.isInteger(n) || b.length !== a.length) throw new Error('hungarianW1: point sets of equal size and dimension d');
  const cost = (i: number, j: number): number => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (a[i * d + k]! - b[j * d + k]!) ** 2;
    return Math.sqrt(s);
  };
  // 1-based arrays: row potentials u, column potentials v, p[j] = row matched to column j, way[j] = previous column
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= n; j++) total += cost(p[j]! - 1, j - 1);
  return total / n;
}

import { NumericalError, ValidationError } from '../core/errors.ts';

/**
 * An optimal assignment of n rows to n columns, with the dual potentials that certify its optimality.
 */
export interface Assignment {
  /** Number of rows (= columns). */
  readonly n: number;
  /** `rowToColumn[i]` is the column assigned to row i. */
  readonly rowToColumn: Int32Array;
  /** `columnToRow[j]` is the row assigned to column j (the inverse permutation). */
  readonly columnToRow: Int32Array;
  /** Σ_i cost[i, rowToColumn[i]], summed with Neumaier compensation. */
  readonly totalCost: number;
  /**
   * Dual potentials u (rows) and v (columns): `cost[i,j] − u[i] − v[j] ≥ 0` for all i, j (up to rounding), with
   * equality on the assigned pairs, so Σu + Σv = totalCost. Together they are a certificate of optimality that
   * tests and callers can verify in O(n²) without trusting the solver.
   */
  readonly rowPotentials: Float64Array;
  readonly columnPotentials: Float64Array;
}

/**
 * Solves the dense linear assignment problem min_σ Σ_i C[i, σ(i)] over permutations σ, exactly (up to float64
 * rounding in the reduced costs), by the Jonker–Volgenant algorithm (LAPJV).
 *
 * @remarks
 * Phases, as in Jonker & Volgenant (1987): column reduction with reduction transfer, two passes of augmenting
 * row reduction (which assign most rows cheaply on random costs), then, for each row still free, a Dijkstra-like
 * shortest augmenting path in the reduced costs C[i,j] − v[j] with potential updates. The implementation follows
 * the dense variant of the public `lap` package (gatagat/lap, `lapjv.cpp`), on one row-major `Float64Array`.
 *
 * Complexity: O(n³) time in the worst case (each of at most n augmentations is an O(n²) shortest-path search);
 * on random Euclidean costs the initial phases leave few free rows and the observed growth is well below n³.
 * Memory: O(n) besides the n×n cost matrix (which the caller owns; it is not copied or modified).
 *
 * @param cost - n×n cost matrix, row-major: C[i,j] = `cost[i*n + j]`. Entries must be finite.
 * @param n - number of rows (= columns).
 * @returns the optimal permutation, its total cost and dual potentials.
 * @throws ValidationError (`E_DIMENSION`) when `cost.length !== n*n`; `E_NON_FINITE` naming the first non-finite
 *   entry.
 *
 * @see R. Jonker, A. Volgenant, "A shortest augmenting path algorithm for dense and sparse linear assignment
 *   problems", Computing 38 (1987) 325–340.
 * @see D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4) (2016) — the method
 *   behind scipy's `linear_sum_assignment`, used as the benchmark baseline.
 */
export function solveAssignment(cost: Float64Array, n: number): Assignment {
  if (!Number.isInteger(n) || n < 0) {
    throw new ValidationError('E_INVALID_INPUT', `must be a non-negative integer, got ${n}`, 'n');
  }
  if (cost.length !== n * n) {
    throw new ValidationError('E_DIMENSION', `has length ${cost.length}, expected n·n = ${n * n}`, 'cost');
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]!)) {
      throw new ValidationError('E_NON_FINITE', `entry (${Math.floor(k / n)}, ${k % n}) is ${cost[k]}`, 'cost');
    }
  }
  const x = new Int32Array(n).fill(-1); // row → column
  const y = new Int32Array(n).fill(-1); // column → row
  const v = new Float64Array(n); // column potentials
  if (n === 1) {
    x[0] = 0;
    y[0] = 0;
    v[0] = cost[0]!;
  } else if (n > 1) {
    const freeRows = new Int32Array(n);
    let numFree = columnReductionTransfer(cost, n, freeRows, x, y, v);
    // Two passes of augmenting row reduction, as recommended by Jonker & Volgenant.
    for (let pass = 0; pass < 2 && numFree > 0; pass++) {
      numFree = augmentingRowReduction(cost, n, numFree, freeRows, x, y, v);
    }
    if (numFree > 0) augmentFreeRows(cost, n, numFree, freeRows, x, y, v);
  }
  const u = new Float64Array(n);
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const j = x[i]!;
    if (j < 0 || y[j] !== i) {
      throw new NumericalError('E_NON_FINITE_STATE', `assignment solver left row ${i} unassigned (inconsistent state)`);
    }
    const c = cost[i * n + j]!;
    u[i] = c - v[j]!;
    const t = sum + c;
    compensation += Math.abs(sum) >= Math.abs(c) ? sum - t + c : c - t + sum;
    sum = t;
  }
  return { n, rowToColumn: x, columnToRow: y, totalCost: sum + compensation, rowPotentials: u, columnPotentials: v };
}

/** Column reduction and reduction transfer. Returns the number of free rows written to `freeRows`. */
function columnReductionTransfer(
  cost: Float64Array,
  n: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): number {
  v.fill(Number.POSITIVE_INFINITY);
  y.fill(0);
  // Row-major sweep (cache friendly): running column minima and their rows.
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const c = cost[row + j]!;
      if (c < v[j]!) {
        v[j] = c;
        y[j] = i;
      }
    }
  }
  const unique = new Uint8Array(n).fill(1);
  for (let j = n - 1; j >= 0; j--) {
    const i = y[j]!;
    if (x[i]! < 0) {
      x[i] = j;
    } else {
      unique[i] = 0;
      y[j] = -1;
    }
  }
  let numFree = 0;
  for (let i = 0; i < n; i++) {
    if (x[i]! < 0) {
      freeRows[numFree++] = i;
    } else if (unique[i] === 1) {
      // Reduction transfer: lower v[j] as far as the row's second-best reduced cost allows.
      const j = x[i]!;
      const row = i * n;
      let min = Number.POSITIVE_INFINITY;
      for (let j2 = 0; j2 < n; j2++) {
        if (j2 === j) continue;
        const c = cost[row + j2]! - v[j2]!;
        if (c < min) min = c;
      }
      v[j] = v[j]! - min;
    }
  }
  return numFree;
}

/** One pass of augmenting row reduction. Returns the number of rows left free (compacted into `freeRows`). */
function augmentingRowReduction(
  cost: Float64Array,
  n: number,
  numFree: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): number {
  let current = 0;
  let newFree = 0;
  let reductions = 0;
  while (current < numFree) {
    reductions++;
    const freeI = freeRows[current++]!;
    const row = freeI * n;
    // Lowest and second-lowest reduced costs of the free row.
    let j1 = 0;
    let v1 = cost[row]! - v[0]!;
    let j2 = -1;
    let v2 = Number.POSITIVE_INFINITY;
    for (let j = 1; j < n; j++) {
      const c = cost[row + j]! - v[j]!;
      if (c < v2) {
        if (c >= v1) {
          v2 = c;
          j2 = j;
        } else {
          v2 = v1;
          v1 = c;
          j2 = j1;
          j1 = j;
        }
      }
    }
    let i0 = y[j1]!;
    const v1New = v[j1]! - (v2 - v1);
    const v1Lowers = v1New < v[j1]!;
    // The guard `reductions < current·n` bounds the pass (it can otherwise cycle on ties).
    if (reductions < current * n) {
      if (v1Lowers) {
        v[j1] = v1New;
      } else if (i0 >= 0 && j2 >= 0) {
        j1 = j2;
        i0 = y[j2]!;
      }
      if (i0 >= 0) {
        if (v1Lowers) freeRows[--current] = i0;
        else freeRows[newFree++] = i0;
      }
    } else if (i0 >= 0) {
      freeRows[newFree++] = i0;
    }
    x[freeI] = j1;
    y[j1] = freeI;
  }
  return newFree;
}

/** Shortest augmenting paths (Dijkstra in reduced costs) for every remaining free row. */
function augmentFreeRows(
  cost: Float64Array,
  n: number,
  numFree: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): void {
  const pred = new Int32Array(n);
  const cols = new Int32Array(n);
  const d = new Float64Array(n);
  for (let f = 0; f < numFree; f++) {
    const start = freeRows[f]!;
    let j = findAugmentingPath(cost, n, start, y, v, pred, cols, d);
    let i = -1;
    let steps = 0;
    while (i !== start) {
      i = pred[j]!;
      y[j] = i;
      const previous = x[i]!;
      x[i] = j;
      j = previous;
      if (++steps > n) throw new NumericalError('E_NON_FINITE_STATE', 'assignment solver: augmenting path did not terminate');
    }
  }
}

/**
 * Dijkstra from row `start` over columns; returns the free column that ends a shortest augmenting path and updates
 * the potentials of the columns whose distance became final.
 */
function findAugmentingPath(
  cost: Float64Array,
  n: number,
  start: number,
  y: Int32Array,
  v: Float64Array,
  pred: Int32Array,
  cols: Int32Array,
  d: Float64Array,
): number {
  let lo = 0;
  let hi = 0;
  let finalJ = -1;
  let numReady = 0;
  // Distance of the current SCAN list; every column on it (and every scanned column) is at this distance.
  let scanDistance = 0;
  const startRow = start * n;
  for (let j = 0; j < n; j++) {
    cols[j] = j;
    pred[j] = start;
    d[j] = cost[startRow + j]! - v[j]!;
  }
  while (finalJ === -1) {
    if (lo === hi) {
      // The SCAN list is empty: move all columns at the new minimum distance into it.
      numReady = lo;
      let minD = d[cols[lo]!]!;
      hi = lo + 1;
      for (let k = hi; k < n; k++) {
        const j = cols[k]!;
        const dj = d[j]!;
        if (dj <= minD) {
          if (dj < minD) {
            hi = lo;
            minD = dj;
          }
          cols[k] = cols[hi]!;
          cols[hi++] = j;
        }
      }
      scanDistance = minD;
      for (let k = lo; k < hi; k++) {
        const j = cols[k]!;
        if (y[j]! < 0) finalJ = j;
      }
    }
    if (finalJ === -1) {
      // Scan the columns at the minimum distance: relax through the rows assigned to them.
      while (lo !== hi && finalJ === -1) {
        const jScan = cols[lo++]!;
        const i = y[jScan]!;
        const row = i * n;
        const h = cost[row + jScan]! - v[jScan]! - scanDistance;
        for (let k = hi; k < n; k++) {
          const j = cols[k]!;
          const reduced = cost[row + j]! - v[j]! - h;
          if (reduced < d[j]!) {
            d[j] = reduced;
            pred[j] = i;
            if (reduced === scanDistance) {
              if (y[j]! < 0) {
                finalJ = j;
                break;
              }
              cols[k] = cols[hi]!;
              cols[hi++] = j;
            }
          }
        }
      }
    }
  }
  // Columns whose distance became final before the last SCAN list: shift their potentials (the scanned ones are
  // at scanDistance, so their shift would be zero).
  for (let k = 0; k < numReady; k++) {
    const j = cols[k]!;
    v[j] = v[j]! + d[j]! - scanDistance;
  }
  return finalJ;
}

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
 * Phases: the initialisation of Jonker & Volgenant (1987) — column reduction with reduction transfer and two
 * passes of augmenting row reduction (each capped at 2n reductions), which assign most rows cheaply — as in the
 * dense variant of the public `lap` package (gatagat/lap, `lapjv.cpp`); then, for each row still free, one
 * shortest augmenting path (Dijkstra in the reduced costs C[i,j] − u[i] − v[j]) with the dual update of Crouse
 * (2016), the method of scipy's `linear_sum_assignment`. Everything runs on one row-major `Float64Array`.
 *
 * Complexity: O(n³) time in the worst case (each of at most n augmentations is an O(n²) shortest-path search);
 * on random Euclidean costs in d = 16 the initial phases assign nearly every row and the growth is well below n³;
 * in d = 2 the augmenting paths are long and the cost approaches the worst case (see `bench/`).
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
    // Two passes of augmenting row reduction, as recommended by Jonker & Volgenant, each capped at 2n row
    // reductions: on low-dimensional Euclidean costs an uncapped pass can cycle through near-ties for O(n²)
    // reductions of O(n) each (measured: 60% of the total time at n = 1024, d = 2) while freeing few rows.
    for (let pass = 0; pass < 2 && numFree > 0; pass++) {
      numFree = augmentingRowReduction(cost, n, numFree, freeRows, x, y, v, 2 * n);
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

/**
 * One pass of augmenting row reduction, stopped after `budget` row reductions. Returns the number of rows left free
 * (compacted into `freeRows`).
 */
function augmentingRowReduction(
  cost: Float64Array,
  n: number,
  numFree: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  budget: number,
): number {
  let current = 0;
  let newFree = 0;
  let reductions = 0;
  while (current < numFree) {
    if (reductions >= budget) {
      // Out of budget: the unprocessed rows stay free for the augmentation phase (newFree ≤ current, no overlap).
      for (let k = current; k < numFree; k++) freeRows[newFree++] = freeRows[k]!;
      return newFree;
    }
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

/**
 * Shortest augmenting paths for every remaining free row, one Dijkstra search each in the reduced costs
 * C[i,j] − u[i] − v[j] (the single-row method of Crouse 2016, as in scipy), followed by the dual update that keeps
 * all reduced costs non-negative and the assigned ones zero.
 *
 * The columns not yet reached are kept in ascending order (removal by a block move), so every scan walks the cost
 * row, the potentials and the distances sequentially: on n = 2048 this is ≈ 1.5× faster than the swap-removal order
 * of the reference implementation, whose scattered reads defeat the prefetcher.
 */
function augmentFreeRows(
  cost: Float64Array,
  n: number,
  numFree: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): void {
  // Row potentials consistent with the initial phases: u[i] = C[i, x(i)] − v[x(i)] on assigned rows, whose reduced
  // costs are then ≥ 0 (the initial phases assign each row to a column of minimal reduced cost).
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = x[i]!;
    if (j >= 0 && y[j] === i) u[i] = cost[i * n + j]! - v[j]!;
  }
  const distance = new Float64Array(n); // shortest reduced path length to each column, minus the running minimum
  const path = new Int32Array(n); // predecessor row of each column on its shortest path
  const remaining = new Int32Array(n); // columns not yet reached, ascending
  const rowsVisited = new Int32Array(n);
  const columnsVisited = new Int32Array(n);
  for (let f = 0; f < numFree; f++) {
    const start = freeRows[f]!;
    x[start] = -1; // the augmentation phases may leave a stale column here
    let minVal = 0;
    let numRemaining = n;
    for (let k = 0; k < n; k++) remaining[k] = k;
    distance.fill(Number.POSITIVE_INFINITY);
    let numRows = 0;
    let numColumns = 0;
    let sink = -1;
    let i = start;
    while (sink === -1) {
      rowsVisited[numRows++] = i;
      let index = -1;
      let lowest = Number.POSITIVE_INFINITY;
      const row = i * n;
      const base = minVal - u[i]!;
      for (let k = 0; k < numRemaining; k++) {
        const j = remaining[k]!;
        const r = base + cost[row + j]! - v[j]!;
        let dj = distance[j]!;
        if (r < dj) {
          path[j] = i;
          distance[j] = r;
          dj = r;
        }
        // Ties prefer a free column: the search ends sooner.
        if (dj < lowest || (dj === lowest && y[j]! === -1)) {
          lowest = dj;
          index = k;
        }
      }
      if (lowest === Number.POSITIVE_INFINITY) {
        throw new NumericalError('E_NON_FINITE_STATE', 'assignment solver: no augmenting path (non-finite reduced costs)');
      }
      minVal = lowest;
      const j = remaining[index]!;
      if (y[j]! === -1) sink = j;
      else i = y[j]!;
      columnsVisited[numColumns++] = j;
      remaining.copyWithin(index, index + 1, numRemaining);
      numRemaining--;
    }
    // Dual update (Crouse 2016, Algorithm 2, lines 20–25).
    u[start] = u[start]! + minVal;
    for (let k = 1; k < numRows; k++) {
      const r = rowsVisited[k]!;
      u[r] = u[r]! + minVal - distance[x[r]!]!;
    }
    for (let k = 0; k < numColumns; k++) {
      const c = columnsVisited[k]!;
      v[c] = v[c]! - (minVal - distance[c]!);
    }
    // Augment along the path back to the start row.
    let j = sink;
    for (let steps = 0; ; steps++) {
      if (steps > n) throw new NumericalError('E_NON_FINITE_STATE', 'assignment solver: augmenting path did not terminate');
      const r = path[j]!;
      y[j] = r;
      const previous = x[r]!;
      x[r] = j;
      j = previous;
      if (r === start) break;
    }
  }
}

/**
 * Private numerics of the ct-vs-cd study: the idealised consistency-training recursion on a VE Karras grid for a 1-D
 * Gaussian mixture under the squared, pseudo-Huber and ℓ1 losses (THEORY §5.3, "non-quadratic metrics").
 *
 * With the shared-noise CT pair, given X_{t_{n+1}} = y the teacher input is X_{t_n} = (1 − ρ)X₀ + ρy, ρ = t_n/t_{n+1},
 * X₀ | y the exact posterior mixture; the unrestricted student's population minimiser at y is
 * argmin_a E[ℓ(a − f_n(X_{t_n})) | y]: the conditional mean (ℓ2), the conditional median (ℓ1), and for pseudo-Huber
 * ℓ_c(u) = √(u² + c²) − c the root of E[ψ_c(a − f_n(X_{t_n})) | y] = 0, ψ_c(u) = u/√(u² + c²).
 *
 * ℓ1 is computed exactly: f_n is increasing, so the median of f_n(X_{t_n}) is f_n(median of X_{t_n}), and f_N is the
 * composition of conditional-median maps, evaluated pointwise ({@link l1Minimiser}; root-finding error 1e-14).
 *
 * ℓ2 and pseudo-Huber run on a grid. The expectation over each posterior component is taken on `cells` (64) cells over
 * ±8 sd by product integration: on a cell, u = a − f_n(x) is taken linear in x and the density is its cell average, so
 * ∫ψ_c(u)dx = Δx·(S(u₁) − S(u₀))/(u₁ − u₀) with S(u) = √(u² + c²) — the kink of ψ at u = 0 (width c, however small) is
 * integrated without smoothing. Each f_n is held by its values at `grid` (81) quantiles of p_{t_n} (normal scores
 * −7 … 7) together with `grid` pre-images under f_{n−1} of a uniform grid over the data's range (which places nodes
 * where f_n is steep, across the gap between modes), and evaluated by monotone cubic Hermite interpolation
 * (Fritsch–Carlson), linearly continued outside.
 *
 * Accuracy of the grid on 0.2N(−1.5, 0.1) + 0.8N(1, 0.3), output weight below θ = −0.5 (test/studies/ctVsCd.spec.ts):
 * in the c → 0 limit (the sharpest ψ, so the worst case for pseudo-Huber), against the exact composed medians, the
 * grid is off by ≤ 5e-3 at N ≤ 40 (measured 2.9e-3, 4.3e-3, 1.4e-3, 3.4e-3 at N = 10, 18, 20, 40) and ≤ 1e-3 at
 * N = 80 … 1280 (measured 2.8e-4, 3.2e-4, 2.3e-4, 8.0e-4, 5.0e-4 at N = 80, 160, 320, 640, 1280; the test re-measures
 * N = 20, 40, 80); for ℓ2, against nested Gauss–Hermite quadrature with no grid (test/reference/idealisedCtL2Nested.ts,
 * affordable only at N ≤ 5), by 8.1e-5 at N = 4 (≤ 1e-4; the change to (321 nodes, 192 cells) at N = 40 is 1e-4 too).
 */
import { karrasTimes, normalCdf, mixtureCdf, Mixture1dLaw, posterior, type Mixture1d } from '../src/index.ts';

/** A loss of the CT objective: 'l2', 'l1', or pseudo-Huber with constant c. */
export type CtLoss = { readonly kind: 'l2' } | { readonly kind: 'l1' } | { readonly kind: 'pseudo-huber'; readonly c: number };

/**
 * The stated error of the output weight w_N (see the header; each number is tested in test/studies/ctVsCd.spec.ts against
 * an independent computation): 0 for ℓ1 (exact medians), 1e-4 for ℓ2, and for pseudo-Huber the error measured in its
 * c → 0 limit, 5e-3 for N ≤ 40 and 1e-3 above. At the default resolution (81 nodes, 64 cells) only.
 */
export function weightAccuracy(loss: CtLoss, N: number): number {
  if (loss.kind === 'l1') return 0;
  if (loss.kind === 'l2') return 1e-4;
  return N <= 40 ? 5e-3 : 1e-3;
}

/** A monotone function on a grid (values at increasing nodes). */
export interface GridFunction {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly slope: Float64Array;
}

function monotoneCubic(x: Float64Array, y: Float64Array): GridFunction {
  const n = x.length;
  const d = new Float64Array(n - 1);
  for (let i = 0; i + 1 < n; i++) d[i] = (y[i + 1]! - y[i]!) / (x[i + 1]! - x[i]!);
  const m = new Float64Array(n);
  m[0] = d[0]!;
  m[n - 1] = d[n - 2]!;
  for (let i = 1; i + 1 < n; i++) m[i] = d[i - 1]! * d[i]! <= 0 ? 0 : (3 * (x[i + 1]! - x[i - 1]!)) / ((2 * x[i + 1]! - x[i]! - x[i - 1]!) / d[i - 1]! + (x[i + 1]! + x[i]! - 2 * x[i - 1]!) / d[i]!);
  return { x, y, slope: m };
}

export function evaluate(f: GridFunction, v: number): number {
  const { x, y, slope } = f;
  const n = x.length;
  if (v <= x[0]!) return y[0]! + slope[0]! * (v - x[0]!);
  if (v >= x[n - 1]!) return y[n - 1]! + slope[n - 1]! * (v - x[n - 1]!);
  let a = 0;
  let b = n - 1;
  while (b - a > 1) {
    const mid = (a + b) >> 1;
    if (x[mid]! <= v) a = mid;
    else b = mid;
  }
  const i = a;
  const h = x[i + 1]! - x[i]!;
  const s = (v - x[i]!) / h;
  const s2 = s * s;
  const s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * y[i]! + (s3 - 2 * s2 + s) * h * slope[i]! + (-2 * s3 + 3 * s2) * y[i + 1]! + (s3 - s2) * h * slope[i + 1]!;
}




/** The minimiser at one node from the cells of the conditional law of the teacher input. */
function minimise(loss: CtLoss, cells: { readonly f0: Float64Array; readonly f1: Float64Array; readonly w: Float64Array }): number {
  const { f0, f1, w } = cells;
  const n = w.length;
  if (loss.kind === 'l2') {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[k]! * 0.5 * (f0[k]! + f1[k]!);
    return s;
  }
  const c = loss.kind === 'l1' ? 0 : loss.c;
  const S = (u: number): number => Math.sqrt(u * u + c * c);
  // g(a) = Σ_k w_k·(mean of ψ_c over the cell) with u linear on the cell: (S(u₁) − S(u₀))/(u₁ − u₀), written as
  // (u₀ + u₁)/(S(u₀) + S(u₁)) — the same number without the cancellation of S(u₁) − S(u₀) when c ≫ |u| (and no 0/0 when
  // u₀ = u₁); for c = 0 it is the exact mean of sign(u) over the cell
  const g = (a: number): number => {
    let s = 0;
    for (let k = 0; k < n; k++) {
      const u0 = a - f0[k]!;
      const u1 = a - f1[k]!;
      const den = S(u0) + S(u1);
      if (den > 0) s += (w[k]! * (u0 + u1)) / den;
    }
    return s;
  };
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; k++) {
    lo = Math.min(lo, f0[k]!, f1[k]!);
    hi = Math.max(hi, f0[k]!, f1[k]!);
  }
  let glo = g(lo);
  let ghi = g(hi);
  if (glo >= 0) return lo;
  if (ghi <= 0) return hi;
  // Illinois regula falsi, then bisection safeguard
  let side = 0;
  let a = lo;
  for (let it = 0; it < 100; it++) {
    a = (lo * ghi - hi * glo) / (ghi - glo);
    if (!(a > lo && a < hi)) a = 0.5 * (lo + hi);
    const ga = g(a);
    if (Math.abs(hi - lo) < 1e-13 * (1 + Math.abs(a)) || ga === 0) return a;
    if (ga < 0) {
      lo = a;
      glo = ga;
      if (side === -1) ghi /= 2;
      side = -1;
    } else {
      hi = a;
      ghi = ga;
      if (side === 1) glo /= 2;
      side = 1;
    }
  }
  return a;
}

/** f⁻¹(v) for an increasing grid function, by bisection on the interpolant. */
export function inverse(f: GridFunction, v: number): number {
  const n = f.x.length;
  let lo = f.x[0]!;
  let hi = f.x[n - 1]!;
  const span = hi - lo;
  while (evaluate(f, lo) > v) lo -= span;
  while (evaluate(f, hi) < v) hi += span;
  for (let it = 0; it < 200 && hi - lo > 1e-13 * (1 + Math.abs(lo)); it++) {
    const mid = 0.5 * (lo + hi);
    if (evaluate(f, mid) < v) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Median of X_{t_n} given X_{t_{n+1}} = y under the shared-noise pair: X_{t_n} = (1 − ρ)X₀ + ρy with X₀ | y the exact
 * posterior mixture, so the law is the mixture of N((1 − ρ)μ_k(y) + ρy, (1 − ρ)²s_k²) with the posterior weights. The
 * median lies between the smallest and the largest component mean (each component puts ≤ ½ below the smallest and ≥ ½
 * below the largest); Newton's method kept inside that bracket, to 1e-14 relative.
 */
export function conditionalMedian(mix: Mixture1d, y: number, tn: number, tn1: number): number {
  const post = posterior(mix, y, tn1 * tn1);
  const rho = tn / tn1;
  const K = post.w.length;
  const means = new Float64Array(K);
  const sds = new Float64Array(K);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < K; k++) {
    means[k] = (1 - rho) * post.m[k]! + rho * y;
    sds[k] = (1 - rho) * Math.sqrt(post.v[k]!);
    if (post.w[k]! > 0) {
      lo = Math.min(lo, means[k]!);
      hi = Math.max(hi, means[k]!);
    }
  }
  if (!(hi > lo)) return lo;
  const excess = (x: number): { value: number; slope: number } => {
    let value = -0.5;
    let slope = 0;
    for (let k = 0; k < K; k++) {
      const z = (x - means[k]!) / sds[k]!;
      value += post.w[k]! * normalCdf(z);
      slope += (post.w[k]! * Math.exp(-0.5 * z * z)) / (sds[k]! * Math.sqrt(2 * Math.PI));
    }
    return { value, slope };
  };
  let x = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const { value, slope } = excess(x);
    if (value === 0) return x;
    if (value < 0) lo = x;
    else hi = x;
    let next = slope > 0 ? x - value / slope : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x)) || hi - lo <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/**
 * The ℓ1 minimiser exactly: f_{n+1}(y) = median of f_n(X_{t_n}) given y = f_n(median of X_{t_n} given y), because f_n is
 * increasing (f_1 = id; the conditional law is stochastically increasing in y — the Gaussian location family has a
 * monotone likelihood ratio — so each median map, and every composition of them, increases). So f_i is the composition
 * of i conditional-median maps, evaluated pointwise with no grid and no quadrature: only root-finding error (1e-14).
 */
export function l1Minimiser(mix: Mixture1d, times: Float64Array): (i: number, y: number) => number {
  return (i, y) => {
    let x = y;
    for (let j = i; j >= 1; j--) x = conditionalMedian(mix, x, times[j - 1]!, times[j]!);
    return x;
  };
}

/** The solution of f(y) = v for an increasing f, by bisection from a bracket widened until it straddles v. */
function increasingInverse(f: (y: number) => number, v: number, lo: number, hi: number): number {
  let width = Math.max(hi - lo, 1);
  while (f(lo) > v) {
    lo -= width;
    width *= 2;
  }
  while (f(hi) < v) {
    hi += width;
    width *= 2;
  }
  for (let it = 0; it < 200 && hi - lo > 1e-13 * (1 + Math.abs(lo)); it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < v) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Result of one recursion: f_N at tMax (as a grid function) and the output mode weight. */
export interface LossRecursionResult {
  /** P(f_N(X_{tMax}) < θ). */
  readonly weight: number;
  /** The data's P(X_ε < θ) (the exact flow's output). */
  readonly targetWeight: number;
  /** The grid times t_1 = ε < … < t_N = T. */
  readonly times: Float64Array;
  /** f_n on its grid for every n (f_1 = id), when `keepAll` was asked for. */
  readonly functions?: readonly GridFunction[];
  /** f_i(x) for the grid index i = 0 … N − 1 (f_0 = id), when `keepAll` was asked for. */
  readonly model?: (i: number, x: number) => number;
}

/** The ℓ1 recursion by exact composition of conditional medians (see {@link l1Minimiser}). */
function l1Recursion(mix: Mixture1d, N: number, theta: number, options: { readonly tMin?: number; readonly tMax?: number; readonly keepAll?: boolean; readonly onStep?: () => void }): LossRecursionResult {
  const tMin = options.tMin ?? 0.002;
  const tMax = options.tMax ?? 80;
  const times = karrasTimes(N, { tMin, tMax });
  const model = l1Minimiser(mix, times);
  options.onStep?.();
  const pT: Mixture1d = { w: mix.w, m: mix.m, v: mix.v.map((v) => v + tMax * tMax) };
  const pEps: Mixture1d = { w: mix.w, m: mix.m, v: mix.v.map((v) => v + tMin * tMin) };
  const preimage = increasingInverse((y) => model(N - 1, y), theta, theta - 1, theta + 1);
  return { weight: mixtureCdf(pT, preimage), targetWeight: mixtureCdf(pEps, theta), times, ...(options.keepAll ? { model } : {}) };
}


/**
 * Runs the idealised CT recursion for one loss on the N-point Karras grid (VE, σ = t) and returns the weight the
 * output law puts below θ next to the data's (X_ε = X₀ + εZ).
 */
export function lossRecursion(
  mix: Mixture1d,
  loss: CtLoss,
  N: number,
  theta: number,
  options: {
    readonly tMin?: number;
    readonly tMax?: number;
    readonly grid?: number;
    readonly cells?: number;
    readonly keepAll?: boolean;
    readonly onStep?: () => void;
    /** Run ℓ1 on the grid too (to measure the grid's error against the exact medians); default: exact medians. */
    readonly l1OnGrid?: boolean;
  } = {},
): LossRecursionResult {
  if (loss.kind === 'l1' && options.l1OnGrid !== true) return l1Recursion(mix, N, theta, options);
  const GRID = options.grid ?? 81;
  const CELLS = options.cells ?? 64;
  const tMin = options.tMin ?? 0.002;
  const tMax = options.tMax ?? 80;
  const times = karrasTimes(N, { tMin, tMax });
  const vmax = Math.max(...mix.v);
  const mlo = Math.min(...mix.m);
  const mhi = Math.max(...mix.m);
  // Nodes of f_{n+1}: GRID quantiles of p_{t_{n+1}} (normal scores −7 … 7: where the mass is) together with GRID pre-images
  // under f_n of a uniform grid over the data's range (where f_{n+1} is steep: the gap between modes)
  const outLo = mlo - 6 * Math.sqrt(vmax);
  const outHi = mhi + 6 * Math.sqrt(vmax);
  const gridAt = (t: number, previous: GridFunction | undefined): Float64Array => {
    const law = new Mixture1dLaw({ w: mix.w, m: mix.m, v: mix.v.map((v) => v + t * t) });
    const nodes: number[] = [];
    for (let i = 0; i < GRID; i++) {
      const z = -7 + (14 * i) / (GRID - 1);
      nodes.push(z <= 0 ? law.quantile(normalCdf(z), true) : law.quantile(normalCdf(-z), false));
    }
    if (previous) for (let i = 0; i < GRID; i++) nodes.push(inverse(previous, outLo + ((outHi - outLo) * i) / (GRID - 1)));
    nodes.sort((p, q) => p - q);
    const out: number[] = [];
    for (const v of nodes) if (out.length === 0 || v - out[out.length - 1]! > 1e-9 * (1 + Math.abs(v))) out.push(v);
    return Float64Array.from(out);
  };
  let x = gridAt(times[0]!, undefined);
  let f = monotoneCubic(x, Float64Array.from(x));
  const all: GridFunction[] = [f];
  const f0 = new Float64Array(CELLS * mix.w.length);
  const f1 = new Float64Array(CELLS * mix.w.length);
  const w = new Float64Array(CELLS * mix.w.length);
  for (let n = 0; n + 1 < N; n++) {
    options.onStep?.();
    const tn = times[n]!;
    const tn1 = times[n + 1]!;
    const rho = tn / tn1;
    const next = gridAt(tn1, f);
    const values = new Float64Array(next.length);
    for (let i = 0; i < next.length; i++) {
      const y = next[i]!;
      const post = posterior(mix, y, tn1 * tn1);
      let used = 0;
      for (let j = 0; j < post.w.length; j++) {
        const r = post.w[j]!;
        if (!(r > 1e-14)) continue;
        const mean = (1 - rho) * post.m[j]! + rho * y;
        const sd = (1 - rho) * Math.sqrt(post.v[j]!);
        // cells over ±8 sd; weights = r·(probability of the cell), so that Σw = Σr (truncation 1e-15)
        let prevX = mean - 8 * sd;
        let prevF = evaluate(f, prevX);
        let prevC = normalCdf(-8);
        for (let k = 1; k <= CELLS; k++) {
          const xk = mean - 8 * sd + (16 * sd * k) / CELLS;
          const Fk = evaluate(f, xk);
          const Ck = normalCdf(-8 + (16 * k) / CELLS);
          f0[used] = prevF;
          f1[used] = Fk;
          w[used] = r * (Ck - prevC);
          used++;
          prevX = xk;
          prevF = Fk;
          prevC = Ck;
        }
        void prevX;
      }
      let total = 0;
      for (let k = 0; k < used; k++) total += w[k]!;
      for (let k = 0; k < used; k++) w[k] = w[k]! / total;
      values[i] = minimise(loss, { f0: f0.subarray(0, used), f1: f1.subarray(0, used), w: w.subarray(0, used) });
    }
    x = next;
    f = monotoneCubic(x, values);
    if (options.keepAll) all.push(f);
  }
  // weight below θ of f_N(X_{tMax}): f_N increases, so P = F_{tMax}(f_N⁻¹(θ)); bisection on the interpolant
  const pT: Mixture1d = { w: mix.w, m: mix.m, v: mix.v.map((v) => v + tMax * tMax) };
  const pEps: Mixture1d = { w: mix.w, m: mix.m, v: mix.v.map((v) => v + tMin * tMin) };
  return {
    weight: mixtureCdf(pT, inverse(f, theta)),
    targetWeight: mixtureCdf(pEps, theta),
    times,
    ...(options.keepAll ? { functions: all, model: (i: number, v: number) => (i === 0 ? v : evaluate(all[i]!, v)) } : {}),
  };
}

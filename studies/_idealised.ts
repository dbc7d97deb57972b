/**
 * Private numerics of the studies (leading `_`: not a study): the idealised discretisation error of
 * Li–Huang–Wei consistency training, D_T = Σ_{t=2}^T E‖Δ_t(X_t)‖ with Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x)
 * (THEORY §1.10), on the three families where it is exact:
 *
 * - single Gaussians: not here — the closed form per eigen-direction (THEORY §5.3) is `gaussianIdealisedErrors` of
 *   src/lhw (shared with li2024.theorem1), called with exact mean norms;
 * - 1-D Gaussian mixtures, by Gauss–Hermite quadrature over each component of X_t (outer) and of the exact posterior
 *   pushed through the coupling (inner), with the exact flow Φ_{t→1} = F₁⁻¹∘F_t (quantile map, Newton on a table);
 * - products of d identical 1-D mixtures: Δ_t acts coordinate-wise with i.i.d. coordinates, so E‖Δ_t‖ follows from
 *   the 1-D law of Δ_t through the Laplace-transform identity below (no √d bracket needed).
 *
 * Mean norms of products come from the Laplace-transform identity of `src/numerics/meanNorm.ts`.
 */
import { chebyshevNodes, couplingCoefficients, evaluateChebyshev, iidMeanNorms, type ChebyshevFunction, type Coupling, type LhwSchedule, normalCdf, normalSurvival, gaussHermite, posterior, type Mixture1d } from '../src/index.ts';

// ── 1-D mixtures: fast exact CDFs, quantiles and flows ──────────────────────────────────────────────────────────

/** A 1-D mixture law with CDF/survival in full tail precision and a Newton quantile on a table. */
export class MixtureLaw {
  readonly mix: Mixture1d;
  private readonly sd: Float64Array;
  private readonly norm: Float64Array;
  private table: { readonly x: Float64Array; readonly F: Float64Array; readonly S: Float64Array; readonly p: Float64Array } | undefined;

  constructor(mix: Mixture1d) {
    this.mix = mix;
    this.sd = Float64Array.from(mix.v, Math.sqrt);
    this.norm = Float64Array.from(this.sd, (s, k) => mix.w[k]! / (s * Math.sqrt(2 * Math.PI)));
  }

  cdf(x: number): number {
    let s = 0;
    for (let k = 0; k < this.sd.length; k++) s += this.mix.w[k]! * normalCdf((x - this.mix.m[k]!) / this.sd[k]!);
    return s;
  }

  survival(x: number): number {
    let s = 0;
    for (let k = 0; k < this.sd.length; k++) s += this.mix.w[k]! * normalSurvival((x - this.mix.m[k]!) / this.sd[k]!);
    return s;
  }

  density(x: number): number {
    let s = 0;
    for (let k = 0; k < this.sd.length; k++) {
      const z = (x - this.mix.m[k]!) / this.sd[k]!;
      s += this.norm[k]! * Math.exp(-0.5 * z * z);
    }
    return s;
  }

  /** CDF and survival on 1025 points over ±38 sd of every component (built on first use: only targets of flows need it). */
  private grid(): { readonly x: Float64Array; readonly F: Float64Array; readonly S: Float64Array; readonly p: Float64Array } {
    if (this.table) return this.table;
    let lo = Infinity;
    let hi = -Infinity;
    this.mix.m.forEach((m, k) => {
      lo = Math.min(lo, m - 38 * this.sd[k]!);
      hi = Math.max(hi, m + 38 * this.sd[k]!);
    });
    const n = 4097;
    const x = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
    this.table = { x, F: x.map((v) => this.cdf(v)), S: x.map((v) => this.survival(v)), p: x.map((v) => this.density(v)) };
    return this.table;
  }

  /** The x with F(x) = p (lower = true) or S(x) = p (lower = false): bracket from the table, then safeguarded Newton. */
  quantile(p: number, lower: boolean): number {
    const { x: gx, F, S, p: dens0 } = this.grid();
    const grid = lower ? F : S;
    const n = grid.length;
    // F increases, S decreases along the grid: find a with the target between grid[a] and grid[a+1]
    const before = (i: number): boolean => (lower ? grid[i]! <= p : grid[i]! >= p);
    if (!before(0)) return gx[0]!;
    if (before(n - 1)) return gx[n - 1]!;
    let a = 0;
    let b = n - 1;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (before(mid)) a = mid;
      else b = mid;
    }
    let xa = gx[a]!;
    let xb = gx[b]!;
    // g(x) = F(x) − p or p − S(x): increasing, g(xa) ≤ 0 ≤ g(xb)
    const ga = lower ? grid[a]! - p : p - grid[a]!;
    const gb = lower ? grid[b]! - p : p - grid[b]!;
    // start: cubic Hermite interpolation of x as a function of g (slopes 1/p at the ends), linear if that misbehaves
    const dg = gb - ga;
    let x = dg === 0 ? 0.5 * (xa + xb) : xa - (ga * (xb - xa)) / dg;
    const ma = (1 / dens0[a]!) * dg;
    const mb = (1 / dens0[b]!) * dg;
    if (dg > 0 && Number.isFinite(ma) && Number.isFinite(mb)) {
      const r = -ga / dg;
      const r2 = r * r;
      const r3 = r2 * r;
      const cubic = (2 * r3 - 3 * r2 + 1) * xa + (r3 - 2 * r2 + r) * ma + (-2 * r3 + 3 * r2) * xb + (r3 - r2) * mb;
      if (cubic > xa && cubic < xb) x = cubic;
    }
    for (let it = 0; it < 60; it++) {
      const g = lower ? this.cdf(x) - p : p - this.survival(x);
      if (g === 0) return x;
      if (g < 0) xa = x;
      else xb = x;
      const dens = this.density(x);
      let next = dens > 0 ? x - g / dens : Number.NaN;
      if (!(next > xa && next < xb)) next = 0.5 * (xa + xb);
      // Newton converges quadratically: after a step below 1e-9 the next one would be below 1e-16 relative
      else if (Math.abs(next - x) <= 1e-9 * Math.max(1, Math.abs(x))) return next;
      if (xb - xa <= 4e-16 * Math.max(1, Math.abs(x))) return next;
      x = next;
    }
    return x;
  }
}

/** The law of X_t = √ᾱ_t X₀ + √(1−ᾱ_t) Z for a 1-D mixture X₀. */
export function marginal1d(mix: Mixture1d, schedule: LhwSchedule, t: number): Mixture1d {
  const a = Math.sqrt(schedule.alphaBars[t]!);
  const s2 = schedule.oneMinusAlphaBars[t]!;
  return { w: mix.w, m: mix.m.map((m) => a * m), v: mix.v.map((v) => a * a * v + s2) };
}

/** Φ_{t→k}(x) = F_k⁻¹(F_t(x)) (1-D flows are increasing rearrangements, THEORY §4.5), evaluated on the small tail. */
export function transport(from: MixtureLaw, to: MixtureLaw, x: number): number {
  const F = from.cdf(x);
  if (F <= 0.5) return to.quantile(F, true);
  return to.quantile(from.survival(x), false);
}

/** Options of {@link mixtureIdealised}. */
export interface MixtureIdealisedOptions {
  /** Chebyshev–Lobatto points carrying δ_t = Δ_t∘Φ_t⁻¹ on ±9 sd of every component of X₁. @defaultValue 64 */
  readonly nodes?: number;
  /** Gauss–Hermite nodes per posterior component (inner conditional expectation). @defaultValue 6 */
  readonly inner?: number;
  /** Product dimensions at which E‖Δ_t‖ is also evaluated (i.i.d. coordinates). @defaultValue [] */
  readonly dims?: readonly number[];
  /**
   * Evaluate Δ_t only at about T/stride steps (always 2 and T) and fill the others by local cubic interpolation of
   * log E|Δ_t| in t (exact for the geometric growth of the early steps). No recursion then: W is NaN. @defaultValue 1
   */
  readonly stride?: number;
  /** Called between steps (budget/cancellation). */
  readonly onStep?: (t: number) => void;
}

/** Idealised errors of a 1-D mixture (and of products of d copies of it). */
export interface MixtureIdealisedErrors {
  /** D_T = Σ_t E|Δ_t(X_t)|. */
  readonly D: number;
  /** Σ_t (E Δ_t(X_t)²)^{1/2}. */
  readonly Drms: number;
  /** W_ideal = E|f*_T(X_T) − Φ_T(X_T)|, = W₁(f*_T(X_T), X₁) when f*_T is increasing (see `monotone`). */
  readonly W: number;
  /** (E (f*_T − Φ_T)²)^{1/2}: W₂ exactly when f*_T is increasing. */
  readonly Wrms: number;
  /** Whether y ↦ f*_T(Φ_T⁻¹(y)) = y + η_T(y) increases on the fine grid (then W and Wrms are the exact W₁, W₂). */
  readonly monotone: boolean;
  /** D_T of the d-fold product (i.i.d. coordinates), per requested d. */
  readonly Dproduct: ReadonlyMap<number, number>;
  /** E‖f*_T(X_T) − Φ_T(X_T)‖ of the d-fold product, per requested d. */
  readonly Wproduct: ReadonlyMap<number, number>;
}

/** Points of the fine grid on which the outer expectations are taken (trapezoid with weights p₁(y)·dy). */
const FINE = 1201;

/**
 * D_T = Σ_t E|Δ_t(X_t)| and W_ideal for a 1-D Gaussian mixture on an LHW schedule and the CT or Markov coupling.
 *
 * Given X_t = x the coupling gives X_{t−1} = a_x·x + a₀·X₀ + σ·ξ with X₀ | x the exact posterior mixture, so
 * E[g(X_{t−1}) | x] is Gauss–Hermite per posterior component. Everything is carried in the coordinate y = Φ_t(x) ~ X₁
 * (E g(Δ_t(X_t)) = E g(Δ_t(Φ_t⁻¹(X₁))) because Φ_t pushes p_t to p₁): there the steep part of Φ_t (width ~1/L_f in x)
 * is spread over the gap between modes, so one Chebyshev–Lobatto grid y_i on ±9 sd of every component of X₁ resolves it
 * for every t. Δ_t is evaluated at x_i = Φ_t⁻¹(y_i), interpolated in y (barycentric) onto a fine uniform grid, and
 * the outer expectations are trapezoid sums with weights p₁(y)dy (the kink of |Δ_t| costs O(h²) there).
 *
 * The recursion f*_t(x) = E[f*_{t−1}(X_{t−1}) | x] is carried as η_t(y) = (f*_t − Φ_t)(Φ_t⁻¹(y)):
 * η_t(y_i) = Δ_t(x_i) + E[η_{t−1}(Φ_{t−1}(X_{t−1})) | x_i], η₁ = 0 — the inner points Φ_{t−1}(X_{t−1}) are the ones
 * Δ_t needs anyway. W_ideal = E|η_T(X₁)|.
 */
export function mixtureIdealised(mix: Mixture1d, schedule: LhwSchedule, coupling: Coupling, options: MixtureIdealisedOptions = {}): MixtureIdealisedErrors {
  const inner = gaussHermite(options.inner ?? 6);
  const N = options.nodes ?? 64;
  const dims = options.dims ?? [];
  const law1 = new MixtureLaw(marginal1d(mix, schedule, 1));
  const K = mix.w.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < K; k++) {
    lo = Math.min(lo, law1.mix.m[k]! - 9 * Math.sqrt(law1.mix.v[k]!));
    hi = Math.max(hi, law1.mix.m[k]! + 9 * Math.sqrt(law1.mix.v[k]!));
  }
  const nodes = chebyshevNodes(lo, hi, N);
  const fineY = Float64Array.from({ length: FINE }, (_, i) => lo + ((hi - lo) * i) / (FINE - 1));
  const fineW = normalised(fineY.map((y, i) => law1.density(y) * (i === 0 || i === FINE - 1 ? 0.5 : 1)));
  const coarse = Math.floor((FINE - 1) / 4) + 1;
  const coarseW = normalised(Float64Array.from({ length: coarse }, (_, i) => law1.density(fineY[4 * i]!) * (i === 0 || i === coarse - 1 ? 0.5 : 1)));
  const fineD = new Float64Array(FINE);
  const coarseD = new Float64Array(coarse);
  const needProducts = dims.some((d) => d > 1);

  let prev = law1;
  let eta: ChebyshevFunction = { a: lo, b: hi, nodes, values: new Float64Array(N) }; // η₁ = 0
  const stride = Math.max(1, Math.floor(options.stride ?? 1));
  const steps: number[] = [];
  for (let t = 2; t <= schedule.T; t += stride) steps.push(t);
  if (steps[steps.length - 1] !== schedule.T) steps.push(schedule.T);
  // per evaluated step: E|Δ_t|, (E Δ_t²)^{1/2} and E‖Δ_t‖ of each product
  const perStep = steps.map(() => ({ l1: 0, rms: 0, prod: new Map<number, number>() }));
  for (let si = 0; si < steps.length; si++) {
    const t = steps[si]!;
    options.onStep?.(t);
    if (stride > 1) prev = new MixtureLaw(marginal1d(mix, schedule, t - 1));
    const law = new MixtureLaw(marginal1d(mix, schedule, t));
    const { ax, a0, noise } = couplingCoefficients(schedule, coupling, t);
    const at = Math.sqrt(schedule.alphaBars[t]!);
    const scaled: Mixture1d = { w: mix.w, m: mix.m.map((m) => at * m), v: mix.v.map((v) => at * at * v) };
    const noiseVar = schedule.oneMinusAlphaBars[t]!;
    const delta = new Float64Array(N);
    const etaNext = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const x = transport(law1, law, nodes[i]!); // Φ_t⁻¹(y_i)
      // law of √ᾱ_t X₀ given X_t = x; X_{t−1} = ax·x + (a0/√ᾱ_t)·(√ᾱ_t X₀) + noise·ξ
      const post = posterior(scaled, x, noiseVar);
      let e = 0;
      let carried = 0;
      for (let j = 0; j < K; j++) {
        const r = post.w[j]!;
        if (!(r > 1e-17)) continue;
        const mean = ax * x + (a0 / at) * post.m[j]!;
        const sd = Math.sqrt(((a0 * a0) / (at * at)) * post.v[j]! + noise * noise);
        let inn = 0;
        let innEta = 0;
        for (let h = 0; h < inner.nodes.length; h++) {
          const z = mean + sd * inner.nodes[h]!;
          const image = t - 1 === 1 ? z : transport(prev, law1, z); // Φ_{t−1}(z)
          inn += inner.weights[h]! * image;
          if (t > 2 && stride === 1) innEta += inner.weights[h]! * evaluateChebyshev(eta, image);
        }
        e += r * inn;
        carried += r * innEta;
      }
      delta[i] = e - nodes[i]!; // Φ_t(x_i) = y_i up to the quantile tolerance
      etaNext[i] = delta[i]! + carried;
    }
    const deltaFn: ChebyshevFunction = { a: lo, b: hi, nodes, values: delta };
    for (let i = 0; i < FINE; i++) fineD[i] = evaluateChebyshev(deltaFn, fineY[i]!);
    let l1 = 0;
    let l2 = 0;
    for (let i = 0; i < FINE; i++) {
      l1 += fineW[i]! * Math.abs(fineD[i]!);
      l2 += fineW[i]! * fineD[i]! ** 2;
    }
    const record = perStep[si]!;
    record.l1 = l1;
    record.rms = Math.sqrt(l2);
    if (needProducts) for (let i = 0; i < coarse; i++) coarseD[i] = fineD[4 * i]!;
    if (needProducts) {
      const norms = iidMeanNorms(coarseW, coarseD, dims);
      dims.forEach((d, k) => record.prod.set(d, d === 1 ? l1 : norms[k]!));
    } else for (const d of dims) record.prod.set(d, l1);
    eta = { a: lo, b: hi, nodes, values: etaNext };
    prev = law;
  }
  const D = sumOverSteps(steps, perStep.map((r) => r.l1), schedule.T);
  const Drms = sumOverSteps(steps, perStep.map((r) => r.rms), schedule.T);
  const Dprod = new Map<number, number>(dims.map((d) => [d, sumOverSteps(steps, perStep.map((r) => r.prod.get(d)!), schedule.T)]));
  if (stride > 1) {
    const nan = new Map<number, number>(dims.map((d) => [d, Number.NaN]));
    return { D, Drms, W: Number.NaN, Wrms: Number.NaN, monotone: false, Dproduct: Dprod, Wproduct: nan };
  }
  let W = 0;
  let W2 = 0;
  let monotone = true;
  let last = -Infinity;
  for (let i = 0; i < FINE; i++) {
    const v = evaluateChebyshev(eta, fineY[i]!);
    fineD[i] = v;
    W += fineW[i]! * Math.abs(v);
    W2 += fineW[i]! * v * v;
    if (fineY[i]! + v <= last) monotone = false;
    last = fineY[i]! + v;
  }
  for (let i = 0; i < coarse; i++) coarseD[i] = fineD[4 * i]!;
  const wNorms = needProducts ? iidMeanNorms(coarseW, coarseD, dims) : [];
  const Wprod = new Map<number, number>(dims.map((d, k) => [d, d === 1 ? W : wNorms[k]!]));
  return { D, Drms, W, Wrms: Math.sqrt(W2), monotone, Dproduct: Dprod, Wproduct: Wprod };
}

/**
 * Σ_{t=2}^T v(t) from values at the evaluated steps (all of them when the steps are consecutive): the missing terms
 * by cubic Lagrange interpolation of log v through the four nearest evaluated steps.
 */
function sumOverSteps(steps: readonly number[], values: readonly number[], T: number): number {
  if (steps.length === T - 1) return values.reduce((a, b) => a + b, 0);
  const logs = values.map((v) => Math.log(Math.max(v, 1e-300)));
  let total = 0;
  let j = 0;
  for (let t = 2; t <= T; t++) {
    while (j + 1 < steps.length && steps[j + 1]! <= t) j++;
    if (steps[j] === t) {
      total += values[j]!;
      continue;
    }
    const first = Math.max(0, Math.min(steps.length - 4, j - 1));
    let lv = 0;
    for (let a = first; a < first + 4; a++) {
      let w = 1;
      for (let b = first; b < first + 4; b++) if (b !== a) w *= (t - steps[b]!) / (steps[a]! - steps[b]!);
      lv += w * logs[a]!;
    }
    total += Math.exp(lv);
  }
  return total;
}

function normalised(w: Float64Array): Float64Array {
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/**
 * A witnessed lower bound on L_f = max_{k<t} sup_x Φ′_{t→k}(x) for a 1-D mixture (Assumption 1): 1-D flows map the
 * u-quantile of p_t to the u-quantile of p_k, so Φ′_{t→k}(Q_t(u)) = p_t(Q_t(u))/p_k(Q_k(u)); the maximum runs over
 * all pairs of ~`steps` geometrically spaced steps (always including 1 and T) and quantile levels u = Φ_N(z),
 * z ∈ [−6, 6] in steps of 0.025 (z = 0, the median, included). Returns the value and the maximising pair and level.
 */
export function mixtureLipschitz(mix: Mixture1d, schedule: LhwSchedule, steps = 48): { value: number; t: number; k: number; z: number } {
  const T = schedule.T;
  const grid = new Set<number>([1, T]);
  for (let i = 0; i < steps; i++) grid.add(Math.max(1, Math.min(T, Math.round(Math.exp((Math.log(T) * i) / (steps - 1))))));
  const ts = [...grid].sort((a, b) => a - b);
  const zs: number[] = [];
  for (let i = -240; i <= 240; i++) zs.push(i * 0.025);
  const dq = ts.map((t) => {
    const law = new MixtureLaw(marginal1d(mix, schedule, t));
    return zs.map((z) => {
      const x = z <= 0 ? law.quantile(normalCdf(z), true) : law.quantile(normalSurvival(z), false);
      return law.density(x);
    });
  });
  let best = { value: 0, t: T, k: 1, z: 0 };
  for (let a = 0; a < ts.length; a++) {
    for (let b = a + 1; b < ts.length; b++) {
      for (let i = 0; i < zs.length; i++) {
        const r = dq[b]![i]! / dq[a]![i]!;
        if (r > best.value) best = { value: r, t: ts[b]!, k: ts[a]!, z: zs[i]! };
      }
    }
  }
  return best;
}

/**
 * The idealised discretisation error of Li–Huang–Wei consistency training for 1-D Gaussian mixtures (and products of
 * d i.i.d. copies): D_T = Σ_{t=2}^T E|Δ_t(X_t)| with Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x) (THEORY §1.10),
 * the idealised output error W_ideal = E|f*_T(X_T) − Φ_T(X_T)| of the recursion f*_t = E[f*_{t−1}(X_{t−1}) | X_t],
 * f*_1 = id, and a witnessed lower bound on L_f. Everything is carried in the coordinate y = Φ_t(x) ~ X₁, where the
 * steep part of a mixture's flow is spread out; the exact flows are quantile maps (`Mixture1dLaw`). Validated against
 * the Gaussian closed form (one component) and an independent brute-force x-grid computation
 * (test/unit/lhw/mixtureIdealisedReference.spec.ts).
 */
import { ValidationError } from '../core/errors.ts';
import { pointBatch } from '../core/pointBatch.ts';
import { Mixture1dLaw, quantileTransport1d, posterior, type Mixture1d } from '../distributions/mixture1d.ts';
import { normalCdf, normalSurvival } from '../numerics/normalDistribution.ts';
import { chebyshevNodes, evaluateChebyshev, type ChebyshevFunction } from '../numerics/chebyshev.ts';
import { gaussHermite } from '../numerics/gaussHermite.ts';
import { iidMeanNorms } from '../numerics/meanNorm.ts';
import type { LhwSchedule } from '../processes/lhwSchedule.ts';
import { couplingCoefficients, type ConsistencySequence, type Coupling } from './ctRecursion.ts';

/** The law of X_t = √ᾱ_t X₀ + √(1−ᾱ_t) Z for a 1-D mixture X₀ (variances a²v + (1 − ᾱ_t), without a square root). */
export function lhwMarginal1d(mix: Mixture1d, schedule: LhwSchedule, t: number): Mixture1d {
  const a = Math.sqrt(schedule.alphaBars[t]!);
  const s2 = schedule.oneMinusAlphaBars[t]!;
  return { w: mix.w, m: mix.m.map((m) => a * m), v: mix.v.map((v) => a * a * v + s2) };
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
  /** η_T(y) = (f*_T − Φ_T)(Φ_T⁻¹(y)) on the Chebyshev–Lobatto grid in y (undefined when `stride` > 1: no recursion). */
  readonly outputCorrection: ChebyshevFunction | undefined;
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
  validateMixture(mix);
  const inner = gaussHermite(options.inner ?? 6);
  const N = options.nodes ?? 64;
  const dims = options.dims ?? [];
  const law1 = new Mixture1dLaw(lhwMarginal1d(mix, schedule, 1));
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
    if (stride > 1) prev = new Mixture1dLaw(lhwMarginal1d(mix, schedule, t - 1));
    const law = new Mixture1dLaw(lhwMarginal1d(mix, schedule, t));
    const { ax, a0, noise } = couplingCoefficients(schedule, coupling, t);
    const at = Math.sqrt(schedule.alphaBars[t]!);
    const scaled: Mixture1d = { w: mix.w, m: mix.m.map((m) => at * m), v: mix.v.map((v) => at * at * v) };
    const noiseVar = schedule.oneMinusAlphaBars[t]!;
    const delta = new Float64Array(N);
    const etaNext = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const x = quantileTransport1d(law1, law, nodes[i]!); // Φ_t⁻¹(y_i)
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
          const image = t - 1 === 1 ? z : quantileTransport1d(prev, law1, z); // Φ_{t−1}(z)
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
    return { D, Drms, W: Number.NaN, Wrms: Number.NaN, monotone: false, Dproduct: Dprod, Wproduct: nan, outputCorrection: undefined };
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
  return { D, Drms, W, Wrms: Math.sqrt(W2), monotone, Dproduct: Dprod, Wproduct: Wprod, outputCorrection: eta };
}

/**
 * The output map f*_T(x) = Φ_T(x) + η_T(Φ_T(x)) of {@link mixtureIdealised} as a sequence that can be evaluated at
 * t = T (and t = 1, the identity) only: enough for Theorem 1's W₁ bounds with a declared training error.
 */
export function idealisedOutputSequence(mix: Mixture1d, schedule: LhwSchedule, errors: MixtureIdealisedErrors, label: string): ConsistencySequence {
  const correction = errors.outputCorrection;
  if (!correction) throw new ValidationError('E_UNSUPPORTED', 'the output map needs the full recursion (stride 1)', 'errors');
  const T = schedule.T;
  const lawT = new Mixture1dLaw(lhwMarginal1d(mix, schedule, T));
  const law1 = new Mixture1dLaw(lhwMarginal1d(mix, schedule, 1));
  return {
    label,
    T,
    evaluate(t, x) {
      if (t === 1) return pointBatch(x.n, x.d, Float64Array.from(x.data));
      if (t !== T) throw new ValidationError('E_UNSUPPORTED', `only f_T (t = ${T}) and f_1 are available from the idealised recursion, asked for t = ${t}`, 't');
      if (x.d !== 1) throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the mixture is 1-D`, 'x');
      return pointBatch(
        x.n,
        1,
        x.data.map((v) => {
          const y = quantileTransport1d(lawT, law1, v);
          return y + evaluateChebyshev(correction, y);
        }),
      );
    },
  };
}

/** A 1-D mixture's fields, checked at the boundary: equal lengths, positive weights and variances, finite means. */
function validateMixture(mix: Mixture1d): void {
  const K = mix.w.length;
  if (K === 0 || mix.m.length !== K || mix.v.length !== K) throw new ValidationError('E_DIMENSION', `needs as many means and variances as weights (${K}), got ${mix.m.length} and ${mix.v.length}`, 'mix');
  mix.w.forEach((w, k) => {
    if (!(w > 0)) throw new ValidationError('E_WEIGHTS', `weight ${k} must be positive, got ${w}`, 'mix.w');
    if (!Number.isFinite(mix.m[k]!)) throw new ValidationError('E_NON_FINITE', `mean ${k} must be finite, got ${mix.m[k]}`, 'mix.m');
    if (!(mix.v[k]! > 0) || !Number.isFinite(mix.v[k]!)) throw new ValidationError('E_INVALID_INPUT', `variance ${k} must be positive and finite, got ${mix.v[k]}`, 'mix.v');
  });
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

/** A lower bound on L_f with the pair of steps and the level where it is attained. */
export interface MixtureFlowLipschitzWitness {
  /** max of Φ′_{t→k} over the examined pairs and levels: a lower bound on L_f. */
  readonly value: number;
  /** The later step of the maximising pair. */
  readonly t: number;
  /** The earlier step of the maximising pair. */
  readonly k: number;
  /** The quantile level u = Φ_N(z) of the maximum, as z. */
  readonly z: number;
}

/**
 * A witnessed lower bound on L_f = max_{k<t} sup_x Φ′_{t→k}(x) for a 1-D mixture (Assumption 1): 1-D flows map the
 * u-quantile of p_t to the u-quantile of p_k, so Φ′_{t→k}(Q_t(u)) = p_t(Q_t(u))/p_k(Q_k(u)); the maximum runs over
 * all pairs of ~`steps` geometrically spaced steps (always including 1 and T) and quantile levels u = Φ_N(z),
 * z ∈ [−6, 6] in steps of 0.025 (z = 0, the median, included). Returns the value and the maximising pair and level.
 */
export function mixtureFlowLipschitzLowerBound(mix: Mixture1d, schedule: LhwSchedule, steps = 48): MixtureFlowLipschitzWitness {
  validateMixture(mix);
  const T = schedule.T;
  const grid = new Set<number>([1, T]);
  for (let i = 0; i < steps; i++) grid.add(Math.max(1, Math.min(T, Math.round(Math.exp((Math.log(T) * i) / (steps - 1))))));
  const ts = [...grid].sort((a, b) => a - b);
  const zs: number[] = [];
  for (let i = -240; i <= 240; i++) zs.push(i * 0.025);
  const dq = ts.map((t) => {
    const law = new Mixture1dLaw(lhwMarginal1d(mix, schedule, t));
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

/**
 * # Theorem 2 (Song et al. 2023): consistency training approximates distillation, L_CD = L_CT + o(Δt)
 *
 * ## Claim
 * With the squared ℓ₂ metric, λ ≡ 1, the Euler solver and the exact score, for a fixed student f_θ and teacher f_{θ⁻}
 * with bounded second derivatives: L^N_CD(θ, θ⁻; φ) = L^N_CT(θ, θ⁻) + o(Δt), Δt = max_n |t_{n+1} − t_n|.
 * [S: report, THEORY §3.6] Derived refinements [D, THEORY §5.4]: the CT pair's conditional mean is the Euler point,
 * and for an affine teacher x ↦ Kx + b the offset is exactly h²·E tr(K Cov(z|y) Kᵀ) per interval — O(Δt²), which is
 * o(Δt) but *not* small relative to L_CD itself (Issenhuth et al. 2024). The independent coupling has an O(1) offset.
 *
 * ## Check design
 * Student f = f*(·, t_{n+1}) and teacher g = f*(·, t_n) (θ = θ⁻ = the exact consistency function), VE, Karras grids.
 * Per interval: L_CD,n = E(f(y) − g(x̄))² with the Euler point x̄ = y + h t_{n+1}∇log p(y), L_CT,n = E(f(y) − g(X_{t_n}))²;
 * the losses average over n ~ U{1, …, N−1}.
 * - Single Gaussian: per eigen-direction closed forms (affine f, g): offset K²λh²/(λ + t²) for shared noise; for the
 *   independent coupling the conditional mean gain λ/(λ + t²) and variance λ + t_n² − λ²/(λ + t²); N = 8 … 512.
 * - 1-D mixtures: E over y ~ p_{t_{n+1}} and over X_{t_n} | y by 10-node Gauss–Hermite per component (posterior
 *   components in closed form, f*, g by quantile maps; the losses agree with 20 nodes to ≈ 3%, the fitted order to
 *   0.01); N = 8 … 64.
 * Rate test on the deterministic sequence: the slope of log(|L_CT − L_CD|/Δt) against log(1/Δt) (OLS value, range
 * of the local slopes over the three finest refinements); `holds` iff all ≤ −0.5 (the ratio vanishes at least like
 * Δt^{0.5}; expected −1), `violated` iff all ≥ 0 (the ratio does not vanish: not o(Δt); expected +1 for an O(1)
 * offset), else `inconclusive`. L_CD and L_CT are reported side by side.
 * The student can differ from the teacher: f_θ = (1 + κ)·f*, f_θ⁻ = f* (`studentGainError` κ). Then L_CD = O(κ²) is
 * not small and L_CT − L_CD = E(g(x̄) − g(X_{t_n}))² + 2E[(f − g(x̄))(g(x̄) − g(X_{t_n}))] has a cross term that vanishes
 * only for f = g(x̄) or an affine teacher (E[g(X_{t_n}) | y] = g(x̄)): with a mixture's nonlinear f* it is O(κh²).
 *
 * ## Controls
 * holds: `gaussianSharedNoise` (aniso-gaussian-2d: offset ∝ Δt^2.0 while L_CD ∝ Δt⁴ — the offset dominates),
 * `mixturePerturbedStudent` (the mild mixture below with the student 1.2·f*: L_CD = 0.034, order 2.2, cross term ≠ 0),
 * `gaussianDecorrelatedNearHolds` (a pair with 1 − c = (h/t)^1.75: slope ≈ −0.71, just below −0.5),
 * `mixtureSharedNoise` (0.3N(−1, ½) + 0.7N(½, 0.3) on VE with T = 2: order 2.2; the well-separated bimodal-1d is
 * still pre-asymptotic at N = 64 — its teacher has g″ ~ e^{m²/2v} — and is not used). violated: `gaussianIndependentCoupling` (x + t_n z′, x + t_{n+1} z:
 * offset → 4.48, THEORY §6.3 CM-THM2), `gaussianDecorrelatedNearViolated` (1 − c = (h/t)^0.85: |ΔL| ∝ Δt^0.85, slope ≈ +0.15,
 * just above 0). The decorrelated pairs are outside Theorem 2 (it is stated for the shared-noise pair); they exercise
 * the rate decision next to both of its thresholds and refute nothing about the theorem.
 *
 * ## References
 * [song2023] Theorem 2, Eq. (10); Issenhuth et al. 2024 (arXiv 2406.09570); THEORY §3.6, §5.4, §6.3 CM-THM2.
 */
import {
  builtInTarget,
  decideSlope,
  defineCheck,
  EvidenceBuilder,
  exactEstimate,
  type ExactTarget,
  formatNumber,
  type ForwardProcess,
  gaussHermite,
  GaussianMixture,
  isSingleGaussian,
  karrasTimes,
  localSlopeEstimate,
  type Mixture1d,
  mixture1d,
  mixtureMean,
  noisedMixture1d,
  numericalEstimate,
  posterior,
  referenceFlow,
  ValidationError,
  varianceExploding,
} from '../../src/index.ts';

/**
 * The CT pair: shared noise (Eq. 10), an independent second noise, or a partly decorrelated one — the second noise is
 * cz + √(1 − c²)ξ with 1 − c = (h/t_{n+1})^exponent, a pair outside Theorem 2 whose offset is O(Δt^exponent), used to
 * exercise the rate decision on both sides of its threshold.
 */
export type Theorem2Coupling = 'shared-noise' | 'independent' | { readonly kind: 'decorrelated'; readonly exponent: number };

export interface Theorem2Subject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  /** @defaultValue 'shared-noise' */
  readonly coupling?: Theorem2Coupling;
  /**
   * The student is f_θ = (1 + studentGainError)·f* and the teacher f_θ⁻ = f* (θ ≠ θ⁻; both have bounded second
   * derivatives, as Theorem 2 assumes). 0 gives f = g = f*, where L_CD ≈ 0 and the cross term of L_CT − L_CD vanishes.
   * @defaultValue 0
   */
  readonly studentGainError?: number;
  /** @defaultValue [8, 16, …, 512] (Gaussian) or [8, 16, 32, 64] (mixtures) */
  readonly gridSizes?: readonly number[];
}

/** `holds` when |ΔL|/Δt falls at least like Δt^{0.5} (slope ≤ −0.5; expected −1 for the O(Δt²) offset). */
const MAX_RATIO_SLOPE = -0.5;
/** `violated` when |ΔL|/Δt does not fall at all over the finest refinements (slope ≥ 0: not o(Δt); +1 for an O(1) offset). */
const MIN_NOT_VANISHING_SLOPE = 0;
const NODES = 10;
/**
 * Relative error of the mixture losses from NODES-node Gauss–Hermite (20 nodes agree to ≈ 3%), tested against a Monte
 * Carlo simulation of the pairs (test/theorems/song2023/theorem2.spec.ts).
 */
export const MIXTURE_LOSS_RTOL = 0.03;

/** Correlation c of the two noises of the pair on the interval [s, t] (1: shared, 0: independent). */
function noiseCorrelation(coupling: Theorem2Coupling, s: number, t: number): number {
  if (coupling === 'shared-noise') return 1;
  if (coupling === 'independent') return 0;
  return 1 - ((t - s) / t) ** coupling.exponent;
}

/**
 * Per-interval (L_CD,n, L_CT,n) for a centred single Gaussian, summed over eigen-directions λ: the student is
 * F′y with F′ = (1 + κ)·√((λ + ε²)/(λ + t²)), the teacher Kx with K = √((λ + ε²)/(λ + s²)); the Euler point is E·y with
 * E = (λ + st)/(λ + t²), and Cov(y, X_s) = λ + st·c, so L_CD = (F′ − KE)²(λ + t²) and
 * L_CT = F′²(λ + t²) + K²(λ + s²) − 2F′K(λ + st·c).
 */
function gaussianInterval(lambdas: Float64Array, eps: number, s: number, t: number, c: number, gainError: number): [number, number] {
  let cd = 0;
  let ct = 0;
  for (const l of lambdas) {
    const F = (1 + gainError) * Math.sqrt((l + eps * eps) / (l + t * t));
    const K = Math.sqrt((l + eps * eps) / (l + s * s));
    const E = (l + s * t) / (l + t * t);
    cd += (F - K * E) ** 2 * (l + t * t);
    ct += F * F * (l + t * t) + K * K * (l + s * s) - 2 * F * K * (l + s * t * c);
  }
  return [cd, ct];
}

export const theorem2CtApproximatesCd = defineCheck<Theorem2Subject>({
  id: 'song2023.theorem2',
  kind: 'theorem',
  title: 'L_CD = L_CT + o(Δt) (Euler solver, exact score)',
  claim:
    'For squared ℓ₂, λ ≡ 1, Euler and s_φ = ∇log p_t: L^N_CD(θ, θ⁻; φ) = L^N_CT(θ, θ⁻) + o(Δt) (stated in the source). Derived: for an affine teacher the ' +
    'difference is exactly h²·E tr(K Cov(z|y)Kᵀ) per interval, O(Δt²) — o(Δt) yet larger than L_CD near the optimum; the independent coupling has an O(1) offset.',
  source: { paper: 'song2023', label: 'Theorem 2' },
  dependsOn: ['lyu2023.scoreLipschitz', 'note.coupling'],
  constants: [
    { symbol: 'slope(|ΔL|/Δt)', meaning: 'slope of log(|L_CT − L_CD|/Δt) against log(1/Δt); < 0 when the difference is o(Δt)', role: 'estimated' },
    { symbol: 'order(ΔL)', meaning: 'fitted order of |L_CT − L_CD| in Δt', role: 'estimated' },
    { symbol: 'L_CD', meaning: 'L^N_CD at the finest grid', role: 'estimated' },
    { symbol: 'L_CT', meaning: 'L^N_CT at the finest grid', role: 'estimated' },
  ],
  subject: 'model',
  design: { estimand: 'the CT − CD loss difference along a grid-size sweep', decision: 'slope', falseFailRate: 1e-3 },
  controls: [
    { name: 'gaussianSharedNoise', description: 'aniso-gaussian-2d, f = g = f*, shared noise (closed form)', expected: 'holds', build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding() }) },
    {
      name: 'mixtureSharedNoise',
      description: '0.3N(−1, ½) + 0.7N(½, 0.3) on VE(ε = 0.002, T = 2), f = g = f*, shared noise (Gauss–Hermite)',
      expected: 'holds',
      build: () => ({ target: new GaussianMixture([0.3, 0.7], [[-1], [0.5]], [[0.5], [0.3]], { name: 'mild-skewed-1d' }), process: varianceExploding({ tMax: 2 }) }),
    },
    {
      name: 'mixturePerturbedStudent',
      description: '0.3N(−1, ½) + 0.7N(½, 0.3) on VE(ε = 0.002, T = 2), student 1.2·f*, teacher f*, shared noise: L_CD = O(1), the cross term enters',
      expected: 'holds',
      build: () => ({ target: new GaussianMixture([0.3, 0.7], [[-1], [0.5]], [[0.5], [0.3]], { name: 'mild-skewed-1d' }), process: varianceExploding({ tMax: 2 }), studentGainError: 0.2 }),
    },
    {
      name: 'gaussianDecorrelatedNearHolds',
      description: 'aniso-gaussian-2d, second noise decorrelated by 1 − c = (h/t)^1.75 (outside the theorem): slope ≈ −0.71, next to −0.5',
      expected: 'holds',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling: { kind: 'decorrelated' as const, exponent: 1.75 } }),
    },
    {
      name: 'gaussianDecorrelatedNearViolated',
      description: 'aniso-gaussian-2d, second noise decorrelated by 1 − c = (h/t)^0.85 (outside the theorem): |ΔL| ∝ Δt^0.85, slope ≈ +0.15, next to 0',
      expected: 'violated',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling: { kind: 'decorrelated' as const, exponent: 0.85 } }),
    },
    {
      name: 'gaussianIndependentCoupling',
      description: 'aniso-gaussian-2d with the pair (x + t_n z′, x + t_{n+1} z), z′ independent: O(1) offset',
      expected: 'violated',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling: 'independent' as const }),
    },
  ],
  // This run is longer than the ~80 lines a statement aims for: the losses are computed per grid size in two ways: per
  // eigen-direction closed forms for a Gaussian, and nested Gauss–Hermite quadrature (outer over y ~ p_t, inner over
  // X_s | y) through the reference flow for a 1-D mixture.
  async run(subject, ctx) {
    const { target, process } = subject;
    if (process.kind !== 've') throw new ValidationError('E_UNSUPPORTED', `Theorem 2 is checked on VE; got ${process.kind}`, 'process');
    const coupling = subject.coupling ?? 'shared-noise';
    const gainError = subject.studentGainError ?? 0;
    if (!Number.isFinite(gainError)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${gainError}`, 'studentGainError');
    if (typeof coupling === 'object' && !(coupling.exponent > 0 && Number.isFinite(coupling.exponent))) {
      throw new ValidationError('E_INVALID_INPUT', `must be a finite number > 0, got ${coupling.exponent}`, 'coupling.exponent');
    }
    const couplingLabel = typeof coupling === 'string' ? coupling : `decorrelated (1 − c = (h/t)^${coupling.exponent})`;
    const closed = isSingleGaussian(target);
    const sizes = subject.gridSizes ?? (closed ? [8, 16, 32, 64, 128, 256, 512] : [8, 16, 32, 64]);
    const eps = process.tMin;
    const meanNorm2 = target.mean().reduce((acc, v) => acc + v * v, 0);
    const rule = gaussHermite(NODES);
    const flow = closed ? undefined : referenceFlow(target, process);
    const mix: Mixture1d | undefined = closed ? undefined : mixture1d(target);
    const dts: number[] = [];
    const cds: number[] = [];
    const cts: number[] = [];
    for (const N of sizes) {
      ctx.checkBudget();
      const times = karrasTimes(N, { tMin: eps, tMax: process.tMax });
      let dt = 0;
      let cd = 0;
      let ct = 0;
      for (let n = 1; n < N; n++) {
        const s = times[n - 1]!;
        const t = times[n]!;
        dt = Math.max(dt, t - s);
        if (closed) {
          const [a, b] = gaussianInterval(target.eigen[0]!.values, eps, s, t, noiseCorrelation(coupling, s, t), gainError);
          // a non-centred target: the student's gain error adds the constant κμ to f − g in both losses
          cd += a + gainError * gainError * meanNorm2;
          ct += b + gainError * gainError * meanNorm2;
          continue;
        }
        // 1-D mixture: outer Gauss–Hermite over y ~ p_t, inner over X_s | y.
        const pT = noisedMixture1d(mix!, 1, t);
        const ys: number[] = [];
        const wy: number[] = [];
        pT.w.forEach((w, k) => rule.nodes.forEach((z, j) => {
          ys.push(pT.m[k]! + Math.sqrt(pT.v[k]!) * z);
          wy.push(w * rule.weights[j]!);
        }));
        const fy = flow!.map({ n: ys.length, d: 1, data: Float64Array.from(ys) }, t, eps).y.data.map((v) => (1 + gainError) * v);
        const c = noiseCorrelation(coupling, s, t);
        const inner: number[] = [];
        const innerW: number[] = [];
        const xBars: number[] = [];
        for (const y of ys) {
          const post = posterior(mix!, y, t * t);
          xBars.push(y - ((t - s) / t) * (y - mixtureMean(post)));
          // X_s = x + s(cz + √(1 − c²)ξ) with z = (y − x)/t: x(1 − sc/t) + (sc/t)y + s√(1 − c²)ξ, x | y the posterior
          const shrink = 1 - (s * c) / t;
          const law = { w: post.w, m: post.m.map((m) => shrink * m + ((s * c) / t) * y), v: post.v.map((v) => shrink * shrink * v + s * s * (1 - c * c)) };
          law.w.forEach((w, k) => rule.nodes.forEach((z, j) => {
            inner.push(law.m[k]! + Math.sqrt(law.v[k]!) * z);
            innerW.push(w * rule.weights[j]!);
          }));
        }
        const gIn = flow!.map({ n: inner.length, d: 1, data: Float64Array.from(inner) }, s, eps).y.data;
        const gBar = flow!.map({ n: xBars.length, d: 1, data: Float64Array.from(xBars) }, s, eps).y.data;
        const per = inner.length / ys.length;
        ys.forEach((_, i) => {
          cd += wy[i]! * (fy[i]! - gBar[i]!) ** 2;
          let e = 0;
          for (let q = 0; q < per; q++) e += innerW[i * per + q]! * (fy[i]! - gIn[i * per + q]!) ** 2;
          ct += wy[i]! * e;
        });
      }
      dts.push(dt);
      cds.push(cd / (N - 1));
      cts.push(ct / (N - 1));
    }
    const diffs = cts.map((c, i) => Math.abs(c - cds[i]!));
    const slope = localSlopeEstimate(dts.map((h) => 1 / h), diffs.map((d, i) => d / dts[i]!));
    const order = localSlopeEstimate(dts, diffs);
    // A slope in (−0.5, 0) is a ratio that vanishes, but too slowly for this sweep to call it o(Δt) with confidence:
    // inconclusive (the old rule called it violated, though e.g. |ΔL| ∝ Δt^1.25 is o(Δt)).
    const rate = decideSlope(slope, MAX_RATIO_SLOPE);
    const decision =
      rate.verdict === 'holds'
        ? rate
        : slope.interval.lower >= MIN_NOT_VANISHING_SLOPE
          ? { verdict: 'violated' as const, reason: `The local slopes of log(|ΔL|/Δt) against log(1/Δt) lie in [${formatNumber(slope.interval.lower)}, ${formatNumber(slope.interval.upper)}], all ≥ ${MIN_NOT_VANISHING_SLOPE}: |L_CT − L_CD|/Δt does not vanish, so the difference is not o(Δt).` }
          : { verdict: 'inconclusive' as const, reason: `The local slopes of log(|ΔL|/Δt) against log(1/Δt) lie in [${formatNumber(slope.interval.lower)}, ${formatNumber(slope.interval.upper)}]: not all ≤ ${MAX_RATIO_SLOPE} (o(Δt) with a margin) and not all ≥ ${MIN_NOT_VANISHING_SLOPE} (not vanishing).` };
    const parts = new EvidenceBuilder('song2023.theorem2');
    const last = sizes.length - 1;
    parts.add('|L_CT − L_CD| = o(Δt)', decision.verdict, decision.reason, {
      description: `|L_CT − L_CD| = ${formatNumber(diffs[last]!)} at Δt = ${formatNumber(dts[last]!)} (N = ${sizes[last]}) does not vanish relative to Δt (order ${formatNumber(order.value)})`,
      time: dts[last]!,
      value: slope.value,
    });
    return parts.evidence(
      ctx.rng,
      {
        // closed forms for a Gaussian; Gauss–Hermite quadrature with a tested relative error for mixtures
        estimates: {
          'slope(|ΔL|/Δt)': slope,
          'order(ΔL)': order,
          L_CD: closed ? exactEstimate(cds[last]!) : numericalEstimate(cds[last]!, MIXTURE_LOSS_RTOL * cds[last]!),
          L_CT: closed ? exactEstimate(cts[last]!) : numericalEstimate(cts[last]!, MIXTURE_LOSS_RTOL * cts[last]!),
        },
        thresholds: [
          { symbol: 'slope(|ΔL|/Δt) (holds iff all local slopes ≤)', value: MAX_RATIO_SLOPE, side: 'upper' },
          { symbol: 'slope(|ΔL|/Δt) (violated iff all local slopes ≥)', value: MIN_NOT_VANISHING_SLOPE, side: 'lower' },
        ],
        diagnostics: [
          { kind: 'note', message: `L_CD = ${cds.map(formatNumber).join(', ')}; L_CT = ${cts.map(formatNumber).join(', ')} for N = ${sizes.join(', ')} (${closed ? 'closed form' : `${NODES}-node Gauss–Hermite, quantile-map f*`})` },
          { kind: 'note', message: 'the second half of Theorem 2 (L_CT ≥ O(Δt) when inf_N L_CD > 0) is not checked here' },
        ],
        plots: [{ id: 'theorem2', title: 'L_CT − L_CD and L_CD against Δt', mark: 'line', x: { label: 'Δt', scale: 'log' }, y: { label: 'loss', scale: 'log' }, series: [{ name: '|L_CT − L_CD|', x: dts, y: diffs }, { name: 'L_CD', x: dts, y: cds.map((c) => Math.max(c, 1e-300)) }] }],
      },
      (v) =>
        `With the ${couplingLabel} pair${gainError !== 0 ? ` and the student (1 + ${gainError})·f*` : ', f = g = f*'}, |L_CT − L_CD| = ${formatNumber(diffs[last]!)} ∝ Δt^${formatNumber(order.value)} (N = ${sizes[0]}…${sizes[last]}) ${v === 'holds' ? 'is o(Δt) as Theorem 2 states' : v === 'violated' ? 'is not o(Δt)' : 'is undecided'}, while L_CD itself is ${formatNumber(cds[last]!)}${diffs[last]! > cds[last]! ? ' — the CT offset dominates the distillation loss near the optimum' : ''}.`,
    );
  },
});

/**
 * # Theorem 1 (Li–Huang–Wei): W₁ of consistency training after T steps
 *
 * ## Claim
 * Under schedule (23), bounded support (22) and Assumptions 1–2, with a universal constant C₁ > 0,
 * W₁(f_T(X_T), X₁) ≤ C₁·L_f³ d^{5/2} log⁵T/T + ε + ε_F (report Eq. (24)); hence T = Õ(L_f³d^{5/2}/(ε+ε_F)) steps give
 * W₁ ≤ 2(ε + ε_F) (25). Its constant-free skeleton [D] (THEORY §1.10, the master inequality) is
 * W₁(f_T(X_T), X₁) ≤ E‖ξ_T(X_T)‖ ≤ Σ_t E‖f_t − f*_t‖ + D_T, D_T := Σ_{t=2}^T E‖Δ_t(X_t)‖,
 * Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x) (the idealised discretisation error of CT).
 *
 * ## Check design
 * (a) Idealised discretisation (ε = ε_F = 0). Single Gaussian targets in closed form (THEORY §5.3): per direction,
 * Δ_t(X_t) ~ N(0, c₁/c_{t−1}·(e_t − √(c_{t−1}/c_t))²·c_t) with e_t the coupling's step gain (for CT,
 * e_t = cos Δφ_t·√(c_{t−1}/c_t)), and the idealised output error W_ideal(T) = E‖f*_T(X_T) − Φ_T(X_T)‖ from the product
 * of gains (E|·| in 1-D, RMS — an upper bound — for d > 1). For the LHW (CT) coupling Ĉ₁(T) = D_T·T/(L_f³d^{5/2}log⁵T)
 * with the exact L_f(T) of the Gaussian; for another coupling (a variant) W_ideal replaces D_T. 1-D mixtures: f*_T by
 * the recursion f_t = E[f_{t−1}(X_{t−1}) | X_t] in the quantile coordinate of p₁ on 97 Chebyshev points (Gauss–Hermite
 * over the exact posterior; `mixtureIdealised`, tested against the Gaussian closed form to 1e-4 and against a brute-force
 * grid recursion to 2e-4 on a steep mixture), W_ideal(T) by the trapezoid rule with quantile-map Φ_T,
 * used in place of D_T (W_ideal ≤ D_T), and L_f by the quantile-map lower bound on Φ′_{T→1}. Rate test over the
 * sweep: the OLS exponent of the idealised error in T, with its interval at level 1 − 2δ/m, against the OLS exponent
 * of the claimed rate L_f³d^{5/2}log⁵T/T over the same T (exact) — `holds` if the upper end is ≤ it, `violated` if the
 * lower end is above it (the error decays more slowly than the claim: no constant works for large T). On T ≤ 10⁴,
 * log⁵T/T is locally only about T^{−0.3} (T^{−0.37} on 1024…8192), so a finite sweep cannot tell a T^{−0.35} decay
 * from the claim; fitting the two exponents apart keeps the curvature of log⁵T out of the error's interval (the slope
 * of Ĉ₁ = error/rate, still reported, carries it, and left a T^{−0.2} decay inconclusive). Ĉ₁(T) is an empirical
 * constant, reported, never asserted; part (b) uses max Ĉ₁(T) over the CT sweep of the same target without part
 * (b)'s own T, so that the bound there is a prediction, not the sweep point itself. Optionally the exponents of D_T in d (isotropic Gaussians: exactly ½ with RMS norms) and in L_f (1-D
 * N(0, L²): ≈ 0.9) are fitted and reported beside the theorem's d^{5/2} and L_f³. (b) A sequence f_t on one schedule (trained or idealised): Ŵ^up = E‖f_T(X_T) − Φ_T(X_T)‖ (synchronous
 * coupling, X_T from the true forward marginal; CLT) and Ŵ^lo = |E‖f_T(X_T) − m‖ − E‖X₁ − m‖| (the 1-Lipschitz
 * spread functional, m = E X₁; CLT on independent streams). The theorem is `violated` if Ŵ^lo's lower end exceeds
 * Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own, and `holds` if Ŵ^up's upper end is below it, where ε_own is the sequence's own
 * training error: for LHW-CT ε̂_tot = Σ_t E‖f_t − f*_t‖ (f*_t = E[f_{t−1}(X_{t−1}) | X_t] by Gauss–Hermite over the
 * exact posterior, CLT per step, summed); for other objectives a declared value (0 for an exact minimiser). For
 * LHW-CT the master inequality Ŵ^up ≤ ε̂_tot + D_T is also tested: a significant violation is a harness bug (a part
 * that fails); otherwise it is reported as a diagnostic, since it is often nearly tight (Ŵ^up ≈ D_T when ε̂_tot = 0).
 *
 * (c) A trained model (`TrainedLhwSubject`): the model viewed as f_t on schedule (23) through the exact change of
 * clock (by default T = 1000 with c₀, c₁ fitted to its trained noise range; steps outside it make the verdict
 * inconclusive, never an extrapolation). W1_bound = ε̂_tot (or a declared ε + ε_F) + D̂_T, the constant-free skeleton
 * (not the calibrated Ĉ₁ form), against W1_measured = W₁(f_T(X_T), X₁) by exact assignment with the plug-in bias
 * bounded by same-law floors; `holds` if the measured upper end is below the bound's lower end, `violated` if the
 * measured lower end is above its upper end — the reason then says what is at fault (the declared ε when ε̂_tot
 * exceeds it; otherwise an estimate, since the skeleton is derived). tightness = W1_bound/W1_measured.
 *
 * ## Controls
 * holds: `idealisedCt` (N(0, ½) in 1-D, c₀ = 2, c₁ = 8, sweep T ∈ {256, …, 8192}; part (b) on the closed-form
 * idealised CT sequence at T = 1024, ε_own = ε̂_tot ≈ 0), `trainedAffineCt` (part (b) on the affine class trained by LHW
 * sequential least squares, 1024 samples per step: ε̂_tot ≈ 0.036 is 8× Ŵ^up ≈ 0.0046 ≈ D_T — the per-step
 * statistical errors largely cancel in the output, so the summed ε of (24) is loose for trained models). violated: `markovCollapse` (the Markov-coupled recursion,
 * exact minimiser of its own objective, ε_own = 0: f_T = E[X₁ | X_T] collapses to the mean, W₁ ≈ √(2/π)·sd(X₁) for
 * every T, so Ĉ₁(T) ∝ T/log⁵T grows and Ŵ^lo exceeds the calibrated bound). The same pair on a 1-D mixture through
 * the Chebyshev grid recursion: `mildBimodalCt` holds (½N(±1, ½): W_ideal = 0.0561, 0.0327, 0.0141 at T = 160, 320, 905)
 * and `mildBimodalMarkovCollapse` is violated in part (b) (the Markov recursion's f_T: W₁ ≈ 1 at every T).
 * The rate test near its threshold: `slowPartialMarkov` is violated (a partial-Markov coupling, weight 0.1·T^{−0.2}/log T,
 * on T = 1024…8192: W_ideal ∝ T^{−0.233} [−0.249, −0.217] vs the claim's T^{−0.370}) and `fastPartialMarkov` holds
 * (weight 0.1·T^{−0.6}/log T: T^{−0.751}). They meet the hypotheses as far as an error decaying at a chosen rate can:
 * schedule (23), Gaussian data, exact flows with L_f ≈ 1, the exact minimiser of their own objective; only the
 * coupling is not LHW's. The CT objective itself gives D_T ≈ T^{−0.85} here (every computable law we tried), so a
 * slower D_T needs another objective — which is what the rate test must be able to see. The same holds for the
 * Markov controls: they test the bound on a variant objective (outside the theorem's CT hypothesis), so they show the
 * check can fail and refute nothing about Li–Huang–Wei's theorem itself.
 *
 * (c), trained models: `trainedExactFlow` holds (f* of N(0, ½) on VE, T = 50: W₁ ≈ 0 below ε̂_tot + D_T = 2D_T ≈ 0.065),
 * `trainedOffsetUnderstatedEps` is violated (f* + 0.3 with declared ε + ε_F = 0.01: W₁ ≈ 0.3; ε̂_tot ≈ 0.33 shows the
 * declaration at fault).
 *
 * ## References
 * [li2024] Theorem 1, Eqs. (24)–(25) (report; the sciencestack summary agrees); THEORY §1.7, §1.10, §5.3, §6.1 LHW-T1.
 */
import {
  varianceExploding,
  compareWithBound,
  estimateTrainingErrorSum,
  exactModelAsTrained,
  idealisedDiscretisation,
  isTrainedLhwSubject,
  masterBound,
  measureOneStepW1,
  trainedLhwSubjectKey,
  viewTrainedChain,
  chainSumOptions,
  type Evidence,
  type TrainedLhwSubject,
  combineVerdicts,
  idealisedOutputSequence,
  mixture1d,
  mixtureFlowLipschitzLowerBound,
  mixtureIdealised,
  fitAffineSequential,
  lhwSequentialTrainingVariant,
  sequenceFromConsistencyFunction,
  conditionalExpectation,
  defineCheck,
  estimateLogLogSlope,
  estimateMeanByClt,
  exactEstimate,
  gaussian,
  gaussianIdealisedErrors,
  gaussianIdealisedSequence,
  gaussianLipschitz,
  GaussianMixture,
  levelForFalseFailRate,
  lhwSchedule,
  makeEvidence,
  provenanceOf,
  pValueAgainstBound,
  settingFlow,
  sumOfEstimates,
  ValidationError,
  type ConsistencySequence,
  type Coupling,
  type Diagnostic,
  type Estimate,
  type EvidencePart,
  type LhwSchedule,
  type PlotSpec,
  type PointBatch,
  type Verdict,
  type CheckContext,
  type Witness,
} from '../../src/index.ts';

/** The training error a sequence is charged with in the theorem's bound. */
export type OwnError =
  | { readonly kind: 'lhw-ct' }
  | { readonly kind: 'declared'; readonly value: number; readonly reason: string };

export interface Theorem1Subject {
  /** A single Gaussian (closed forms) or a 1-D Gaussian mixture (Chebyshev grid recursion, W_ideal in place of D_T). */
  readonly target: GaussianMixture;
  readonly c0: number;
  readonly c1: number;
  /** Sweep of T for part (a) (≥ 3 values, T > e⁵ so that T/log⁵T grows). */
  readonly Ts: readonly number[];
  /** The coupling of the idealised recursion in part (a): 'ct' (LHW) or a variant. */
  readonly coupling: Coupling;
  /**
   * Reported (not decided): exponents of D_T in d (isotropic N(0, ½I_d)) and in L_f (1-D N(0, L²), L_f ≈ L) at one T,
   * by OLS on log–log axes, beside the theorem's d^{5/2} and L_f³.
   */
  /** Chebyshev points of the mixture recursion. @defaultValue 97 */
  readonly chebyshevNodes?: number;
  readonly exponentSweeps?: { readonly T: number; readonly dims: readonly number[]; readonly lipschitz: readonly number[] };
  /** Part (b): a sequence on lhwSchedule({ T, c0, c1 }) and the error it is charged with. */
  readonly sequence?: { readonly build: (schedule: LhwSchedule) => ConsistencySequence; readonly T: number; readonly ownError: OwnError; readonly samples?: number };
}

export function subjectKey(subject: Theorem1Subject | TrainedLhwSubject): string {
  if (isTrainedLhwSubject(subject)) return trainedLhwSubjectKey(subject);
  const seq = subject.sequence;
  return JSON.stringify({
    target: subject.target.toSpec(),
    c0: subject.c0,
    c1: subject.c1,
    Ts: subject.Ts,
    coupling: subject.coupling,
    sequence: seq ? { label: seq.build(lhwSchedule({ T: seq.T, c0: subject.c0, c1: subject.c1 })).label, T: seq.T, ownError: seq.ownError, samples: seq.samples } : null,
  });
}

interface IdealisedErrors {
  /** D_T = Σ_t E‖Δ_t(X_t)‖. */
  readonly D: number;
  /** W_ideal = E‖f*_T(X_T) − Φ_T(X_T)‖. */
  readonly W: number;
  readonly Lf: number;
}

/** Closed-form D_T, W_ideal and L_f for a single Gaussian (exact mean norms in 1-D, RMS — an upper bound — for d > 1 or when asked). */
function idealisedErrors(target: GaussianMixture, schedule: LhwSchedule, coupling: Coupling, rms = false): IdealisedErrors {
  const lambdas = target.eigen[0]!.values;
  const { D, W } = gaussianIdealisedErrors(lambdas, schedule, coupling, rms || lambdas.length > 1 ? 'rms' : 'mean');
  return { D, W, Lf: gaussianLipschitz(target, schedule).value };
}

/** ½N(−1, ½) + ½N(1, ½): a mixture with a small L_f, in the regime where the rates are asymptotic at moderate T. */
function mildBimodal(): GaussianMixture {
  return new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]], { name: 'mild-bimodal-1d' });
}

/** T = 160·√2^k, k = 0..5: six points from 160 to 905 (T > e⁵ so that T/log⁵T grows). */
const MIXTURE_SWEEP: readonly number[] = Array.from({ length: 6 }, (_, k) => Math.round(160 * 2 ** (k / 2)));

/** T = 1024·√2^k, k = 0..6: a dense sweep where log⁵T/T is closest to its asymptotic T^{−1}. */
const HALF_OCTAVES_1024: readonly number[] = Array.from({ length: 7 }, (_, k) => Math.round(1024 * 2 ** (k / 2)));

/** σ²·I_d, row-major. */
function isotropic(d: number, variance: number): number[] {
  const out = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) out[i * d + i] = variance;
  return out;
}

function rate(Lf: number, d: number, T: number): number {
  return (Lf ** 3 * d ** 2.5 * Math.log(T) ** 5) / T;
}

function norms(a: PointBatch, b?: PointBatch, centre?: Float64Array): Float64Array {
  const out = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++) {
    let v = 0;
    for (let j = 0; j < a.d; j++) v += (a.data[i * a.d + j]! - (b ? b.data[i * a.d + j]! : centre![j]!)) ** 2;
    out[i] = Math.sqrt(v);
  }
  return out;
}

/** The difference of two independent CLT estimates, with SEs in quadrature (normal interval at `level`). */
function differenceOf(a: Estimate, b: Estimate, level: number): Estimate {
  // Stryker disable next-line UnaryOperator: sumOfEstimates combines the parts' standard errors (every estimate passed here is a CLT mean or a sum of them), not their intervals
  return sumOfEstimates([a, { ...b, value: -b.value, interval: { lower: -b.interval.upper, upper: -b.interval.lower, level: b.interval.level } }], { level });
}

/** What the statement's parts collect. */
interface Collected {
  readonly estimates: Record<string, Estimate>;
  readonly parts: EvidencePart[];
  readonly diagnostics: Diagnostic[];
}

/** Part (a) over the sweep, and the values part (b) and the plots need. */
interface SweepResult {
  readonly cHat: number[];
  readonly cHatCt: number[];
  readonly ideal: number[];
  readonly exponent: Estimate;
  readonly claimedExponent: number;
  readonly calibrated: number;
  readonly calibrationTs: number[];
}

/** Part (a): the idealised error over the sweep (the subject's coupling for the rate, CT for the calibration). */
function idealisedSweep(subject: Theorem1Subject, level: number, ctx: CheckContext, out: Collected): SweepResult {
  const { target, c0, c1, coupling } = subject;
  const { estimates, parts, diagnostics } = out;
  const single = target.components === 1;
  const d = target.dim;
  const Ts = [...subject.Ts];
  /** Idealised error, L_f and the CT calibration value at one T. */
  const idealisedAt = (schedule: LhwSchedule, c: Coupling): IdealisedErrors => {
    if (single) return idealisedErrors(target, schedule, c);
    const W = mixtureIdealised(mixture1d(target), schedule, c, { nodes: subject.chebyshevNodes ?? 97 }).W;
    // D_T is not computed for mixtures: W_ideal ≤ D_T stands in for it (a smaller Ĉ₁, the same test of the rate).
    return { D: W, W, Lf: mixtureFlowLipschitzLowerBound(mixture1d(target), schedule).value };
  };
  if (!single) {
    diagnostics.push({
      kind: 'note',
      message: `1-D mixture: f*_T by the Chebyshev grid recursion (${subject.chebyshevNodes ?? 97} points, Gauss–Hermite posteriors), W_ideal(T) = E|f*_T − Φ_T| in place of D_T (W_ideal ≤ D_T), and L_f from the quantile-map lower bound on $Φ′_{T→1}$`,
    });
  }

  // (a) idealised discretisation: the subject's coupling for the rate, CT for the calibration.
  const cHat: number[] = [];
  const cHatCt: number[] = [];
  const ideal: number[] = [];
  const rates: number[] = [];
  for (const T of Ts) {
    ctx.checkBudget();
    const schedule = lhwSchedule({ T, c0, c1 });
    const own = idealisedAt(schedule, coupling);
    const ct = coupling === 'ct' ? own : idealisedAt(schedule, 'ct');
    const value = coupling === 'ct' ? own.D : own.W;
    ideal.push(value);
    rates.push(rate(own.Lf, d, T));
    cHat.push(value / rate(own.Lf, d, T));
    cHatCt.push(ct.D / rate(ct.Lf, d, T));
    if (single) estimates[`D_T_${T}`] = exactEstimate(own.D);
    estimates[`W_ideal_${T}`] = exactEstimate(own.W);
    estimates[`C_1_hat_${T}`] = exactEstimate(cHat[cHat.length - 1]!);
    estimates[`L_f_${T}`] = exactEstimate(own.Lf);
  }
  const slope = estimateLogLogSlope(Ts, cHat, { level });
  estimates['slope_C_1'] = slope;
  // The rate test compares exponents: the idealised error's, fitted with its interval, against the claimed rate's,
  // L_f³d^{5/2}log⁵T/T fitted over the same T (exact values, no interval). On T ≤ 10⁴ log⁵T/T is locally only about
  // T^{−0.3}; fitting the two apart keeps the curvature of log⁵T out of the error's interval (it widened the interval
  // of the Ĉ₁ slope so much that a T^{−0.2} decay was inconclusive).
  const exponent = estimateLogLogSlope(Ts, ideal, { level });
  const claimedExponent = estimateLogLogSlope(Ts, rates).value;
  estimates['exponent_T'] = exponent;
  estimates['exponent_T_claimed'] = exactEstimate(claimedExponent);
  // Part (b) is calibrated on the CT sweep without its own T, so that it is a prediction, not the sweep point itself.
  const calibrationTs = Ts.filter((T) => T !== subject.sequence?.T);
  const calibrated = Math.max(...cHatCt.filter((_, i) => Ts[i] !== subject.sequence?.T));
  estimates['C_1_calibrated'] = exactEstimate(calibrated);
  const rateVerdict: Verdict = exponent.interval.lower > claimedExponent ? 'violated' : exponent.interval.upper <= claimedExponent ? 'holds' : 'inconclusive';
  const errorName = coupling === 'ct' && single ? 'D_T' : 'W_ideal';
  parts.push({
    name: '(a) rate of the idealised error',
    verdict: rateVerdict,
    reason:
      `${errorName} ∝ T^{${exponent.value.toFixed(3)}} [${exponent.interval.lower.toFixed(3)}, ${exponent.interval.upper.toFixed(3)}] over T ∈ [${Ts[0]}, ${Ts[Ts.length - 1]}] vs the claimed L_f³d^{5/2}log⁵T/T ∝ T^{${claimedExponent.toFixed(3)}} there ` +
      `(${rateVerdict === 'holds' ? 'decays at least as fast' : rateVerdict === 'violated' ? 'decays more slowly: no constant C₁ can work for large T' : 'undecided; a longer or denser sweep would narrow the interval'}); ` +
      `Ĉ₁(T) from ${cHat[0]!.toExponential(3)} to ${cHat[cHat.length - 1]!.toExponential(3)}, slope ${slope.value.toFixed(3)}`,
  });

  return { cHat, cHatCt, ideal, exponent, claimedExponent, calibrated, calibrationTs };
}

/** Reported beside the decision: the exponents of D_T in d and in L_f at one T (single Gaussians). */
function reportExponents(subject: Theorem1Subject, level: number, out: Collected): void {
  const { c0, c1 } = subject;
  const { estimates, diagnostics } = out;
  if (!subject.exponentSweeps || subject.target.components !== 1) return;
  const { T, dims, lipschitz } = subject.exponentSweeps;
  const schedule = lhwSchedule({ T, c0, c1 });
  // RMS norms throughout (also at d = 1) so that the d-exponent compares like with like
  const inD = dims.map((dd) => idealisedErrors(gaussian(new Array<number>(dd).fill(0), isotropic(dd, 0.5)), schedule, 'ct', true).D);
  const inL = lipschitz.map((L) => idealisedErrors(gaussian([0], [L * L]), schedule, 'ct'));
  const expD = estimateLogLogSlope(dims, inD, { level });
  const expL = estimateLogLogSlope(inL.map((e) => e.Lf), inL.map((e) => e.D), { level });
  estimates['exponent_d'] = expD;
  estimates['exponent_L_f'] = expL;
  diagnostics.push({
    kind: 'note',
    message: `at T = ${T}: D_T grows like d^{${expD.value.toFixed(2)}} (d ∈ {${dims.join(', ')}}, RMS norms) and L_f^{${expL.value.toFixed(2)}} (L_f ∈ [${inL[0]!.Lf.toFixed(2)}, ${inL[inL.length - 1]!.Lf.toFixed(2)}]); the theorem allows d^{5/2} and L_f³ (the authors leave their optimality open)`,
  });
}

/** Part (b): a sequence on one schedule against the bound calibrated in part (a); returns the witness of a violation. */
function sequenceBound(subject: Theorem1Subject, calibrated: number, level: number, ctx: CheckContext, out: Collected): Witness | undefined {
  const { target, c0, c1 } = subject;
  const { estimates, parts, diagnostics } = out;
  const single = target.components === 1;
  const d = target.dim;
  let witnessValue: Witness | undefined;
  const spec = subject.sequence!;
  const T = spec.T;
  const schedule = lhwSchedule({ T, c0, c1 });
  const setting = { target, schedule };
  const seq = spec.build(schedule);
  const n = Math.min(spec.samples ?? 4000, ctx.budget.maxSamples);
  const flow = settingFlow(setting);
  const marginalT = target.noised(Math.sqrt(schedule.alphaBars[T]!), Math.sqrt(schedule.oneMinusAlphaBars[T]!));
  const xT = marginalT.sample(n, ctx.rng.child('b/X_T'));
  const fT = seq.evaluate(T, xT);
  const PhiT = flow.map(xT, schedule.timeOfStep(T), schedule.timeOfStep(1)).y;
  const wUp = estimateMeanByClt(norms(fT, PhiT), { level });
  const m = Float64Array.from(target.mean(), (v) => Math.sqrt(schedule.alphaBars[1]!) * v);
  const spreadModel = estimateMeanByClt(norms(fT, undefined, m), { level });
  const x1 = target.noised(Math.sqrt(schedule.alphaBars[1]!), Math.sqrt(schedule.oneMinusAlphaBars[1]!)).sample(n, ctx.rng.child('b/X_1'));
  const spreadData = estimateMeanByClt(norms(x1, undefined, m), { level });
  const diff = differenceOf(spreadData, spreadModel, level);
  const wLoLower = Math.max(0, diff.interval.lower, -diff.interval.upper);
  const wLo: Estimate = { ...diff, value: Math.abs(diff.value), interval: { lower: wLoLower, upper: Math.abs(diff.value) + (diff.interval.upper - diff.value), level } };
  estimates['W_up'] = wUp;
  estimates['W_lo'] = wLo;

  let epsOwn: Estimate;
  let epsDescription: string;
  if (spec.ownError.kind === 'lhw-ct') {
    const perStep: Estimate[] = [];
    const inner = Math.max(2, Math.min(256, Math.floor(n / 8)));
    for (let t = 2; t <= T; t++) {
      // Stryker disable next-line ConditionalExpression: how often the budget is polled, not part of the decision
      if (t % 64 === 0) ctx.checkBudget();
      const mt = target.noised(Math.sqrt(schedule.alphaBars[t]!), Math.sqrt(schedule.oneMinusAlphaBars[t]!));
      const xt = mt.sample(inner, ctx.rng.child(`b/eps/t=${t}`));
      const ft = seq.evaluate(t, xt);
      const fStar = conditionalExpectation(setting, 'ct', t, xt, (y) => seq.evaluate(t - 1, y), 8);
      const e = norms(ft, fStar);
      let allZero = true;
      // Stryker disable next-line EqualityOperator: `>` vs `≥` differ only at a norm of exactly 1e-12, which has probability 0
      for (const v of e) if (v > 1e-12) allZero = false;
      perStep.push(allZero ? exactEstimate(0) : estimateMeanByClt(e, { level }));
    }
    epsOwn = sumOfEstimates(perStep, { level });
    epsDescription = `ε̂_tot = Σ_t E‖f_t − f*_t‖ over ${T - 1} steps (${inner} draws per step, Gauss–Hermite f*_t)`;
  } else {
    epsOwn = exactEstimate(spec.ownError.value);
    epsDescription = `declared ε_own = ${spec.ownError.value} (${spec.ownError.reason})`;
  }
  estimates['eps_own'] = epsOwn;
  const bLf = single ? gaussianLipschitz(target, schedule).value : mixtureFlowLipschitzLowerBound(mixture1d(target), schedule).value;
  const discretisation = calibrated * rate(bLf, d, T);
  estimates['bound_discretisation'] = exactEstimate(discretisation);
  const boundLower = discretisation + epsOwn.interval.lower;
  const boundUpper = discretisation + epsOwn.interval.upper;
  let theoremVerdict: Verdict;
  if (wLo.interval.lower > boundUpper) theoremVerdict = 'violated';
  else if (wUp.interval.upper <= boundLower) theoremVerdict = 'holds';
  else theoremVerdict = 'inconclusive';
  parts.push({
    name: '(b) theorem bound',
    verdict: theoremVerdict,
    reason: `T = ${T}, ${seq.label}: W₁ ∈ [${wLo.interval.lower.toExponential(3)}, ${wUp.interval.upper.toExponential(3)}] (Ŵ^lo lower end, Ŵ^up upper end) vs Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own = ${discretisation.toExponential(3)} + ${epsOwn.value.toExponential(3)}; ${epsDescription}`,
  });
  if (theoremVerdict === 'violated') {
    witnessValue = { description: `W₁(f_T(X_T), X₁) ≥ ${wLo.interval.lower.toExponential(3)} > Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own = ${(discretisation + epsOwn.value).toExponential(3)} at T = ${T}`, value: wLo.interval.lower, time: T };
  }
  const pTheorem = pValueAgainstBound(wLo, discretisation + epsOwn.value, 'upper');
  if (spec.ownError.kind === 'lhw-ct' && single) {
    const D = idealisedErrors(target, schedule, 'ct').D;
    estimates['D_T'] = exactEstimate(D);
    const slack = differenceOf(wUp, { ...epsOwn, value: epsOwn.value + D, interval: { lower: epsOwn.interval.lower + D, upper: epsOwn.interval.upper + D, level } }, level);
    estimates['master_gap'] = slack;
    // The master inequality is a derived fact, often nearly tight (for the idealised sequence Ŵ^up ≈ D_T): it is a
    // harness self-test that can only fail, reported as a part when significantly violated, else as a diagnostic.
    // Stryker disable next-line EqualityOperator: `>` vs `≥` differ only when the slack's lower end is exactly 0, which has probability 0
    if (slack.interval.lower > 0) {
      parts.push({ name: '(b) master inequality', verdict: 'violated', reason: `Ŵ^up − ε̂_tot − D_T ∈ [${slack.interval.lower.toExponential(3)}, ${slack.interval.upper.toExponential(3)}] > 0 — a harness bug: the inequality is derived` });
      diagnostics.push({ kind: 'numerical', message: 'the constant-free master inequality failed: check the coupling, the flows or the estimators' });
    } else {
      diagnostics.push({ kind: 'note', message: `master inequality consistent: Ŵ^up − ε̂_tot − D_T ∈ [${slack.interval.lower.toExponential(3)}, ${slack.interval.upper.toExponential(3)}] (no significant violation)` });
    }
  }
  diagnostics.push({ kind: 'monte-carlo-error', message: `part (b): ${n} draws for Ŵ^up, Ŵ^lo; intervals at level ${level}; one-sided p-value of the theorem bound ${pTheorem.toExponential(2)}` });
  return witnessValue;
}

/** Ĉ₁(T) and the idealised error against T. */
function plotsOf(subject: Theorem1Subject, sweep: SweepResult): PlotSpec[] {
  const { coupling } = subject;
  const Ts = [...subject.Ts];
  const { cHat, cHatCt, ideal } = sweep;
  const single = subject.target.components === 1;
  return [
    {
      id: 'c1-hat',
      title: 'Ĉ₁(T) = D_T·T/(L_f³d^{5/2}log⁵T) against T',
      mark: 'line',
      x: { label: 'T', scale: 'log' },
      y: { label: 'Ĉ₁(T)', scale: 'log' },
      series: [{ name: coupling === 'ct' ? 'CT (LHW)' : 'Markov-coupled (variant: W_ideal)', x: Ts, y: cHat }, ...(coupling === 'ct' ? [] : [{ name: 'CT calibration', x: Ts, y: cHatCt }])],
    },
    {
      id: 'idealised-error',
      title: 'Idealised error (D_T, or W_ideal for a variant) against T',
      mark: 'line',
      x: { label: 'T', scale: 'log' },
      y: { label: 'error', scale: 'log' },
      series: [{ name: coupling === 'ct' && single ? 'D_T' : 'W_ideal', x: Ts, y: ideal }],
    },
  ];
}

/**
 * Part (c), a trained model: the constant-free bound W₁ ≤ ε_tot + D_T (master inequality, THEORY §1.10) with ε_tot
 * the declared ε + ε_F or else the measured ε̂_tot, and D̂_T of the target, against the measured W₁ between the
 * model's one-step samples f_T(X_T) and X₁ (exact assignment, finite-sample bias bounded by same-law floors).
 */
function onTrainedModel(subject: TrainedLhwSubject, ctx: CheckContext): Evidence {
  const provenance = provenanceOf(ctx.rng);
  const view = viewTrainedChain(subject);
  if (!view.ok) {
    return makeEvidence('li2024.theorem1', provenance, { estimates: {}, reason: `Not evaluated: ${view.reason}.`, diagnostics: [{ kind: 'note', message: view.scheduleText }] }, { verdict: 'inconclusive' });
  }
  const level = levelForFalseFailRate(ctx.falseFailRate / 3);
  const options = chainSumOptions(subject, level, () => ctx.checkBudget());
  const cap = (n: number): number => Math.max(2, Math.min(n, ctx.budget.maxSamples));
  const training = { ...options.training, points: cap(options.training.points) };
  const idealisedOptions = { ...options.idealised, points: cap(options.idealised.points) };
  const eps = estimateTrainingErrorSum(view.setting, view.sequence, ctx.rng.child('eps'), training);
  const idealised = idealisedDiscretisation(view.setting, idealisedOptions, subject.flowTarget);
  const declared = subject.claimed.epsilonTotal;
  const bound = masterBound(declared ?? eps.estimate, idealised.estimate, level);
  // 1-D: the assignment is a sort, so a large sample is cheap
  const w1 = measureOneStepW1(view.setting, view.sequence, ctx.rng.child('w1'), { n: cap(subject.samples?.w1Points ?? (subject.target.dim === 1 ? 4096 : 256)), repetitions: subject.samples?.w1Repetitions ?? 8, level });
  const measured = w1.estimate;
  const { verdict, tightness } = compareWithBound(measured, bound);
  const boundText = `${declared === undefined ? 'ε̂_tot' : 'ε + ε_F'} + D̂_T = ${bound.value.toExponential(3)} [${bound.interval.lower.toExponential(3)}, ${bound.interval.upper.toExponential(3)}]`;
  const measuredText = `W₁(f_T(X_T), X₁) ∈ [${measured.interval.lower.toExponential(3)}, ${measured.interval.upper.toExponential(3)}]`;
  let reason: string;
  if (verdict === 'holds') reason = `${measuredText} is below the bound ${boundText}; tightness (bound/measured) ${tightness.value.toPrecision(3)}.`;
  else if (verdict === 'inconclusive') reason = `${measuredText} overlaps the bound ${boundText}.`;
  else if (declared !== undefined && eps.estimate.interval.lower > declared) {
    reason = `${measuredText} exceeds the bound ${boundText}. At fault: the declared constant — the model's own ε̂_tot ≥ ${eps.estimate.interval.lower.toExponential(3)} > ε + ε_F = ${declared}, so Assumption 2 fails at the declared value and the theorem is not refuted.`;
  } else if (declared !== undefined) {
    reason = `${measuredText} exceeds the bound ${boundText} although ε̂_tot = ${eps.estimate.value.toExponential(3)} [${eps.estimate.interval.lower.toExponential(3)}, ${eps.estimate.interval.upper.toExponential(3)}] does not significantly exceed the declared ε + ε_F = ${declared}. The master inequality is derived [D], so an estimate (D̂_T: quadrature over steep flows) or our [R] normalisation of (20a–b) is at fault before the theorem.`;
  } else {
    reason = `${measuredText} exceeds ε̂_tot + D̂_T = ${bound.value.toExponential(3)}: the master inequality is derived [D], so an estimate (ε̂_tot or D̂_T) or the harness is at fault, not the theorem.`;
  }
  const body = {
    estimates: {
      W1_bound: bound,
      W1_measured: measured,
      tightness,
      eps_tot: eps.estimate,
      D_T: idealised.estimate,
      ...(declared === undefined ? {} : { eps_declared: exactEstimate(declared) }),
    },
    thresholds: [{ symbol: 'W1_measured', value: bound.value, side: 'upper' as const }],
    reason,
    diagnostics: [
      // Stryker disable next-line StringLiteral: the wording of a note on which ε the bound used; the estimates and the verdict carry it
      { kind: 'note' as const, message: `bound: the constant-free skeleton of Theorem 1, W₁ ≤ ${declared === undefined ? 'ε̂_tot (measured)' : 'ε + ε_F (declared)'} + D_T (THEORY §1.10, not the calibrated Ĉ₁ form); ${view.scheduleText}` },
      { kind: 'note' as const, message: `ε̂_tot = Σ_t E‖f_t − f*_t‖ (L¹ form), f*_t = E[f_{t−1}(X_{t−1}) | X_t] given the learned f_{t−1} (${training.nodes}-point Gauss–Hermite over the exact posterior), ${training.points} draws per step, ${eps.exhaustive ? 'every step' : `${eps.steps.length} steps in ${training.strata} strata (stratified: unbiased, between-step variance in the interval)`}` },
      { kind: 'note' as const, message: `D̂_T: ${idealised.method}` },
      { kind: 'monte-carlo-error' as const, message: `W₁ by exact assignment of ${measured.n} f_T(X_T) against ${measured.n} fresh X₁ (X_T from the exact forward marginal), ${w1.cross.length} repetitions; the plug-in bias (mean target-vs-target W₁ ${(w1.targetFloor.reduce((a, b) => a + b, 0) / w1.targetFloor.length).toExponential(3)}) is subtracted from the lower end by the same-law floors and left in the upper end; intervals at level ${level.toPrecision(6)}` },
    ],
  };
  if (verdict === 'violated') {
    return makeEvidence('li2024.theorem1', provenance, body, { verdict, witness: { description: `W₁(f_T(X_T), X₁) ≥ ${measured.interval.lower.toExponential(3)} > ${boundText}`, value: measured.interval.lower, time: view.setting.schedule.T } });
  }
  return makeEvidence('li2024.theorem1', provenance, body, { verdict });
}

export const theorem1 = defineCheck<Theorem1Subject | TrainedLhwSubject>({
  id: 'li2024.theorem1',
  kind: 'theorem',
  title: 'Theorem 1: $W₁(f_T(X_T), X₁) ≤ C₁L_f³d^{5/2}\\log⁵T/T + ε + ε_F$',
  claim:
    '$W₁(f_T(X_T), X₁) ≤ C₁·L_f³ d^{5/2} \\log⁵T/T + ε + ε_F$ for a universal C₁ (report Eq. (24)); the constant-free skeleton ' +
    'W₁ ≤ Σ_t E‖f_t − f*_t‖ + D_T is derived. C₁ is estimated (Ĉ₁) and its rate tested, never asserted.',
  source: { paper: 'li2024', label: 'Theorem 1', equation: '(24), (25) report' },
  dependsOn: ['li2024.schedule', 'li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion'],
  constants: [
    { symbol: 'C_1_hat', meaning: 'Ĉ₁(T) = D_T·T/(L_f³d^{5/2}log⁵T) (W_ideal for a variant coupling), per T of the sweep', role: 'estimated' },
    { symbol: 'slope_C_1', meaning: 'log–log slope of Ĉ₁(T) against T (reported; the decision compares exponents)', role: 'estimated' },
    { symbol: 'C_1_calibrated', meaning: 'max_T Ĉ₁(T) on the CT sweep of the same target without part (b)’s T (the constant used in part (b))', role: 'estimated' },
    { symbol: 'exponent_T', meaning: 'OLS exponent of the idealised error (D_T, or W_ideal) in T over the sweep, with its interval', role: 'estimated' },
    { symbol: 'exponent_T_claimed', meaning: 'OLS exponent of the claimed rate L_f³d^{5/2}log⁵T/T over the same T (exact)', role: 'bound' },
    { symbol: 'D_T', meaning: 'idealised discretisation error Σ_t E‖Δ_t(X_t)‖ (exact, Gaussian)', role: 'estimated' },
    { symbol: 'W_up', meaning: 'E‖f_T(X_T) − Φ_T(X_T)‖, an upper bound on W₁ (part (b))', role: 'estimated' },
    { symbol: 'W_lo', meaning: '|E‖f_T(X_T) − m‖ − E‖X₁ − m‖|, a lower bound on W₁ (part (b))', role: 'estimated' },
    { symbol: 'eps_own', meaning: 'training error of the sequence (ε̂_tot for LHW-CT, declared otherwise)', role: 'estimated' },
    { symbol: 'L_f', meaning: 'exact Lipschitz constant of the Gaussian flows on each schedule', role: 'estimated' },
    { symbol: 'W1_bound', meaning: 'on a trained model: ε̂_tot (or the declared ε + ε_F) + D̂_T, the constant-free bound of the master inequality', role: 'bound' },
    { symbol: 'W1_measured', meaning: 'on a trained model: W₁(f_T(X_T), X₁) by exact assignment, the finite-sample bias bounded by same-law floors', role: 'estimated' },
    { symbol: 'tightness', meaning: 'on a trained model: W1_bound / W1_measured', role: 'estimated' },
    { symbol: 'eps_tot', meaning: 'on a trained model: ε̂_tot = Σ_t E‖f_t − f*_t‖ given the learned f_{t−1}', role: 'estimated' },
    { symbol: 'W_ideal_T', meaning: 'idealised output error E‖f*_T(X_T) − Φ_T(X_T)‖ at each T of the sweep (mixtures and variant couplings: in place of D_T)', role: 'estimated' },
    { symbol: 'bound_discretisation', meaning: 'part (b): Ĉ₁L_f³d^{5/2}log⁵T/T with the calibrated Ĉ₁ at part (b)’s T', role: 'bound' },
    { symbol: 'master_gap', meaning: 'part (b), LHW-CT on a Gaussian: Ŵ^up − (ε_own + D_T), the master inequality’s slack (≤ 0 expected)', role: 'estimated' },
    { symbol: 'eps_declared', meaning: 'on a trained model: the total training error ε + ε_F the subject declares, used in place of ε̂_tot', role: 'assumed' },
  ],
  subject: 'training-run',
  design: {
    estimand: 'the rate of Ĉ₁(T) over a sweep of T, and W₁ bounds of a sequence against the calibrated bound',
    decision: 'slope',
    falseFailRate: 1e-3,
  },
  controls: [
    {
      name: 'idealisedCt',
      description: 'N(0, ½), c₀ = 2, c₁ = 8, sweep T ∈ {256, …, 8192}, CT coupling; part (b): the idealised CT sequence at T = 1024',
      expected: 'holds',
      build: () => {
        const target = gaussian([0], [0.5]);
        return {
          target,
          c0: 2,
          c1: 8,
          Ts: [256, 512, 1024, 2048, 4096, 8192],
          coupling: 'ct' as const,
          exponentSweeps: { T: 1024, dims: [1, 2, 4, 8, 16], lipschitz: [1.5, 2, 4, 8] },
          sequence: { build: (schedule: LhwSchedule) => gaussianIdealisedSequence({ target, schedule }, 'ct'), T: 1024, ownError: { kind: 'lhw-ct' as const }, samples: 4000 },
        };
      },
    },
    {
      name: 'trainedAffineCt',
      description: 'N(0, ½), same sweep; part (b): the affine class trained by LHW sequential least squares (1024 samples per step) at T = 1024, ε_own = ε̂_tot',
      expected: 'holds',
      build: (rng) => {
        const target = gaussian([0], [0.5]);
        return {
          target,
          c0: 2,
          c1: 8,
          Ts: [256, 512, 1024, 2048, 4096, 8192],
          coupling: 'ct' as const,
          sequence: {
            build: (schedule: LhwSchedule) => {
              const model = fitAffineSequential(lhwSequentialTrainingVariant(schedule, { stepsPerStage: 1 }), target, schedule.process(), { samplesPerNode: 1024, rng });
              return sequenceFromConsistencyFunction({ id: 'affine least squares, 1024 samples per step', evaluate: (x, t) => model.evaluate(x, t) }, schedule);
            },
            T: 1024,
            ownError: { kind: 'lhw-ct' as const },
            samples: 4000,
          },
        };
      },
    },
    {
      name: 'mildBimodalCt',
      description: '½N(±1, ½) in 1-D, sweep T = 160·√2^k (k = 0..5, up to 905), CT coupling: W_ideal(T) from the grid recursion falls like log T/T',
      expected: 'holds',
      build: () => ({ target: mildBimodal(), c0: 2, c1: 8, Ts: MIXTURE_SWEEP, coupling: 'ct' as const }),
    },
    {
      name: 'mildBimodalMarkovCollapse',
      description: 'the same sweep (CT); part (b): the Markov-coupled recursion’s f_T at T = 640 (exact minimiser, ε_own = 0) collapses to E[X₁|X_T]',
      expected: 'violated',
      build: () => {
        const target = mildBimodal();
        return {
          target,
          c0: 2,
          c1: 8,
          Ts: MIXTURE_SWEEP,
          coupling: 'ct' as const,
          sequence: {
            build: (schedule: LhwSchedule) => idealisedOutputSequence(mixture1d(target), schedule, mixtureIdealised(mixture1d(target), schedule, 'markov'), 'Markov-coupled grid recursion f_T'),
            T: 640,
            ownError: { kind: 'declared' as const, value: 0, reason: 'exact minimiser of its own (Markov-coupled) objective' },
            samples: 4000,
          },
        };
      },
    },
    {
      name: 'slowPartialMarkov',
      description: 'N(0, ½), c₀ = 2, c₁ = 8, T = 1024·√2^k (k = 0..6), a partial-Markov coupling with weight 0.1·T^{−0.2}/log T: W_ideal decays like T^{−0.23}, more slowly than log⁵T/T (≈ T^{−0.36} there)',
      expected: 'violated',
      build: () => ({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: HALF_OCTAVES_1024, coupling: { kind: 'partial-markov' as const, weight: 0.1, decay: 0.2 } }),
    },
    {
      name: 'fastPartialMarkov',
      description: 'the same with weight 0.1·T^{−0.6}/log T: W_ideal decays like T^{−0.75}, faster than the claimed rate there',
      expected: 'holds',
      build: () => ({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: HALF_OCTAVES_1024, coupling: { kind: 'partial-markov' as const, weight: 0.1, decay: 0.6 } }),
    },
    {
      name: 'markovCollapse',
      description: 'N(0, ½), same sweep, Markov coupling; part (b): the Markov-coupled exact minimiser at T = 1024 (ε_own = 0) collapses to E[X₁|X_T]',
      expected: 'violated',
      build: () => {
        const target = gaussian([0], [0.5]);
        return {
          target,
          c0: 2,
          c1: 8,
          Ts: [256, 512, 1024, 2048, 4096, 8192],
          coupling: 'markov' as const,
          sequence: {
            build: (schedule: LhwSchedule) => gaussianIdealisedSequence({ target, schedule }, 'markov'),
            T: 1024,
            ownError: { kind: 'declared' as const, value: 0, reason: 'exact minimiser of its own (Markov-coupled) objective' },
            samples: 4000,
          },
        };
      },
    },
    {
      name: 'trainedExactFlow',
      description: 'a trained model (c): the exact f* of N(0, ½) on VE, viewed on schedule (23) with T = 50 fitted to its range (f_t = Φ_t): W₁ ≈ 0 below ε̂_tot + D_T = 2D_T',
      expected: 'holds',
      // Stryker disable next-line ObjectLiteral: 4096 W₁ points is also the default for a 1-D target, so the option changes nothing
      build: () => exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { samples: { w1Points: 4096 } }),
    },
    {
      name: 'trainedOffsetUnderstatedEps',
      description: 'a trained model (c): f* + 0.3 (an offset injected at every step) with declared ε + ε_F = 0.01: W₁ ≈ 0.3 exceeds ε + D_T (the declared ε understates ε̂_tot ≈ 0.3)',
      expected: 'violated',
      build: () => exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { offset: [0.3], claimed: { epsilonTotal: 0.01 }, samples: { w1Points: 4096 } }),
    },
  ],
  async run(subject, ctx) {
    if (isTrainedLhwSubject(subject)) return onTrainedModel(subject, ctx);
    const { target, coupling } = subject;
    const single = target instanceof GaussianMixture && target.components === 1;
    if (!(target instanceof GaussianMixture) || (!single && target.dim !== 1)) {
      throw new ValidationError('E_UNSUPPORTED', 'li2024.theorem1 part (a) needs a single Gaussian (closed form) or a 1-D Gaussian mixture (grid recursion)', 'target');
    }
    const d = target.dim;
    const Ts = [...subject.Ts];
    if (subject.sequence && Ts.filter((T) => T !== subject.sequence!.T).length === 0) {
      throw new ValidationError('E_INVALID_INPUT', 'part (b) is calibrated on the sweep without its own T: the sweep needs another T', 'Ts');
    }
    const tests = subject.sequence ? 3 : 1;
    const level = levelForFalseFailRate(ctx.falseFailRate / tests);
    const out: Collected = { estimates: {}, parts: [], diagnostics: [] };
    const { estimates, parts, diagnostics } = out;
    const sweep = idealisedSweep(subject, level, ctx, out);
    const { exponent, claimedExponent, calibrated, calibrationTs } = sweep;
    reportExponents(subject, level, out);
    const witnessValue = subject.sequence ? sequenceBound(subject, calibrated, level, ctx, out) : undefined;

    const verdict = combineVerdicts(parts.map((p) => p.verdict));
    const reason =
      verdict === 'holds'
        ? `The idealised error decays at least like the claimed rate over T ∈ [${Ts[0]}, ${Ts[Ts.length - 1]}] (exponent ≤ ${exponent.interval.upper.toFixed(3)} vs ${claimedExponent.toFixed(3)})${subject.sequence ? ` and the sequence meets the bound calibrated at T ∈ {${calibrationTs.join(', ')}} (Ĉ₁ = ${calibrated.toExponential(3)})` : ''}.`
        : verdict === 'violated'
          ? `${parts.filter((p) => p.verdict === 'violated').map((p) => p.name).join(' and ')} fail${parts.filter((p) => p.verdict === 'violated').length > 1 ? '' : 's'}: ${parts.find((p) => p.verdict === 'violated')!.reason.split(':')[0]}.`
          : `Undecided parts: ${parts.filter((p) => p.verdict === 'inconclusive').map((p) => p.name).join(', ')}.`;
    const body = {
      estimates,
      thresholds: [{ symbol: 'exponent_T', value: claimedExponent, side: 'upper' as const }],
      reason,
      parts,
      diagnostics: [
        ...diagnostics,
        { kind: 'assumption-slack' as const, message: `(27d) is not met by any practical schedule (ĉ₂ ≈ c₁ − c₀ ≪ 1000); X_T is drawn from the true forward marginal, not N(0, I)` },
        ...(d > 1 ? [{ kind: 'note' as const, message: 'd > 1: mean norms are replaced by RMS norms (upper bounds with the same rate)' }] : []),
      ],
      plots: plotsOf(subject, sweep),
      ...(subject.sequence ? { pValue: Math.min(1, tests * pValueAgainstBound(estimates['W_lo']!, estimates['bound_discretisation']!.value + estimates['eps_own']!.value, 'upper')) } : {}),
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') {
      const w = witnessValue ?? { description: `the idealised error decays like T^{${exponent.value.toFixed(3)}} ∈ [${exponent.interval.lower.toFixed(3)}, ${exponent.interval.upper.toFixed(3)}], more slowly than the claimed rate's T^{${claimedExponent.toFixed(3)}} over T ∈ [${Ts[0]}, ${Ts[Ts.length - 1]}]`, value: exponent.value, time: Ts[Ts.length - 1]! };
      return makeEvidence('li2024.theorem1', provenance, body, { verdict, witness: w });
    }
    return makeEvidence('li2024.theorem1', provenance, body, { verdict });
  },
});

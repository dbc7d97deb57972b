/**
 * # Lemma 1 (Li–Huang–Wei, from Li et al. 2023): posterior concentration on the typical set
 *
 * ## Claim
 * [R] If −log p_{X_t}(x) ≤ ½c₆ d log T and c₅ ≥ 2c₆ + c_R, then
 * P(‖√ᾱ_t X₀ − x‖₂ > 5√(c₅ d(1−ᾱ_t) log T) | X_t = x) ≤ exp(−c₅ d log T) and
 * E[‖√ᾱ_t X₀ − x‖₂^k | X_t = x] ≤ (12√(c₅ d(1−ᾱ_t) log T))^k (checked for k = 2). The constants 5 and 12 are
 * recalled, not read (THEORY §1.8, §8 item 2). Since √ᾱ_t X₀ − X_t = −√(1−ᾱ_t) Z, both are statements about the
 * posterior of the noise: P(‖Z‖² > 25c₅ d log T | x) ≤ T^{−c₅d} and E[‖Z‖² | x] ≤ 144 c₅ d log T.
 *
 * ## Hypotheses (refused, not decided, when broken)
 * c₅ > 0, c₆ > 0, c_R ≥ 0 and c₅ ≥ 2c₆ + c_R; a claim outside them refutes nothing, so `run` throws a
 * `HypothesisError` (E_OUTSIDE_HYPOTHESES) naming `claimed.c5`. c_R is the data's bounded-support constant (22); it
 * defaults to 0, the weakest reading of the hypothesis (Gaussian mixtures have unbounded support, THEORY §1.3).
 * The paper also calls c₆ "large" without a value; that proviso is not encoded (see the violated controls).
 *
 * ## Check design
 * The subject declares (c₅, c₆[, c_R]). The set E = {x : −log p_t(x) ≤ ½c₆ d log T}.
 * Single Gaussian, at every step t = 1..T: the supremum over the ellipsoid E of E[‖Z‖²|x] is exact,
 * 2ρ(1−ᾱ)·max_i 1/c_i + Σ_i ᾱλ_i/c_i (c_i = ᾱλ_i + 1 − ᾱ, ρ the ellipsoid's radius²/2), so the moment part is
 * `holds`/`violated` exactly. The tail is bounded above over all of E by inf_θ of the Chernoff bound maximised over E
 * (closed form, shared eigenvectors) — a sure bound, so `holds` — and below, at the moment's maximiser x*, by the
 * exact one-coordinate tail P((ν_i + σ_iN)² > 25c₅ d log T) ≤ P(‖Z‖² > 25c₅ d log T | x*), so `violated` is exact too;
 * between the two, inconclusive. Mixtures, on ≈ 5 geometric steps: exact posterior moments and per-point Chernoff
 * bounds at draws from p_t inside E plus any probe points the subject adds; a maximum over points is a sup lower
 * bound (THEORY §6.0), so mixtures give `violated` or inconclusive. Probe points outside E are reported as "outside
 * typical set" and never counted. ĉ₅ = sup E[‖Z‖²|x]/(d log T) is reported as an empirical constant.
 *
 * ## Controls
 * holds: `gaussianLemma` (aniso-gaussian-2d, T = 200, c₆ = 2, c₅ = 5 ≥ 2c₆ + 0). violated, both meeting the encoded
 * hypotheses with equality c₅ = 2c₆ + c_R, on near-point-mass data N(0, 10⁻¹²) (its mass beyond T^{c_R} is
 * P(|N(0,1)| > 10⁶) ≈ 0: (22) holds to float64): `smallC6Moment` (T = 200, c₆ = c_R = 0.001, c₅ = 0.003: at t = 1,
 * where 1 − ᾱ₁ = T^{−c₀}, the ellipsoid reaches ‖Z‖² = (c₆ + c₀)d log T − d log 2π ≈ 8.8 > 144c₅ d log T ≈ 2.3) and
 * `smallC6Tail` (c₆ = c_R = 0.01, c₅ = 0.03: the moment bound 22.9 holds, but ‖Z‖² ≈ 8.8 > 25c₅ d log T ≈ 4.0 with
 * posterior probability ≈ 1 > T^{−c₅d}). Both need c₆ < c₀/45: for c₆ ≥ c₀/45 no law can violate the tail part, since
 * P(‖Z‖² > R | x) ≤ (2π(1−ᾱ))^{−d/2}e^{−R/2}/p_t(x) ≤ exp(d log T(c₀/2 + c₆/2 − 12.5c₅)) ≤ T^{−c₅d} once c₅ ≥ 2c₆ ≥ c₀/22.5
 * (1 − ᾱ ≥ β₁ = T^{−c₀}) — so they show that the reconstruction needs the paper's "c₆ large", and within it the lemma
 * is a theorem for every data law (no honest violated control exists there).
 * inconclusive: `midpointProbe` (½N(±80, ¼), T = 100, a probe at the midpoint x = 0 at ᾱ_t ≈ ½, where the posterior
 * splits between the modes and E[‖Z‖²|x]/(d log T) ≈ 900 > 144c₅: it lies outside E_t and must be flagged, not
 * counted — counting it would give `violated`).
 *
 * ## References
 * [li2024] Lemma 1 (imported from Li, Wei, Chen, Chi 2023, arXiv 2306.09251); THEORY §1.8, §6.1 LHW-L1.
 */
import {
  ValidationError,
  builtInTarget,
  gaussian,
  defineCheck,
  describeSetting,
  EvidenceBuilder,
  estimateSupremumByMaximum,
  exactEstimate,
  GaussianMixture,
  geometricSteps,
  HypothesisError,
  goldenSectionSearch,
  lhwSchedule,
  LOG_2PI,
  normalCdf,
  normalSurvival,
  pointBatch,
  posteriorMixture,
  type Diagnostic,
  type Estimate,
  type LhwSetting,
  type Verdict,
  type CheckContext,
} from '../../src/index.ts';

export interface Lemma1Subject extends LhwSetting {
  /** c_R: the data's bounded-support constant (22). @defaultValue c_R = 0 */
  readonly claimed: { readonly c5: number; readonly c6: number; readonly cR?: number };
  /** Extra points to examine: (step, point). */
  readonly probes?: readonly { readonly t: number; readonly x: readonly number[] }[];
  /** Steps examined for a mixture (a Gaussian is decided at every t = 1..T). @defaultValue 5 geometric steps in [2, T] */
  readonly steps?: readonly number[];
  /** Draws from p_t per step for mixtures. @defaultValue 64 */
  readonly samples?: number;
}

export function subjectKey(subject: Lemma1Subject): string {
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, probes: subject.probes, steps: subject.steps, samples: subject.samples });
}

/** Refuses claims outside the lemma's hypotheses: c₅, c₆ > 0, c_R ≥ 0, c₅ ≥ 2c₆ + c_R. */
export function assertLemma1Hypotheses(claimed: Lemma1Subject['claimed']): void {
  const { c5, c6 } = claimed;
  const cR = claimed.cR ?? 0;
  if (!(Number.isFinite(c6) && c6 > 0)) throw new HypothesisError(`must be a finite constant > 0, got ${c6}`, 'claimed.c6');
  if (!(Number.isFinite(cR) && cR >= 0)) throw new HypothesisError(`must be a finite constant ≥ 0, got ${cR}`, 'claimed.cR');
  if (!(Number.isFinite(c5) && c5 >= 2 * c6 + cR)) {
    throw new HypothesisError(`Lemma 1 assumes c₅ ≥ 2c₆ + c_R = ${2 * c6 + cR} (c₆ = ${c6}, c_R = ${cR}), got c₅ = ${c5}: a claim outside the hypotheses refutes nothing`, 'claimed.c5');
  }
}

/** One Gaussian piece of the posterior of Z: mean ν in its eigenbasis and variances σ². */
interface Piece {
  readonly weight: number;
  readonly nu: Float64Array;
  readonly sigma2: Float64Array;
}

/** min over θ ∈ (0, 1/(2 max σ²)) of a convex function, by golden section on 80 iterations. */
function minimiseConvex(f: (theta: number) => number, thetaMax: number): number {
  return Math.min(goldenSectionSearch(f, 0, thetaMax * (1 - 1e-12), 'minimum', 80).value, f(0));
}

/** Chernoff: log P(‖Z‖² > R) ≤ inf_θ log Σ_k w_k E_k[e^{θ‖Z‖²}] − θR for a Gaussian-mixture Z. */
function logChernoffTail(pieces: readonly Piece[], R: number): number {
  const maxVar = Math.max(...pieces.flatMap((p) => Array.from(p.sigma2)));
  const objective = (theta: number): number => {
    const terms = pieces.map((p) => {
      let v = Math.log(p.weight);
      for (let j = 0; j < p.nu.length; j++) {
        const q = 1 - 2 * theta * p.sigma2[j]!;
        v += -0.5 * Math.log(q) + (theta * p.nu[j]! ** 2) / q;
      }
      return v;
    });
    const m = Math.max(...terms);
    return m + Math.log(terms.reduce((s, v) => s + Math.exp(v - m), 0)) - theta * R;
  };
  return Math.min(0, minimiseConvex(objective, maxVar > 0 ? 1 / (2 * maxVar) : 1e6));
}

/** Posterior of Z = (x − √ᾱX₀)/√(1−ᾱ) at x as Gaussian pieces, and E[‖Z‖² | x]. */
function noisePosterior(target: GaussianMixture, alphaBar: number, noiseVariance: number, x: Float64Array): { pieces: Piece[]; secondMoment: number } {
  const marginal = target.noised(Math.sqrt(alphaBar), Math.sqrt(noiseVariance));
  const post = posteriorMixture(target, marginal, x);
  const d = target.dim;
  const pieces: Piece[] = [];
  let secondMoment = 0;
  post.weights.forEach((w, k) => {
    if (!(w > 0)) return;
    const U = post.vectors[k]!;
    const nu = new Float64Array(d);
    const sigma2 = post.variances[k]!.map((v) => (alphaBar * v) / noiseVariance);
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let i = 0; i < d; i++) v += (U[i * d + j]! * (x[i]! - Math.sqrt(alphaBar) * post.means[k]![i]!)) / Math.sqrt(noiseVariance);
      nu[j] = v;
    }
    let m2 = 0;
    for (let j = 0; j < d; j++) m2 += nu[j]! ** 2 + sigma2[j]!;
    secondMoment += w * m2;
    pieces.push({ weight: w, nu, sigma2 });
  });
  return { pieces, secondMoment };
}

export const lemma1PosteriorConcentration = defineCheck<Lemma1Subject>({
  id: 'li2024.lemma1',
  kind: 'lemma',
  title: 'Lemma 1: posterior concentration on the typical set',
  claim:
    '[R, reconstructed; constants 5 and 12 recalled] If $−\\log p_{X_t}(x) ≤ ½c₆ d \\log T$ and c₅ ≥ 2c₆ + c_R, then ' +
    'P(‖√ᾱ_t X₀ − x‖₂ > 5√(c₅ d(1−ᾱ_t) log T) | X_t = x) ≤ exp(−c₅ d log T) and ' +
    'E[‖√ᾱ_t X₀ − x‖₂² | X_t = x] ≤ 144 c₅ d(1−ᾱ_t) log T.',
  source: { paper: 'li2024', label: 'Lemma 1 (from Li et al. 2023)' },
  dependsOn: ['li2024.typicalSet'],
  constants: [
    { symbol: 'c_5', meaning: 'concentration constant (declared)', role: 'assumed' },
    { symbol: 'c_6', meaning: 'typical-set level: −log p ≤ ½c₆ d log T (declared)', role: 'assumed' },
    { symbol: 'c_5_hat', meaning: 'sup over the typical set of E[‖Z‖²|x]/(d log T) (exact for a Gaussian, a lower bound for mixtures)', role: 'estimated' },
    { symbol: 'tail_bound', meaning: 'Chernoff upper bound on sup_x log P(‖Z‖² > 25c₅ d log T | x), compared with −c₅ d log T', role: 'bound' },
    { symbol: 'c_R', meaning: 'the data’s bounded-support constant (22) the subject declares (0 if none)', role: 'assumed' },
    { symbol: 'E|Z|^2_sup', meaning: 'sup over the typical set of E[‖Z‖²|x], the largest over t = 1..T (E|Z|^2_sup_t: at step t)', role: 'estimated' },
    { symbol: 't_moment_worst', meaning: 'the step t at which E|Z|^2_sup_t is largest', role: 'estimated' },
    { symbol: 'tail_lower_bound', meaning: 'exact lower bound on sup_x log P(‖Z‖² > 25c₅ d log T | x) at a point of the typical set (decides violated)', role: 'bound' },
  ],
  subject: 'distribution',
  design: {
    estimand: 'sup over the typical set of the posterior second moment and tail of the noise',
    decision: 'upper-bound',
    falseFailRate: 1e-12,
  },
  controls: [
    {
      name: 'gaussianLemma',
      description: 'aniso-gaussian-2d, T = 200, (c₅, c₆) = (5, 2): both bounds hold with room',
      expected: 'holds',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c5: 5, c6: 2 } }),
    },
    {
      name: 'smallC6Moment',
      description: 'N(0, 10⁻¹²) (a near point mass), T = 200, (c₅, c₆, c_R) = (0.003, 0.001, 0.001), meeting c₅ ≥ 2c₆ + c_R: at t = 1 the typical ellipsoid reaches E[‖Z‖²|x] ≈ 8.8 > 144c₅ d log T ≈ 2.3',
      expected: 'violated',
      build: () => ({ target: gaussian([0], [1e-12], { name: 'near-point-mass-1d' }), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c5: 0.003, c6: 0.001, cR: 0.001 } }),
    },
    {
      name: 'smallC6Tail',
      description: 'N(0, 10⁻¹²), T = 200, (c₅, c₆, c_R) = (0.03, 0.01, 0.01): the moment bound holds (≈ 8.8 ≤ 22.9) but ‖Z‖² ≈ 8.8 > 25c₅ d log T ≈ 4.0 with posterior probability ≈ 1 > T^{−c₅d}',
      expected: 'violated',
      build: () => ({ target: gaussian([0], [1e-12], { name: 'near-point-mass-1d' }), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c5: 0.03, c6: 0.01, cR: 0.01 } }),
    },
    {
      name: 'midpointProbe',
      description: '½N(±80, ¼), T = 100, (c₅, c₆) = (5, 2), probe x = 0 at t = 27 (ᾱ ≈ ½): outside E_t, flagged and not counted',
      expected: 'inconclusive',
      build: () => ({
        target: new GaussianMixture([0.5, 0.5], [[-80], [80]], [[0.25], [0.25]], { name: 'far-bimodal-1d' }),
        schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }),
        claimed: { c5: 5, c6: 2 },
        probes: [{ t: 27, x: [0] }],
        steps: [2, 27, 100],
        samples: 32,
      }),
    },
  ],
  async run(subject, ctx) {
    const { target, schedule, claimed } = subject;
    if (!(target instanceof GaussianMixture)) throw new ValidationError('E_UNSUPPORTED', 'li2024.lemma1 needs a GaussianMixture target (product targets: not implemented)', 'target');
    assertLemma1Hypotheses(claimed);
    const d = target.dim;
    const T = schedule.T;
    const logT = Math.log(T);
    const bounds: LemmaBounds = {
      gamma: 0.5 * claimed.c6 * d * logT,
      momentBound: 144 * claimed.c5 * d * logT,
      radius2: 25 * claimed.c5 * d * logT,
      logTailAllowed: -claimed.c5 * d * logT,
    };
    const single = target.components === 1;
    const parts = new EvidenceBuilder('li2024.lemma1');
    const { estimates, diagnostics, c5Hat } = single ? gaussianAtEveryStep(target, schedule, bounds, ctx, parts) : await mixtureAtSteps(subject, bounds, ctx, parts);
    estimates['c_5'] = exactEstimate(claimed.c5);
    estimates['c_6'] = exactEstimate(claimed.c6);
    estimates['c_R'] = exactEstimate(claimed.cR ?? 0);
    estimates['c_5_hat'] = single ? exactEstimate(c5Hat / (d * logT)) : { ...estimateSupremumByMaximum([c5Hat / (d * logT)]) };
    const constants = `(c₅, c₆, c_R) = (${claimed.c5}, ${claimed.c6}, ${claimed.cR ?? 0})`;
    const c5HatText = (c5Hat / (d * logT)).toPrecision(4);
    const reason = (verdict: Verdict): string =>
      verdict === 'holds'
        ? `On the typical set {−log p ≤ ½c₆ d log T}, the exact sup of E[‖Z‖²|x] and the Chernoff bound on the tail meet the bounds for ${constants} at every step t = 1..${T}; ĉ₅ = ${c5HatText}.`
        : verdict === 'violated'
          ? `Lemma 1 fails inside the typical set for ${constants}, which meet its hypotheses: ${parts.named('violated').join('; ')} (ĉ₅ ${single ? '=' : '≥'} ${c5HatText}).`
          : single
            ? `The moment bound holds at every step, but the tail lies between its lower and upper bounds at some step for ${constants}.`
            : `No violation at the examined typical points (ĉ₅ ≥ ${c5HatText}), but a supremum over a mixture's typical set cannot be certified by sampling${diagnostics.some((x) => x.kind === 'outside-typical-set') ? '; probes outside E_t were flagged and not counted' : ''}.`;
    const body = {
      estimates,
      thresholds: [
        { symbol: 'E|Z|^2_sup', value: bounds.momentBound, side: 'upper' as const },
        { symbol: 'tail_bound', value: bounds.logTailAllowed, side: 'upper' as const },
      ],
      diagnostics: [
        ...diagnostics,
        { kind: 'reconstructed-statement' as const, message: 'Lemma 1 is reconstructed [R]: constants 5 and 12 and the hypothesis c₅ ≥ 2c₆ + c_R are recalled (THEORY §1.8); the paper\'s "c₆ large" has no value and is not encoded' },
      ],
    };
    return parts.evidence(ctx.rng, body, reason);
  },
});

interface LemmaBounds {
  /** ½c₆ d log T: the level of the typical set. */
  readonly gamma: number;
  /** 144c₅ d log T. */
  readonly momentBound: number;
  /** 25c₅ d log T: the squared radius of the tail event. */
  readonly radius2: number;
  /** −c₅ d log T. */
  readonly logTailAllowed: number;
}

interface StepsResult {
  readonly estimates: Record<string, Estimate>;
  readonly diagnostics: Diagnostic[];
  /** sup E[‖Z‖²|x] over the examined points (exact for a Gaussian). */
  readonly c5Hat: number;
}

/**
 * Single Gaussian: exact sup of the moment, Chernoff upper and one-coordinate lower tail bounds, at every t = 1..T.
 * Adds the parts "moment" and "tail" (each with its witness) to `parts`.
 */
function gaussianAtEveryStep(target: GaussianMixture, schedule: LhwSetting['schedule'], bounds: LemmaBounds, ctx: CheckContext, parts: EvidenceBuilder): StepsResult {
  const d = target.dim;
  const T = schedule.T;
  const { gamma, momentBound, radius2, logTailAllowed } = bounds;
  const lambdas = target.eigen[0]!.values;
  const U = target.eigen[0]!.vectors;
  const reported = new Set([1, ...geometricSteps(T, 5)]);
  const estimates: Record<string, Estimate> = {};
  const diagnostics: Diagnostic[] = [];
  let moment = { t: 0, value: -Infinity, point: [] as number[] };
  let tailUpper = { t: 0, value: -Infinity };
  let tailLower = { t: 0, value: -Infinity, point: [] as number[] };
  let emptySteps = 0;
  for (let t = 1; t <= T; t++) {
    if (t % 256 === 0) ctx.checkBudget();
    const alphaBar = schedule.alphaBars[t]!;
    const noiseVariance = schedule.oneMinusAlphaBars[t]!;
    const c = Array.from(lambdas, (l) => alphaBar * l + noiseVariance);
    const sigma2 = Array.from(lambdas, (l, i) => (alphaBar * l) / c[i]!);
    const rho = gamma - 0.5 * (d * LOG_2PI + c.reduce((s, v) => s + Math.log(v), 0));
    if (rho < 0) {
      emptySteps += 1;
      continue;
    }
    const supMoment = 2 * rho * noiseVariance * Math.max(...c.map((v) => 1 / v)) + sigma2.reduce((s, v) => s + v, 0);
    const iMax = c.indexOf(Math.min(...c));
    // the maximiser: x* = m + √(2ρ c_i) u_i along the smallest c_i
    const point = Array.from(target.means[0]!, (mu, a) => Math.sqrt(alphaBar) * mu + Math.sqrt(2 * rho * c[iMax]!) * U[a * d + iMax]!);
    const logTail = Math.min(
      0,
      minimiseConvex((theta) => {
        let v = -theta * radius2;
        let worst = 0;
        for (let i = 0; i < d; i++) {
          const q = 1 - 2 * theta * sigma2[i]!;
          v += -0.5 * Math.log(q);
          worst = Math.max(worst, 1 / (c[i]! * q));
        }
        return v + 2 * rho * theta * noiseVariance * worst;
      }, 1 / (2 * Math.max(...sigma2))),
    );
    // At x*, Z | x* has coordinate i ~ N(ν_i, σ_i²) with ν_i = √(2ρ(1−ᾱ)/c_i) (x − √ᾱ x̂₀ = (1−ᾱ)C⁻¹(x − m)), and
    // P(‖Z‖² > R | x*) ≥ P(Z_i² > R): an exact lower bound on the tail at a point of E.
    const nu = Math.sqrt((2 * rho * noiseVariance) / c[iMax]!);
    const sd = Math.sqrt(sigma2[iMax]!);
    const r = Math.sqrt(radius2);
    const logTailLower = Math.log(normalSurvival((r - nu) / sd) + normalCdf((-r - nu) / sd));
    if (reported.has(t)) {
      estimates[`E|Z|^2_sup_${t}`] = exactEstimate(supMoment);
      estimates[`tail_bound_${t}`] = exactEstimate(logTail);
    }
    if (supMoment > moment.value) moment = { t, value: supMoment, point };
    if (logTail > tailUpper.value) tailUpper = { t, value: logTail };
    if (logTailLower > tailLower.value) tailLower = { t, value: logTailLower, point };
  }
  if (emptySteps > 0) diagnostics.push({ kind: 'outside-typical-set', message: `the typical set {−log p ≤ ½c₆ d log T} is empty at ${emptySteps} of ${T} steps: nothing to check there` });
  if (moment.t === 0) {
    parts.add(`t = 1..${T}`, 'holds', 'empty typical set at every step: nothing to check');
    return { estimates, diagnostics, c5Hat: 0 };
  }
  estimates['E|Z|^2_sup'] = exactEstimate(moment.value);
  estimates['t_moment_worst'] = exactEstimate(moment.t);
  estimates['tail_bound'] = exactEstimate(tailUpper.value);
  estimates['tail_lower_bound'] = exactEstimate(tailLower.value);
  const momentVerdict: Verdict = moment.value <= momentBound ? 'holds' : 'violated';
  const tailVerdict: Verdict = tailUpper.value <= logTailAllowed ? 'holds' : tailLower.value > logTailAllowed ? 'violated' : 'inconclusive';
  parts.add(`moment, t = 1..${T}`, momentVerdict, `max_t sup_E E[‖Z‖²|x] = ${moment.value.toPrecision(6)} (exact, t = ${moment.t}) vs 144c₅d log T = ${momentBound.toPrecision(6)}`, {
    description: `E[‖Z‖² | X_${moment.t} = x] = ${moment.value.toPrecision(6)} > 144c₅d log T = ${momentBound.toPrecision(6)} with −log p_t(x) = ½c₆ d log T`,
    point: moment.point,
    time: moment.t,
    value: moment.value,
  });
  parts.add(
    `tail, t = 1..${T}`,
    tailVerdict,
    `max_t log sup_E P(‖Z‖² > 25c₅d log T | x) ∈ [${tailLower.value.toPrecision(4)} (t = ${tailLower.t}), ${tailUpper.value.toPrecision(4)} (t = ${tailUpper.t})] vs −c₅d log T = ${logTailAllowed.toPrecision(4)}`,
    {
      description: `P(‖Z‖² > 25c₅d log T | X_${tailLower.t} = x) ≥ e^{${tailLower.value.toPrecision(4)}} > e^{−c₅d log T} = e^{${logTailAllowed.toPrecision(4)}} with −log p_t(x) = ½c₆ d log T`,
      point: tailLower.point,
      time: tailLower.t,
      value: Math.exp(tailLower.value),
    },
  );
  return { estimates, diagnostics, c5Hat: moment.value };
}

/** Mixture: exact posterior moments and per-point Chernoff bounds at draws inside E (and probes), on a few steps; one part per step. */
async function mixtureAtSteps(subject: Lemma1Subject, bounds: LemmaBounds, ctx: CheckContext, parts: EvidenceBuilder): Promise<StepsResult> {
  const target = subject.target as GaussianMixture;
  const { schedule } = subject;
  const d = target.dim;
  const logT = Math.log(schedule.T);
  const { gamma, momentBound, radius2, logTailAllowed } = bounds;
  const steps = subject.steps ?? geometricSteps(schedule.T, 5);
  const n = Math.min(subject.samples ?? 64, ctx.budget.maxSamples);
  const estimates: Record<string, Estimate> = {};
  const diagnostics: Diagnostic[] = [];
  let c5Hat = 0;
  for (const t of steps) {
    ctx.checkBudget();
    const alphaBar = schedule.alphaBars[t]!;
    const noiseVariance = schedule.oneMinusAlphaBars[t]!;
    const marginal = target.noised(Math.sqrt(alphaBar), Math.sqrt(noiseVariance));
    // Stryker disable next-line StringLiteral: the label only names the stream: any label gives draws of p_t at each step, and a sup over any draws is a lower bound, decided step by step
    const draws = marginal.sample(n, ctx.rng.child(`t=${t}`));
    const candidates: number[][] = [];
    for (let i = 0; i < n; i++) candidates.push(Array.from(draws.data.subarray(i * d, (i + 1) * d)));
    const probeStart = candidates.length;
    for (const p of subject.probes ?? []) if (p.t === t) candidates.push([...p.x]);
    const moments: number[] = [];
    const points: number[][] = [];
    let worstLogTail = -Infinity;
    for (const [i, x] of candidates.entries()) {
      const xb = pointBatch(1, d, Float64Array.from(x));
      const nlp = -marginal.logDensity(xb)[0]!;
      const { pieces, secondMoment } = noisePosterior(target, alphaBar, noiseVariance, Float64Array.from(x));
      if (nlp > gamma) {
        if (i >= probeStart) {
          diagnostics.push({
            kind: 'outside-typical-set',
            message: `t=${t}: probe x = [${x.map((v) => v.toPrecision(4)).join(', ')}] has −log p = ${nlp.toPrecision(4)} > ½c₆ d log T = ${gamma.toPrecision(4)}: outside E_t, not counted (E[‖Z‖²|x]/(d log T) = ${(secondMoment / (d * logT)).toPrecision(4)})`,
            value: secondMoment / (d * logT),
          });
        }
        continue;
      }
      moments.push(secondMoment);
      points.push(x);
      worstLogTail = Math.max(worstLogTail, logChernoffTail(pieces, radius2));
    }
    if (moments.length === 0) {
      parts.add(`t=${t}`, 'inconclusive', 'no draw fell inside the typical set');
      continue;
    }
    const sup = estimateSupremumByMaximum(moments);
    estimates[`E|Z|^2_sup_${t}`] = sup;
    estimates[`tail_bound_${t}`] = exactEstimate(worstLogTail);
    const momentVerdict: Verdict = sup.value > momentBound ? 'violated' : 'inconclusive';
    c5Hat = Math.max(c5Hat, sup.value);
    parts.add(
      `t=${t}`,
      momentVerdict,
      `sup E[‖Z‖²|x] ≥ ${sup.value.toPrecision(4)} vs 144c₅d log T = ${momentBound.toPrecision(4)}; log tail ≤ ${worstLogTail.toPrecision(4)} vs −c₅d log T = ${logTailAllowed.toPrecision(4)} (at ${n} draws; a sup over points is a lower bound)`,
      { description: `E[‖Z‖² | X_${t} = x] = ${sup.value.toPrecision(4)} > 144c₅d log T = ${momentBound.toPrecision(4)} with −log p_t(x) ≤ ½c₆ d log T`, point: points[sup.argmax]!, time: t, value: sup.value },
    );
  }
  return { estimates, diagnostics, c5Hat };
}

/**
 * # Assumption (Lyu, Feng & Chen): the consistency error per step, normalised by the step size
 *
 * ## Claim
 * E‖f_θ(x_{t_{n+1}}, t_{n+1}) − f_θ(x̂^φ_{t_n}, t_n)‖² ≤ ε_cm²·(t_{n+1} − t_n)² for every n, x_{t_{n+1}} ~ p_{t_{n+1}} and x̂^φ_{t_n}
 * one solver step of the PF-ODE dx/dt = −x − s_φ(x, t) (OU). The per-step normalisation by h_n² is reconstructed [R]
 * (THEORY §2.2 item 4: consistent with the corollary's need for learning errors O(1/T)).
 *
 * ## Check design
 * OU grid of N geometric times in [δ, T]; per interval n draws of x ~ p_{t_{n+1}} (stream per interval), the teacher
 * step with the subject's score model — Euler x̂ = x + h(x + s_φ(x)) or the exponential integrator
 * x̂ = e^h x + (e^h − 1)s_φ(x) — and the RMS of f(x, t_{n+1}) − f(x̂, t_n) divided by h_n, with a CLT interval on the
 * mean square at level 1 − 2δ/(N − 1). ε̂_cm = max_n. `holds` iff every upper end ≤ ε_cm, `violated` iff some lower end
 * > ε_cm, else `inconclusive`. For f = f* and the exact score the residual is f*∘Φ − f*∘(solver step), i.e. the
 * solver's local error times the Jacobian of f*: ε̂_cm → 0 with the step — reported as the order along N = 8, 16, 32
 * (0.7–0.8 on this geometric grid, whose steps are large; informative, not decided).
 * A trained model (no score model in the subject) is measured against its ideal teacher, the exact ODE step, by the
 * chain's shared `measureConsistencyResiduals` (Y ~ p_T pushed along the exact flow to 16 geometric grid times, 500
 * draws, the level of `lyu2023.oneStep`'s residuals): the estimate `eps_cm` (with its simultaneous interval) is the
 * number that check's bound uses. The paper's ε_cm against a solver step differs from it by at most L_f times the
 * solver's RMS error per unit step (triangle inequality). Statements are on the OU clock: a VE model is viewed there
 * by the exact clock change (`modelOnClock`). Without a declared ε_cm nothing is decided (one `inconclusive` part):
 * the verdict on a trained model is lyu2023.oneStep's.
 *
 * ## Controls
 * holds: `exactFlowEuler` (aniso-gaussian-2d on OU(δ = 0.002, T = 8), f*, exact score, Euler, N = 32, declared
 * ε_cm = 0.5), `exactFlowExponential` (the same with the exponential integrator, declared 0.5).
 * violated: `denoiserModel` (the denoiser as f: its residual is O(h), so ε̂_cm = O(1) ≫ 0.5), `biasedTeacherScore`
 * (f* with a teacher score biased by (0.5, 0.5): the residual/h tends to ‖J_f b‖ ≈ 0.7 > 0.5).
 * Trained-model form (exact-step teacher): holds `exactFlowAsTrained` (f* trained on VE, viewed on OU: ε̂_cm ≈ 0 ≤ 0.05);
 * violated `injectedOffset` (the same plus (t − δ)·(0.12, 0.16): ε_cm = 0.2 exactly on every step > declared 0.1, every
 * other hypothesis intact).
 *
 * ## References
 * [lyu2023] assumptions (consistency error; reviewers 1 and 3 on v^{em}); THEORY §2.2, §6.2 LYU-A.
 */
import {
  geometricTimeGrid,
  bonferroniCombined,
  builtInTarget,
  type CheckContext,
  type ConsistencyFunction,
  decideUpperBound,
  defineCheck,
  denoiserAsConsistencyFunction,
  type Estimate,
  estimateMeanByClt,
  type Evidence,
  EvidenceBuilder,
  exactConsistencyFunction,
  exactEstimate,
  type ExactTarget,
  formatNumber,
  type ForwardProcess,
  levelForFalseFailRate,
  linearTimeOffset,
  localSlopeEstimate,
  measureConsistencyResiduals,
  modelOnClock,
  ornsteinUhlenbeck,
  type PlotSpec,
  type PointBatch,
  pValueAgainstBound,
  referenceFlow,
  type Rng,
  rngFromSeed,
  varianceExploding,
} from '../../src/index.ts';
import { perturbedScore, type ScoreModel } from './scoreError.ts';

export interface ConsistencyErrorSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly model: ConsistencyFunction;
  /**
   * The teacher's score model; omitted: the teacher is the exact ODE step (the ideal teacher of a trained model, no
   * score or discretisation error), measured along the exact flow with common random numbers — the computation
   * `lyu2023.oneStep` reads its residuals from.
   */
  readonly score?: ScoreModel;
  /** @defaultValue 'euler' */
  readonly solver?: 'euler' | 'exponential';
  /** The consistency error the subject declares; omitted (a trained model): measured and reported, not decided. */
  readonly claimed?: { readonly epsCm: number };
  /** @defaultValue 32 with a score teacher, 16 (the grid of lyu2023.oneStep) with the exact step */
  readonly gridSize?: number;
  /** @defaultValue 1000 with a score teacher, 500 with the exact step */
  readonly samples?: number;
}

/** Grid size and draws of the exact-step measurement: those of `lyu2023.oneStep` on a trained model, so both read one computation. */
export const EXACT_STEP_GRID_SIZE = 16;
export const EXACT_STEP_SAMPLES = 500;

/** One OU solver step from t (= t_{n+1}) back by h with the score model. */
function solverStep(score: ScoreModel, x: PointBatch, t: number, h: number, solver: 'euler' | 'exponential'): PointBatch {
  const s = score.evaluate(x, t).data;
  const a = solver === 'euler' ? 1 + h : Math.exp(h);
  const c = solver === 'euler' ? h : Math.expm1(h);
  return { n: x.n, d: x.d, data: x.data.map((v, k) => a * v + c * s[k]!) };
}

/** Per-interval RMS residual / h on a grid of the given size. */
function residuals(subject: ConsistencyErrorSubject & { readonly score: ScoreModel }, size: number, n: number, level: number, rng: Rng): { times: number[]; est: Estimate[]; pValues: number[] } {
  const { target, process, model, score, claimed } = subject;
  const solver = subject.solver ?? 'euler';
  const times = geometricTimeGrid(process, size);
  const est: Estimate[] = [];
  const pValues: number[] = [];
  for (let k = 0; k + 1 < times.length; k++) {
    const [lo, hi] = [times[k]!, times[k + 1]!];
    const h = hi - lo;
    const x = target.noised(process.signalScale(hi), process.noiseScale(hi)).sample(n, rng.child(`N=${size}/n=${k}`));
    const fx = model.evaluate(x, hi).data;
    const fy = model.evaluate(solverStep(score, x, hi, h, solver), lo).data;
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < x.d; j++) s += ((fx[i * x.d + j]! - fy[i * x.d + j]!) / h) ** 2;
      sq[i] = s;
    }
    const ms = estimateMeanByClt(sq, { level });
    if (claimed) pValues.push(pValueAgainstBound(ms, claimed.epsCm ** 2, 'upper'));
    est.push({ ...ms, value: Math.sqrt(ms.value), interval: { ...ms.interval, lower: Math.sqrt(Math.max(ms.interval.lower, 0)), upper: Math.sqrt(Math.max(ms.interval.upper, 0)) } });
  }
  return { times, est, pValues };
}

export const consistencyErrorAssumption = defineCheck<ConsistencyErrorSubject>({
  id: 'lyu2023.consistencyError',
  kind: 'assumption',
  title: 'Consistency error per step: $‖f(x_{t_{n+1}}, t_{n+1}) − f(x̂^φ_{t_n}, t_n)‖_{L²} ≤ ε_{cm}·h_n$',
  claim:
    '$E‖f_θ(x_{t_{n+1}}, t_{n+1}) − f_θ(x̂^φ_{t_n}, t_n)‖² ≤ ε_{cm}²(t_{n+1} − t_n)²$ for every n, with $x̂^φ$ one solver step driven by the score model ' +
    '(the normalisation by h_n² is reconstructed [R]).',
  source: { paper: 'lyu2023', label: 'Assumption (consistency error)' },
  dependsOn: ['lyu2023.scoreError'],
  constants: [
    { symbol: 'eps_cm', meaning: 'ε̂_cm = max_n RMS residual / h_n on the grid (interval: max of the ends, simultaneous)', role: 'estimated' },
    { symbol: 'eps_cm_declared', meaning: 'the consistency error the subject declares', role: 'assumed' },
    { symbol: 'order', meaning: 'slope of log ε̂_cm against log N⁻¹ over N = 8, 16, 32 (1 for f* with the exact score)', role: 'estimated' },
    { symbol: 'R', meaning: 'Σ_n h_n ε̂_cm,n: the consistency term of Theorem 1’s bound on the grid', role: 'estimated' },
    { symbol: 'b', meaning: 'the boundary term: RMS ‖f(Y_δ, δ) − Y_δ‖ with Y_δ = Φ_{T→δ}Y, Y ~ p_T', role: 'estimated' },
  ],
  subject: 'model',
  design: { estimand: 'RMS consistency residual per unit step', decision: 'upper-bound', falseFailRate: 1e-3 },
  controls: [
    {
      name: 'exactFlowEuler',
      description: 'aniso-gaussian-2d on OU with f*, exact-score Euler teacher, N = 32, declared ε_cm = 0.5',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), score: perturbedScore(target, process, 1, [0, 0], 'exact score'), claimed: { epsCm: 0.5 } };
      },
    },
    {
      name: 'exactFlowExponential',
      description: 'the same with the exponential integrator x̂ = e^h x + (e^h − 1)s',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), score: perturbedScore(target, process, 1, [0, 0], 'exact score'), solver: 'exponential' as const, claimed: { epsCm: 0.5 } };
      },
    },
    {
      name: 'denoiserModel',
      description: 'the denoiser E[X₀ | x] as f: its residual per unit step is O(1), declared ε_cm = 0.5',
      expected: 'violated',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: denoiserAsConsistencyFunction(target, process), score: perturbedScore(target, process, 1, [0, 0], 'exact score'), claimed: { epsCm: 0.5 } };
      },
    },
    {
      name: 'biasedTeacherScore',
      description: 'f* with a teacher score biased by (0.5, 0.5): residual/h → ‖J_f·b‖, declared ε_cm = 0.5',
      expected: 'violated',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), score: perturbedScore(target, process, 1, [0.5, 0.5], 'exact score + (0.5, 0.5)'), claimed: { epsCm: 0.5 } };
      },
    },
    {
      name: 'exactFlowAsTrained',
      description: 'f* of aniso-gaussian-2d trained on VE [0.002, 80], viewed on the OU clock as a trained model (exact-step teacher), declared ε_cm = 0.05',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const ve = varianceExploding();
        return { target, ...modelOnClock(exactConsistencyFunction(referenceFlow(target, ve)), ve, 'vp-ou'), claimed: { epsCm: 0.05 } };
      },
    },
    {
      // every hypothesis holds (boundary exact, Lipschitz as f*): only the consistency error is larger than declared
      name: 'injectedOffset',
      description: 'the same model with the offset (t − δ)·(0.12, 0.16) injected: ε_cm = 0.2 exactly on every step, declared 0.1',
      expected: 'violated',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const ve = varianceExploding();
        const view = modelOnClock(exactConsistencyFunction(referenceFlow(target, ve)), ve, 'vp-ou');
        return { target, process: view.process, model: linearTimeOffset(view.model, view.process, [0.12, 0.16]), claimed: { epsCm: 0.1 } };
      },
    },
  ],
  async run(subject, ctx) {
    if (subject.score === undefined) return exactStepRun(subject, ctx);
    const score = subject.score;
    const size = subject.gridSize ?? 32;
    const n = Math.min(subject.samples ?? 1000, ctx.budget.maxSamples);
    const level = levelForFalseFailRate(ctx.falseFailRate / (size - 1));
    const { claimed } = subject;
    const main = residuals({ ...subject, score }, size, n, level, ctx.rng);
    const parts = new EvidenceBuilder('lyu2023.consistencyError');
    decidePerInterval(parts, main.times, main.est, claimed);
    const worst = main.est.reduce((b, e, i) => (e.value > main.est[b]!.value ? i : b), 0);
    ctx.checkBudget();
    // Order of ε̂_cm in the grid size (informative).
    const sizes = [8, 16, 32];
    const sweep = sizes.map((N) => (N === size ? Math.max(...main.est.map((e) => e.value)) : Math.max(...residuals({ ...subject, score }, N, Math.min(n, 500), level, ctx.rng.child('sweep')).est.map((e) => e.value))));
    const order = sweep.every((v) => v > 0) ? localSlopeEstimate(sizes.map((N) => 1 / N), sweep, 2) : exactEstimate(Number.POSITIVE_INFINITY);
    return parts.evidence(
        ctx.rng,
      {
        estimates: {
          eps_cm: { value: main.est[worst]!.value, interval: { lower: Math.max(...main.est.map((e) => e.interval.lower)), upper: Math.max(...main.est.map((e) => e.interval.upper)), level }, method: 'clt-mean', n },
          ...(claimed ? { eps_cm_declared: exactEstimate(claimed.epsCm) } : {}),
          order,
        },
        thresholds: claimed ? [{ symbol: 'eps_cm', value: claimed.epsCm, side: 'upper' }] : [],
        ...(main.pValues.length > 0 ? { pValue: bonferroniCombined(main.pValues) } : {}),
        diagnostics: [
          { kind: 'reconstructed-statement', message: 'the per-step normalisation by h_n² is reconstructed [R] (THEORY §2.2 item 4)' },
          { kind: 'note', message: `ε̂_cm = ${sweep.map(formatNumber).join(', ')} for N = ${sizes.join(', ')} (${subject.solver ?? 'euler'} teacher, ${score.label})` },
        ],
        plots: [residualPlot(subject.model.id, main.times, main.est)],
      },
      (v) =>
        `${subject.model.id} with the ${subject.solver ?? 'euler'} teacher (${score.label}): ε̂_cm = ${formatNumber(main.est[worst]!.value)} at t = ${formatNumber(main.times[worst + 1]!)} ${claimed ? `${v === 'holds' ? '≤' : v === 'violated' ? '>' : 'vs'} ε_cm = ${claimed.epsCm}` : '(no ε_cm declared)'} (ε̂_cm over N = 8, 16, 32: ${sweep.map(formatNumber).join(', ')}).`,
    );
  },
});

function residualPlot(name: string, times: readonly number[], est: readonly Estimate[]): PlotSpec {
  return { id: 'consistency-error', title: 'RMS consistency residual per unit step', mark: 'line', x: { label: 't_{n+1}', scale: 'log' }, y: { label: 'residual/h', scale: 'log' }, series: [{ name, x: times.slice(1), y: est.map((e) => Math.max(e.value, 1e-300)), lower: est.map((e) => e.interval.lower), upper: est.map((e) => e.interval.upper) }] };
}

/** One part per interval against the declared ε_cm, or one `inconclusive` part saying that nothing was declared. */
function decidePerInterval(parts: EvidenceBuilder, times: readonly number[], est: readonly Estimate[], claimed: { readonly epsCm: number } | undefined): void {
  if (claimed === undefined) {
    const worst = est.reduce((b, e, i) => (e.value > est[b]!.value ? i : b), 0);
    parts.add('ε_cm declared', 'inconclusive', `no ε_cm declared: measured ε̂_cm = ${formatNumber(est[worst]!.value)} ∈ [${formatNumber(Math.max(...est.map((e) => e.interval.lower)))}, ${formatNumber(Math.max(...est.map((e) => e.interval.upper)))}] at t = ${formatNumber(times[worst + 1]!)}; the one-step bound of lyu2023.oneStep uses it`);
    return;
  }
  est.forEach((e, k) => {
    const dec = decideUpperBound(e, claimed.epsCm);
    parts.add(`interval ${k} (t = ${formatNumber(times[k + 1]!)})`, dec.verdict, `RMS residual/h = ${formatNumber(e.value)} ∈ [${formatNumber(e.interval.lower)}, ${formatNumber(e.interval.upper)}] vs ε_cm = ${claimed.epsCm}`, {
      description: `from t = ${formatNumber(times[k + 1]!)} to ${formatNumber(times[k]!)} the consistency residual per unit step is at least ${formatNumber(e.interval.lower)} > ε_cm = ${claimed.epsCm}`,
      time: times[k + 1]!,
      value: e.value,
    });
  });
}

/**
 * A trained model's consistency error against the exact ODE step (its ideal teacher): the chain's shared measurement
 * `measureConsistencyResiduals` on the grid and draws of lyu2023.oneStep, at the same Bonferroni level, so the ε̂_cm
 * reported here is the number that check's bound uses.
 */
function exactStepRun(subject: ConsistencyErrorSubject, ctx: CheckContext): Evidence {
  const { target, process, model, claimed } = subject;
  const size = subject.gridSize ?? EXACT_STEP_GRID_SIZE;
  const n = Math.min(subject.samples ?? EXACT_STEP_SAMPLES, ctx.budget.maxSamples);
  // the level of lyu2023.oneStep's residuals: half of δ over its N terms
  const level = levelForFalseFailRate(ctx.falseFailRate / 2 / size);
  const shared = measureConsistencyResiduals(model, target, process, { gridSize: size, samples: n, level, rng: rngFromSeed(ctx.rng.seed).child('lyu2023.constants').child('residuals') });
  const parts = new EvidenceBuilder('lyu2023.consistencyError');
  decidePerInterval(parts, shared.times, shared.perUnitTime, claimed);
  // each residual is the root of a mean square and carries that mean square's standard error (rootOf keeps it)
  const pValues = claimed
    ? shared.residuals.map((e, k) =>
        pValueAgainstBound(
          {
            ...e,
            value: e.value ** 2,
            interval: { ...e.interval, lower: e.interval.lower ** 2, upper: e.interval.upper ** 2 },
            // Stryker disable next-line ObjectLiteral: `...e` above already copies standardError; this spread re-adds the same value
            ...(e.standardError === undefined ? {} : { standardError: e.standardError }),
          },
          (claimed.epsCm * (shared.times[k + 1]! - shared.times[k]!)) ** 2,
          'upper',
        ),
      )
    : [];
  const worstTime = shared.times[shared.worst + 1]!;
  return parts.evidence(
        ctx.rng,
    {
      estimates: { eps_cm: shared.epsCm, R: shared.sum, b: shared.boundary, ...(claimed ? { eps_cm_declared: exactEstimate(claimed.epsCm) } : {}) },
      thresholds: claimed ? [{ symbol: 'eps_cm', value: claimed.epsCm, side: 'upper' }] : [],
      ...(pValues.length > 0 ? { pValue: bonferroniCombined(pValues) } : {}),
      diagnostics: [
        { kind: 'reconstructed-statement', message: 'the per-step normalisation by h_n² is reconstructed [R] (THEORY §2.2 item 4)' },
        { kind: 'note', message: `teacher: the exact ODE step $Φ_{t_{n+1}→t_n}$ (no score error, no discretisation); the paper’s ε_cm against a solver step $x̂^φ$ is at least this one minus $L_f·‖x̂^φ − Φ‖_{L²}/h_n$ per step (triangle inequality). Grid: ${size} geometric times on [${formatNumber(process.tMin)}, ${formatNumber(process.tMax)}] (${process.kind} clock); Y ~ p_T pushed along the exact flow (common random numbers)` },
        { kind: 'monte-carlo-error', message: `${shared.n} draws, CLT interval on each mean square at level ${formatNumber(level)}, square-rooted and divided by h_n` },
      ],
      plots: [residualPlot(model.id, shared.times, shared.perUnitTime)],
    },
    (v) =>
      `${model.id} against the exact ODE step: ε̂_cm = ${formatNumber(shared.epsCm.value)} ∈ [${formatNumber(shared.epsCm.interval.lower)}, ${formatNumber(shared.epsCm.interval.upper)}] (largest at t = ${formatNumber(worstTime)}; Σ_n h_n ε_cm,n = ${formatNumber(shared.sum.value)}, boundary ${formatNumber(shared.boundary.value)})` +
      (claimed ? ` ${v === 'holds' ? '≤' : v === 'violated' ? '>' : 'vs'} the declared ε_cm = ${claimed.epsCm}.` : '; no ε_cm declared, so nothing is decided here: lyu2023.oneStep sets the bound this constant implies against the measured one-step error.'),
  );
}

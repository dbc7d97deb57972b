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
 *
 * ## Controls
 * holds: `exactFlowEuler` (aniso-gaussian-2d on OU(δ = 0.002, T = 8), f*, exact score, Euler, N = 32, declared
 * ε_cm = 0.5), `exactFlowExponential` (the same with the exponential integrator, declared 0.5).
 * violated: `denoiserModel` (the denoiser as f: its residual is O(h), so ε̂_cm = O(1) ≫ 0.5), `biasedTeacherScore`
 * (f* with a teacher score biased by (0.5, 0.5): the residual/h tends to ‖J_f b‖ ≈ 0.7 > 0.5).
 *
 * ## References
 * [lyu2023] assumptions (consistency error; reviewers 1 and 3 on v^{em}); THEORY §2.2, §6.2 LYU-A.
 */
import {
  bonferroniCombined,
  builtInTarget,
  type ConsistencyFunction,
  decideUpperBound,
  defineCheck,
  denoiserAsConsistencyFunction,
  type Estimate,
  estimateMeanByClt,
  EvidenceBuilder,
  exactConsistencyFunction,
  exactEstimate,
  type ExactTarget,
  formatNumber,
  type ForwardProcess,
  levelForFalseFailRate,
  localSlopeEstimate,
  ornsteinUhlenbeck,
  type PointBatch,
  pValueAgainstBound,
  referenceFlow,
  type Rng,
} from '../../src/index.ts';
import { geometricGrid, perturbedScore, type ScoreModel } from './scoreError.ts';

export interface ConsistencyErrorSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly model: ConsistencyFunction;
  /** The teacher's score model. */
  readonly score: ScoreModel;
  /** @defaultValue 'euler' */
  readonly solver?: 'euler' | 'exponential';
  readonly claimed: { readonly epsCm: number };
  /** @defaultValue 32 */
  readonly gridSize?: number;
  /** @defaultValue 1000 */
  readonly samples?: number;
}

/** One OU solver step from t (= t_{n+1}) back by h with the score model. */
function solverStep(score: ScoreModel, x: PointBatch, t: number, h: number, solver: 'euler' | 'exponential'): PointBatch {
  const s = score.evaluate(x, t).data;
  const a = solver === 'euler' ? 1 + h : Math.exp(h);
  const c = solver === 'euler' ? h : Math.expm1(h);
  return { n: x.n, d: x.d, data: x.data.map((v, k) => a * v + c * s[k]!) };
}

/** Per-interval RMS residual / h on a grid of the given size. */
function residuals(subject: ConsistencyErrorSubject, size: number, n: number, level: number, rng: Rng): { times: number[]; est: Estimate[]; pValues: number[] } {
  const { target, process, model, score, claimed } = subject;
  const solver = subject.solver ?? 'euler';
  const times = geometricGrid(process, size);
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
    pValues.push(pValueAgainstBound(ms, claimed.epsCm ** 2, 'upper'));
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
    { symbol: 'eps_cm', meaning: 'the consistency error the subject declares', role: 'assumed' },
    { symbol: 'eps_cm_hat', meaning: 'max_n RMS residual / h_n on the grid', role: 'estimated' },
    { symbol: 'order', meaning: 'slope of log ε̂_cm against log N⁻¹ over N = 8, 16, 32 (1 for f* with the exact score)', role: 'estimated' },
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
  ],
  async run(subject, ctx) {
    const size = subject.gridSize ?? 32;
    const n = Math.min(subject.samples ?? 1000, ctx.budget.maxSamples);
    const level = levelForFalseFailRate(ctx.falseFailRate / (size - 1));
    const { claimed } = subject;
    const main = residuals(subject, size, n, level, ctx.rng);
    const parts = new EvidenceBuilder('lyu2023.consistencyError');
    main.est.forEach((e, k) => {
      const dec = decideUpperBound(e, claimed.epsCm);
      parts.add(`interval ${k} (t = ${formatNumber(main.times[k + 1]!)})`, dec.verdict, `RMS residual/h = ${formatNumber(e.value)} ∈ [${formatNumber(e.interval.lower)}, ${formatNumber(e.interval.upper)}] vs ε_cm = ${claimed.epsCm}`, {
        description: `from t = ${formatNumber(main.times[k + 1]!)} to ${formatNumber(main.times[k]!)} the consistency residual per unit step is at least ${formatNumber(e.interval.lower)} > ε_cm = ${claimed.epsCm}`,
        time: main.times[k + 1]!,
        value: e.value,
      });
    });
    const worst = main.est.reduce((b, e, i) => (e.value > main.est[b]!.value ? i : b), 0);
    ctx.checkBudget();
    // Order of ε̂_cm in the grid size (informative).
    const sizes = [8, 16, 32];
    const sweep = sizes.map((N) => (N === size ? Math.max(...main.est.map((e) => e.value)) : Math.max(...residuals(subject, N, Math.min(n, 500), level, ctx.rng.child('sweep')).est.map((e) => e.value))));
    const order = sweep.every((v) => v > 0) ? localSlopeEstimate(sizes.map((N) => 1 / N), sweep, 2) : exactEstimate(Number.POSITIVE_INFINITY);
    return parts.evidence(
      ctx.rng,
      {
        estimates: {
          eps_cm: exactEstimate(claimed.epsCm),
          eps_cm_hat: { value: main.est[worst]!.value, interval: { lower: Math.max(...main.est.map((e) => e.interval.lower)), upper: Math.max(...main.est.map((e) => e.interval.upper)), level }, method: 'clt-mean', n },
          order,
        },
        thresholds: [{ symbol: 'eps_cm_hat', value: claimed.epsCm, side: 'upper' }],
        pValue: bonferroniCombined(main.pValues),
        diagnostics: [
          { kind: 'reconstructed-statement', message: 'the per-step normalisation by h_n² is reconstructed [R] (THEORY §2.2 item 4)' },
          { kind: 'note', message: `ε̂_cm = ${sweep.map(formatNumber).join(', ')} for N = ${sizes.join(', ')} (${subject.solver ?? 'euler'} teacher, ${subject.score.label})` },
        ],
        plots: [{ id: 'consistency-error', title: 'RMS consistency residual per unit step', mark: 'line', x: { label: 't_{n+1}', scale: 'log' }, y: { label: 'residual/h', scale: 'log' }, series: [{ name: subject.model.id, x: main.times.slice(1), y: main.est.map((e) => Math.max(e.value, 1e-300)), lower: main.est.map((e) => e.interval.lower), upper: main.est.map((e) => e.interval.upper) }] }],
      },
      (v) =>
        `${subject.model.id} with the ${subject.solver ?? 'euler'} teacher (${subject.score.label}): ε̂_cm = ${formatNumber(main.est[worst]!.value)} at t = ${formatNumber(main.times[worst + 1]!)} ${v === 'holds' ? '≤' : v === 'violated' ? '>' : 'vs'} ε_cm = ${claimed.epsCm} (ε̂_cm over N = 8, 16, 32: ${sweep.map(formatNumber).join(', ')}).`,
    );
  },
});

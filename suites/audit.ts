/**
 * The model-level checks of `cmbounds audit` (the composition root's view: src/ never imports theorems/). For every
 * trained model of the audit — the user's variant and the built-ins, on every rung of the ladder — each check here
 * gets a subject built from that model, and the audit runs them all as one battery (Holm across every model).
 *
 * A new check whose subject is a trained `ConsistencyFunction` joins the audit by adding an entry to CASES.
 */
import { asGaussianMixture, lhwScheduleForModelRange, modelOnClock, subjectKey, formatTableNumber, type AuditBattery, type AuditCheckCase, type AuditModelRequest, type AnyCheck, type Check, type ConsistencyFunction, type Evidence, type ForwardProcess, type TrainedLhwSubject } from '../src/index.ts';
import { assumption1LipschitzFlows, assumption2TrainingErrors, consistencyErrorAssumption, errorRecursion, EXACT_STEP_GRID_SIZE, EXACT_STEP_SAMPLES, modelLipschitzAssumption, multistepContraction, multistepSampling, oneStepSkeleton, pdeResidual, perturbedScore, scoreErrorAssumption, theorem1, type ScoreModel } from '../theorems/index.ts';

/** Re-noise times of the multistep check on the VE clock (T = 80): one coarse and one fine intermediate time. */
export const AUDIT_TAUS = [5, 0.5] as const;

/** Re-noise time of lyu2023.multistep on the OU clock of the Lyu–Feng–Chen statements. */
export const LYU_MULTISTEP_TAU = 1;

/** Draws of the one-step residuals along the exact flow: lyu2023.oneStep and lyu2023.consistencyError read one measurement. */
const LYU_RESIDUAL_SAMPLES = EXACT_STEP_SAMPLES;

type ClockView = { readonly model: ConsistencyFunction; readonly process: ForwardProcess };
const clockViews = new WeakMap<ConsistencyFunction, Map<string, ClockView>>();

/**
 * The model on the clock a statement is written on (Lyu–Feng–Chen: OU; Song et al.: VE), through the exact clock
 * change; one view object per model and clock, so the memoised constants of the Lyu–Feng–Chen chain are shared by
 * every check on it. The view covers exactly the noise levels the model was trained on.
 */
function onClock(r: AuditModelRequest, kind: 've' | 'vp-ou'): ClockView {
  let views = clockViews.get(r.model);
  if (views === undefined) {
    views = new Map();
    clockViews.set(r.model, views);
  }
  const key = `${kind}:${JSON.stringify(r.process.toSpec())}`;
  let view = views.get(key);
  if (view === undefined) {
    view = modelOnClock(r.model, r.process, kind);
    views.set(key, view);
  }
  return view;
}

/** Built-in variants that distil from a teacher driven by the target's exact score (THEORY §3.4: CD with an exact-score teacher). */
const EXACT_SCORE_TEACHERS = new Set(['cd-euler', 'cd-heun', 'cd-exact', 'cd-euler-missing-t-factor']);
/** Built-in variants trained without a teacher score. */
const TEACHERLESS = new Set(['ct', 'ict', 'lhw']);

/** The teacher score of a variant, or why it has none. */
function teacherScore(r: AuditModelRequest, process: ForwardProcess): { readonly score: ScoreModel } | { readonly noTeacher: string } {
  if (EXACT_SCORE_TEACHERS.has(r.variantId)) return { score: perturbedScore(r.target, process, 1, new Array<number>(r.target.dim).fill(0), `exact score (the ${r.variantId} teacher)`) };
  if (TEACHERLESS.has(r.variantId)) return { noTeacher: `${r.variantId} trains without a teacher score` };
  return { noTeacher: `the variant '${r.variantId}' declares no teacher score` };
}

/** The subject's key: every setting of the case (the canonical `subjectKey`), the clock it is viewed on and the hash of the model's parameters. */
function viewKey(r: AuditModelRequest, view: ClockView, rest: Record<string, unknown>): string {
  return subjectKey({ target: r.target, process: r.process, clock: view.process, ...rest }, { modelKey: r.modelKey });
}

type CaseBuilder = (request: AuditModelRequest) => Omit<AuditCheckCase, 'check'> | undefined;

/** An estimate as `label = value`, when the Evidence has it. */
function estimate(evidence: Evidence, key: string, label = key): string | undefined {
  const e = evidence.estimates[key];
  return e === undefined ? undefined : `${label} = ${formatTableNumber(e.value)}`;
}

/** The largest of the estimates named `<prefix><k>`, as `max <prefix>k = value`. */
function maxOf(prefix: string, evidence: Evidence): string | undefined {
  const values = Object.entries(evidence.estimates).filter(([k]) => k.startsWith(prefix)).map(([, e]) => e.value);
  return values.length === 0 ? undefined : `max ${prefix}k = ${formatTableNumber(Math.max(...values))}`;
}

/** Steps of schedule (23) a trained model is viewed on unless `--schedule T=…` says otherwise. */
export const TRAINED_LHW_T = 1000;
/** The L_f declared for the learned maps unless `--claim Lf=…` says otherwise (the quick suite's default). */
export const TRAINED_LHW_LF = 10;
/** The ε + ε_F Assumption 2 is tested against on a trained model (data units; no `--claim` name yet). */
export const TRAINED_LHW_EPS = 1;

/**
 * A trained model as the Li–Huang–Wei statements take it: schedule (23) from `--schedule` where declared, else with
 * T = 1000 and (c₀, c₁) fitted to the model's trained range (σ₁ = σ(tMin), σ_T = σ(tMax)); L_f from `--claim`.
 */
function trainedLhwSubject(r: AuditModelRequest, claimed: TrainedLhwSubject['claimed']): TrainedLhwSubject | undefined {
  const target = asGaussianMixture(r.target);
  if (target === undefined) return undefined;
  const declared = r.constants;
  const userSchedule = declared !== undefined && (declared.fromUser.has('c0') || declared.fromUser.has('c1'));
  const schedule = declared?.schedule ?? lhwScheduleForModelRange(r.process, TRAINED_LHW_T);
  return {
    trained: { model: r.model, process: r.process, label: `${r.variantId} ${r.modelKey}` },
    target,
    flowTarget: r.target,
    schedule,
    scheduleOrigin: userSchedule ? 'declared with --schedule' : `T ${declared?.fromUser.has('T') ? 'declared' : 'by default'}, c₀ and c₁ fitted to the model's trained range: σ₁ = σ(tMin), σ_T = σ(tMax)`,
    claimed,
  };
}

/**
 * The statement with only its trained-model controls (names starting with `trained`): the audit and the trained suite
 * self-test the controls of the subject form they run, in seconds; the exact-object controls run in the quick suite
 * and the statement's own tests. Same id, claim and `run`.
 */
function onTrainedModels<S>(check: Check<S>): Check<S> {
  return Object.freeze({ ...check, controls: check.controls.filter((c) => c.name.startsWith('trained')) });
}

/** A Li–Huang–Wei statement on the trained model, with the subject's claims and the table's headline. */
function lhwCase(claimed: (r: AuditModelRequest) => TrainedLhwSubject['claimed'], summarize: (e: Evidence) => string | undefined): CaseBuilder {
  return (r) => {
    const subject = trainedLhwSubject(r, claimed(r));
    if (subject === undefined) return undefined;
    return { subject: { value: subject, key: subjectKey(subject, { modelKey: r.modelKey }) }, summarize };
  };
}

const CASES: readonly (readonly [AnyCheck, CaseBuilder])[] = [
  [
    multistepSampling,
    (r) => {
      // the Monte Carlo branch reads coordinate marginals of a GaussianMixture: a product target is passed as the same law in that form
      // written on VE: a model of another clock is viewed there by the exact clock change
      const target = asGaussianMixture(r.target);
      if (target === undefined) return undefined;
      const view = onClock(r, 've');
      const taus = AUDIT_TAUS.filter((t) => t > view.process.tMin && t < view.process.tMax);
      return {
        subject: {
          value: { target, process: view.process, model: view.model, taus, samples: r.samples },
          key: viewKey(r, view, { taus, samples: r.samples }),
        },
        // Kolmogorov distance to p_ε after the worst round (Monte Carlo), or W₂ in the closed-form branch
        summarize: (e) => maxOf('D_', e) ?? maxOf('W2_', e),
      };
    },
  ],
  // The Lyu–Feng–Chen chain on the OU clock of its statements (a VE model is viewed there by the exact clock
  // change). Nothing is declared on a trained model: the three constants are measured (each by one shared
  // computation that lyu2023.oneStep's bound reads too), and the verdict is the one-step bound against the
  // measured one-step W₂.
  [
    consistencyErrorAssumption,
    (r) => {
      const view = onClock(r, 'vp-ou');
      const samples = Math.min(r.samples, LYU_RESIDUAL_SAMPLES);
      return {
        subject: { value: { target: r.target, ...view, gridSize: EXACT_STEP_GRID_SIZE, samples }, key: viewKey(r, view, { gridSize: EXACT_STEP_GRID_SIZE, samples }) },
        // ε̂_cm against the exact ODE step, per unit OU time, with its interval
        summarize: (e) => estimate(e, 'eps_cm', 'ε̂_cm'),
      };
    },
  ],
  [
    scoreErrorAssumption,
    (r) => {
      const view = onClock(r, 'vp-ou');
      const teacher = teacherScore(r, view.process);
      const samples = Math.min(r.samples, 2000);
      return {
        subject: {
          value: { target: r.target, process: view.process, ...teacher, samples },
          key: viewKey(r, view, { teacher: 'score' in teacher ? teacher.score.label : teacher.noTeacher, samples }),
        },
        summarize: (e) => estimate(e, 'eps_sc', 'ε̂_sc') ?? 'no teacher score',
      };
    },
  ],
  [
    modelLipschitzAssumption,
    (r) => {
      const view = onClock(r, 'vp-ou');
      return {
        // the exact f*'s constant (reviewer 2's comparison) is the constants study's: not repeated per model here
        subject: { value: { target: r.target, ...view, exactFlowReference: false }, key: viewKey(r, view, { exactFlowReference: false }) },
        // a lower bound (witness search) unless the model is affine
        summarize: (e) => {
          const lf = e.estimates['L_f'];
          return lf === undefined ? undefined : `L̂_f ${lf.method === 'exact' ? '=' : '≥'} ${formatTableNumber(lf.value)}`;
        },
      };
    },
  ],
  [
    multistepContraction,
    (r) => {
      const view = onClock(r, 'vp-ou');
      return {
        subject: { value: { target: r.target, ...view, tau: LYU_MULTISTEP_TAU }, key: viewKey(r, view, { tau: LYU_MULTISTEP_TAU }) },
        summarize: (e) => estimate(e, 'e_K', 'W₂ after 30 rounds'),
      };
    },
  ],
  [
    oneStepSkeleton,
    (r) => {
      // no L_f is declared: the check measures the model's one-step W₂ against p_data (exact assignment, 20
      // repetitions; 2048 points in 1-D, where sorting is the assignment, at most 384 otherwise) and the bound its measured
      // constants imply (residuals along the exact flow, witnessed L̂_f, prior and early-stopping terms), on the OU clock
      const view = onClock(r, 'vp-ou');
      const samples = Math.min(r.samples, LYU_RESIDUAL_SAMPLES);
      const w2Samples = r.target.dim === 1 ? 2048 : Math.min(r.samples, 384);
      const w2Repetitions = 20;
      return {
        subject: {
          value: { target: r.target, ...view, samples, w2Samples, w2Repetitions },
          key: viewKey(r, view, { samples, w2Samples, w2Repetitions }),
        },
        // the measured one-step W₂, the bound of the measured constants, and their ratio (the tightness)
        summarize: (e) => [estimate(e, 'W2_measured', 'W₂'), estimate(e, 'W2_bound', 'bound'), estimate(e, 'tightness')].filter((s) => s !== undefined).join(', ') || undefined,
      };
    },
  ],
  [
    pdeResidual,
    (r) => {
      // written on VE: a model of another clock is viewed there by the exact clock change
      const view = onClock(r, 've');
      const samples = Math.min(r.samples, 1000);
      return {
        subject: {
          value: { target: r.target, ...view, samples },
          key: viewKey(r, view, { samples }),
        },
        // ∫‖R‖: the integrated transport residual that bounds e(t) = ‖f(t, ·) − f*(t, ·)‖ at t = 2
        summarize: (e) => estimate(e, 'int_r', '∫‖R‖'),
      };
    },
  ],
  // the Li–Huang–Wei chain on the trained model viewed on schedule (23)
  [onTrainedModels(assumption1LipschitzFlows), lhwCase((r) => ({ Lf: r.constants?.claims.Lf ?? TRAINED_LHW_LF }), (e) => estimate(e, 'L_f', 'L̂_f (lower bound)'))],
  [onTrainedModels(assumption2TrainingErrors), lhwCase(() => ({ epsilonTotal: TRAINED_LHW_EPS }), (e) => estimate(e, 'eps_tot', 'ε̂_tot'))],
  [onTrainedModels(errorRecursion), lhwCase(() => ({}), (e) => [estimate(e, 'xi_T', 'E‖ξ_T‖'), estimate(e, 'prediction')].filter((x) => x !== undefined).join(', ') || undefined)],
  [onTrainedModels(theorem1), lhwCase(() => ({}), (e) => [estimate(e, 'W1_measured', 'W₁'), estimate(e, 'W1_bound', 'bound'), estimate(e, 'tightness')].filter((x) => x !== undefined).join(', ') || undefined)],
];

export const auditBattery: AuditBattery = {
  checks: CASES.map(([check]) => check),
  casesFor(request) {
    const out: AuditCheckCase[] = [];
    for (const [check, build] of CASES) {
      const built = build(request);
      if (built !== undefined) out.push({ check, ...built });
    }
    return out;
  },
};

/**
 * The model-level checks of `cmbounds audit` (the composition root's view: src/ never imports theorems/). For every
 * trained model of the audit — the user's variant and the built-ins, on every rung of the ladder — each check here
 * gets a subject built from that model, and the audit runs them all as one battery (Holm across every model).
 *
 * A new check whose subject is a trained `ConsistencyFunction` joins the audit by adding an entry to CASES.
 */
import { asGaussianMixture } from '../src/audit/ladder.ts';
import type { AuditBattery, AuditCheckCase, AuditModelRequest } from '../src/audit/auditBattery.ts';
import type { AnyCheck, Check } from '../src/checks/defineCheck.ts';
import type { Evidence } from '../src/checks/evidence.ts';
import { fmt } from '../src/report/renderMarkdown.ts';
import { multistepSampling, oneStepSkeleton, pdeResidual } from '../theorems/index.ts';
import { assumption1LipschitzFlows, assumption2TrainingErrors, errorRecursion, theorem1 } from '../theorems/index.ts';
import { lhwScheduleForModelRange, trainedLhwSubjectKey, type TrainedLhwSubject } from '../src/lhw/trainedChain.ts';

/** Re-noise times of the multistep check on the VE clock (T = 80): one coarse and one fine intermediate time. */
export const AUDIT_TAUS = [5, 0.5] as const;

type CaseBuilder = (request: AuditModelRequest) => Omit<AuditCheckCase, 'check'> | undefined;

/** An estimate as `label = value`, when the Evidence has it. */
function estimate(evidence: Evidence, key: string, label = key): string | undefined {
  const e = evidence.estimates[key];
  return e === undefined ? undefined : `${label} = ${fmt(e.value)}`;
}

/** The largest of the estimates named `<prefix><k>`, as `max <prefix>k = value`. */
function maxOf(prefix: string, evidence: Evidence): string | undefined {
  const values = Object.entries(evidence.estimates).filter(([k]) => k.startsWith(prefix)).map(([, e]) => e.value);
  return values.length === 0 ? undefined : `max ${prefix}k = ${fmt(Math.max(...values))}`;
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
    return { subject: { value: subject, key: trainedLhwSubjectKey(subject) }, summarize };
  };
}

const CASES: readonly (readonly [AnyCheck, CaseBuilder])[] = [
  [
    multistepSampling,
    (r) => {
      // the Monte Carlo branch reads coordinate marginals of a GaussianMixture: a product target is passed as the same law in that form
      const target = asGaussianMixture(r.target);
      if (target === undefined || r.process.kind !== 've') return undefined;
      const taus = AUDIT_TAUS.filter((t) => t > r.process.tMin && t < r.process.tMax);
      return {
        subject: {
          value: { target, process: r.process, model: r.model, taus, samples: r.samples },
          key: JSON.stringify({ target: r.targetName, process: r.process.toSpec(), model: r.modelKey, taus, samples: r.samples }),
        },
        // Kolmogorov distance to p_ε after the worst round (Monte Carlo), or W₂ in the closed-form branch
        summarize: (e) => maxOf('D_', e) ?? maxOf('W2_', e),
      };
    },
  ],
  [
    oneStepSkeleton,
    (r) => {
      // no L_f is declared: the check measures the model's one-step W₂ against p_data (exact assignment, 20
      // repetitions; 2048 points in 1-D, where sorting is the assignment, at most 384 otherwise) and the bound its measured
      // constants imply (residuals along the exact flow, witnessed L̂_f, prior and early-stopping terms)
      const samples = Math.min(r.samples, 500);
      const w2Samples = r.target.dim === 1 ? 2048 : Math.min(r.samples, 384);
      const w2Repetitions = 20;
      return {
        subject: {
          value: { target: r.target, process: r.process, model: r.model, samples, w2Samples, w2Repetitions },
          key: JSON.stringify({ target: r.targetName, process: r.process.toSpec(), model: r.modelKey, samples, w2Samples, w2Repetitions }),
        },
        // the measured one-step W₂, the bound of the measured constants, and their ratio (the tightness)
        summarize: (e) => [estimate(e, 'W2_measured', 'W₂'), estimate(e, 'W2_bound', 'bound'), estimate(e, 'tightness')].filter((s) => s !== undefined).join(', ') || undefined,
      };
    },
  ],
  [
    pdeResidual,
    (r) => {
      if (r.process.kind !== 've') return undefined;
      const samples = Math.min(r.samples, 1000);
      return {
        subject: {
          value: { target: r.target, process: r.process, model: r.model, samples },
          key: JSON.stringify({ target: r.targetName, process: r.process.toSpec(), model: r.modelKey, samples }),
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

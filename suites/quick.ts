/**
 * The `quick` suite: the battery on one target with the claims a user would test by default, finishing in
 * seconds to a couple of minutes on 2 cores — what `npm start` runs.
 *
 * Li–Huang–Wei part: schedule (23) with T = 1000, c0 = 2, c1 = 8 by default (the values THEORY §1.2 measures).
 * Declared claims (constants the paper leaves unspecified; the report gives the empirical ones beside them), by
 * default: typical set c3 = 2, c4 = 1; posterior concentration c5 = 5, c6 = 2 with c_R = 1 (so c5 ≥ 2c6 + c_R);
 * Lipschitz flows L_f = 10. The user replaces any of them with `--claim NAME=VALUE` and `--schedule T=…,c0=…,c1=…`
 * (src/config/claims.ts); the report's "Declared constants" table marks whose each value is. The error recursion and the
 * idealised part of Theorem 1 have exact computations only for a single Gaussian or a 1-D mixture; on other
 * targets they are left out and the Findings paragraph says so.
 *
 * Song et al. / Lyu et al. part, on the exact consistency function f* (VE with ε = 0.002, T = 80, and OU):
 * multistep sampling must preserve p_ε, the transport-PDE residual must vanish, and the declared constants
 * L_f = 10 (model Lipschitz, the same claim as Assumption 1's) and L_s = 1e4 (score Lipschitz) are tested.
 *
 * Trained part: one small consistency model (QUICK_TRAINED: CD with the exact teacher, a 2×32 SiLU MLP, 300 Adam
 * steps on VE) is trained on the target, or reused from the cache folder when a run with the same settings, code and
 * tfjs backend trained it before, and the model-level battery of `cmbounds audit` (suites/audit.ts) runs on it
 * beside the statements on f*: the theorems' bounds from its measured constants against its measured errors.
 */
import { type AnyCheck, type BatterySubject, type Suite, type SuiteRequest, constantsTable, requireSchedule, resolveConstants, type ClaimName, type ScheduleField, type SuiteConstantDefaults, subjectKey, type LhwSetting, GaussianMixture, lhwSchedule, ornsteinUhlenbeck, varianceExploding, referenceFlow, exactConsistencyFunction, type AuditReport, trainOrReuseModel, type CachedModel, qualifiedId, MODEL_COLUMNS, modelEstimatesOf, describeSetting, formatTableNumber } from '../src/index.ts';
import { allChecks } from '../theorems/index.ts';
import { auditBattery } from './audit.ts';

/** The suite's defaults; `--claim` and `--schedule` replace any of them. */
export const QUICK_SCHEDULE = { T: 1000, c0: 2, c1: 8 } as const;
export const QUICK_CLAIMS = { c3: 2, c4: 1, c5: 5, c6: 2, cR: 1, Lf: 10, Ls: 1e4 } as const;
export const QUICK_DEFAULTS: SuiteConstantDefaults = { claims: QUICK_CLAIMS, schedule: QUICK_SCHEDULE };
/** T sweeps of the rate checks: closed forms for Gaussians; the 1-D grid recursion is costlier. */
const GAUSSIAN_SWEEP = [256, 512, 1024, 2048, 4096];
const MIXTURE_SWEEP = [160, 226, 320, 453, 640];

/** The model the quick suite trains: small enough for seconds of training on 2 cores, cached under the cache folder. */
export const QUICK_TRAINED = { variant: 'cd-exact', steps: 300, width: 32, depth: 2, batchSize: 128, learningRate: 3e-3, emaDecay: 0.99, gridSize: 18 } as const;
/** Monte Carlo draws per estimate of the model-level checks on the trained model (the audit's default is 10 000). */
export const QUICK_TRAINED_SAMPLES = 2000;

/**
 * The `quick` suite as `npm start` runs it: the statements on f* ({@link quickSuite}) and the model-level battery on
 * the small trained model (trained now, or reused from the cache folder).
 */
export async function quickSuiteWithTrainedModel(request: SuiteRequest): Promise<Suite> {
  const suite = quickSuite(request);
  // a --check selection of statements on f* only needs no model (the trained entries' ids name the model: `…[cd-exact@…]`)
  if (request.checkIds !== undefined && !request.checkIds.some((id) => id.includes('['))) return suite;
  const trained = await trainedModel(request);
  const { checks, subjects } = trainedPart(request, trained);
  const modelLine = `${trained.loaded.meta.variant.id} (${trained.loaded.model.id}, ${QUICK_TRAINED.steps} steps, seed ${request.seed}; ${trained.reused ? `reused from ${trained.dir}` : `trained in ${(trained.trainingMs / 1000).toFixed(1)} s, kept in ${trained.dir}`})`;
  return {
    ...suite,
    subject: { ...suite.subject, variant: `exact f*, and a trained model: ${modelLine}`, functionClass: `${suite.subject.functionClass}; ${trained.loaded.model.id} (EMA weights) for the trained model` },
    checks: [...suite.checks, ...checks],
    subjects: { ...suite.subjects, ...subjects },
    findings: (report) => `${suite.findings!(report)} ${trainedFindings(report, modelLine)}`,
  };
}

/** Trains the quick suite's model on the requested target, or reuses it from the cache folder. */
async function trainedModel(request: SuiteRequest): Promise<CachedModel> {
  const cacheDir = request.cacheDir ?? '.cmbounds-cache';
  const t = QUICK_TRAINED;
  const process = varianceExploding();
  const cached = await trainOrReuseModel({ ...t, target: request.target, process, seed: request.seed, cacheDir });
  // a line for a person at a terminal (the training is the only silent part before the battery's progress)
  if (globalThis.process.stderr.isTTY) globalThis.process.stderr.write(
    cached.reused
      ? `quick: reusing the trained ${t.variant} model on ${request.targetName} from ${cached.dir}
`
      : `quick: trained ${t.variant} on ${request.targetName} (${t.steps} steps, ${cached.loaded.model.id}) in ${(cached.trainingMs / 1000).toFixed(1)} s; kept in ${cached.dir}
`,
  );
  return cached;
}

/** The audit's model-level checks on the trained model, with ids that name it (`lyu2023.oneStep[cd-exact@ring8-2d]`). */
function trainedPart(request: SuiteRequest, trained: CachedModel): { checks: AnyCheck[]; subjects: Record<string, BatterySubject> } {
  const variantId = trained.loaded.meta.variant.id;
  const cases = auditBattery.casesFor({
    target: request.target,
    targetName: request.targetName,
    process: trained.loaded.process,
    model: trained.loaded.model,
    variantId,
    modelKey: trained.key,
    samples: QUICK_TRAINED_SAMPLES,
  });
  const inCases = new Set(cases.map((c) => c.check.id as string));
  const checks: AnyCheck[] = [];
  const subjects: Record<string, BatterySubject> = {};
  for (const c of cases) {
    const id = qualifiedId(c.check.id, variantId, request.targetName);
    // a dependency on another model-level check is on the same model's; the controls array is shared with the check on f*
    const dependsOn = c.check.dependsOn.filter((d) => inCases.has(d)).map((d) => qualifiedId(d, variantId, request.targetName));
    checks.push({ ...c.check, id, title: `${c.check.title} — trained ${variantId} model on ${request.targetName}`, dependsOn });
    subjects[id] = c.subject;
  }
  return { checks, subjects };
}

/** The Findings sentence on the trained model: its verdicts, and each theorem's bound against the measured error. */
function trainedFindings(report: AuditReport, modelLine: string): string {
  const entries = report.entries.filter((e) => /\[[^\]]+@[^\]]+\]$/.test(e.statement.id));
  if (entries.length === 0) return '';
  const count = (v: string): number => entries.filter((e) => e.result.evidence?.verdict === v).length;
  const bounds: string[] = [];
  for (const e of entries) {
    const statement = e.statement.id.replace(/\[.*$/, '');
    const evidence = e.result.evidence;
    if (evidence === undefined) continue;
    const numbers = modelEstimatesOf(statement, evidence);
    if (numbers === undefined) continue;
    const shown = MODEL_COLUMNS.filter((col) => col.statement === statement && numbers[col.key] !== undefined).map((col) => `${col.header} = ${formatTableNumber(numbers[col.key]!.value)}`);
    bounds.push(`\`${statement}\`: ${shown.join(', ')}`);
  }
  return (
    `On the trained model ${modelLine}, ${entries.length} model-level statements ran: ${count('holds')} hold, ${count('violated')} violated, ${count('inconclusive')} inconclusive` +
    (bounds.length > 0 ? `; bound against measured error (tightness = bound / measured; ≥ 1 means the bound holds): ${bounds.join('; ')}.` : '.')
  );
}

/** The quick suite's statements on the schedule, the exact score and the exact consistency function f* (no training). */
export function quickSuite(request: SuiteRequest): Suite {
  const { target } = request;
  const declared = resolveConstants(request.constants, QUICK_DEFAULTS);
  const claims = declared.claims;
  const scheduleConstants = declared.schedule;
  const schedule = lhwSchedule(scheduleConstants);
  const setting: LhwSetting = { target, schedule };
  const keyed = (value: unknown): BatterySubject => ({ value, key: subjectKey(value) });
  // which statements receive each constant, recorded as their subjects are built (the report's table lists them)
  const usedBy: Partial<Record<ClaimName | ScheduleField, string[]>> = {};
  const uses = (statement: string, names: readonly (ClaimName | ScheduleField)[]): void => {
    for (const name of names) (usedBy[name] ??= []).push(statement);
  };
  const scheduleFields: readonly ScheduleField[] = ['T', 'c0', 'c1'];
  const subjects: Record<string, BatterySubject> = {
    'li2024.schedule': keyed(schedule),
    'li2024.scoreSecondMoment': keyed({ ...setting, samples: 4000 }),
    'li2024.typicalSet': keyed({ ...setting, claimed: { c3: claims.c3, c4: claims.c4 }, samples: 4000 }),
    'li2024.assumption1': keyed({ ...setting, claimed: { Lf: claims.Lf }, samples: 16 }),
  };
  for (const id of Object.keys(subjects)) uses(id, scheduleFields);
  uses('li2024.typicalSet', ['c3', 'c4']);
  uses('li2024.assumption1', ['Lf']);
  const notApplicable: string[] = [];
  if (target.kind !== 'product') {
    subjects['li2024.lemma1'] = keyed({ ...setting, claimed: { c5: claims.c5, c6: claims.c6, cR: claims.cR }, samples: 64 });
    // c_R enters through the hypothesis c5 ≥ 2c6 + c_R, which resolveConstants enforces at the boundary and the check again
    uses('li2024.lemma1', [...scheduleFields, 'c5', 'c6', 'cR']);
  } else notApplicable.push('li2024.lemma1 (product targets are not supported by its posterior computation)');
  const single = target instanceof GaussianMixture && target.components === 1;
  const oneDimMixture = target instanceof GaussianMixture && target.dim === 1;
  if (single || oneDimMixture) {
    const Ts = single ? GAUSSIAN_SWEEP : MIXTURE_SWEEP;
    // the user's c0, c1 must give a schedule (23) at every T of the sweep, not only at the declared T
    for (const T of Ts) requireSchedule(declared, T, `the T sweep of li2024.errorRecursion and li2024.theorem1`);
    const base = { target, c0: scheduleConstants.c0, c1: scheduleConstants.c1, Ts, coupling: 'ct' as const };
    subjects['li2024.errorRecursion'] = keyed({ ...base, ...(oneDimMixture && !single ? { gridPoints: 121, stepsPerT: 2 } : {}) });
    subjects['li2024.theorem1'] = keyed(base);
    // their own T sweeps replace T
    uses('li2024.errorRecursion', ['c0', 'c1']);
    uses('li2024.theorem1', ['c0', 'c1']);
  } else {
    notApplicable.push('li2024.errorRecursion and li2024.theorem1 (their exact computations need a single Gaussian or a 1-D mixture)');
  }
  notApplicable.push('li2024.assumption2 on f* (a statement about trained models: it runs on the trained model when the model-level battery has it, and in `cmbounds audit`)');

  // Song et al. / Lyu et al. statements about a model, applied to the exact consistency function f* itself.
  const ve = varianceExploding();
  const ou = ornsteinUhlenbeck();
  const exactVe = exactConsistencyFunction(referenceFlow(target, ve));
  const exactOu = exactConsistencyFunction(referenceFlow(target, ou));
  if (target instanceof GaussianMixture) {
    subjects['lyu2023.scoreLipschitz'] = keyed({ target, process: ou, claimed: { Ls: claims.Ls } });
    uses('lyu2023.scoreLipschitz', ['Ls']);
  } else notApplicable.push('lyu2023.scoreLipschitz (it needs a Gaussian mixture in closed form)');
  subjects['lyu2023.modelLipschitz'] = keyed({ target, process: ou, model: exactOu, claimed: { Lf: claims.Lf } });
  uses('lyu2023.modelLipschitz', ['Lf']);
  subjects['song2023.multistepSampling'] = keyed({ target, process: ve, model: exactVe, taus: [2, 0.5] });
  subjects['song2023.pdeResidual'] = keyed({ target, process: ve, model: exactVe });
  const checks: AnyCheck[] = allChecks.filter((c) => c.id in subjects);
  const constants = constantsTable(declared, usedBy);
  return {
    name: 'quick',
    title: `cmbounds quick battery on ${request.targetName}`,
    subject: {
      target: request.targetName,
      process: `Li–Huang–Wei schedule (23): T = ${scheduleConstants.T}, c0 = ${scheduleConstants.c0}, c1 = ${scheduleConstants.c1}`,
      variant: 'exact f*',
      functionClass: 'exact consistency function f* (VE ε = 0.002, T = 80; OU for the Lyu et al. statements)',
    },
    checks,
    subjects,
    constants,
    findings: (report) => findings(report, notApplicable),
  };
}

function findings(report: AuditReport, notApplicable: readonly string[]): string {
  const violated = report.entries.filter((e) => e.result.evidence?.verdict === 'violated').map((e) => `\`${e.statement.id}\` (${e.result.evidence!.reason})`);
  const parts = [
    `${report.entries.length} statements ran on ${report.subject.target}: ${report.summary.holds} hold, ${report.summary.violated} violated, ${report.summary.inconclusive} inconclusive.`,
    violated.length > 0 ? `Violated: ${violated.join('; ')}.` : 'No statement was violated.',
    notApplicable.length > 0 ? `Not run on this target: ${notApplicable.join('; ')}.` : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}

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
 */
import { type AnyCheck, type BatterySubject, type Suite, type SuiteRequest, constantsTable, requireSchedule, resolveConstants, type ClaimName, type ScheduleField, type SuiteConstantDefaults, subjectKey, type LhwSetting, GaussianMixture, lhwSchedule, ornsteinUhlenbeck, varianceExploding, referenceFlow, exactConsistencyFunction, type AuditReport } from '../src/index.ts';
import { allChecks } from '../theorems/index.ts';

/** The suite's defaults; `--claim` and `--schedule` replace any of them. */
export const QUICK_SCHEDULE = { T: 1000, c0: 2, c1: 8 } as const;
export const QUICK_CLAIMS = { c3: 2, c4: 1, c5: 5, c6: 2, cR: 1, Lf: 10, Ls: 1e4 } as const;
export const QUICK_DEFAULTS: SuiteConstantDefaults = { claims: QUICK_CLAIMS, schedule: QUICK_SCHEDULE };
/** T sweeps of the rate checks: closed forms for Gaussians; the 1-D grid recursion is costlier. */
const GAUSSIAN_SWEEP = [256, 512, 1024, 2048, 4096];
const MIXTURE_SWEEP = [160, 226, 320, 453, 640];

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
  notApplicable.push('li2024.assumption2 (it needs a trained sequence of models: see `cmbounds audit`)');

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
      variant: 'exact (no trained model in the quick suite)',
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

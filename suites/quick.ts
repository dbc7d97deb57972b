/**
 * The `quick` suite: the battery on one target with the claims a user would test by default, finishing in
 * seconds to a couple of minutes on 2 cores — what `npm start` runs.
 *
 * Li–Huang–Wei part: schedule (23) with T = 1000, c0 = 2, c1 = 8 (the values THEORY §1.2 measures). Declared
 * claims (constants the paper leaves unspecified; the report gives the empirical ones beside them): typical set
 * c3 = 2, c4 = 1; posterior concentration c5 = 5, c6 = 2; Lipschitz flows L_f = 10. The error recursion and the
 * idealised part of Theorem 1 have exact computations only for a single Gaussian or a 1-D mixture; on other
 * targets they are left out and the Findings paragraph says so.
 *
 * Song et al. / Lyu et al. part, on the exact consistency function f* (VE with ε = 0.002, T = 80, and OU):
 * multistep sampling must preserve p_ε, the transport-PDE residual must vanish, and the declared constants
 * L_f = 10 (model Lipschitz) and L_s = 1e4 (score Lipschitz) are tested.
 */
import type { AnyCheck } from '../src/checks/defineCheck.ts';
import type { BatterySubject } from '../src/checks/runBattery.ts';
import type { Suite, SuiteRequest } from '../src/cli/suite.ts';
import { describeSetting, type LhwSetting } from '../src/checks/lhw/lhwSetting.ts';
import { GaussianMixture } from '../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../src/processes/lhwSchedule.ts';
import { ornsteinUhlenbeck } from '../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../src/processes/varianceExploding.ts';
import { referenceFlow } from '../src/flows/referenceFlow.ts';
import { exactConsistencyFunction } from '../src/models/exactConsistency.ts';
import type { AuditReport } from '../src/report/auditReport.ts';
import { allChecks } from '../theorems/index.ts';

export const QUICK_SCHEDULE = { T: 1000, c0: 2, c1: 8 } as const;
export const QUICK_CLAIMS = { c3: 2, c4: 1, c5: 5, c6: 2, Lf: 10, Ls: 1e4 } as const;
/** T sweeps of the rate checks: closed forms for Gaussians; the 1-D grid recursion is costlier. */
const GAUSSIAN_SWEEP = [256, 512, 1024, 2048, 4096];
const MIXTURE_SWEEP = [160, 226, 320, 453, 640];

export function quickSuite(request: SuiteRequest): Suite {
  const { target } = request;
  const schedule = lhwSchedule(QUICK_SCHEDULE);
  const setting: LhwSetting = { target, schedule };
  const key = (extra: object): string => JSON.stringify({ setting: JSON.parse(describeSetting(setting)), ...extra });
  const subjects: Record<string, BatterySubject> = {
    'li2024.schedule': { value: schedule, key: key({ check: 'schedule' }) },
    'li2024.scoreSecondMoment': { value: { ...setting, samples: 4000 }, key: key({ samples: 4000 }) },
    'li2024.typicalSet': { value: { ...setting, claimed: { c3: QUICK_CLAIMS.c3, c4: QUICK_CLAIMS.c4 }, samples: 4000 }, key: key({ claimed: [QUICK_CLAIMS.c3, QUICK_CLAIMS.c4], samples: 4000 }) },
    'li2024.assumption1': { value: { ...setting, claimed: { Lf: QUICK_CLAIMS.Lf }, samples: 16 }, key: key({ claimed: QUICK_CLAIMS.Lf, samples: 16 }) },
  };
  const notApplicable: string[] = [];
  if (target.kind !== 'product') {
    subjects['li2024.lemma1'] = { value: { ...setting, claimed: { c5: QUICK_CLAIMS.c5, c6: QUICK_CLAIMS.c6 }, samples: 64 }, key: key({ claimed: [QUICK_CLAIMS.c5, QUICK_CLAIMS.c6], samples: 64 }) };
  } else notApplicable.push('li2024.lemma1 (product targets are not supported by its posterior computation)');
  const single = target instanceof GaussianMixture && target.components === 1;
  const oneDimMixture = target instanceof GaussianMixture && target.dim === 1;
  if (single || oneDimMixture) {
    const Ts = single ? GAUSSIAN_SWEEP : MIXTURE_SWEEP;
    const base = { target, c0: QUICK_SCHEDULE.c0, c1: QUICK_SCHEDULE.c1, Ts, coupling: 'ct' as const };
    subjects['li2024.errorRecursion'] = { value: { ...base, ...(oneDimMixture && !single ? { gridPoints: 121, stepsPerT: 2 } : {}) }, key: JSON.stringify({ target: target.toSpec(), Ts, check: 'errorRecursion' }) };
    subjects['li2024.theorem1'] = { value: base, key: JSON.stringify({ target: target.toSpec(), Ts, check: 'theorem1' }) };
  } else {
    notApplicable.push('li2024.errorRecursion and li2024.theorem1 (their exact computations need a single Gaussian or a 1-D mixture)');
  }
  notApplicable.push('li2024.assumption2 (it needs a trained sequence of models: see `cmbounds audit`)');

  // Song et al. / Lyu et al. statements about a model, applied to the exact consistency function f* itself.
  const ve = varianceExploding();
  const ou = ornsteinUhlenbeck();
  const exactVe = exactConsistencyFunction(referenceFlow(target, ve));
  const exactOu = exactConsistencyFunction(referenceFlow(target, ou));
  const spec = JSON.stringify(target.toSpec());
  if (target instanceof GaussianMixture) {
    subjects['lyu2023.scoreLipschitz'] = { value: { target, process: ou, claimed: { Ls: QUICK_CLAIMS.Ls } }, key: `${spec}|ou|Ls=${QUICK_CLAIMS.Ls}` };
  } else notApplicable.push('lyu2023.scoreLipschitz (it needs a Gaussian mixture in closed form)');
  subjects['lyu2023.modelLipschitz'] = { value: { target, process: ou, model: exactOu, claimed: { Lf: QUICK_CLAIMS.Lf } }, key: `${spec}|ou|f*|Lf=${QUICK_CLAIMS.Lf}` };
  subjects['song2023.multistepSampling'] = { value: { target, process: ve, model: exactVe, taus: [2, 0.5] }, key: `${spec}|ve|f*|taus=2,0.5` };
  subjects['song2023.pdeResidual'] = { value: { target, process: ve, model: exactVe }, key: `${spec}|ve|f*` };
  const checks: AnyCheck[] = allChecks.filter((c) => c.id in subjects);
  return {
    name: 'quick',
    title: `cmbounds quick battery on ${request.targetName}`,
    subject: {
      target: request.targetName,
      process: `Li–Huang–Wei schedule (23): T = ${QUICK_SCHEDULE.T}, c0 = ${QUICK_SCHEDULE.c0}, c1 = ${QUICK_SCHEDULE.c1}`,
      variant: 'exact (no trained model in the quick suite)',
      functionClass: 'exact consistency function f* (VE ε = 0.002, T = 80; OU for the Lyu et al. statements)',
    },
    checks,
    subjects,
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

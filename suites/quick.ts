/**
 * The `quick` suite: the Li–Huang–Wei battery on one target under the schedule (23) with T = 1000, c0 = 2,
 * c1 = 8 (the values THEORY §1.2 measures), with the claims a user would test by default. It finishes in
 * seconds to a couple of minutes on 2 cores, which is what `npm start` runs.
 *
 * Declared claims (constants the paper leaves unspecified; the report gives the empirical ones beside them):
 * typical set c3 = 2, c4 = 1; Lipschitz flows L_f = 10.
 */
import type { Suite, SuiteRequest } from '../src/cli/suite.ts';
import { describeSetting, type LhwSetting } from '../src/checks/lhw/lhwSetting.ts';
import { lhwSchedule } from '../src/processes/lhwSchedule.ts';
import { allChecks } from '../theorems/index.ts';

export const QUICK_SCHEDULE = { T: 1000, c0: 2, c1: 8 } as const;
export const QUICK_CLAIMS = { c3: 2, c4: 1, Lf: 10 } as const;

export function quickSuite(request: SuiteRequest): Suite {
  const schedule = lhwSchedule(QUICK_SCHEDULE);
  const setting: LhwSetting = { target: request.target, schedule };
  const key = (extra: object): string => JSON.stringify({ setting: JSON.parse(describeSetting(setting)), ...extra });
  const subjects = {
    'li2024.schedule': { value: schedule, key: key({ check: 'schedule' }) },
    'li2024.scoreSecondMoment': { value: { ...setting, samples: 4000 }, key: key({ samples: 4000 }) },
    'li2024.typicalSet': { value: { ...setting, claimed: { c3: QUICK_CLAIMS.c3, c4: QUICK_CLAIMS.c4 }, samples: 4000 }, key: key({ claimed: [QUICK_CLAIMS.c3, QUICK_CLAIMS.c4], samples: 4000 }) },
    'li2024.assumption1': { value: { ...setting, claimed: { Lf: QUICK_CLAIMS.Lf }, samples: 16 }, key: key({ claimed: QUICK_CLAIMS.Lf, samples: 16 }) },
  };
  return {
    name: 'quick',
    title: `cmbounds quick battery on ${request.targetName}`,
    subject: {
      target: request.targetName,
      process: `Li–Huang–Wei schedule (23): T = ${QUICK_SCHEDULE.T}, c0 = ${QUICK_SCHEDULE.c0}, c1 = ${QUICK_SCHEDULE.c1}`,
      variant: 'exact (no trained model in the quick suite)',
      functionClass: 'exact consistency function f*',
    },
    checks: allChecks.filter((c) => c.id in subjects),
    subjects,
  };
}

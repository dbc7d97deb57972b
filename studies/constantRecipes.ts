/**
 * The empirical constants `cmbounds estimate <symbol>` measures, each read from the Evidence of the check that
 * defines it (so an estimate in a table and a verdict in a report are the same number). Claims passed to the
 * checks are deliberately generous: the estimate, not the verdict, is what `estimate` reports.
 */
import { lhwSchedule, subjectKey, type ConstantRecipe, type SweepPoint } from '../src/index.ts';
import { assumption1LipschitzFlows, scheduleProperties, typicalSet } from '../theorems/index.ts';

const SCHEDULE = { c0: 2, c1: 8 } as const;

const keyed = (value: unknown) => ({ value, key: subjectKey(value) });

/** The setting (target, schedule (23) at the point's T) with the check's own inputs, keyed by the whole value. */
function settingSubject(point: SweepPoint, inputs: object) {
  return keyed({ target: point.target, schedule: lhwSchedule({ T: point.T, ...SCHEDULE }), ...inputs });
}

export const constants: Readonly<Record<string, ConstantRecipe>> = {
  L_f: {
    symbol: 'L_f',
    meaning: 'Lipschitz constant of the flow maps Φ_{t→k} (Assumption 1): exact for Gaussians, a witnessed lower bound otherwise',
    check: assumption1LipschitzFlows,
    estimateKey: 'L_f_hat',
    subject: (point) => settingSubject(point, { claimed: { Lf: 1e12 }, samples: 16 }),
  },
  c_2: {
    symbol: 'c_2',
    meaning: 'realised ĉ₂ = −log ᾱ_T / log T of schedule (23) with c0 = 2, c1 = 8 ((27d) asks ≥ 1000)',
    check: scheduleProperties,
    estimateKey: 'c_2',
    subject: (point) => keyed(lhwSchedule({ T: point.T, ...SCHEDULE })),
  },
  c_4: {
    symbol: 'c_4',
    meaning: 'realised typical-set tail exponent ĉ₄ = min over every t = 1..T of −log P(X_t ∉ E_t)/(d log T) at c3 = 2 (exact for a Gaussian; a sure lower bound, [ĉ₄, ∞), for a mixture)',
    check: typicalSet,
    estimateKey: 'c_4_hat',
    subject: (point) => settingSubject(point, { claimed: { c3: 2, c4: 1e-9 }, samples: 2000 }),
  },
};

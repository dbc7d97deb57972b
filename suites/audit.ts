/**
 * The model-level checks of `cmbounds audit` (the composition root's view: src/ never imports theorems/). For every
 * trained model of the audit — the user's variant and the built-ins, on every rung of the ladder — each check here
 * gets a subject built from that model, and the audit runs them all as one battery (Holm across every model).
 *
 * A new check whose subject is a trained `ConsistencyFunction` joins the audit by adding an entry to CASES.
 */
import { asGaussianMixture, type AuditBattery, type AuditCheckCase, type AuditModelRequest, type AnyCheck, type BatterySubject, type Evidence, fmt, subjectKey } from '../src/index.ts';
import { multistepSampling, oneStepSkeleton, pdeResidual } from '../theorems/index.ts';

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

/** A subject keyed by its whole value and the hash of the model's parameters (`modelKey`: weight files or the external command). */
const keyed = (value: unknown, modelKey: string): BatterySubject => ({ value, key: subjectKey(value, { modelKey }) });

const CASES: readonly (readonly [AnyCheck, CaseBuilder])[] = [
  [
    multistepSampling,
    (r) => {
      // the Monte Carlo branch reads coordinate marginals of a GaussianMixture: a product target is passed as the same law in that form
      const target = asGaussianMixture(r.target);
      if (target === undefined || r.process.kind !== 've') return undefined;
      const taus = AUDIT_TAUS.filter((t) => t > r.process.tMin && t < r.process.tMax);
      return {
        subject: keyed({ target, process: r.process, model: r.model, taus, samples: r.samples }, r.modelKey),
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
        subject: keyed({ target: r.target, process: r.process, model: r.model, samples, w2Samples, w2Repetitions }, r.modelKey),
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
        subject: keyed({ target: r.target, process: r.process, model: r.model, samples }, r.modelKey),
        // ∫‖R‖: the integrated transport residual that bounds e(t) = ‖f(t, ·) − f*(t, ·)‖ at t = 2
        summarize: (e) => estimate(e, 'int_r', '∫‖R‖'),
      };
    },
  ],
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

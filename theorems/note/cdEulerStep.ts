/**
 * # The note's CD step (VE, σ(t) = √(2t)): the Euler step needs the factor t_{n+1}
 *
 * ## Claim
 * The note's distillation step ② X_{t_n} = X_{t_{n+1}} + (t_{n+1} − t_n)·S_φ(t_{n+1}, X_{t_{n+1}}) (S_φ ≈ ∇log p) is a
 * consistent one-step solver of the PF-ODE dx/dt = −t∇log p_t(x): its local error is o(t_{n+1} − t_n). Made precise
 * [D, THEORY §5.1 item 2]: false — the Euler step of this ODE is X + (t_{n+1} − t_n)·t_{n+1}·∇log p; without the factor
 * the local error is (t_{n+1} − 1)·h·‖∇log p‖ + O(h²), first order in h, so the scheme is inconsistent (O(1) error
 * after N ∝ 1/h steps) unless t_{n+1} = 1.
 *
 * ## Check design
 * Exact score, VE. Local error at t = 2 for h = t/2^k, k = 3…8: L(h) = sup over the 5-sd box of p_t of
 * ‖step_h(x) − Φ_{t→t−h}(x)‖ (single Gaussian: per eigen-direction |g(h) − √((λ+(t−h)²)/(λ+t²))|·5√(λ+t²), closed form;
 * mixtures: 41 box points in 1-D or 32 draws, f* by the reference flow). Consistency needs local order q > 1; the
 * decision is on the local log–log slopes of L against h over the three smallest h (deterministic sequence):
 * `holds` iff all ≥ 1.5, `violated` iff all < 1.5 (expected: 2 for Euler, 3 for Heun, 1 for the note's step).
 * The global sup error of the zero-loss chain on Karras grids N = 64 and 512 is reported (it does not shrink for an
 * inconsistent step).
 *
 * ## Controls
 * holds: `eulerWithTFactorGaussian` (aniso-gaussian-2d), `eulerWithTFactorBimodal` (bimodal-1d).
 * violated: `noteStepGaussian`, `noteStepBimodal` (the step without t_{n+1}: local order 1).
 *
 * ## References
 * [note] step ②; [song2023] Eq. (6); THEORY §4.8, §5.1, §6.5.
 */
import {
  builtInTarget,
  decideLowerBound,
  defineCheck,
  estimateSupremumByMaximum,
  EvidenceBuilder,
  exactEstimate,
  type ExactTarget,
  formatNumber,
  type ForwardProcess,
  isSingleGaussian,
  karrasTimes,
  localSlopeEstimate,
  maxDistance,
  noisedBoxGrid1d,
  type PfOdeSolver,
  pfOdeStep,
  pfOdeStepGainVe,
  type PointBatch,
  referenceFlow,
  type Rng,
  ValidationError,
  varianceExploding,
} from '../../src/index.ts';

export interface CdEulerStepSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly step: PfOdeSolver;
  /** The evaluation time t_{n+1}. @defaultValue 2 */
  readonly t?: number;
}

/** Local order needed for consistency is > 1; 1.5 separates the note's 1 from Euler's 2. */
const MIN_LOCAL_ORDER = 1.5;
const BOX_SD = 5;

/** 41 points over the 5-sd box of p_t (1-D), or 32 draws from p_t. */
function boxPoints(target: ExactTarget, t: number, rng: Rng): PointBatch {
  return target.dim === 1 ? noisedBoxGrid1d(target, t, { halfWidthSd: BOX_SD }) : target.noised(1, t).sample(32, rng);
}

export const cdEulerStep = defineCheck<CdEulerStepSubject>({
  id: 'note.cdEulerStep',
  kind: 'lemma',
  title: 'The note’s CD step without $t_{n+1}$ is an inconsistent solver',
  claim:
    'The CD step $X_{t_n} = X_{t_{n+1}} + (t_{n+1} − t_n)·S(t_{n+1}, X_{t_{n+1}})$ is a consistent one-step solver of $dx/dt = −t∇\\log p_t$ ' +
    '(local error o(h)). Derived [D]: only with the factor $t_{n+1}$; without it the local error is first order and the CD target is O(1) wrong.',
  source: { paper: 'note', label: 'CD step ②', equation: '②' },
  dependsOn: ['song2023.theorem1'],
  constants: [
    { symbol: 'q', meaning: 'local order: slope of log(local error) against log h; consistency needs q > 1', role: 'estimated' },
    { symbol: 'E_global(64)', meaning: 'sup error of the zero-loss chain against f* on the Karras grid N = 64', role: 'estimated' },
    { symbol: 'E_global(512)', meaning: 'the same on N = 512', role: 'estimated' },
  ],
  subject: 'model',
  design: { estimand: 'local truncation order of the teacher step', decision: 'slope', falseFailRate: 1e-3 },
  controls: [
    { name: 'eulerWithTFactorGaussian', description: 'Euler step with the factor t_{n+1}, aniso-gaussian-2d (closed form)', expected: 'holds', build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), step: 'euler' as const }) },
    { name: 'eulerWithTFactorBimodal', description: 'Euler step with the factor t_{n+1}, bimodal-1d (quantile-map reference)', expected: 'holds', build: () => ({ target: builtInTarget('bimodal-1d'), process: varianceExploding(), step: 'euler' as const }) },
    { name: 'noteStepGaussian', description: 'the note’s step without t_{n+1}, aniso-gaussian-2d: local error ∝ h', expected: 'violated', build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), step: 'euler-missing-t-factor' as const }) },
    { name: 'noteStepBimodal', description: 'the note’s step without t_{n+1}, bimodal-1d', expected: 'violated', build: () => ({ target: builtInTarget('bimodal-1d'), process: varianceExploding(), step: 'euler-missing-t-factor' as const }) },
  ],
  async run(subject, ctx) {
    const { target, process, step } = subject;
    if (process.kind !== 've') throw new ValidationError('E_UNSUPPORTED', `the note's setting is VE; got ${process.kind}`, 'process');
    const t = subject.t ?? 2;
    const hs = [3, 4, 5, 6, 7, 8].map((k) => t / 2 ** k);
    const flow = referenceFlow(target, process);
    const closed = isSingleGaussian(target);
    const x = closed ? undefined : boxPoints(target, t, ctx.rng.child('points'));
    const local = hs.map((h) => {
      if (closed) {
        let e2 = 0;
        for (const lam of target.eigen[0]!.values) {
          const exact = Math.sqrt((lam + (t - h) ** 2) / (lam + t * t));
          e2 += (pfOdeStepGainVe(lam, t, t - h, step) - exact) ** 2 * BOX_SD * BOX_SD * (lam + t * t);
        }
        return Math.sqrt(e2);
      }
      return maxDistance(pfOdeStep(target, process, x!, t, t - h, step), flow.map(x!, t, t - h).y);
    });
    const q = localSlopeEstimate(hs, local);
    const decision = decideLowerBound(q, MIN_LOCAL_ORDER);

    // Global error of the zero-loss chain (as in song2023.theorem1) at two grid sizes.
    const global = [64, 512].map((N) => {
      ctx.checkBudget();
      const times = karrasTimes(N, { tMin: process.tMin, tMax: process.tMax });
      const n = Math.round(0.75 * (N - 1));
      if (closed) {
        let worst = 0;
        const G = target.eigen[0]!.values.map(() => 1);
        for (let m = 1; m <= n; m++) {
          let e2 = 0;
          target.eigen[0]!.values.forEach((lam, i) => {
            G[i] = G[i]! * pfOdeStepGainVe(lam, times[m]!, times[m - 1]!, step);
            e2 += (G[i]! - Math.sqrt((lam + process.tMin ** 2) / (lam + times[m]! ** 2))) ** 2 * BOX_SD * BOX_SD * (lam + times[m]! ** 2);
          });
          worst = Math.max(worst, Math.sqrt(e2));
        }
        return worst;
      }
      const start = boxPoints(target, times[n]!, ctx.rng.child('global-points'));
      let y = start;
      for (let m = n; m >= 1; m--) y = pfOdeStep(target, process, y, times[m]!, times[m - 1]!, step);
      return maxDistance(y, flow.map(start, times[n]!, process.tMin).y);
    });

    const parts = new EvidenceBuilder('note.cdEulerStep');
    parts.add('local order q > 1', decision.verdict, decision.reason, {
      description: `local error ${formatNumber(local[local.length - 1]!)} at h = ${formatNumber(hs[hs.length - 1]!)} (t = ${t}) scales like h^${formatNumber(q.value)}: the step is first order locally, so the scheme is inconsistent`,
      time: t,
      value: q.value,
    });
    const label = step === 'euler-missing-t-factor' ? 'The note’s step without $t_{n+1}$' : step === 'euler' ? 'The Euler step with $t_{n+1}$' : 'The Heun step';
    return parts.evidence(
      ctx.rng,
      {
        // closed form: the sup over the box is exact; otherwise a maximum over sampled box points, a lower bound on the sup
        estimates: { q, 'E_global(64)': closed ? exactEstimate(global[0]!) : estimateSupremumByMaximum([global[0]!]), 'E_global(512)': closed ? exactEstimate(global[1]!) : estimateSupremumByMaximum([global[1]!]) },
        thresholds: [{ symbol: 'q', value: MIN_LOCAL_ORDER, side: 'lower' }],
        diagnostics: [
          { kind: 'note', message: `local errors ${local.map(formatNumber).join(', ')} at h = ${hs.map(formatNumber).join(', ')} (t = ${t}${closed ? ', closed form' : ', box points vs the reference flow'})` },
          { kind: 'note', message: 'THEORY §4.8: the forward-time PF-ODE of dX = √(2t)dB is dx/dt = −t∇log p_t; the note’s reversed-time Eq. (5) also needs the sign/argument fix of §5.1 item 1' },
        ],
        plots: [{ id: 'note-local-error', title: 'local error of one teacher step at t = 2', mark: 'line', x: { label: 'h', scale: 'log' }, y: { label: 'sup local error', scale: 'log' }, series: [{ name: step, x: hs, y: local }] }],
      },
      (v) =>
        `${label} has local error ∝ h^${formatNumber(q.value)} (${formatNumber(local[local.length - 1]!)} at h = ${formatNumber(hs[hs.length - 1]!)}, t = ${t}), so the zero-loss CD solution's sup error is ${formatNumber(global[0]!)} at N = 64 and ${formatNumber(global[1]!)} at N = 512${v === 'violated' ? ': it does not vanish — the factor $t_{n+1}$ is needed' : ''}.`,
    );
  },
});

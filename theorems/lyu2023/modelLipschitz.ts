/**
 * # Assumption (Lyu, Feng & Chen): the consistency model f_θ(·, t) is L_f-Lipschitz for every t
 *
 * ## Claim
 * ‖f_θ(x, t) − f_θ(y, t)‖ ≤ L_f‖x − y‖ for all x, y and t ∈ [δ, T] (reviewer 2; form reconstructed [R], THEORY §2.2
 * item 5). Reviewer 2's objection, made measurable here: for the exact flow L_f can be e^{O(·)}-large (THEORY §4.5:
 * Φ′(0) ≈ 326 for bimodal-1d from t = 4 to 0.01), which makes bounds linear in L_f vacuous.
 *
 * ## Check design
 * On 12 geometric times in [δ, T]: if the model is affine in x at every time (probed at d + 1 points, verified at 4
 * random ones to 1e-9), Lip(f(·, t)) = ‖A_t‖_op exactly and the decision is exact. Otherwise a sup lower bound: the
 * operator norm of the central-difference Jacobian (step 1e-7·scale, 1e-3·scale for float32 models) at 64 draws from p_t and, in 1-D, at 201 points
 * of the 5-sd box of p_t (where the steep inter-mode region lies); it can refute a declared L_f (witness x, t), never
 * certify it. The same measurement on the exact f* of the reference flow is reported for comparison.
 *
 * ## Controls
 * holds: `exactFlowGaussian` (aniso-gaussian-2d on OU(δ = 0.002, T = 8), f*, declared L_f = 2: the exact sup is
 * √((e^{−2δ}4 + 1 − e^{−2δ})/(e^{−2T}4 + 1 − e^{−2T})) ≈ 1.997). violated: `bimodalExactFlow` (bimodal-1d, f* by quantile
 * maps, declared L_f = 10: the flow between the modes stretches by hundreds), `expandingLinear` (f = 2x, declared 1.5).
 *
 * ## References
 * [lyu2023] assumptions (Lipschitz model; reviewer 2 on e^{O(T)}); THEORY §2.2, §4.4–4.5, §6.2 LYU-A.
 */
import { defineCheck } from '../../src/checks/defineCheck.ts';
import { exactEstimate } from '../../src/checks/exactEstimate.ts';
import type { PointBatch } from '../../src/core/pointBatch.ts';
import { builtInTarget } from '../../src/distributions/builtInTargets.ts';
import type { ExactTarget } from '../../src/distributions/exactTarget.ts';
import { gaussian } from '../../src/distributions/gaussianMixture.ts';
import type { Estimate } from '../../src/estimators/estimate.ts';
import { estimateSupremumByMaximum } from '../../src/estimators/supremumByMaximum.ts';
import { referenceFlow } from '../../src/flows/referenceFlow.ts';
import { evaluateByTimeGroups, type ConsistencyFunction } from '../../src/models/consistencyFunction.ts';
import { exactConsistencyFunction } from '../../src/models/exactConsistency.ts';
import { symmetricEigen } from '../../src/numerics/symmetricEigen.ts';
import type { ForwardProcess } from '../../src/processes/forwardProcess.ts';
import { ornsteinUhlenbeck } from '../../src/processes/ornsteinUhlenbeck.ts';
import type { Rng } from '../../src/random/rng.ts';
import { PartCollector, fmt } from '../song2023/_partCollector.ts';
import { probeAffine } from './_affineGaussian.ts';
import { geometricGrid } from './scoreError.ts';

export interface ModelLipschitzSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly model: ConsistencyFunction;
  readonly claimed: { readonly Lf: number };
  /** @defaultValue 12 */
  readonly gridSize?: number;
}

interface Measurement {
  readonly value: number;
  readonly exact: boolean;
  readonly point: number[];
  readonly time: number;
  readonly perTime: number[];
}

function opNorm(J: Float64Array, d: number): number {
  if (d === 1) return Math.abs(J[0]!);
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let v = 0;
    for (let k = 0; k < d; k++) v += J[k * d + i]! * J[k * d + j]!;
    M[i * d + j] = v;
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) M[j * d + i] = M[i * d + j]!;
  return Math.sqrt(Math.max(...symmetricEigen(M, d).values));
}

/** sup over the grid of Lip(f(·, t)): exact if affine at every time, else a lower bound from FD Jacobians. */
function measure(f: ConsistencyFunction, target: ExactTarget, process: ForwardProcess, times: readonly number[], rng: Rng): Measurement {
  const d = target.dim;
  const mean = target.mean();
  const sd = Math.sqrt(Math.max(target.secondMoment() / d, 1e-12));
  const maps = times.map((t) => probeAffine(f, t, Array.from(mean, (v) => process.signalScale(t) * v), sd + 1, rng.child(`probe-t=${t}`)));
  if (maps.every((m) => m !== undefined)) {
    const perTime = maps.map((m) => opNorm(m!.A, d));
    const k = perTime.indexOf(Math.max(...perTime));
    return { value: perTime[k]!, exact: true, point: Array.from(mean), time: times[k]!, perTime };
  }
  let best = { value: 0, point: [] as number[], time: times[0]! };
  const perTime: number[] = [];
  for (const t of times) {
    const noised = target.noised(process.signalScale(t), process.noiseScale(t));
    const draws = noised.sample(64, rng.child(`t=${t}`));
    let pts: PointBatch = draws;
    if (d === 1) {
      const m = process.signalScale(t) * mean[0]!;
      const s = Math.sqrt(process.signalScale(t) ** 2 * (target.secondMoment() - mean[0]! ** 2) + process.noiseScale(t) ** 2);
      const box = Float64Array.from({ length: 201 }, (_, i) => m + 5 * s * (i / 100 - 1));
      pts = { n: 64 + 201, d: 1, data: Float64Array.from([...draws.data, ...box]) };
    }
    const scale = Math.sqrt(process.signalScale(t) ** 2 * sd * sd + process.noiseScale(t) ** 2);
    // float64 models: a small step (the steep inter-mode region of a mixture flow bends on the scale 1/Lip);
    // float32 models need a step far above their rounding.
    const h = (f.precision === 'float32' ? 1e-3 : 1e-7) * scale;
    const n = pts.n;
    const shifted = new Float64Array(2 * d * n * d);
    for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) {
      const v = pts.data[i * d + c]!;
      shifted[((2 * j) * n + i) * d + c] = v + (c === j ? h : 0);
      shifted[((2 * j + 1) * n + i) * d + c] = v - (c === j ? h : 0);
    }
    const y = f.evaluate({ n: 2 * d * n, d, data: shifted }, t).data;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const J = new Float64Array(d * d);
      for (let j = 0; j < d; j++) for (let r = 0; r < d; r++) J[r * d + j] = (y[((2 * j) * n + i) * d + r]! - y[((2 * j + 1) * n + i) * d + r]!) / (2 * h);
      const norm = opNorm(J, d);
      worst = Math.max(worst, norm);
      if (norm > best.value) best = { value: norm, point: Array.from(pts.data.subarray(i * d, (i + 1) * d)), time: t };
    }
    perTime.push(worst);
  }
  return { ...best, exact: false, perTime };
}

function linearModel(id: string, gain: number): ConsistencyFunction {
  return { id, precision: 'float64', evaluate: (x, t) => evaluateByTimeGroups(x, t, (xs) => ({ n: xs.n, d: xs.d, data: xs.data.map((v) => gain * v) })) };
}

export const modelLipschitzAssumption = defineCheck<ModelLipschitzSubject>({
  id: 'lyu2023.modelLipschitz',
  kind: 'assumption',
  title: 'Lipschitz consistency model: sup_t Lip(f_θ(·, t)) ≤ L_f',
  claim: 'f_θ(·, t) is L_f-Lipschitz for every t ∈ [δ, T] (form reconstructed [R] from the reviews; reviewer 2 notes the exact flow’s L_f can be exponentially large).',
  source: { paper: 'lyu2023', label: 'Assumption (Lipschitz consistency model)' },
  dependsOn: [],
  constants: [
    { symbol: 'L_f', meaning: 'the Lipschitz constant the subject declares', role: 'assumed' },
    { symbol: 'L_f_hat', meaning: 'sup over the grid of Lip(f(·, t)): exact for affine models, else a sup lower bound', role: 'estimated' },
    { symbol: 'L_f_exact_flow', meaning: 'the same measurement on the exact consistency function f*', role: 'estimated' },
  ],
  subject: 'model',
  design: { estimand: 'supremum over x and t of the Jacobian operator norm of the model', decision: 'upper-bound', falseFailRate: 1e-12 },
  controls: [
    {
      name: 'exactFlowGaussian',
      description: 'aniso-gaussian-2d on OU with f* (affine), declared L_f = 2 ≥ the exact ≈ 1.997',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), claimed: { Lf: 2 } };
      },
    },
    {
      name: 'bimodalExactFlow',
      description: 'bimodal-1d on OU with f* (quantile maps), declared L_f = 10: the inter-mode stretch is in the hundreds',
      expected: 'violated',
      build: () => {
        const target = builtInTarget('bimodal-1d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), claimed: { Lf: 10 } };
      },
    },
    {
      name: 'expandingLinear',
      description: 'f(x, t) = 2x on N(0, 2), declared L_f = 1.5 (exact refutation)',
      expected: 'violated',
      build: () => ({ target: gaussian([0], [2]), process: ornsteinUhlenbeck(), model: linearModel('2x', 2), claimed: { Lf: 1.5 } }),
    },
  ],
  async run(subject, ctx) {
    const { target, process, model, claimed } = subject;
    const times = geometricGrid(process, subject.gridSize ?? 12);
    const m = measure(model, target, process, times, ctx.rng.child('model'));
    ctx.checkBudget();
    const ref = model.id === 'exact' ? m : measure(exactConsistencyFunction(referenceFlow(target, process)), target, process, times, ctx.rng.child('exact-flow'));
    const est: Estimate = m.exact ? exactEstimate(m.value) : estimateSupremumByMaximum([m.value]);
    const refEst: Estimate = ref.exact ? exactEstimate(ref.value) : estimateSupremumByMaximum([ref.value]);
    const parts = new PartCollector();
    const refuted = m.value > claimed.Lf * (1 + 1e-12);
    parts.add('sup_t Lip(f(·, t)) ≤ L_f', refuted ? 'violated' : m.exact ? 'holds' : 'inconclusive', `${m.exact ? 'exact (affine model)' : 'sup lower bound'} ${fmt(m.value)} at t = ${fmt(m.time)} vs declared L_f = ${claimed.Lf}`, {
      description: `‖∂f/∂x‖ = ${fmt(m.value)} > L_f = ${claimed.Lf} at this point and t = ${fmt(m.time)}`,
      point: m.point,
      time: m.time,
      value: m.value,
    });
    return parts.evidence(
      'lyu2023.modelLipschitz',
      ctx.rng,
      {
        estimates: { L_f: exactEstimate(claimed.Lf), L_f_hat: est, L_f_exact_flow: refEst },
        thresholds: [{ symbol: 'L_f_hat', value: claimed.Lf, side: 'upper' }],
        diagnostics: [
          { kind: 'note', message: `per grid time: ${m.perTime.map(fmt).join(', ')} (t = ${times.map(fmt).join(', ')})` },
          { kind: 'reconstructed-statement', message: 'the assumption’s form is reconstructed [R] (THEORY §2.2 item 5)' },
        ],
        plots: [{ id: 'model-lipschitz', title: 'Lip(f(·, t)) against t', mark: 'line', x: { label: 't', scale: 'log' }, y: { label: 'Lipschitz constant', scale: 'log' }, series: [{ name: model.id, x: times, y: m.perTime }, ...(model.id === 'exact' ? [] : [{ name: 'exact f*', x: times, y: ref.perTime }])] }],
      },
      (v) =>
        `${model.id}: sup_t Lip(f(·, t)) ${m.exact ? '=' : '≥'} ${fmt(m.value)} (at t = ${fmt(m.time)}) ${v === 'holds' ? '≤' : v === 'violated' ? '>' : 'vs'} L_f = ${claimed.Lf}; the exact flow's constant is ${ref.exact ? '' : '≥ '}${fmt(ref.value)}${v === 'inconclusive' ? ' (a lower bound cannot certify the claim)' : ''}.`,
    );
  },
});

/**
 * # Assumption 1 (Li–Huang–Wei): the probability-flow maps are L_f-Lipschitz
 *
 * ## Claim
 * For all 1 ≤ k < t ≤ T, Φ_{t→k} is L_f-Lipschitz: ‖Φ_{t→k}(x) − Φ_{t→k}(y)‖₂ ≤ L_f‖x − y‖₂ (report Eq. (19)).
 * It constrains the true flows of the data law, not the learned f_t. THEORY §1.6.
 *
 * ## Check design
 * L̂_f = max_{k<t} sup_x ‖∂Φ_{t→k}(x)‖_op against the L_f the subject declares, on the ᾱ-clock flows of the
 * schedule. Single Gaussian: exact, ‖∂Φ_{t→k}‖ = max_i √(g_i(ᾱ_k)/g_i(ᾱ_t)), g_i(α) = αλ_i + 1 − α, over all
 * pairs in O(T·d) (THEORY §4.4) — `holds`/`violated` exactly. Mixtures: `searchFlowLipschitz` over every pair (t, k),
 * k < t, of a coarsened step grid (10 geometric steps in [1, T] including both ends; monotonicity in the pair is not
 * guaranteed, so all pairs of the grid are scanned): multi-start from the modes, the midpoints of pairs of modes, the
 * critical points of log p_t, the saddles and minima of log p_k pulled back to t, and draws from p_t, then a compass
 * search; Jacobians by quantile maps (1-D, product) or the variational ODE, the reported norm re-solved at rtol 1e-13
 * (the interval's lower edge is the value less its estimated error, the difference from a solve at rtol 1e-12).
 * A sup-type **lower** bound over the grid's pairs, and so over all pairs: it can show `violated` (with the witness
 * x, t, k printed so that re-evaluating it reproduces the value), never `holds` (THEORY §6.0).
 *
 * A trained model (`TrainedLhwSubject`): L_f is the witnessed lower bound on the Lipschitz constant of the learned
 * maps f_t (the model reclocked to the schedule) by `searchModelLipschitz` over 8 geometric steps — central
 * differences in float64 of the model's evaluations (h = 10⁻³·scale for a float32 network) — `violated` above the
 * declared L_f, otherwise inconclusive (a search never certifies).
 *
 * ## Controls
 * inconclusive: `bimodalBelowDeclared` (bimodal-1d, declared L_f = 1e4 above the ≈ 1486 found). holds:
 * `gaussianAtSqrtLambdaMax` (aniso-gaussian-2d, λ_max = 4, declared L_f = 2: the exact value is √((1+3ᾱ₁)/(1+3ᾱ_T)) < 2). violated: `gaussianUnderstated` (same, declared L_f = 1), `bimodalUnderstated`
 * (½N(±2, ¼), m²/v = 16, declared L_f = 10: the flow between the modes expands by ≳ e^{m²/2v}-type factors),
 * `ring8Understated` (ring8-2d, declared L_f = 1, variational-ODE lower bound: the centre, a fixed point of every Φ,
 * stretches by ≈ 1.35e10 from step 100 to 1).
 *
 * Trained models: `trainedBimodalUnderstated` violated (f* of bimodal-1d, declared 10, found ≈ 1490),
 * `trainedBimodalBelowDeclared` inconclusive (declared 1e6).
 *
 * ## References
 * [li2024] Assumption 1, Eq. (19) (report); THEORY §1.4, §1.6, §4.4–4.5, §6.1 LHW-A1.
 */
import {
  ValidationError,
  varianceExploding,
  exactModelAsTrained,
  isTrainedLhwSubject,
  trainedLhwSubjectKey,
  viewTrainedChain,
  ReclockedModel,
  searchModelLipschitz,
  type CheckContext,
  type Evidence,
  type TrainedLhwSubject,
  builtInTarget,
  decideUpperBound,
  defineCheck,
  describeSetting,
  exactEstimate,
  gaussianLipschitz,
  GaussianMixture,
  geometricSteps,
  lhwSchedule,
  makeEvidence,
  provenanceOf,
  searchFlowLipschitz,
  type Estimate,
  type LhwSetting,
  type Witness,
} from '../../src/index.ts';

export interface Assumption1Subject extends LhwSetting {
  readonly claimed: { readonly Lf: number };
  /** Steps whose pairs are scanned for mixtures. @defaultValue 10 geometric steps in [1, T] */
  readonly steps?: readonly number[];
  /** Draws from p_t added to the search's seeds at each start step (mixtures). @defaultValue 16 */
  readonly samples?: number;
}

export function subjectKey(subject: Assumption1Subject | TrainedLhwSubject): string {
  if (isTrainedLhwSubject(subject)) return trainedLhwSubjectKey(subject);
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, steps: subject.steps, samples: subject.samples });
}


/** Steps of the learned maps f_t searched on a trained model. */
const TRAINED_STEPS = 8;

/**
 * On a trained model: L̂_f of the learned maps f_t (the model reclocked to the schedule), max over 8 geometric steps
 * of the schedule of the largest ‖∂f_t(x)‖_op found by `searchModelLipschitz` — central differences in float64 of the
 * model's evaluations (h = 10⁻³·scale for a float32 network, far above its rounding; 10⁻⁷·scale for float64), seeded
 * at the mixture's modes, midpoints and critical points and at draws from p_t, refined by compass search. A sup-type
 * lower bound: `violated` when it exceeds the declared L_f, never `holds`.
 */
function onTrainedModel(subject: TrainedLhwSubject, ctx: CheckContext): Evidence {
  const provenance = provenanceOf(ctx.rng);
  const view = viewTrainedChain(subject);
  if (!view.ok) {
    return makeEvidence('li2024.assumption1', provenance, { estimates: {}, reason: `Not evaluated: ${view.reason}.`, diagnostics: [{ kind: 'note', message: view.scheduleText }] }, { verdict: 'inconclusive' });
  }
  const declared = subject.claimed.Lf;
  if (declared === undefined) throw new ValidationError('E_INVALID_INPUT', 'li2024.assumption1 on a trained model needs a declared L_f', 'claimed.Lf');
  const { schedule } = view.setting;
  const steps = geometricSteps(schedule.T, TRAINED_STEPS, 2);
  const lhw = schedule.process();
  const learned = new ReclockedModel(subject.trained.model, subject.trained.process, lhw);
  const w = searchModelLipschitz(learned, subject.target, lhw, steps.map((t) => schedule.timeOfStep(t)), { rng: ctx.rng.child('learned'), draws: Math.min(32, ctx.budget.maxSamples), refine: 2, rounds: 10, checkBudget: () => ctx.checkBudget() });
  const step = steps[steps.findIndex((t) => schedule.timeOfStep(t) === w.time)] ?? schedule.T;
  const estimate: Estimate = { value: w.value, interval: { lower: w.value, upper: Number.POSITIVE_INFINITY, level: 1 }, method: 'sup-lower-bound', n: w.candidates, supLowerBound: true };
  const decision = decideUpperBound(estimate, declared);
  // the witness point in full (shortest round-trip digits), so that re-evaluating it reproduces the value
  const at = `f_{${step}} at x = (${w.point.map(String).join(', ')})`;
  const reason =
    decision.verdict === 'violated'
      ? `A witnessed lower bound $L̂_f ≥ ${w.value.toPrecision(6)}$ of the learned maps (${at}) exceeds the declared $L_f = ${declared}$.`
      : `The largest stretch of the learned maps found, ${w.value.toPrecision(6)} (${at}), is a lower bound below the declared L_f = ${declared}; a search can show violation, never validity.`;
  const body = {
    estimates: { L_f: estimate, L_f_declared: exactEstimate(declared) },
    thresholds: [{ symbol: 'L_f', value: declared, side: 'upper' as const }],
    reason,
    diagnostics: [
      { kind: 'note' as const, message: `L_f (a lower bound) of the learned maps f_t = the model viewed on ${view.scheduleText}: central differences in float64 of the model (h = ${subject.trained.model.precision === 'float32' ? '10⁻³' : '10⁻⁷'}·scale, the model is ${subject.trained.model.precision}), ${w.candidates} seeds over steps ${steps.join(', ')}, 2 refined per step by compass search; per-step maxima ${w.perTime.map((v) => v.toPrecision(3)).join(', ')}` },
      { kind: 'note' as const, message: 'Assumption 1 constrains the true flows Φ_{t→k}; on a trained model the learned maps f_t stand in for Φ_t = Φ_{t→1} (the pairs k > 1 are not formed from a model)' },
    ],
  };
  if (decision.verdict === 'violated') return makeEvidence('li2024.assumption1', provenance, body, { verdict: 'violated', witness: { description: `‖∂f_{${step}}(x)‖_op ≥ ${w.value.toPrecision(17)} > L_f = ${declared}`, point: w.point, time: step, value: w.value } });
  return makeEvidence('li2024.assumption1', provenance, body, { verdict: decision.verdict === 'holds' ? 'inconclusive' : decision.verdict });
}

export const assumption1LipschitzFlows = defineCheck<Assumption1Subject | TrainedLhwSubject>({
  id: 'li2024.assumption1',
  kind: 'assumption',
  title: 'Assumption 1: the flow maps $Φ_{t→k}$ are $L_f$-Lipschitz',
  claim: 'For all 1 ≤ k < t ≤ T, $‖Φ_{t→k}(x) − Φ_{t→k}(y)‖₂ ≤ L_f‖x − y‖₂$ for all x, y (Φ = the true probability-flow maps of the data law on the schedule).',
  source: { paper: 'li2024', label: 'Assumption 1', equation: '(19) report' },
  dependsOn: ['li2024.schedule'],
  constants: [
    { symbol: 'L_f', meaning: 'the Lipschitz constant the subject declares; on a trained model, the witnessed lower bound on the Lipschitz constant of the learned maps f_t (the declared value is then L_f_declared)', role: 'assumed' },
    { symbol: 'L_f_declared', meaning: 'on a trained model: the declared L_f', role: 'assumed' },
    { symbol: 'L_f_hat', meaning: 'max_{k<t} sup_x ‖∂Φ_{t→k}(x)‖_op: exact for a Gaussian, a witnessed lower bound on the sup otherwise', role: 'estimated' },
  ],
  subject: 'distribution',
  design: {
    estimand: 'max over step pairs and points of the operator norm of the flow Jacobian',
    decision: 'upper-bound',
    falseFailRate: 1e-12,
  },
  controls: [
    {
      name: 'gaussianAtSqrtLambdaMax',
      description: 'aniso-gaussian-2d (λ = 4, 1/4), T = 200, declared L_f = 2 = √λ_max: exact L̂_f slightly below 2',
      expected: 'holds',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { Lf: 2 } }),
    },
    {
      name: 'gaussianUnderstated',
      description: 'aniso-gaussian-2d, T = 200, declared L_f = 1 while the exact value is ≈ 2',
      expected: 'violated',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { Lf: 1 } }),
    },
    {
      name: 'bimodalUnderstated',
      description: 'bimodal-1d (m²/v = 16), T = 100, declared L_f = 10: quantile-map lower bound far above 10',
      expected: 'violated',
      build: () => ({ target: builtInTarget('bimodal-1d'), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 10 }, steps: geometricSteps(100, 6, 1) }),
    },
    {
      name: 'bimodalBelowDeclared',
      description: 'bimodal-1d, T = 100, declared L_f = 1e4 above the largest stretch found (≈ 1486 at the centre): a search cannot certify',
      expected: 'inconclusive',
      build: () => ({ target: builtInTarget('bimodal-1d'), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 1e4 }, steps: geometricSteps(100, 6, 1) }),
    },
    {
      name: 'ring8Understated',
      description: 'ring8-2d, T = 100, declared L_f = 1: variational-ODE lower bound above 1 between modes',
      expected: 'violated',
      build: () => ({ target: builtInTarget('ring8-2d'), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 1 }, steps: geometricSteps(100, 6, 1), samples: 16 }),
    },
    {
      name: 'trainedBimodalUnderstated',
      description: 'a trained model: the exact f* of bimodal-1d on VE viewed on schedule (23), T = 100 fitted to its range, declared L_f = 10: the learned maps stretch the centre by ≫ 10',
      expected: 'violated',
      build: () => exactModelAsTrained(builtInTarget('bimodal-1d') as GaussianMixture, varianceExploding(), 100, { claimed: { Lf: 10 } }),
    },
    {
      name: 'trainedBimodalBelowDeclared',
      description: 'the same model, declared L_f = 1e6 above every stretch: a search cannot certify',
      expected: 'inconclusive',
      build: () => exactModelAsTrained(builtInTarget('bimodal-1d') as GaussianMixture, varianceExploding(), 100, { claimed: { Lf: 1e6 } }),
    },
  ],
  async run(subject, ctx) {
    if (isTrainedLhwSubject(subject)) return onTrainedModel(subject, ctx);
    const { target, schedule, claimed } = subject;
    let found: { value: number; point: readonly number[]; t: number; k: number; relativeError?: number };
    let estimate: Estimate;
    let method: string;
    if (target instanceof GaussianMixture && target.components === 1) {
      const exact = gaussianLipschitz(target, schedule);
      found = { value: exact.value, point: exact.x, t: exact.t, k: exact.k };
      estimate = exactEstimate(exact.value);
      method = 'closed form over all pairs';
    } else {
      const steps = subject.steps ?? geometricSteps(schedule.T, 10, 1);
      const times = steps.map((t) => schedule.timeOfStep(t));
      const w = searchFlowLipschitz(target, schedule.process(), { starts: times, ends: times, rng: ctx.rng, draws: Math.min(subject.samples ?? 16, ctx.budget.maxSamples), checkBudget: () => ctx.checkBudget() });
      found = { value: w.value, point: w.point, t: steps[w.fromIndex]!, k: steps[w.toIndex]!, ...(w.relativeError === undefined ? {} : { relativeError: w.relativeError }) };
      // A sup lower bound: the witnessed value, less its estimated numerical error (ODE) on the lower side.
      estimate = { value: w.value, interval: { lower: w.value * (1 - (found.relativeError ?? 0)), upper: Number.POSITIVE_INFINITY, level: 1 }, method: 'sup-lower-bound', n: w.candidates, supLowerBound: true };
      method = `witness search (${w.method === 'ode' ? 'variational ODE' : 'quantile maps'}) over all ${w.pairs} pairs of steps ${steps.join(', ')}: ${w.candidates} seeds (modes, midpoints, critical points of log p_t, pulled-back saddles of log p_k, draws) + compass search` +
        (found.relativeError === undefined ? '' : `; the reported norm solved at rtol 1e-13, relative error ≲ ${found.relativeError.toExponential(1)} (difference from rtol 1e-12)`);
    }
    const decision = decideUpperBound(estimate, claimed.Lf);
    const exact = estimate.method === 'exact';
    const at = `$Φ_{${found.t}→${found.k}}$${exact ? '' : ` at x = (${found.point.map(String).join(', ')})`}`;
    const reason =
      decision.verdict === 'holds'
        ? `The exact L̂_f = ${found.value.toPrecision(6)} (pair ${found.t}→${found.k}) is ≤ the declared L_f = ${claimed.Lf}.`
        : decision.verdict === 'violated'
          ? `${exact ? 'The exact' : 'A witnessed lower bound'} $L̂_f ${exact ? '=' : '≥'} ${found.value.toPrecision(6)}$ at ${at} exceeds the declared $L_f = ${claimed.Lf}$.`
          : `The largest stretch found, $‖∂Φ_{${found.t}→${found.k}}(x)‖_{op}$ = ${found.value.toPrecision(6)} at x = (${found.point.map(String).join(', ')}), is a lower bound on L̂_f below the declared L_f = ${claimed.Lf}; a search can show violation, never validity.`;
    const body = {
      estimates: { L_f: exactEstimate(claimed.Lf), L_f_hat: estimate },
      thresholds: [{ symbol: 'L_f_hat', value: claimed.Lf, side: 'upper' as const }],
      reason,
      diagnostics: [{ kind: 'note' as const, message: `method: ${method}` }],
    };
    const provenance = provenanceOf(ctx.rng);
    if (decision.verdict === 'violated') {
      const witness: Witness = {
        description: `$‖∂Φ_{${found.t}→${found.k}}(x)‖_{op}$ = ${found.value.toPrecision(17)} > $L_f = ${claimed.Lf}$${exact ? ' (exact, any x)' : ''}`,
        point: found.point,
        time: found.t,
        value: found.value,
      };
      return makeEvidence('li2024.assumption1', provenance, body, { verdict: 'violated', witness });
    }
    return makeEvidence('li2024.assumption1', provenance, body, { verdict: decision.verdict });
  },
});

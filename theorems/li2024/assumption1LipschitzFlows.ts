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
 * ## Controls
 * inconclusive: `bimodalBelowDeclared` (bimodal-1d, declared L_f = 1e4 above the ≈ 1486 found). holds:
 * `gaussianAtSqrtLambdaMax` (aniso-gaussian-2d, λ_max = 4, declared L_f = 2: the exact value is √((1+3ᾱ₁)/(1+3ᾱ_T)) < 2). violated: `gaussianUnderstated` (same, declared L_f = 1), `bimodalUnderstated`
 * (½N(±2, ¼), m²/v = 16, declared L_f = 10: the flow between the modes expands by ≳ e^{m²/2v}-type factors),
 * `ring8Understated` (ring8-2d, declared L_f = 1, variational-ODE lower bound: the centre, a fixed point of every Φ,
 * stretches by ≈ 1.35e10 from step 100 to 1).
 *
 * ## References
 * [li2024] Assumption 1, Eq. (19) (report); THEORY §1.4, §1.6, §4.4–4.5, §6.1 LHW-A1.
 */
import {
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

export function subjectKey(subject: Assumption1Subject): string {
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, steps: subject.steps, samples: subject.samples });
}

export const assumption1LipschitzFlows = defineCheck<Assumption1Subject>({
  id: 'li2024.assumption1',
  kind: 'assumption',
  title: 'Assumption 1: the flow maps $Φ_{t→k}$ are $L_f$-Lipschitz',
  claim: 'For all 1 ≤ k < t ≤ T, $‖Φ_{t→k}(x) − Φ_{t→k}(y)‖₂ ≤ L_f‖x − y‖₂$ for all x, y (Φ = the true probability-flow maps of the data law on the schedule).',
  source: { paper: 'li2024', label: 'Assumption 1', equation: '(19) report' },
  dependsOn: ['li2024.schedule'],
  constants: [
    { symbol: 'L_f', meaning: 'the Lipschitz constant the subject declares', role: 'assumed' },
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
  ],
  async run(subject, ctx) {
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
      estimate = { value: w.value, interval: { lower: w.value * (1 - (w.relativeError ?? 0)), upper: Number.POSITIVE_INFINITY, level: 1 }, method: 'sup-lower-bound', n: w.candidates, supLowerBound: true };
      method = `witness search (${w.method === 'ode' ? 'variational ODE' : 'quantile maps'}) over all ${w.pairs} pairs of steps ${steps.join(', ')}: ${w.candidates} seeds (modes, midpoints, critical points of log p_t, pulled-back saddles of log p_k, draws) + compass search` +
        (w.relativeError === undefined ? '' : `; the reported norm solved at rtol 1e-13, relative error ≲ ${w.relativeError.toExponential(1)} (difference from rtol 1e-12)`);
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

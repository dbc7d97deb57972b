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
 * pairs in O(T·d) (THEORY §4.4) — `holds`/`violated` exactly. 1-D and product mixtures: Φ′ = p_t/p_k∘Φ by quantile
 * maps on an x-grid over ±8 sd of p_t, refined by golden-section search, for every pair of a coarsened step grid
 * (monotonicity in the pair is not guaranteed, so all pairs are scanned). Other mixtures: the variational ODE at
 * draws from p_t for the pairs (T→1), (t_m→1), (T→t_m), refined by a seeded hill-climb. The last two are sup-type
 * **lower** bounds: they can show `violated` (with the witness x, t, k), never `holds` (THEORY §6.0).
 *
 * ## Controls
 * holds: `gaussianAtSqrtLambdaMax` (aniso-gaussian-2d, λ_max = 4, declared L_f = 2: the exact value is
 * √((1+3ᾱ₁)/(1+3ᾱ_T)) < 2). violated: `gaussianUnderstated` (same, declared L_f = 1), `bimodalUnderstated`
 * (½N(±2, ¼), m²/v = 16, declared L_f = 10: the flow between the modes expands by ≳ e^{m²/2v}-type factors),
 * `ring8Understated` (ring8-2d, declared L_f = 1, variational-ODE lower bound).
 *
 * ## References
 * [li2024] Assumption 1, Eq. (19) (report); THEORY §1.4, §1.6, §4.4–4.5, §6.1 LHW-A1.
 */
import {
  builtInTarget,
  decideUpperBound,
  defineCheck,
  describeSetting,
  estimateSupremumByMaximum,
  exactEstimate,
  gaussianLipschitz,
  GaussianMixture,
  geometricSteps,
  lhwSchedule,
  makeEvidence,
  operatorNorm,
  pointBatch,
  ProductMixture,
  provenanceOf,
  referenceFlow,
  type Diagnostic,
  type Estimate,
  type LhwSchedule,
  type LhwSetting,
  type PointBatch,
  type Rng,
  type Witness,
} from '../../src/index.ts';

export interface Assumption1Subject extends LhwSetting {
  readonly claimed: { readonly Lf: number };
  /** Steps whose pairs are scanned for 1-D/product mixtures. @defaultValue 10 geometric steps in [1, T] */
  readonly steps?: readonly number[];
  /** x-grid size per pair (1-D/product). @defaultValue 401 */
  readonly gridPoints?: number;
  /** Draws from p_t per pair (general mixtures). @defaultValue 32 */
  readonly samples?: number;
}

export function subjectKey(subject: Assumption1Subject): string {
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, steps: subject.steps, gridPoints: subject.gridPoints, samples: subject.samples });
}

interface Candidate {
  readonly value: number;
  readonly x: readonly number[];
  readonly t: number;
  readonly k: number;
}

/** Golden-section maximisation of a unimodal-near-the-maximum function on [a, b]. */
function goldenMax(f: (x: number) => number, a: number, b: number, iterations = 40): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return fc > fd ? { x: c, value: fc } : { x: d, value: fd };
}

/** Lower bound on max over pairs and x of Φ′_{t→k}(x) for a 1-D mixture factor (quantile maps). */
function oneDimensionalLipschitz(factor: GaussianMixture, schedule: LhwSchedule, steps: readonly number[], gridPoints: number, checkBudget: () => void): Candidate {
  const flow = referenceFlow(factor, schedule.process(), { method: 'quantile-map' });
  let best: Candidate = { value: 0, x: [0], t: steps[1] ?? 2, k: steps[0] ?? 1 };
  const derivative = (x: number, t: number, k: number): number =>
    flow.jacobian(pointBatch(1, 1, Float64Array.of(x)), schedule.timeOfStep(t), schedule.timeOfStep(k)).jacobian[0]!;
  for (const [j, t] of steps.entries()) {
    const at = Math.sqrt(schedule.alphaBars[t]!);
    const st = Math.sqrt(schedule.oneMinusAlphaBars[t]!);
    const [lo, hi] = factor.noised(at, st).range1d(8);
    const grid = new Float64Array(gridPoints);
    for (let i = 0; i < gridPoints; i++) grid[i] = lo + ((hi - lo) * i) / (gridPoints - 1);
    for (const k of steps.slice(0, j)) {
      checkBudget();
      const jac = flow.jacobian(pointBatch(gridPoints, 1, grid), schedule.timeOfStep(t), schedule.timeOfStep(k)).jacobian;
      let arg = 0;
      for (let i = 1; i < gridPoints; i++) if (jac[i]! > jac[arg]!) arg = i;
      const a = grid[Math.max(arg - 1, 0)]!;
      const b = grid[Math.min(arg + 1, gridPoints - 1)]!;
      const refined = goldenMax((x) => derivative(x, t, k), a, b);
      const value = Math.max(refined.value, jac[arg]!);
      if (value > best.value) best = { value, x: [refined.value >= jac[arg]! ? refined.x : grid[arg]!], t, k };
    }
  }
  return best;
}

/** Variational-ODE lower bound for a general mixture: draws from p_t plus a seeded hill-climb from the best. */
function odeLipschitz(subject: Assumption1Subject, pairs: readonly (readonly [number, number])[], samples: number, rng: Rng, checkBudget: () => void): Candidate {
  const { target, schedule } = subject;
  const d = target.dim;
  const flow = referenceFlow(target, schedule.process(), { method: 'ode' });
  let best: Candidate = { value: 0, x: [], t: pairs[0]![0], k: pairs[0]![1] };
  const normsAt = (x: PointBatch, t: number, k: number): Float64Array => {
    const { jacobian } = flow.jacobian(x, schedule.timeOfStep(t), schedule.timeOfStep(k));
    return Float64Array.from({ length: x.n }, (_, i) => operatorNorm(jacobian, i * d * d, d));
  };
  for (const [t, k] of pairs) {
    checkBudget();
    const marginal = target.noised(Math.sqrt(schedule.alphaBars[t]!), Math.sqrt(schedule.oneMinusAlphaBars[t]!));
    const x = marginal.sample(samples, rng.child(`pair=${t}->${k}`));
    const norms = normsAt(x, t, k);
    let arg = 0;
    for (let i = 1; i < x.n; i++) if (norms[i]! > norms[arg]!) arg = i;
    let point = Array.from(x.data.subarray(arg * d, (arg + 1) * d));
    let value = norms[arg]!;
    // Hill-climb: 8 rounds of 8 Gaussian proposals around the current best, step halving on failure.
    const climb = rng.child(`climb=${t}->${k}`);
    let step = 0.25 * Math.sqrt(schedule.oneMinusAlphaBars[t]! + schedule.alphaBars[t]! * 0.04);
    for (let round = 0; round < 8; round++) {
      checkBudget();
      const proposals = pointBatch(8, d);
      for (let i = 0; i < 8; i++) for (let j = 0; j < d; j++) proposals.data[i * d + j] = point[j]! + step * climb.normal();
      const pn = normsAt(proposals, t, k);
      let improved = false;
      for (let i = 0; i < 8; i++) {
        if (pn[i]! > value) {
          value = pn[i]!;
          point = Array.from(proposals.data.subarray(i * d, (i + 1) * d));
          improved = true;
        }
      }
      if (!improved) step /= 2;
    }
    if (value > best.value) best = { value, x: point, t, k };
  }
  return best;
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
    { symbol: 'L_f_hat', meaning: 'max_{k<t} sup_x ‖∂Φ_{t→k}(x)‖_op: exact for a Gaussian, a sup lower bound otherwise', role: 'estimated' },
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
      build: () => ({ target: builtInTarget('bimodal-1d'), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 10 }, steps: geometricSteps(100, 6, 1), gridPoints: 201 }),
    },
    {
      name: 'ring8Understated',
      description: 'ring8-2d, T = 100, declared L_f = 1: variational-ODE lower bound above 1 between modes',
      expected: 'violated',
      build: () => ({ target: builtInTarget('ring8-2d'), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 1 }, samples: 16 }),
    },
  ],
  async run(subject, ctx) {
    const { target, schedule, claimed } = subject;
    const T = schedule.T;
    const diagnostics: Diagnostic[] = [];
    let candidate: Candidate;
    let estimate: Estimate;
    let method: string;
    if (target instanceof GaussianMixture && target.components === 1) {
      candidate = gaussianLipschitz(target, schedule);
      estimate = exactEstimate(candidate.value);
      method = 'closed form over all pairs';
    } else if (target instanceof ProductMixture || (target instanceof GaussianMixture && target.dim === 1)) {
      const factors = target instanceof ProductMixture ? target.factors : [target];
      const steps = subject.steps ?? geometricSteps(T, 10, 1);
      const grid = subject.gridPoints ?? 401;
      candidate = { value: 0, x: [], t: 2, k: 1 };
      for (const [j, factor] of factors.entries()) {
        const c = oneDimensionalLipschitz(factor, schedule, steps, grid, () => ctx.checkBudget());
        if (c.value > candidate.value) {
          const x = Array.from(target.mean(), (v) => Math.sqrt(schedule.alphaBars[c.t]!) * v);
          x[j] = c.x[0]!;
          candidate = { ...c, x };
        }
      }
      estimate = { ...estimateSupremumByMaximum([candidate.value]), n: steps.length * (steps.length - 1) / 2 * grid };
      method = `quantile maps on ${steps.length} steps (all ${(steps.length * (steps.length - 1)) / 2} pairs) × ${grid}-point grid + golden section`;
    } else {
      const mid = Math.round(Math.sqrt(T));
      const pairs: [number, number][] = [[T, 1], [mid, 1], [T, mid]];
      const samples = Math.min(subject.samples ?? 32, ctx.budget.maxSamples);
      candidate = odeLipschitz(subject, pairs, samples, ctx.rng, () => ctx.checkBudget());
      estimate = { ...estimateSupremumByMaximum([candidate.value]), n: pairs.length * (samples + 64) };
      method = `variational ODE at ${samples} draws per pair for pairs ${pairs.map(([t, k]) => `${t}→${k}`).join(', ')} + hill-climb`;
      diagnostics.push({ kind: 'reference-flow-error', message: 'Dormand–Prince 5(4) at the reference flow tolerances (rtol 1e-10); the Jacobian error is far below the reported digits' });
    }
    const decision = decideUpperBound(estimate, claimed.Lf);
    const exact = estimate.method === 'exact';
    const reason =
      decision.verdict === 'holds'
        ? `The exact L̂_f = ${candidate.value.toPrecision(6)} (pair ${candidate.t}→${candidate.k}) is ≤ the declared L_f = ${claimed.Lf}.`
        : decision.verdict === 'violated'
          ? `${exact ? 'The exact' : 'A witnessed lower bound'} $L̂_f ${exact ? '=' : '≥'} ${candidate.value.toPrecision(6)}$ at $Φ_{${candidate.t}→${candidate.k}}$ exceeds the declared $L_f = ${claimed.Lf}$.`
          : `The largest Jacobian norm found, ${candidate.value.toPrecision(6)} (${method}), is below the declared L_f = ${claimed.Lf}; a search can show violation, never validity.`;
    const body = {
      estimates: { L_f: exactEstimate(claimed.Lf), L_f_hat: estimate },
      thresholds: [{ symbol: 'L_f_hat', value: claimed.Lf, side: 'upper' as const }],
      reason,
      diagnostics: [...diagnostics, { kind: 'note' as const, message: `method: ${method}` }],
    };
    const provenance = provenanceOf(ctx.rng);
    if (decision.verdict === 'violated') {
      const witness: Witness = {
        description: `$‖∂Φ_{${candidate.t}→${candidate.k}}(x)‖_{op} = ${candidate.value.toPrecision(6)} > L_f = ${claimed.Lf}$${exact ? ' (exact, any x)' : ''}`,
        point: candidate.x,
        time: candidate.t,
        value: candidate.value,
      };
      return makeEvidence('li2024.assumption1', provenance, body, { verdict: 'violated', witness });
    }
    return makeEvidence('li2024.assumption1', provenance, body, { verdict: decision.verdict });
  },
});

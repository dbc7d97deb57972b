/**
 * # Typical set: P(X_t ∉ E_t) ≤ exp(−c₄ d log T)
 *
 * ## Claim
 * [R] With E_t = {x : −log p_{X_t}(x) ≤ c₃ d log T} (the most likely definition, as in Li et al. 2023; the paper may
 * intersect it with a norm ball), P(X_t ∉ E_t) ≤ exp(−c₄ d log T) for every t (report Eq. (29)); c₃, c₄ are
 * universal constants the paper leaves unspecified. THEORY §1.8.
 *
 * ## Check design
 * The subject declares (c₃, c₄). On ≈ 6 geometric steps t ∈ [2, T]: P_t = P(−log p_t(X_t) > c₃ d log T) exactly
 * for a single Gaussian (−log p_t(X_t) = ½(d log 2π + log det C_t + χ²_d), a χ² tail in logs), and by the sure upper
 * bound Σ_j w_j P(χ²_d > 2(γ + log w_j) − d log 2π − log det C_j) for a mixture (p_t ≥ w_j N(·; m_j, C_j), THEORY
 * §4.6); Monte Carlo with a Clopper–Pearson interval (level 1 − 2δ/m over the m steps) is the cross-check and the
 * only way to show violation for a mixture. `holds` if the exact value / upper bound ≤ T^{−c₄d} at every step,
 * `violated` if the exact value (Gaussian) or the Clopper–Pearson lower end exceeds it at some step. The realised
 * ĉ₄ = min_t −log P_t/(d log T) is reported (a lower bound on it for mixtures); it is an empirical constant,
 * never asserted. A Monte Carlo lower end above the analytic bound is reported as a harness error.
 *
 * ## Controls
 * holds: `gaussianClaim` (aniso-gaussian-2d, T = 200, c₃ = 2, c₄ = 1: P_t ≈ e^{−19} ≤ 200^{−2}),
 * `ring8Claim` (ring8-2d mixture bound, same constants). violated: `hugeScaleData` (N(0, σ²), σ = T² = 4·10⁴,
 * T = 200, c₃ = 1, c₄ = 1: the entropy alone exceeds c₃ d log T at small t, so P_t = 1; this scale breaks (22)).
 *
 * ## References
 * [li2024] typical set and Eq. (29) (report), constants c₃, c₄ (seed); Li, Wei, Chen, Chi 2023 (arXiv 2306.09251)
 * for the definition; THEORY §1.8, §4.6, §6.1 LHW-TS.
 */
import {
  ValidationError,
  bonferroniCombined,
  builtInTarget,
  combineVerdicts,
  defineCheck,
  describeSetting,
  estimateProportionByClopperPearson,
  exactEstimate,
  gaussian,
  GaussianMixture,
  geometricSteps,
  levelForFalseFailRate,
  lowerBoundEstimate,
  lhwSchedule,
  logChiSquareSurvival,
  makeEvidence,
  marginalAtStep,
  provenanceOf,
  type Diagnostic,
  type Estimate,
  type EvidencePart,
  type LhwSetting,
  type Verdict,
  type Witness,
} from '../../src/index.ts';

const LOG_2PI = Math.log(2 * Math.PI);
import jStat from 'jstat';

export interface TypicalSetSubject extends LhwSetting {
  /** The constants the subject claims: E_t uses c₃, the tail bound c₄. */
  readonly claimed: { readonly c3: number; readonly c4: number };
  /** @defaultValue about 6 geometric steps in [2, T] */
  readonly steps?: readonly number[];
  /** Monte Carlo draws per step (cross-check; clamped to the budget). @defaultValue 20000 */
  readonly samples?: number;
}

/** Relative slack on comparisons of exact log-probabilities (χ² tail to ~1e-15, a few logs and sums). */
const LOG_RTOL = 1e-12;

export function subjectKey(subject: TypicalSetSubject): string {
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, steps: subject.steps, samples: subject.samples });
}

/** log of the exact tail (one component) or of the mixture upper bound Σ_j w_j P(χ² > …), at level γ. */
function logTailBound(target: GaussianMixture, ab: number, om: number, gamma: number): number {
  const d = target.dim;
  const terms: number[] = [];
  target.eigen.forEach((e, j) => {
    let logDet = 0;
    for (const lam of e.values) logDet += Math.log(ab * lam + om);
    const w = target.weights[j]!;
    if (w === 0) return;
    const x = 2 * (gamma + Math.log(w)) - d * LOG_2PI - logDet;
    terms.push(Math.log(w) + logChiSquareSurvival(x, d));
  });
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((s, v) => s + Math.exp(v - max), 0));
}

export const typicalSet = defineCheck<TypicalSetSubject>({
  id: 'li2024.typicalSet',
  kind: 'lemma',
  title: 'Typical set: P(X_t ∉ E_t) ≤ exp(−c₄ d log T)',
  claim:
    '[R] With E_t = {x : −log p_{X_t}(x) ≤ c₃ d log T} (reconstructed; the paper may add a norm constraint), ' +
    'P(X_t ∉ E_t) ≤ exp(−c₄ d log T) for every t, for universal constants c₃, c₄ (report Eq. (29)).',
  source: { paper: 'li2024', label: 'Typical set (from Li et al. 2023)', equation: '(29) report' },
  dependsOn: ['li2024.schedule'],
  constants: [
    { symbol: 'c_3', meaning: 'level of the typical set in units of d log T (declared)', role: 'assumed' },
    { symbol: 'c_4', meaning: 'claimed tail exponent: P(X_t ∉ E_t) ≤ T^{−c₄ d} (declared)', role: 'assumed' },
    { symbol: 'P_t', meaning: 'P(X_t ∉ E_t): exact (Gaussian) or Monte Carlo with Clopper–Pearson interval', role: 'estimated' },
    { symbol: 'P_t_bound', meaning: 'sure upper bound on P(X_t ∉ E_t) from the χ² tails of the components', role: 'bound' },
    { symbol: 'c_4_hat', meaning: 'realised ĉ₄ = min_t −log P_t/(d log T) (for a mixture: from the upper bound, so a lower bound on ĉ₄)', role: 'estimated' },
  ],
  subject: 'distribution',
  design: {
    estimand: 'P(−log p_t(X_t) > c₃ d log T) per step against T^{−c₄ d}',
    decision: 'upper-bound',
    falseFailRate: 1e-3,
  },
  controls: [
    {
      name: 'gaussianClaim',
      description: 'aniso-gaussian-2d, T = 200, claimed (c₃, c₄) = (2, 1): exact χ² tails ≈ e^{−19} ≤ 200^{−2}',
      expected: 'holds',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c3: 2, c4: 1 } }),
    },
    {
      name: 'ring8Claim',
      description: 'ring8-2d (8 modes, covariance 0.04·I), T = 200, claimed (c₃, c₄) = (2, 1): the mixture upper bound suffices',
      expected: 'holds',
      build: () => ({ target: builtInTarget('ring8-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c3: 2, c4: 1 }, samples: 5000 }),
    },
    {
      name: 'hugeScaleData',
      description: 'N(0, σ²) with σ = T² = 4·10⁴ (violates bounded support (22) at c_R < 2), T = 200, (c₃, c₄) = (1, 1): P_t = 1 at small t',
      expected: 'violated',
      build: () => ({ target: gaussian([0], [200 ** 4], { name: 'huge-scale-1d' }), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c3: 1, c4: 1 } }),
    },
  ],
  async run(subject, ctx) {
    const { target, schedule, claimed } = subject;
    if (!(target instanceof GaussianMixture)) {
      throw new ValidationError('E_UNSUPPORTED', 'li2024.typicalSet needs a GaussianMixture target (product targets: not implemented)', 'target');
    }
    const d = target.dim;
    const T = schedule.T;
    const logT = Math.log(T);
    const gamma = claimed.c3 * d * logT;
    const logTau = -claimed.c4 * d * logT;
    const single = target.components === 1;
    const steps = subject.steps ?? geometricSteps(T, 6);
    const level = levelForFalseFailRate(ctx.falseFailRate / steps.length);
    const n = Math.min(subject.samples ?? 20_000, ctx.budget.maxSamples);

    const estimates: Record<string, Estimate> = {};
    const parts: EvidencePart[] = [];
    const diagnostics: Diagnostic[] = [];
    const pValues: number[] = [];
    let witness: Witness | undefined;
    let c4Hat = Infinity;
    const boundSeries: number[] = [];

    for (const [k, t] of steps.entries()) {
      ctx.checkBudget();
      ctx.progress(k / steps.length, `t = ${t}`);
      const ab = schedule.alphaBars[t]!;
      const om = schedule.oneMinusAlphaBars[t]!;
      const logBound = logTailBound(target, ab, om, gamma);
      boundSeries.push(logBound / Math.LN10);
      c4Hat = Math.min(c4Hat, -logBound / (d * logT));
      estimates[`P_${t}_bound`] = exactEstimate(Math.exp(logBound));
      const marginal = marginalAtStep(subject, t);
      const x = marginal.sample(n, ctx.rng.child(`t=${t}`));
      const logp = marginal.logDensity(x);
      let outside = 0;
      for (let i = 0; i < n; i++) if (-logp[i]! > gamma) outside += 1;
      const mc = estimateProportionByClopperPearson(outside, n, { level });
      estimates[`P_${t}_mc`] = mc;
      const boundOk = logBound <= logTau + LOG_RTOL * Math.abs(logTau);
      let verdict: Verdict;
      if (single) {
        estimates[`P_${t}`] = exactEstimate(Math.exp(logBound));
        verdict = boundOk ? 'holds' : 'violated';
        if (mc.interval.lower > Math.exp(logBound) * (1 + 1e-9) || mc.interval.upper < Math.exp(logBound) * (1 - 1e-9)) {
          diagnostics.push({ kind: 'numerical', message: `t=${t}: Monte Carlo interval [${mc.interval.lower}, ${mc.interval.upper}] excludes the exact P_t = ${Math.exp(logBound)}` });
        }
      } else {
        estimates[`P_${t}`] = mc;
        verdict = boundOk ? 'holds' : mc.interval.lower > Math.exp(logTau) ? 'violated' : 'inconclusive';
        // p-value of "P_t ≤ τ" given `outside` exceedances: P(Bin(n, τ) ≥ outside).
        pValues.push(outside === 0 ? 1 : Math.max(0, 1 - jStat.binomial.cdf(outside - 1, n, Math.exp(logTau))));
        if (mc.interval.lower > Math.exp(logBound) * (1 + 1e-9)) {
          diagnostics.push({ kind: 'numerical', message: `t=${t}: Monte Carlo lower end ${mc.interval.lower} exceeds the sure upper bound ${Math.exp(logBound)} — harness error` });
        }
      }
      parts.push({
        name: `t=${t}`,
        verdict,
        reason: `${single ? 'exact' : 'bound'} log₁₀ P_t = ${(logBound / Math.LN10).toFixed(3)} vs log₁₀ T^{−c₄d} = ${(logTau / Math.LN10).toFixed(3)}; Monte Carlo ${outside}/${n}`,
      });
      if (verdict === 'violated' && witness === undefined) {
        witness = { description: `P(X_${t} ∉ E_${t}) ${single ? '=' : '≥'} ${single ? Math.exp(logBound).toPrecision(4) : mc.interval.lower.toPrecision(4)} > T^{−c₄d} = ${Math.exp(logTau).toPrecision(4)} at step ${t}`, time: t, value: single ? Math.exp(logBound) : mc.interval.lower };
      }
    }
    // for a mixture ĉ₄ comes from an upper bound on the tail, so it is a sure lower bound on the realised ĉ₄
    estimates['c_4_hat'] = single ? exactEstimate(c4Hat) : lowerBoundEstimate(c4Hat);
    estimates['c_3'] = exactEstimate(claimed.c3);
    estimates['c_4'] = exactEstimate(claimed.c4);
    const verdict = combineVerdicts(parts.map((p) => p.verdict));
    const what = single ? 'exact' : 'upper-bound';
    const reason =
      verdict === 'holds'
        ? `The ${what} tail P(X_t ∉ E_t) is ≤ T^{−c₄d} at all ${steps.length} steps for (c₃, c₄) = (${claimed.c3}, ${claimed.c4}); realised ĉ₄ ${single ? '=' : '≥'} ${c4Hat.toPrecision(4)}.`
        : verdict === 'violated'
          ? `P(X_t ∉ E_t) exceeds T^{−c₄d} = ${Math.exp(logTau).toPrecision(3)} at ${parts.filter((p) => p.verdict === 'violated').map((p) => p.name).join(', ')} for (c₃, c₄) = (${claimed.c3}, ${claimed.c4}).`
          : `The mixture upper bound exceeds T^{−c₄d} at ${parts.filter((p) => p.verdict === 'inconclusive').map((p) => p.name).join(', ')} and Monte Carlo cannot show a violation.`;
    const body = {
      estimates,
      thresholds: [{ symbol: 'P_t', value: Math.exp(logTau), side: 'upper' as const }],
      reason,
      parts,
      diagnostics: [
        ...diagnostics,
        { kind: 'reconstructed-statement' as const, message: 'the definition of E_t and the constants c₃, c₄ are reconstructed [R] (THEORY §8 item 2)' },
        { kind: 'monte-carlo-error' as const, message: `${n} draws per step, Clopper–Pearson intervals at level ${level}` },
      ],
      plots: [
        {
          id: 'typical-set-tail',
          title: `log₁₀ P(X_t ∉ E_t) (${what}) against t, and the claimed log₁₀ T^{−c₄d}`,
          mark: 'line' as const,
          x: { label: 't', scale: 'log' as const },
          y: { label: 'log₁₀ P', scale: 'linear' as const },
          series: [
            { name: what, x: [...steps], y: boundSeries },
            { name: 'claimed', x: [...steps], y: steps.map(() => logTau / Math.LN10) },
          ],
        },
      ],
      ...(single ? {} : { pValue: bonferroniCombined(pValues) }),
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') return makeEvidence('li2024.typicalSet', provenance, body, { verdict, witness: witness! });
    return makeEvidence('li2024.typicalSet', provenance, body, { verdict });
  },
});

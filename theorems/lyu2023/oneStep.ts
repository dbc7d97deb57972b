/**
 * # One-step W₂ guarantee (Lyu, Feng & Chen): the model's one-step error against the bound its measured constants imply
 *
 * ## Claim
 * Recalled form [R]: W₂(f(·, T)_♯N(0, I), p_data) ≲ T(ε_cm + L_f ε_sc + L_f·disc) + L_f e^{−T}(√d + m₂) + W₂(p_δ, p_data).
 * Derived form with every constant explicit [D, THEORY §2.3]: on a grid δ = t₀ < … < t_{N−1} = T, with the exact flow Φ,
 * the prior π = N(0, s_T²I) (N(0, T²I) on VE; on OU s_T² = 1 − e^{−2T}, within e^{−2T}√d of the paper's N(0, I)),
 * W₂(f(·, T)_♯π, p_data) ≤ L_f·W₂(π, p_T) + Σ_n h_n ε_cm,n + b + W₂(p_δ, p_data) =: W2_bound,
 * with h_n ε_cm,n = ‖f(·, t_{n+1}) − f(Φ_{t_{n+1}→t_n}(·), t_n)‖_{L²(p_{t_{n+1}})} (consistency error against the exact
 * ODE step: the paper's ε_cm against a solver step plus L_f times the solver's error, which is where ε_sc and the
 * discretisation enter, bound it from above, so W2_bound ≤ the paper's right side with the same model) and
 * b = ‖f(·, δ) − id‖_{L²(p_δ)} (0 under the paper's boundary condition). Proof: W₂(f_♯π, f_♯p_T) ≤ L_f W₂(π, p_T);
 * W₂(f(·, T)_♯p_T, p_δ) ≤ the RMS of f(Y, T) − Φ_{T→δ}(Y), Y ~ p_T, which telescopes along the exact flow (Minkowski);
 * then the triangle inequality.
 *
 * ## Check design
 * Left side W2_measured: the model applied to fresh prior draws against fresh target draws, exact W₂ by assignment
 * (`estimateWasserstein2ToLaw`: R repetitions of n-point samples; the interval's upper end is √(E W₂²) of the plug-in
 * (an upper bound on W₂ by convexity, bias included), its lower end subtracts both same-law floors (model vs model,
 * target vs target) from the plug-in, a bound by the triangle inequality). Right side W2_bound: the consistency
 * residuals along the exact flow (Y ~ p_T pushed to every grid time, common random numbers; CLT intervals), the
 * boundary term, L_f (declared, else measured: exact for affine models, otherwise the value at T of the witness search
 * of `lyu2023.modelLipschitz`, a sup lower bound), W₂(π, p_T) and W₂(p_δ, p_data) by the paired-component Bures bound
 * for Gaussian mixtures (exact for one Gaussian; the synchronous coupling a_T m₂ and √((1 − a_δ)²m₂² + s_δ²d)
 * otherwise). Parts: (i) `holds` if W2_measured's upper end ≤ W2_bound's lower end, `violated` if its lower end >
 * W2_bound's upper end; (ii) a declared L_f against the witnessed Lip(f(·, T)); (iii) harness self-check A ≤ R + b on
 * the pathwise telescoping. Tightness = W2_bound / W2_measured.
 * The residuals (hence R and `eps_cm`) and the witness search are the chain's shared constants
 * (`measureConsistencyResiduals`, `witnessModelLipschitz`): one computation each, with streams fixed by the run's
 * seed, read by `lyu2023.consistencyError` and `lyu2023.modelLipschitz` on the same model, so each constant is one
 * number across the chain.
 * Since the bound is derived, a `violated` part (i) means a measured constant is too small — in practice L̂_f, which
 * is only a lower bound for non-affine models — or a harness error; the reason says which.
 *
 * ## Controls
 * holds: `exactFlowAniso` (f* on aniso-gaussian-2d, OU on the short clock [0.002, 1]: the prior term's op-norm L_f
 * is loose in the contracting direction), `markovSolutionBimodal` (bimodal-1d, the Markov-coupled CT solution: large
 * residuals, one-step law far from p_data but far below the bound).
 * violated: `hiddenStep` (see its comment: every hypothesis holds, the measured L̂_f misses an expansion),
 * `understatedLf` (f* declared with L_f = 1 while Lip(f*(·, T)) ≈ 2).
 *
 * ## References
 * [lyu2023] one-step theorem (recalled; reviewers 1–2 on T and e^{O(T)} factors); THEORY §2.3, §6.2 LYU-1STEP.
 */
import {
  builtInTarget,
  buresWasserstein,
  type ConsistencyFunction,
  defineCheck,
  type Estimate,
  estimateWasserstein2ToLaw,
  EvidenceBuilder,
  exactConsistencyFunction,
  exactEstimate,
  type ExactTarget,
  finalTimeLipschitz,
  formatNumber,
  type ForwardProcess,
  gaussian,
  hiddenStepAtTime,
  isotropicCovariance,
  isSingleGaussian,
  levelForFalseFailRate,
  markovCoupledCtSolution,
  measureConsistencyResiduals,
  oneStepFixedTerms,
  ornsteinUhlenbeck,
  priorDraws,
  pushAffine,
  referenceFlow,
  rngFromSeed,
  varianceExploding,
  compareWithBound,
  estimateMeanByClt,
} from '../../src/index.ts';

export interface OneStepSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly model: ConsistencyFunction;
  /** The Lipschitz constant of f(·, T) the subject declares (the prior term); omitted: measured only. */
  readonly claimed?: { readonly Lf: number };
  /** Grid size on [δ, T] (geometric). @defaultValue 16 */
  readonly gridSize?: number;
  /** Draws of Y ~ p_T for the consistency residuals. @defaultValue 2000 */
  readonly samples?: number;
  /** Points per sample of the W₂ estimate (model and target sides). @defaultValue 512 */
  readonly w2Samples?: number;
  /** Repetitions of the W₂ estimate (≥ 20 keeps the Student t quantile at level 1 − δ near the normal one). @defaultValue 20 */
  readonly w2Repetitions?: number;
}

export const oneStepSkeleton = defineCheck<OneStepSubject>({
  id: 'lyu2023.oneStep',
  kind: 'theorem',
  title: 'One-step W₂ guarantee: the measured one-step error against the bound of the measured constants',
  claim:
    '$W₂(f(·, T)_♯N(0, s_T²I), p_{data}) ≤ L_f·W₂(N(0, s_T²I), p_T) + Σ_n h_n ε_{cm,n} + ‖f(·, δ) − \\mathrm{id}‖_{L²(p_δ)} + W₂(p_δ, p_{data})$, ' +
    '$ε_{cm,n}$ the consistency error against the exact ODE step (derived [D]; it is at most the paper’s right side $T(ε_{cm} + L_f ε_{sc} + L_f·\\mathrm{disc}) + L_f e^{−T}(√d + m₂) + W₂(p_δ, p_{data})$, reconstructed [R]).',
  source: { paper: 'lyu2023', label: 'One-step sampling theorem (W₂)' },
  dependsOn: ['lyu2023.scoreLipschitz', 'lyu2023.modelLipschitz', 'lyu2023.scoreError', 'lyu2023.consistencyError'],
  constants: [
    { symbol: 'W2_measured', meaning: 'W₂(f(·, T)_♯prior, p_data) by exact assignment against fresh target draws (interval ends bound W₂ itself, bias included)', role: 'estimated' },
    { symbol: 'W2_bound', meaning: 'L_f·W₂(prior, p_T) + R + b + W₂(p_δ, p_data) with the measured (or declared) constants', role: 'bound' },
    { symbol: 'tightness', meaning: 'W2_bound / W2_measured (value of each)', role: 'estimated' },
    { symbol: 'L_f', meaning: 'the Lipschitz constant of f(·, T) the prior term uses: the declared one, else Lip (measured)', role: 'assumed' },
    { symbol: 'Lip', meaning: 'Lip(f(·, T)): exact for affine models, a sup lower bound otherwise', role: 'estimated' },
    { symbol: 'A', meaning: 'RMS ‖f(Y, T) − Φ_{T→δ}(Y)‖, Y ~ p_T (the coupling upper bound on W₂(f_♯p_T, p_δ))', role: 'estimated' },
    { symbol: 'R', meaning: 'Σ_n h_n ε_cm,n: consistency residuals along the exact flow', role: 'estimated' },
    { symbol: 'eps_cm', meaning: 'max_n ε_cm,n (residual per unit time), the paper’s ε_cm against the exact step (interval: max of the ends); the value lyu2023.consistencyError reports', role: 'estimated' },
    { symbol: 'b', meaning: 'boundary term ‖f(·, δ) − id‖_{L²(p_δ)}', role: 'estimated' },
    { symbol: 'prior', meaning: 'L_f·W₂(prior, p_T) (paired-component Bures bound; exact for one Gaussian)', role: 'bound' },
    { symbol: 'early_stop', meaning: 'W₂(p_δ, p_data) (paired-component Bures bound; exact for one Gaussian)', role: 'bound' },
    { symbol: 'target_floor', meaning: 'mean W₂ between two independent target samples of the left side’s size: the plug-in’s same-law floor', role: 'estimated' },
  ],
  subject: 'model',
  design: { estimand: 'one-step W₂ of the model against the bound implied by its measured constants', decision: 'upper-bound', falseFailRate: 1e-3 },
  controls: [
    {
      name: 'exactFlowAniso',
      description: 'f* on aniso-gaussian-2d, OU on [0.002, 1], declared L_f = 2: the prior term uses the op-norm, loose in the contracting direction',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck({ tMax: 1 });
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), claimed: { Lf: 2 }, samples: 1000, w2Samples: 256 };
      },
    },
    {
      name: 'markovSolutionBimodal',
      description: 'bimodal-1d with the Markov-coupled CT solution (boundary exact, large residuals), no L_f declared',
      expected: 'holds',
      build: () => {
        const target = builtInTarget('bimodal-1d');
        const process = ornsteinUhlenbeck();
        return { target, process, model: markovCoupledCtSolution(target, process), samples: 1000 };
      },
    },
    {
      // The derived bound cannot fail when its constants are the true ones, so a `violated` verdict on a model that
      // meets every hypothesis must come from a measured constant that is too small. This model meets them all: it is
      // f* except at t = T, where a logistic step of height −2 and width 1e-6 at x = 0.5 moves the first coordinate —
      // Lipschitz (constant ≈ 5·10⁵), boundary condition exact, consistency residuals finite and measured honestly
      // (p_T = N(4, 2) puts 0.7% of its mass below the edge, so R ≈ 0.16). The prior N(0, 1) puts 69% there, so the
      // one-step law moves by ≈ 2 while the bound rises by R only: the sampled witness search for L_f (central
      // differences at the mean and 64 draws of p_T per grid time, compass-refined) misses the edge, and
      // L̂_f ≈ Lip(f*(·, T)) ≈ 0.71 is far below the truth.
      name: 'hiddenStep',
      description: 'N(4, 1) on VE [0.002, 1]: f* plus a step of height −2, width 1e-6 at x = 0.5 at t = T only (Lipschitz, boundary exact); the sampled L̂_f misses it',
      expected: 'violated',
      build: () => {
        const target = gaussian([4], [1]);
        const process = varianceExploding({ tMax: 1 });
        const model = hiddenStepAtTime(exactConsistencyFunction(referenceFlow(target, process)), 1, { edge: 0.5, height: -2, width: 1e-6 });
        return { target, process, model, samples: 2000 };
      },
    },
    {
      name: 'understatedLf',
      description: 'f* on aniso-gaussian-2d (OU on [0.002, 1]) declared with L_f = 1 (the exact Lip(f*(·, T)) ≈ 1.7)',
      expected: 'violated',
      build: () => {
        const target = builtInTarget('aniso-gaussian-2d');
        const process = ornsteinUhlenbeck({ tMax: 1 });
        return { target, process, model: exactConsistencyFunction(referenceFlow(target, process)), claimed: { Lf: 1 }, samples: 1000, w2Samples: 256 };
      },
    },
  ],
  // This run is longer than the ~80 lines a statement aims for: the left side (measured one-step W₂, exact Bures where
  // it applies), the right side (bound from the measured constants) and two harness self-checks are assembled into
  // one Evidence; the terms themselves are computed in src/lyu/.
  async run(subject, ctx) {
    const { target, process, model, claimed } = subject;
    const d = target.dim;
    const N = subject.gridSize ?? 16;
    const n = Math.min(subject.samples ?? 2000, ctx.budget.maxSamples);
    const delta = process.tMin;
    const T = process.tMax;
    // Bonferroni: half of δ to the left side (the W₂ estimate), half to the right side's N − 1 residuals and b
    const level = levelForFalseFailRate(ctx.falseFailRate / 2 / N);
    const w2Level = levelForFalseFailRate(ctx.falseFailRate / 2);
    // The consistency residuals along the exact flow and the witness search for L_f are the chain's shared
    // constants: the same computations (memoised, streams fixed by the run's seed) that lyu2023.consistencyError and
    // lyu2023.modelLipschitz report, so eps_cm and L_f mean the same number in every statement.
    const constantsRng = rngFromSeed(ctx.rng.seed).child('lyu2023.constants');
    const shared = measureConsistencyResiduals(model, target, process, { gridSize: N, samples: n, level, rng: constantsRng.child('residuals') });
    const times = shared.times;
    const residuals = shared.residuals;
    const A = shared.coupling;
    const R = shared.sum;
    const b = shared.boundary;
    const minkowskiGap = shared.minkowskiGap;
    const plainA = A.value;
    const parts = new EvidenceBuilder('lyu2023.oneStep');

    // Lipschitz constant of f(·, T): exact for affine models, otherwise the value at T of the chain's shared witness
    // search (a sup lower bound: central differences at mode seeds and draws of p_t, refined by compass search).
    const sT = process.noiseScale(T);
    const { lip, affine: probe, point: lipPoint } = finalTimeLipschitz(model, target, process, Math.min(64, n), ctx.rng, constantsRng, () => ctx.checkBudget());
    if (claimed) {
      const refuted = lip.value > claimed.Lf * (1 + 1e-12);
      parts.add('declared L_f ≥ Lip(f(·, T))', refuted ? 'violated' : probe ? 'holds' : 'inconclusive', `Lip(f(·, T)) ${probe ? '=' : '≥'} ${formatNumber(lip.value)} vs declared L_f = ${claimed.Lf}`, {
        description: `f(·, T) stretches by ${formatNumber(lip.value)} > L_f = ${claimed.Lf}${lipPoint.length ? ' near this point' : ''}`,
        ...(lipPoint.length ? { point: lipPoint } : {}),
        time: T,
        value: lip.value,
      });
    }
    const lf = claimed?.Lf ?? lip.value;
    const lfExact = claimed === undefined && probe !== undefined;

    // Prior mismatch W₂(N(0, s_T²I), p_T) and early stopping W₂(p_δ, p_data): paired-component Bures bounds.
    const { priorW2, earlyStop, method: termsMethod } = oneStepFixedTerms(target, process);
    const priorTerm = lf * priorW2;
    const boundValue = priorTerm + R.value + b.value + earlyStop;
    const W2Bound: Estimate = {
      value: boundValue,
      interval: { lower: priorTerm + R.interval.lower + b.interval.lower + earlyStop, upper: priorTerm + R.interval.upper + b.interval.upper + earlyStop, level },
      method: 'clt-sum',
      n,
    };

    // Left side: the model on fresh prior draws against fresh target draws, exact assignment, bias bounded.
    const w2 = estimateWasserstein2ToLaw(
      (k, rng) => model.evaluate(priorDraws(k, d, sT, rng), T),
      (k, rng) => target.sample(k, rng),
      ctx.rng.child('w2-left-side'),
      { n: Math.min(subject.w2Samples ?? 512, ctx.budget.maxSamples), repetitions: subject.w2Repetitions ?? 20, level: w2Level },
    );
    // The exact left side where it exists (one Gaussian, affine model): it decides, and the sampled estimate, whose
    // interval ends bound W₂ itself, must contain it (a self-check of the estimator that can fail).
    let exactLeft: number | undefined;
    if (isSingleGaussian(target) && probe) {
      const out = pushAffine({ mean: new Float64Array(d), cov: isotropicCovariance(d, sT * sT) }, probe);
      exactLeft = buresWasserstein(out.mean, out.cov, target.means[0]!, target.covariances[0]!);
    }
    const W2Measured = exactLeft === undefined ? w2.estimate : exactEstimate(exactLeft);
    // W2_bound/W2_measured with its interval; the same ratio in the note and the reason
    const tightnessEstimate = compareWithBound(W2Measured, W2Bound).tightness;
    const tightness = tightnessEstimate.value;
    const boundHolds = W2Measured.interval.upper <= W2Bound.interval.lower;
    const boundBroken = W2Measured.interval.lower > W2Bound.interval.upper;
    const lfSource = claimed ? `the declared L_f = ${claimed.Lf}` : lfExact ? `the exact Lip(f(·, T)) = ${formatNumber(lf)}` : `the witnessed L̂_f = ${formatNumber(lf)} (a lower bound on Lip(f(·, T)))`;
    parts.add(
      'one-step W₂ ≤ bound of the measured constants',
      boundHolds ? 'holds' : boundBroken ? 'violated' : 'inconclusive',
      `W₂(f(·, T)_♯prior, p_data) ∈ [${formatNumber(W2Measured.interval.lower)}, ${formatNumber(W2Measured.interval.upper)}] vs W2_bound ∈ [${formatNumber(W2Bound.interval.lower)}, ${formatNumber(W2Bound.interval.upper)}] with ${lfSource}` +
        (boundBroken
          ? claimed || !lfExact
            ? `; at fault: an estimate, not the theorem — the bound checked is derived [D] (not the reconstructed [R] statement), so a constant is too small: most likely L_f (${claimed ? 'the declared value' : 'the witness search only bounds it from below'}; the prior term uses it)`
            : '; at fault: the derivation [D] or the harness, not an estimate — every constant is exact or an interval (the reconstructed [R] statement is not what is checked)'
          : ''),
      { description: `the one-step error is at least ${formatNumber(W2Measured.interval.lower)}, above the bound ${formatNumber(W2Bound.interval.upper)}`, time: T, value: W2Measured.interval.lower },
    );
    if (minkowskiGap > 1e-9 * (1 + plainA)) parts.add('harness self-check A ≤ R + b', 'violated', `the pathwise telescoping failed by ${formatNumber(minkowskiGap)}: harness bug`);
    if (exactLeft !== undefined && (exactLeft < w2.estimate.interval.lower * (1 - 1e-9) || exactLeft > w2.estimate.interval.upper * (1 + 1e-9))) {
      parts.add('harness self-check: the sampled W₂ interval contains the exact W₂', 'violated', `exact W₂ ${formatNumber(exactLeft)} lies outside the sampled interval [${formatNumber(w2.estimate.interval.lower)}, ${formatNumber(w2.estimate.interval.upper)}]: estimator bug`);
    }


    const epsCm = shared.epsCm.value;
    const paperForm = (T - delta) * epsCm + priorTerm + b.value + earlyStop;
    const estimates: Record<string, Estimate> = {
      W2_measured: W2Measured,
      W2_bound: W2Bound,
      tightness: tightnessEstimate,
      W2_bound_paper_form: exactEstimate(paperForm),
      Lip: lip,
      A,
      R,
      eps_cm: shared.epsCm,
      b,
      prior: exactEstimate(priorTerm),
      early_stop: exactEstimate(earlyStop),
      target_floor: estimateMeanByClt(w2.parts.targetFloor, { level: w2Level }),
    };
    estimates['L_f'] = claimed ? exactEstimate(claimed.Lf) : lip;
    if (exactLeft !== undefined) estimates['W2_measured_sampled'] = w2.estimate;
    return parts.evidence(
        ctx.rng,
      {
        estimates,
        thresholds: [{ symbol: 'W2_measured', value: W2Bound.interval.lower, side: 'upper' }],
        diagnostics: [
          { kind: 'note', message: `W2_bound = prior ${formatNumber(priorTerm)} (${lfSource} × W₂(prior, p_T) ≤ ${formatNumber(priorW2)}) + R ${formatNumber(R.value)} over ${N - 1} intervals + b ${formatNumber(b.value)} + W₂(p_δ, p_data) ≤ ${formatNumber(earlyStop)} (${termsMethod}); tightness W2_bound/W2_measured = ${formatNumber(tightness)}` },
          { kind: 'note', message: `paper form with the same constants: (T − δ)·ε̂_cm + prior + b + early stop = ${formatNumber(paperForm)} ≥ W2_bound (ε̂_cm = ${formatNumber(epsCm)} per unit time; ε_sc and the discretisation enter only through a solver step, which the exact-flow residuals replace)` },
          { kind: 'monte-carlo-error', message: `left side: ${w2.estimate.n}-point samples, ${w2.parts.cross.length} repetitions, exact assignment; upper end √(E W₂²) of the plug-in (bias included), lower end plug-in minus both same-law floors (target floor ≈ ${formatNumber(w2.targetFloorMean)}); right side: ${n} draws of Y ~ p_T along the exact flow; intervals at level ${formatNumber(w2Level)} (left) and ${formatNumber(level)} (right, each of ${N} terms)` },
          ...(exactLeft !== undefined ? [{ kind: 'note' as const, message: `exact left side (Bures, affine model on one Gaussian): ${formatNumber(exactLeft)}, decides; the sampled estimate (W2_measured_sampled) is kept as a cross-check` }] : []),
          { kind: 'reconstructed-statement', message: 'the paper’s one-step theorem (with T·(ε_cm + L_f ε_sc + disc) and L_f e^{−T}(√d + m₂)) is reconstructed [R]; the bound checked is derived [D] and is at most the paper’s' },
        ],
        plots: [{ id: 'one-step-residuals', title: 'consistency residual per interval along the exact flow', mark: 'point', x: { label: 't_{n+1}', scale: 'log' }, y: { label: 'RMS residual', scale: 'log' }, series: [{ name: model.id, x: times.slice(1), y: residuals.map((e) => Math.max(e.value, 1e-300)), lower: residuals.map((e) => e.interval.lower), upper: residuals.map((e) => e.interval.upper) }] }],
      },
      (v) =>
        v === 'holds'
          ? `${model.id}: the one-step W₂ ≤ ${formatNumber(W2Measured.interval.upper)} is below the bound ${formatNumber(W2Bound.interval.lower)} of its measured constants (tightness ${formatNumber(tightness)}).`
          : v === 'violated'
            ? `${model.id}: ${parts.named('violated').join(', ')} fail${parts.named('violated').length > 1 ? '' : 's'} (W₂ ≥ ${formatNumber(W2Measured.interval.lower)}, W2_bound ≤ ${formatNumber(W2Bound.interval.upper)}, Lip(f(·, T)) ${probe ? '=' : '≥'} ${formatNumber(lip.value)}${claimed ? ` vs L_f = ${claimed.Lf}` : ''}).`
            : `${model.id}: ${parts.named('inconclusive').join(', ')} undecided (W₂ ∈ [${formatNumber(W2Measured.interval.lower)}, ${formatNumber(W2Measured.interval.upper)}], W2_bound ∈ [${formatNumber(W2Bound.interval.lower)}, ${formatNumber(W2Bound.interval.upper)}]).`,
    );
  },
});

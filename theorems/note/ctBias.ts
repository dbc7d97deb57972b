/**
 * # The size of the CT bias: Jensen gap between the CT and the CD-Euler population minimisers
 *
 * ## Claim
 * VE, squared loss, stop-gradient teacher g = f_{θ⁻}(·, t_n), unrestricted student at t_{n+1}, h = t_{n+1} − t_n,
 * y = x_{t_{n+1}} [D, THEORY §5.3]: f^CT(y) = E[g(X_{t_n}) | y] and f^CD-Euler(y) = g(E[X_{t_n} | y]) (the CT pair's
 * conditional mean is the Euler point y + h t_{n+1}∇log p(y)), so
 * f^CT(y) − f^CD-Euler(y) = (h²/2)·g″(x̄)·Var(z | y) + O(h³) (the Jensen gap), with Var(z | y) = Var(X₀ | y)/t_{n+1}².
 * For Gaussian data affine teachers have no Jensen gap: idealised CT equals the exact-score Euler step, whose gain
 * per eigen-direction λ is cos(φ_{t_{n+1}} − φ_{t_n}) times the exact gain, φ_t = atan2(t, √λ); the product of the
 * cosines over a grid is < 1 (idealised CT under-disperses).
 *
 * ## Check design
 * 1-D targets, teacher g = f*(·, t_n) of the reference flow (quantile maps), t_{n+1} = 1.2, h = 0.05/2^k, k = 0…4
 * (r(0.1) is still ≈ 0.2 for the skewed mixture: the Jensen expansion needs (h/t)·sd(X₀|y) ≪ the scale of g″), 7 points
 * y spread over p_{t_{n+1}}. E[g(X_{t_n}) | y] by 40-node Gauss–Hermite per posterior component
 * (X_{t_n} = x₀ + t_n(y − x₀)/t_{n+1} given x₀ | y for the CT coupling; the posterior of X_{t_n} given y under the
 * Markov chain for independent increments); g″ = g′·(s_{t_n}(x) − s_ε(g(x))·g′) with g′ = p_{t_n}(x)/p_ε(g(x)) (§4.5).
 * Quantity: the least-squares ratio r(h) = Σ_y gap·pred/Σ_y pred² of measured gap to prediction; deterministic
 * (quadrature error ≲ 1e-12 against gaps ≥ 1e-5). `holds` iff |r(h_min) − 1| ≤ 0.1, `violated` iff > 0.5.
 * Gaussian target: the gap must vanish (|gap| ≤ 1e-10, quadrature exact for affine g) and the cosine identity hold
 * to 1e-12 at every step of a Karras grid (N = 18), whose ∏cos Δφ per direction is reported.
 *
 * ## Controls
 * holds: `gaussianCtEqualsEuler` (N(0.5, 0.5): CT = Euler, cosine identity, ∏cos Δφ reported),
 * `skewedMixtureJensenGap` (0.3N(−1.5, 0.1) + 0.7N(1, 0.3), THEORY v6: r → 1).
 * violated: `independentIncrements` (the same with a Markov coupling: the gap is first order, r diverges as h → 0).
 *
 * ## References
 * [note] "how wrong is the CT coupling?"; [song2023] Theorem 2; THEORY §5.3 (v4, v6), §6.5 NOTE-CTBIAS.
 */
import {
  defineCheck,
  type Estimate,
  EvidenceBuilder,
  exactEstimate,
  type ExactTarget,
  formatNumber,
  type ForwardProcess,
  gaussHermite,
  gaussian,
  GaussianMixture,
  isSingleGaussian,
  karrasTimes,
  localSlopeEstimate,
  mixture1d,
  mixtureDensity,
  mixtureExpectation,
  mixtureMean,
  mixtureScore,
  mixtureVariance,
  noisedMixture1d,
  posterior,
  referenceFlow,
  varianceExploding,
} from '../../src/index.ts';

export interface CtBiasSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  /** How the CT pair couples X_{t_n} and X_{t_{n+1}}. @defaultValue 'shared-noise' */
  readonly coupling?: 'shared-noise' | 'independent-increments';
  /** t_{n+1}. @defaultValue 1.2 */
  readonly t?: number;
}

const RATIO_BAND = 0.1;
const RATIO_FAIL = 0.5;
const GAUSSIAN_GAP_TOL = 1e-10;
const COSINE_RTOL = 1e-12;
const HS = [0.05, 0.025, 0.0125, 0.00625, 0.003125];
const SKEWED = (): GaussianMixture => new GaussianMixture([0.3, 0.7], [[-1.5], [1]], [[0.1], [0.3]], { name: 'skewed-1d (THEORY v6)' });

export const ctBias = defineCheck<CtBiasSubject>({
  id: 'note.ctBias',
  kind: 'lemma',
  title: 'CT minus CD-Euler minimiser is the Jensen gap (h²/2)g″Var(z|y); Gaussian CT = Euler exactly',
  claim:
    // Stryker disable next-line StringLiteral: the claim's first half is free text (the claim stays non-empty without it)
    'f^CT(y) − f^CD-Euler(y) = (h²/2)·g″(x̄)·Var(z|y) + O(h³) for the stop-gradient teacher g; for Gaussian data the gap is 0, CT equals the ' +
    'Euler step and its gain is cos(Δφ) × the exact gain, so ∏cos Δφ < 1 (derived [D], THEORY §5.3).',
  source: { paper: 'note', label: 'CT bias (population minimisers)' },
  dependsOn: ['note.coupling'],
  constants: [
    { symbol: 'r(h_min)', meaning: 'least-squares ratio of the measured gap to the Jensen prediction at the smallest h; → 1', role: 'estimated' },
    { symbol: 'slope|r−1|', meaning: 'order in h of |r(h) − 1| (≈ 1)', role: 'estimated' },
    { symbol: 'gap_order', meaning: 'order in h of the RMS gap over the points (2 for the CT coupling, 1 for independent increments)', role: 'estimated' },
    { symbol: 'gap_max', meaning: 'Gaussian: max |f^CT − f^CD-Euler| over points and h (must be 0)', role: 'estimated' },
    { symbol: '1-prod_cos', meaning: 'Gaussian: 1 − ∏cos Δφ on the Karras grid N = 18, per eigen-direction (the under-dispersion)', role: 'estimated' },
  ],
  subject: 'distribution',
  design: { estimand: 'Jensen-gap ratio (mixtures) or exact CT = Euler identities (Gaussians)', decision: 'equality', falseFailRate: 1e-12 },
  controls: [
    { name: 'gaussianCtEqualsEuler', description: 'N(0.5, 0.5) on VE: no Jensen gap, cosine identity, under-dispersion ∏cos Δφ', expected: 'holds', build: () => ({ target: gaussian([0.5], [0.5]), process: varianceExploding() }) },
    { name: 'skewedMixtureJensenGap', description: '0.3N(−1.5, 0.1) + 0.7N(1, 0.3) (THEORY v6), shared noise: r(h) → 1', expected: 'holds', build: () => ({ target: SKEWED(), process: varianceExploding() }) },
    {
      name: 'independentIncrements',
      description: 'the same mixture with X_{t_{n+1}} = X_{t_n} + √(t_{n+1}² − t_n²)ξ: the gap is first order, r diverges',
      expected: 'violated',
      build: () => ({ target: SKEWED(), process: varianceExploding(), coupling: 'independent-increments' as const }),
    },
  ],
  // This run is longer than the ~80 lines a statement aims for: two claims: the Gaussian cosine identity of idealised
  // CT on the Karras grid, and the Jensen-gap sweep over h (Gauss–Hermite quadrature of the teacher over the posterior
  // law of X_{t_n}, against the second-order prediction); moving the Jensen prediction into src/ is left open.
  async run(subject, ctx) {
    const { target, process } = subject;
    const coupling = subject.coupling ?? 'shared-noise';
    const t = subject.t ?? 1.2;
    const eps = process.tMin;
    const parts = new EvidenceBuilder('note.ctBias');
    const estimates: Record<string, Estimate> = {};
    const diagnostics: { kind: 'note'; message: string; value?: number }[] = [];

    if (isSingleGaussian(target)) {
      // Cosine identity and ∏cos Δφ per eigen-direction on the paper's Karras grid.
      const grid = karrasTimes(18, { tMin: eps, tMax: process.tMax });
      let worst = 0;
      const deficits: number[] = [];
      for (const lam of target.eigen[0]!.values) {
        let prod = 1;
        for (let n = 1; n < grid.length; n++) {
          const [s, u] = [grid[n - 1]!, grid[n]!];
          const ct = (lam + s * u) / (lam + u * u);
          const exact = Math.sqrt((lam + s * s) / (lam + u * u));
          const cos = Math.cos(Math.atan2(u, Math.sqrt(lam)) - Math.atan2(s, Math.sqrt(lam)));
          worst = Math.max(worst, Math.abs(ct - cos * exact) / exact);
          prod *= cos;
        }
        deficits.push(1 - prod);
      }
      parts.add('CT gain = cos Δφ × exact gain', worst <= COSINE_RTOL ? 'holds' : 'violated', `max relative deviation ${formatNumber(worst)} over the N = 18 Karras grid`);
      estimates['1-prod_cos'] = exactEstimate(Math.max(...deficits));
      diagnostics.push({ kind: 'note', message: `idealised CT under-disperses by 1 − ∏cos Δφ = ${deficits.map(formatNumber).join(', ')} per eigen-direction (N = 18, ε = ${eps}, T = ${process.tMax})`, value: Math.max(...deficits) });
    }

    const mix = mixture1d(target);
    const flow = referenceFlow(target, process);
    const rule = gaussHermite(40);
    const pT = noisedMixture1d(mix, 1, t);
    const mu = mixtureMean(pT);
    const sd = Math.sqrt(mixtureVariance(pT));
    const ys = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5].map((z) => mu + z * sd);
    const pEps = noisedMixture1d(mix, 1, eps);
    const ratios: number[] = [];
    const gapRms: number[] = [];
    let gapMax = 0;
    for (const h of HS) {
      ctx.checkBudget();
      const s = t - h;
      const pS = noisedMixture1d(mix, 1, s);
      const g = (xs: number[]): Float64Array => flow.map({ n: xs.length, d: 1, data: Float64Array.from(xs) }, s, eps).y.data;
      let num = 0;
      let den = 0;
      let g2sum = 0;
      for (const y of ys) {
        // The conditional law of X_{t_n} given y, as a mixture, and the Euler point.
        const post0 = posterior(mix, y, t * t);
        const lawS =
          coupling === 'shared-noise'
            ? { w: post0.w, m: post0.m.map((m) => m + (s * (y - m)) / t), v: post0.v.map((v) => ((h / t) ** 2) * v) }
            : posterior(pS, y, t * t - s * s);
        // Nodes of all components in one flow call.
        const nodes: number[] = [];
        lawS.w.forEach((_, k) => rule.nodes.forEach((z) => nodes.push(lawS.m[k]! + Math.sqrt(lawS.v[k]!) * z)));
        const gn = g(nodes);
        let ct = 0;
        lawS.w.forEach((w, k) => rule.weights.forEach((wq, j) => (ct += w * wq * gn[k * rule.nodes.length + j]!)));
        const xBar = y - (h / t) * (y - mixtureMean(post0));
        const gBar = g([xBar])[0]!;
        const gap = ct - gBar;
        // Jensen prediction (h²/2)·g″(x̄)·Var(z|y), g′ = p_s/p_ε∘g, g″ = g′(s_s − s_ε∘g·g′).
        const g1 = mixtureDensity(pS, xBar) / mixtureDensity(pEps, gBar);
        const g2 = g1 * (mixtureScore(pS, xBar) - mixtureScore(pEps, gBar) * g1);
        const pred = 0.5 * h * h * g2 * (mixtureVariance(post0) / (t * t));
        num += gap * pred;
        den += pred * pred;
        gapMax = Math.max(gapMax, Math.abs(gap));
        g2sum += gap * gap;
      }
      ratios.push(den > 0 ? num / den : Number.NaN);
      gapRms.push(Math.sqrt(g2sum / ys.length));
    }
    estimates['gap_max'] = exactEstimate(gapMax);

    if (isSingleGaussian(target)) {
      parts.add('Gaussian: CT = CD-Euler', gapMax <= GAUSSIAN_GAP_TOL ? 'holds' : 'violated', `max |f^CT − f^CD-Euler| = ${formatNumber(gapMax)} over ${ys.length} points and h ∈ {${HS.join(', ')}} (tolerance ${GAUSSIAN_GAP_TOL})`, {
        description: `an affine teacher on Gaussian data left a Jensen gap of ${formatNumber(gapMax)}`,
        value: gapMax,
      });
    } else {
      const rMin = ratios[ratios.length - 1]!;
      const dev = ratios.map((r) => Math.abs(r - 1));
      const slope = localSlopeEstimate(HS, dev.map((v) => Math.max(v, 1e-300)), 2);
      estimates['r(h_min)'] = exactEstimate(rMin);
      estimates['slope|r−1|'] = slope;
      estimates['gap_order'] = localSlopeEstimate(HS, gapRms, 2);
      const verdict = Math.abs(rMin - 1) <= RATIO_BAND ? 'holds' : Math.abs(rMin - 1) > RATIO_FAIL ? 'violated' : 'inconclusive';
      parts.add('Jensen gap ratio → 1', verdict, `r(h) = ${ratios.map(formatNumber).join(', ')} at h = ${HS.join(', ')} (band ±${RATIO_BAND} at h = ${HS[HS.length - 1]})`, {
        description: `with ${coupling} the gap is ${formatNumber(rMin)} × the Jensen prediction at h = ${HS[HS.length - 1]}: not the second-order CT bias`,
        time: HS[HS.length - 1]!,
        value: rMin,
      });
    }
    return parts.evidence(
      ctx.rng,
      {
        estimates,
        diagnostics: [...diagnostics, { kind: 'note', message: `40-node Gauss–Hermite per posterior component; teacher f*(·, t_n) by ${flow.method}; $t_{n+1}$ = ${t}` }],
        plots: isSingleGaussian(target) ? [] : [{ id: 'ct-bias-ratio', title: 'measured gap / Jensen prediction', mark: 'line', x: { label: 'h', scale: 'log' }, y: { label: 'r(h)', scale: 'linear' }, series: [{ name: coupling, x: HS, y: ratios }] }],
      },
      (v) =>
        isSingleGaussian(target)
          ? `Gaussian data: the CT minimiser equals the CD-Euler minimiser (gap ≤ ${formatNumber(gapMax)}), its gain is cos Δφ × exact, and idealised CT under-disperses by 1 − ∏cos Δφ = ${formatNumber(estimates['1-prod_cos']!.value)} on the N = 18 grid.`
          : `The CT-minus-CD-Euler gap is ${formatNumber(ratios[ratios.length - 1]!)} × the Jensen prediction (h²/2)g″Var(z|y) at h = ${HS[HS.length - 1]} (r = ${ratios.map(formatNumber).join(' → ')} as h halves; the gap is O(h^${formatNumber(estimates['gap_order']!.value)}))${v === 'holds' ? ', so the CT bias is the second-order Jensen gap' : v === 'violated' ? `: with ${coupling} the bias is not the second-order Jensen gap` : ''}.`,
    );
  },
});

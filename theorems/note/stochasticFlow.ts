/**
 * # The note's stochastic consistency function: a Gaussian posterior sampler is exact only for Gaussian data
 *
 * ## Claim
 * The reverse SDE from (x, t) ends with law K_{t→0}(x, ·) = Law(X₀ | X_t = x); a "stochastic consistency function" is a
 * sampler of this posterior and must satisfy marginal preservation ∫p_t(dx)K_{t→0}(x, ·) = p₀ and Chapman–Kolmogorov
 * K_{t→0} = K_{t→s}K_{s→0} (THEORY §5.6) [D]. The note's ansatz F_θ(x, t) + G_θ(x, t)·N(0, I), at its best the
 * moment-matched Gaussian N(E[X₀|x], Cov(X₀|x)), satisfies both exactly iff the posterior is Gaussian: exact for
 * Gaussian data, a positive gap for a skewed mixture.
 *
 * ## Check design
 * VE, t = 1, s = ½, everything by quadrature (no sampling). 1-D (per eigen-direction for Gaussian data in d > 1, where
 * all posteriors factorise): the ansatz kernels use the exact posterior moments (K_{t→s} from the Markov posterior of
 * X_s given X_t). Marginal: the CDF of ∫p_t K_{t→0} by 100-node Gauss–Hermite per component of p_t, W₁ to p₀ as
 * ∫|F_push − F₀| by the trapezoid rule on 4000 points over ±10 sd. Chapman–Kolmogorov at x ∈ {−1, 0, 1}: the composite
 * kernel by Gauss–Hermite over K_{t→s}(x), W₁ to the direct K_{t→0}(x). Quadrature error per part: the difference to
 * the same with 60 nodes and 3000 points. Per part: `holds` iff W₁ ≤ tol = max(1e-9, 10 × its quadrature error),
 * `violated` iff W₁ > 10·tol, else `inconclusive`. The irreducible error W₁(exact posterior, its moment-matched Gaussian) is reported per point.
 *
 * ## Controls
 * holds: `gaussianData` (N(0.5, 0.5)), `anisoGaussian2d` (per eigen-direction). violated: `skewedMixture`
 * (0.2N(−2, 0.05) + 0.8N(1, 0.2), THEORY v7: both marginal preservation and Chapman–Kolmogorov fail).
 *
 * ## References
 * [note] "stochastic flow" remark; THEORY §5.6, §6.5 NOTE-STOCH (W₁ by quadrature in place of the energy distance).
 */
import {
  builtInTarget,
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
  type Mixture1d,
  mixture1d,
  mixtureCdf,
  mixtureMean,
  mixtureVariance,
  noisedMixture1d,
  normalCdf,
  posterior,
  ValidationError,
  varianceExploding,
  wasserstein1ByCdfs,
} from '../../src/index.ts';

export interface StochasticFlowSubject {
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  /** @defaultValue 1 */
  readonly t?: number;
  /** Intermediate time of the Chapman–Kolmogorov test. @defaultValue 0.5 */
  readonly s?: number;
}

interface Resolution {
  readonly nodes: number;
  readonly gridPoints: number;
}
const FINE: Resolution = { nodes: 100, gridPoints: 4000 };
const COARSE: Resolution = { nodes: 60, gridPoints: 3000 };
const CK_POINTS = [-1, 0, 1];

/** The three W₁ quantities for a 1-D mixture at one resolution. */
function measure1d(mix: Mixture1d, t: number, s: number, res: Resolution): { marginal: number; ck: number[]; irreducible: number[] } {
  const rule = gaussHermite(res.nodes);
  const moments = (post: Mixture1d): [number, number] => [mixtureMean(post), mixtureVariance(post)];
  const k0 = (x: number, time: number): [number, number] => moments(posterior(mix, x, time * time));
  const ps = noisedMixture1d(mix, 1, s);
  const kts = (x: number): [number, number] => moments(posterior(ps, x, t * t - s * s));
  const sd0 = Math.sqrt(mixtureVariance(mix));
  const mu0 = mixtureMean(mix);
  const [lo, hi] = [mu0 - 10 * sd0 - 5 * t, mu0 + 10 * sd0 + 5 * t];

  // Marginal preservation: ∫ p_t(dx) N(F(x), G(x)²).
  const pt = noisedMixture1d(mix, 1, t);
  const w: number[] = [];
  const m: number[] = [];
  const v: number[] = [];
  pt.w.forEach((wk, k) => rule.nodes.forEach((z, j) => {
    const [a, b] = k0(pt.m[k]! + Math.sqrt(pt.v[k]!) * z, t);
    w.push(wk * rule.weights[j]!);
    m.push(a);
    v.push(b);
  }));
  const kernelMixture: Mixture1d = { w, m, v };
  const marginal = wasserstein1ByCdfs((y) => mixtureCdf(kernelMixture, y), (y) => mixtureCdf(mix, y), lo, hi, res.gridPoints);

  const ck: number[] = [];
  const irreducible: number[] = [];
  for (const x of CK_POINTS) {
    const [mts, vts] = kts(x);
    const cw: number[] = [];
    const cm: number[] = [];
    const cv: number[] = [];
    rule.nodes.forEach((z, j) => {
      const [a, b] = k0(mts + Math.sqrt(vts) * z, s);
      cw.push(rule.weights[j]!);
      cm.push(a);
      cv.push(b);
    });
    const [mt0, vt0] = k0(x, t);
    const direct = (y: number): number => normalCdf((y - mt0) / Math.sqrt(vt0));
    const chained: Mixture1d = { w: cw, m: cm, v: cv };
    ck.push(wasserstein1ByCdfs((y) => mixtureCdf(chained, y), direct, lo, hi, res.gridPoints));
    const post = posterior(mix, x, t * t);
    irreducible.push(wasserstein1ByCdfs((y) => mixtureCdf(post, y), direct, lo, hi, res.gridPoints));
  }
  return { marginal, ck, irreducible };
}

/** 1-D problems to solve: the target itself, or its eigen-directions for a Gaussian in d > 1. */
function oneDimensionalProblems(target: ExactTarget): Mixture1d[] {
  if (target.dim === 1) return [mixture1d(target)];
  if (target instanceof GaussianMixture && target.components === 1) {
    // Each eigen-direction is centred at 0: for Gaussian data the ansatz is the exact (Gaussian) posterior at every x
    // whatever the mean, so all three defects are 0 (up to rounding) for any mean; the 1-D gaussianData control (mean
    // 0.5) and the t = 2 test in stochasticFlowDecisionEdges.spec.ts show the uncentred case.
    return Array.from(target.eigen[0]!.values, (lam) => ({ w: [1], m: [0], v: [lam] }));
  }
  throw new ValidationError('E_UNSUPPORTED', 'needs a 1-D mixture or a single Gaussian (whose posteriors factorise over eigen-directions)', 'target');
}

export const stochasticFlow = defineCheck<StochasticFlowSubject>({
  id: 'note.stochasticFlow',
  kind: 'lemma',
  title: 'A Gaussian posterior-sampler ansatz is a stochastic consistency function only for Gaussian data',
  claim:
    'The moment-matched Gaussian kernel N(E[X₀|x], Cov(X₀|x)) preserves marginals ($∫p_t K_{t→0} = p₀$) and satisfies Chapman–Kolmogorov ' +
    '($K_{t→0} = K_{t→s}K_{s→0}$) iff the posteriors are Gaussian: exact for Gaussian data, a positive gap for a skewed mixture (derived [D]).',
  source: { paper: 'note', label: 'Stochastic-flow remark' },
  dependsOn: ['note.coupling'],
  constants: [
    { symbol: 'W1_marginal', meaning: 'W₁(∫p_t K_{t→0}, p₀) (max over eigen-directions in d > 1)', role: 'estimated' },
    { symbol: 'W1_CK', meaning: 'max over x ∈ {−1, 0, 1} of W₁(K_{t→s}K_{s→0}(x), K_{t→0}(x))', role: 'estimated' },
    { symbol: 'W1_irreducible', meaning: 'max over x of W₁(exact posterior, its moment-matched Gaussian)', role: 'estimated' },
    { symbol: 'quadrature_error', meaning: 'largest difference between the 100-node/4000-point and 60-node/3000-point quadratures', role: 'estimated' },
  ],
  subject: 'distribution',
  design: { estimand: 'W₁ defects of marginal preservation and Chapman–Kolmogorov for the Gaussian ansatz', decision: 'equality', falseFailRate: 1e-12 },
  controls: [
    { name: 'gaussianData', description: 'N(0.5, 0.5) on VE, t = 1, s = ½: the ansatz is the exact posterior', expected: 'holds', build: () => ({ target: gaussian([0.5], [0.5]), process: varianceExploding() }) },
    { name: 'anisoGaussian2d', description: 'aniso-gaussian-2d, per eigen-direction', expected: 'holds', build: () => ({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding() }) },
    {
      name: 'skewedMixture',
      description: '0.2N(−2, 0.05) + 0.8N(1, 0.2) (THEORY v7): bimodal posteriors, the Gaussian ansatz fails both properties',
      expected: 'violated',
      build: () => ({ target: new GaussianMixture([0.2, 0.8], [[-2], [1]], [[0.05], [0.2]], { name: 'skewed-1d (THEORY v7)' }), process: varianceExploding() }),
    },
  ],
  async run(subject, ctx) {
    const { target, process } = subject;
    if (process.kind !== 've') throw new ValidationError('E_UNSUPPORTED', `written for VE; got ${process.kind}`, 'process');
    const t = subject.t ?? 1;
    const s = subject.s ?? 0.5;
    const problems = oneDimensionalProblems(target);
    let marginal = 0;
    let ck = 0;
    let irreducible = 0;
    let quadMarginal = 0;
    let quadCk = 0;
    let ckWorst = { x: CK_POINTS[0]!, value: 0 };
    for (const mix of problems) {
      ctx.checkBudget();
      const fine = measure1d(mix, t, s, FINE);
      const coarse = measure1d(mix, t, s, COARSE);
      marginal = Math.max(marginal, fine.marginal);
      fine.ck.forEach((v, i) => {
        if (v > ckWorst.value) ckWorst = { x: CK_POINTS[i]!, value: v };
      });
      ck = Math.max(ck, ...fine.ck);
      irreducible = Math.max(irreducible, ...fine.irreducible);
      quadMarginal = Math.max(quadMarginal, Math.abs(fine.marginal - coarse.marginal));
      quadCk = Math.max(quadCk, ...fine.ck.map((v, i) => Math.abs(v - coarse.ck[i]!)));
    }
    const quad = Math.max(quadMarginal, quadCk);
    const tolMarginal = Math.max(1e-9, 10 * quadMarginal);
    const tolCk = Math.max(1e-9, 10 * quadCk);
    const decide = (v: number, tol: number): 'holds' | 'violated' | 'inconclusive' => (v <= tol ? 'holds' : v > 10 * tol ? 'violated' : 'inconclusive');
    const parts = new EvidenceBuilder('note.stochasticFlow');
    parts.add('marginal preservation $∫p_t K_{t→0} = p₀$', decide(marginal, tolMarginal), `W₁ = ${formatNumber(marginal)} (tolerance ${formatNumber(tolMarginal)})`, {
      description: `pushing p_t through the Gaussian ansatz misses p₀ by W₁ = ${formatNumber(marginal)}`,
      time: t,
      value: marginal,
    });
    parts.add('Chapman–Kolmogorov $K_{t→0} = K_{t→s}K_{s→0}$', decide(ck, tolCk), `max_x W₁ = ${formatNumber(ck)} at x = ${ckWorst.x} (s = ${s}, tolerance ${formatNumber(tolCk)})`, {
      description: `at x = ${ckWorst.x} the composite kernel $K_{t→s}K_{s→0}$ differs from $K_{t→0}$ by W₁ = ${formatNumber(ckWorst.value)}`,
      point: [ckWorst.x],
      time: t,
      value: ckWorst.value,
    });
    const estimates: Record<string, Estimate> = {
      W1_marginal: exactEstimate(marginal),
      W1_CK: exactEstimate(ck),
      W1_irreducible: exactEstimate(irreducible),
      quadrature_error: exactEstimate(quad),
    };
    return parts.evidence(
      ctx.rng,
      {
        estimates,
        thresholds: [
          { symbol: 'W1_marginal', value: tolMarginal, side: 'upper' },
          { symbol: 'W1_CK', value: tolCk, side: 'upper' },
        ],
        diagnostics: [
          { kind: 'numerical', message: `Gauss–Hermite (100 nodes) and trapezoid (4000 points); the 60/3000 rerun differs by ${formatNumber(quadMarginal)} (marginal) and ${formatNumber(quadCk)} (Chapman–Kolmogorov)` },
          { kind: 'note', message: 'the exact posterior sampler (a mixture for mixture data) satisfies both properties; the ansatz’s per-point error against it is W1_irreducible; deterministic flow (η = 0) and posterior sampler (η = 1) bound the DDIM-η family' },
        ],
      },
      (v) =>
        v === 'holds'
          ? `For Gaussian data the Gaussian posterior-sampler ansatz is exact: W₁(∫p_t K, p₀) = ${formatNumber(marginal)} and the Chapman–Kolmogorov defect is ${formatNumber(ck)} (quadrature level).`
          : `For this mixture the Gaussian ansatz is not a stochastic consistency function: its one-step marginal is W₁ = ${formatNumber(marginal)} from p₀ and Chapman–Kolmogorov fails by W₁ = ${formatNumber(ck)} at x = ${ckWorst.x}, while its kernel is up to W₁ = ${formatNumber(irreducible)} from the exact (mixture) posterior, which satisfies both.`,
    );
  },
});

/**
 * # Lemma 1 (Li–Huang–Wei, from Li et al. 2023): posterior concentration on the typical set
 *
 * ## Claim
 * [R] If −log p_{X_t}(x) ≤ ½c₆ d log T and c₅ ≥ 2c₆ + c_R, then
 * P(‖√ᾱ_t X₀ − x‖₂ > 5√(c₅ d(1−ᾱ_t) log T) | X_t = x) ≤ exp(−c₅ d log T) and
 * E[‖√ᾱ_t X₀ − x‖₂^k | X_t = x] ≤ (12√(c₅ d(1−ᾱ_t) log T))^k (checked for k = 2). The constants 5 and 12 are
 * recalled, not read (THEORY §1.8, §8 item 2). Since √ᾱ_t X₀ − X_t = −√(1−ᾱ_t) Z, both are statements about the
 * posterior of the noise: P(‖Z‖² > 25c₅ d log T | x) ≤ T^{−c₅d} and E[‖Z‖² | x] ≤ 144 c₅ d log T.
 *
 * ## Check design
 * The subject declares (c₅, c₆). On ≈ 5 geometric steps: the set E = {x : −log p_t(x) ≤ ½c₆ d log T}.
 * Single Gaussian: the supremum over the ellipsoid E of E[‖Z‖²|x] is exact,
 * 2ρ(1−ᾱ)·max_i 1/c_i + Σ_i ᾱλ_i/c_i (c_i = ᾱλ_i + 1 − ᾱ, ρ the ellipsoid's radius²/2), and the tail is bounded
 * over all of E by inf_θ of the Chernoff bound maximised over E (closed form, shared eigenvectors) — a sure
 * bound, so `holds`/`violated` are exact for the moment and `holds`/inconclusive for the tail. Mixtures: exact
 * posterior moments and per-point Chernoff bounds at draws from p_t inside E plus any probe points the subject
 * adds; a maximum over points is a sup lower bound (THEORY §6.0), so mixtures give `violated` or inconclusive.
 * Probe points outside E are reported as "outside typical set" and never counted. ĉ₅ = sup E[‖Z‖²|x]/(d log T) is
 * reported as an empirical constant.
 *
 * ## Controls
 * holds: `gaussianLemma` (aniso-gaussian-2d, T = 200, c₆ = 2, c₅ = 5 ≥ 2c₆ + 1). violated: `understatedC5`
 * (same data, c₅ = 0.005: 144c₅d log T ≈ 7.6 is below the exact sup of E[‖Z‖²|x] ≈ 17).
 * inconclusive: `midpointProbe` (½N(±80, ¼), T = 100, a probe at the midpoint x = 0 at ᾱ_t ≈ ½, where the posterior
 * splits between the modes and E[‖Z‖²|x]/(d log T) ≈ 900 > 144c₅: it lies outside E_t and must be flagged, not
 * counted — counting it would give `violated`).
 *
 * ## References
 * [li2024] Lemma 1 (imported from Li, Wei, Chen, Chi 2023, arXiv 2306.09251); THEORY §1.8, §6.1 LHW-L1.
 */
import {
  ValidationError,
  builtInTarget,
  combineVerdicts,
  defineCheck,
  describeSetting,
  estimateSupremumByMaximum,
  exactEstimate,
  GaussianMixture,
  geometricSteps,
  goldenSectionSearch,
  lhwSchedule,
  makeEvidence,
  pointBatch,
  posteriorMixture,
  provenanceOf,
  type Diagnostic,
  type Estimate,
  type EvidencePart,
  type LhwSetting,
  type Verdict,
  type Witness,
} from '../../src/index.ts';

const LOG_2PI = Math.log(2 * Math.PI);

export interface Lemma1Subject extends LhwSetting {
  readonly claimed: { readonly c5: number; readonly c6: number };
  /** Extra points to examine: (step, point). */
  readonly probes?: readonly { readonly t: number; readonly x: readonly number[] }[];
  /** @defaultValue 5 geometric steps in [2, T] */
  readonly steps?: readonly number[];
  /** Draws from p_t per step for mixtures. @defaultValue 64 */
  readonly samples?: number;
}

export function subjectKey(subject: Lemma1Subject): string {
  return JSON.stringify({ setting: JSON.parse(describeSetting(subject)), claimed: subject.claimed, probes: subject.probes, steps: subject.steps, samples: subject.samples });
}

/** One Gaussian piece of the posterior of Z: mean ν in its eigenbasis and variances σ². */
interface Piece {
  readonly weight: number;
  readonly nu: Float64Array;
  readonly sigma2: Float64Array;
}

/** min over θ ∈ (0, 1/(2 max σ²)) of a convex function, by golden section on 80 iterations. */
function minimiseConvex(f: (theta: number) => number, thetaMax: number): number {
  return Math.min(goldenSectionSearch(f, 0, thetaMax * (1 - 1e-12), 'minimum', 80).value, f(0));
}

/** Chernoff: log P(‖Z‖² > R) ≤ inf_θ log Σ_k w_k E_k[e^{θ‖Z‖²}] − θR for a Gaussian-mixture Z. */
function logChernoffTail(pieces: readonly Piece[], R: number): number {
  const maxVar = Math.max(...pieces.flatMap((p) => Array.from(p.sigma2)));
  const objective = (theta: number): number => {
    const terms = pieces.map((p) => {
      let v = Math.log(p.weight);
      for (let j = 0; j < p.nu.length; j++) {
        const q = 1 - 2 * theta * p.sigma2[j]!;
        v += -0.5 * Math.log(q) + (theta * p.nu[j]! ** 2) / q;
      }
      return v;
    });
    const m = Math.max(...terms);
    return m + Math.log(terms.reduce((s, v) => s + Math.exp(v - m), 0)) - theta * R;
  };
  return Math.min(0, minimiseConvex(objective, maxVar > 0 ? 1 / (2 * maxVar) : 1e6));
}

/** Posterior of Z = (x − √ᾱX₀)/√(1−ᾱ) at x as Gaussian pieces, and E[‖Z‖² | x]. */
function noisePosterior(target: GaussianMixture, ab: number, om: number, x: Float64Array): { pieces: Piece[]; secondMoment: number } {
  const marginal = target.noised(Math.sqrt(ab), Math.sqrt(om));
  const post = posteriorMixture(target, marginal, x);
  const d = target.dim;
  const pieces: Piece[] = [];
  let secondMoment = 0;
  post.weights.forEach((w, k) => {
    if (!(w > 0)) return;
    const U = post.vectors[k]!;
    const nu = new Float64Array(d);
    const sigma2 = post.variances[k]!.map((v) => (ab * v) / om);
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let i = 0; i < d; i++) v += (U[i * d + j]! * (x[i]! - Math.sqrt(ab) * post.means[k]![i]!)) / Math.sqrt(om);
      nu[j] = v;
    }
    let m2 = 0;
    for (let j = 0; j < d; j++) m2 += nu[j]! ** 2 + sigma2[j]!;
    secondMoment += w * m2;
    pieces.push({ weight: w, nu, sigma2 });
  });
  return { pieces, secondMoment };
}

export const lemma1PosteriorConcentration = defineCheck<Lemma1Subject>({
  id: 'li2024.lemma1',
  kind: 'lemma',
  title: 'Lemma 1: posterior concentration on the typical set',
  claim:
    '[R, reconstructed; constants 5 and 12 recalled] If −log p_{X_t}(x) ≤ ½c₆ d log T and c₅ ≥ 2c₆ + c_R, then ' +
    'P(‖√ᾱ_t X₀ − x‖₂ > 5√(c₅ d(1−ᾱ_t) log T) | X_t = x) ≤ exp(−c₅ d log T) and ' +
    'E[‖√ᾱ_t X₀ − x‖₂² | X_t = x] ≤ 144 c₅ d(1−ᾱ_t) log T.',
  source: { paper: 'li2024', label: 'Lemma 1 (from Li et al. 2023)' },
  dependsOn: ['li2024.typicalSet'],
  constants: [
    { symbol: 'c_5', meaning: 'concentration constant (declared)', role: 'assumed' },
    { symbol: 'c_6', meaning: 'typical-set level: −log p ≤ ½c₆ d log T (declared)', role: 'assumed' },
    { symbol: 'c_5_hat', meaning: 'sup over the typical set of E[‖Z‖²|x]/(d log T) (exact for a Gaussian, a lower bound for mixtures)', role: 'estimated' },
    { symbol: 'tail_bound', meaning: 'Chernoff upper bound on sup_x log P(‖Z‖² > 25c₅ d log T | x), compared with −c₅ d log T', role: 'bound' },
  ],
  subject: 'distribution',
  design: {
    estimand: 'sup over the typical set of the posterior second moment and tail of the noise',
    decision: 'upper-bound',
    falseFailRate: 1e-12,
  },
  controls: [
    {
      name: 'gaussianLemma',
      description: 'aniso-gaussian-2d, T = 200, (c₅, c₆) = (5, 2): both bounds hold with room',
      expected: 'holds',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c5: 5, c6: 2 } }),
    },
    {
      name: 'understatedC5',
      description: 'aniso-gaussian-2d, T = 200, (c₅, c₆) = (0.005, 2): 144c₅ d log T ≈ 7.6 below the exact sup E[‖Z‖²|x]',
      expected: 'violated',
      build: () => ({ target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }), claimed: { c5: 0.005, c6: 2 } }),
    },
    {
      name: 'midpointProbe',
      description: '½N(±80, ¼), T = 100, (c₅, c₆) = (5, 2), probe x = 0 at t = 27 (ᾱ ≈ ½): outside E_t, flagged and not counted',
      expected: 'inconclusive',
      build: () => ({
        target: new GaussianMixture([0.5, 0.5], [[-80], [80]], [[0.25], [0.25]], { name: 'far-bimodal-1d' }),
        schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }),
        claimed: { c5: 5, c6: 2 },
        probes: [{ t: 27, x: [0] }],
        steps: [2, 27, 100],
        samples: 32,
      }),
    },
  ],
  async run(subject, ctx) {
    const { target, schedule, claimed } = subject;
    if (!(target instanceof GaussianMixture)) throw new ValidationError('E_UNSUPPORTED', 'li2024.lemma1 needs a GaussianMixture target (product targets: not implemented)', 'target');
    const d = target.dim;
    const T = schedule.T;
    const logT = Math.log(T);
    const gamma = 0.5 * claimed.c6 * d * logT;
    const momentBound = 144 * claimed.c5 * d * logT;
    const radius2 = 25 * claimed.c5 * d * logT;
    const logTailAllowed = -claimed.c5 * d * logT;
    const single = target.components === 1;
    const steps = subject.steps ?? geometricSteps(T, 5);
    const n = Math.min(subject.samples ?? 64, ctx.budget.maxSamples);

    const estimates: Record<string, Estimate> = {};
    const parts: EvidencePart[] = [];
    const diagnostics: Diagnostic[] = [];
    let witness: Witness | undefined;
    let c5Hat = 0;

    for (const t of steps) {
      ctx.checkBudget();
      const ab = schedule.alphaBars[t]!;
      const om = schedule.oneMinusAlphaBars[t]!;
      let supMoment: number;
      let logTail: number;
      let worstPoint: number[] = [];
      let momentVerdict: Verdict;
      let tailVerdict: Verdict;
      if (single) {
        const lambdas = target.eigen[0]!.values;
        const c = Array.from(lambdas, (l) => ab * l + om);
        const sigma2 = Array.from(lambdas, (l, i) => (ab * l) / c[i]!);
        const rho = gamma - 0.5 * (d * LOG_2PI + c.reduce((s, v) => s + Math.log(v), 0));
        if (rho < 0) {
          diagnostics.push({ kind: 'outside-typical-set', message: `t=${t}: the typical set {−log p ≤ ½c₆ d log T} is empty` });
          parts.push({ name: `t=${t}`, verdict: 'holds', reason: 'empty typical set: nothing to check' });
          continue;
        }
        const maxInvC = Math.max(...c.map((v) => 1 / v));
        supMoment = 2 * rho * om * maxInvC + sigma2.reduce((s, v) => s + v, 0);
        const iMax = c.indexOf(Math.min(...c));
        const U = target.eigen[0]!.vectors;
        // the maximiser: x = m + √(2ρ c_i) u_i along the smallest c_i
        worstPoint = Array.from(target.means[0]!, (mu, a) => Math.sqrt(ab) * mu + Math.sqrt(2 * rho * c[iMax]!) * U[a * d + iMax]!);
        const thetaMax = 1 / (2 * Math.max(...sigma2));
        logTail = Math.min(
          0,
          minimiseConvex((theta) => {
            let v = -theta * radius2;
            let worst = 0;
            for (let i = 0; i < d; i++) {
              const q = 1 - 2 * theta * sigma2[i]!;
              v += -0.5 * Math.log(q);
              worst = Math.max(worst, 1 / (c[i]! * q));
            }
            return v + 2 * rho * theta * om * worst;
          }, thetaMax),
        );
        estimates[`E|Z|^2_sup_${t}`] = exactEstimate(supMoment);
        momentVerdict = supMoment <= momentBound ? 'holds' : 'violated';
        tailVerdict = logTail <= logTailAllowed ? 'holds' : 'inconclusive';
      } else {
        const marginal = target.noised(Math.sqrt(ab), Math.sqrt(om));
        const draws = marginal.sample(n, ctx.rng.child(`t=${t}`));
        const candidates: number[][] = [];
        for (let i = 0; i < n; i++) candidates.push(Array.from(draws.data.subarray(i * d, (i + 1) * d)));
        const probeStart = candidates.length;
        for (const p of subject.probes ?? []) if (p.t === t) candidates.push([...p.x]);
        const moments: number[] = [];
        const points: number[][] = [];
        let worstLogTail = -Infinity;
        for (const [i, x] of candidates.entries()) {
          const xb = pointBatch(1, d, Float64Array.from(x));
          const nlp = -marginal.logDensity(xb)[0]!;
          const { pieces, secondMoment } = noisePosterior(target, ab, om, Float64Array.from(x));
          if (nlp > gamma) {
            if (i >= probeStart) {
              diagnostics.push({
                kind: 'outside-typical-set',
                message: `t=${t}: probe x = [${x.map((v) => v.toPrecision(4)).join(', ')}] has −log p = ${nlp.toPrecision(4)} > ½c₆ d log T = ${gamma.toPrecision(4)}: outside E_t, not counted (E[‖Z‖²|x]/(d log T) = ${(secondMoment / (d * logT)).toPrecision(4)})`,
                value: secondMoment / (d * logT),
              });
            }
            continue;
          }
          moments.push(secondMoment);
          points.push(x);
          worstLogTail = Math.max(worstLogTail, logChernoffTail(pieces, radius2));
        }
        if (moments.length === 0) {
          parts.push({ name: `t=${t}`, verdict: 'inconclusive', reason: 'no draw fell inside the typical set' });
          continue;
        }
        const sup = estimateSupremumByMaximum(moments);
        supMoment = sup.value;
        worstPoint = points[sup.argmax]!;
        logTail = worstLogTail;
        estimates[`E|Z|^2_sup_${t}`] = sup;
        momentVerdict = supMoment > momentBound ? 'violated' : 'inconclusive';
        tailVerdict = 'inconclusive';
      }
      c5Hat = Math.max(c5Hat, supMoment / (d * logT));
      estimates[`tail_bound_${t}`] = exactEstimate(logTail);
      const verdict = combineVerdicts([momentVerdict, tailVerdict]);
      parts.push({
        name: `t=${t}`,
        verdict,
        reason: `sup E[‖Z‖²|x] ${single ? '=' : '≥'} ${supMoment.toPrecision(4)} vs 144c₅d log T = ${momentBound.toPrecision(4)}; log tail ≤ ${logTail.toPrecision(4)} vs −c₅d log T = ${logTailAllowed.toPrecision(4)}${single ? '' : ` (at ${n} draws; a sup over points is a lower bound)`}`,
      });
      if (momentVerdict === 'violated' && witness === undefined) {
        witness = { description: `E[‖Z‖² | X_${t} = x] = ${supMoment.toPrecision(4)} > 144c₅d log T = ${momentBound.toPrecision(4)} with −log p_t(x) ≤ ½c₆ d log T`, point: worstPoint, time: t, value: supMoment };
      }
    }
    estimates['c_5'] = exactEstimate(claimed.c5);
    estimates['c_6'] = exactEstimate(claimed.c6);
    estimates['c_5_hat'] = single ? exactEstimate(c5Hat) : { ...estimateSupremumByMaximum([c5Hat]) };
    const verdict = combineVerdicts(parts.map((p) => p.verdict));
    const reason =
      verdict === 'holds'
        ? `On the typical set {−log p ≤ ½c₆ d log T}, the exact sup of E[‖Z‖²|x] and the Chernoff bound on the tail meet the bounds for (c₅, c₆) = (${claimed.c5}, ${claimed.c6}) at all ${steps.length} steps; ĉ₅ = ${c5Hat.toPrecision(4)}.`
        : verdict === 'violated'
          ? `E[‖Z‖²|x] exceeds 144c₅ d log T inside the typical set at ${parts.filter((p) => p.verdict === 'violated').map((p) => p.name).join(', ')} for c₅ = ${claimed.c5} (ĉ₅ ${single ? '=' : '≥'} ${c5Hat.toPrecision(4)}).`
          : `No violation at the examined typical points (ĉ₅ ≥ ${c5Hat.toPrecision(4)}), but a supremum over a mixture's typical set cannot be certified by sampling${diagnostics.some((x) => x.kind === 'outside-typical-set') ? '; probes outside E_t were flagged and not counted' : ''}.`;
    const body = {
      estimates,
      thresholds: [
        { symbol: 'E|Z|^2_sup', value: momentBound, side: 'upper' as const },
        { symbol: 'tail_bound', value: logTailAllowed, side: 'upper' as const },
      ],
      reason,
      parts,
      diagnostics: [...diagnostics, { kind: 'reconstructed-statement' as const, message: 'Lemma 1 is reconstructed [R]: constants 5 and 12 and the hypothesis c₅ ≥ 2c₆ + c_R are recalled (THEORY §1.8)' }],
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') return makeEvidence('li2024.lemma1', provenance, body, { verdict, witness: witness! });
    return makeEvidence('li2024.lemma1', provenance, body, { verdict });
  },
});

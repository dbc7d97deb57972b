import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { multistepSampling } from '../../../theorems/song2023/multistepSampling.ts';
import {
  createCheckContext,
  exactConsistencyFunction,
  formatNumber,
  GaussianMixture,
  kolmogorovDistance,
  multistepConsistencySampling,
  projectedMixtureCdf,
  projectPoints,
  referenceFlow,
  rngFromSeed,
  varianceExploding,
  type ConsistencyFunction,
} from '../../../src/index.ts';
import { describeControls } from '../controlHarness.ts';

/** THEORY §6.3 CM-MS: one naive round from p_ε gives variance (λ+ε²)(1 + ε²/(λ+τ²)) per eigen-direction; W₂ of commuting Gaussians. */
function naiveRoundW2(lambdas: readonly number[], eps: number, tau: number): number {
  let s = 0;
  for (const l of lambdas) s += (Math.sqrt((l + eps * eps) * (1 + (eps * eps) / (l + tau * tau))) - Math.sqrt(l + eps * eps)) ** 2;
  return Math.sqrt(s);
}

describeControls(multistepSampling, {
  determinism: ['exactGaussianClosedForm', 'naiveTauRenoise'],
  inspect: {
    exactGaussianClosedForm: (e) => {
      for (const k of [0, 1, 2]) expect(e.estimates[`W2_${k}`]!.value).toBeLessThan(1e-6);
      const worst = Math.max(...[0, 1, 2].map((k) => e.estimates[`W2_${k}`]!.value));
      expect(e.reason).toContain(`and correct re-noise, every one of the 3 rounds returns p_ε exactly (max W₂ ${formatNumber(worst)}, closed form).`);
      // tolerance 1e-6·(1 + √tr Σ_ε), tr Σ_ε = 4 + ¼ + 2ε² with ε = 0.1; each round's reason prints its W₂ against it
      const tol = 1e-6 * (1 + Math.sqrt(4.25 + 2 * 0.01));
      expect(e.thresholds[0]!.value).toBeCloseTo(tol, 15);
      expect(e.parts.map((p) => p.name)).toEqual(['round 0 (T)', 'round 1 (τ=2)', 'round 2 (τ=0.5)']);
      e.parts.forEach((p, k) => expect(p.reason).toBe(`W₂(law after round ${k}, p_ε) = ${formatNumber(e.estimates[`W2_${k}`]!.value)} (closed form, tolerance ${formatNumber(tol)})`));
    },
    bimodalMonteCarlo: (e) => {
      // The DKW radius at n = 10⁴, δ = 10⁻³/3 (1-D: one direction) is √(log(2/δ)/(2n)) ≈ 0.0209; all rounds stay inside it (false-fail ≤ 1e-3).
      for (const k of [0, 1, 2]) expect(e.estimates[`D_${k}`]!.value).toBeLessThan(0.0209);
    },
    naiveTauRenoise: (e) => {
      // Round 1 starts from the exact p_ε (round 0 is exact), so its W₂ is the closed form with τ = 2, ε = 0.1,
      // eigenvalues 4 and ¼ of aniso-gaussian-2d; Bures resolves W₂ to ≈ 1e-8 here.
      expect(Math.abs(e.estimates['W2_1']!.value - naiveRoundW2([4, 0.25], 0.1, 2))).toBeLessThan(1e-8);
      expect(e.parts[0]!.verdict).toBe('holds');
      if (e.verdict !== 'violated') throw new Error('expected violated');
      // the witness is round 1, re-noised at τ = 2 (round 0 is at T = 80), with its W₂ and the rule in words
      expect(e.witness!.time).toBe(2);
      expect(e.witness!.value).toBe(e.estimates['W2_1']!.value);
      expect(e.witness!.description).toBe(`after round 1 (τ=2, naive-tau re-noise) the output law is at W₂ = ${formatNumber(e.estimates['W2_1']!.value)} from p_ε`);
      const worst = Math.max(e.estimates['W2_0']!.value, e.estimates['W2_1']!.value, e.estimates['W2_2']!.value);
      expect(e.reason).toContain(`naive-tau re-noise the output leaves p_ε: W₂ = ${formatNumber(worst)} after round 2 (closed form).`);
    },
  },
});

describe('song2023.multistepSampling', () => {
  it('sees a wrong joint law with exact coordinate marginals (random projections), which coordinate marginals alone cannot', async () => {
    // Target: the product of two ½N(±1, 0.1) factors as a 4-component 2-D mixture. Model: the exact 1-D f* applied to the
    // first coordinate, copied into both: each output coordinate has the exact marginal of p_ε, the joint is degenerate.
    const factor = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.1], [0.1]]);
    const target = new GaussianMixture([0.25, 0.25, 0.25, 0.25], [[-1, -1], [-1, 1], [1, -1], [1, 1]], Array.from({ length: 4 }, () => [0.1, 0, 0, 0.1]));
    const process = varianceExploding();
    const oneD = exactConsistencyFunction(referenceFlow(factor, process));
    const model: ConsistencyFunction = {
      id: 'first-coordinate-copied',
      precision: 'float64',
      evaluate: (x, t) => {
        const first = oneD.evaluate({ n: x.n, d: 1, data: Float64Array.from({ length: x.n }, (_, i) => x.data[i * 2]!) }, t);
        return { n: x.n, d: 2, data: Float64Array.from({ length: 2 * x.n }, (_, k) => first.data[k >> 1]!) };
      },
    };
    const n = 4000;
    const ctx = createCheckContext({ rng: rngFromSeed(8), falseFailRate: 1e-3 });
    const e = await multistepSampling.run({ target, process, model, taus: [], samples: n }, ctx);
    expect(e.verdict).toBe('violated');
    expect(e.estimates['D_0']!.value).toBeGreaterThan(0.2);
    // 2 axes + 16 random directions; the radius is split over rounds × directions (δ = 10⁻³/18)
    expect(e.diagnostics[0]!.message).toBe(`${n} draws per round; 18 directions (2 axes + 16 random); DKW–Massart radius r_δ = ${formatNumber(Math.sqrt(Math.log(2 / (1e-3 / 18)) / (2 * n)))} per round and direction (false-fail rate 0.001 in total)`);
    // the coordinate marginals alone are right: both axis distances stay below the radius the old rule used
    const out = multistepConsistencySampling(model, process, { n, rng: rngFromSeed(8).child('sampler'), taus: [], start: 'exact-marginal', target, renoise: 'correct' });
    const coordinateRadius = Math.sqrt(Math.log(2 / (1e-3 / 2)) / (2 * n));
    for (const axis of [[1, 0], [0, 1]]) {
      expect(kolmogorovDistance(projectPoints(out, axis), projectedMixtureCdf(target, axis, 1, process.tMin))).toBeLessThan(coordinateRadius);
    }
  });

  it('prints its decision rule: the holds threshold is 0.05 − r_δ and the violated threshold r_δ', async () => {
    const e = await runControl(multistepSampling, 'naiveTauRenoiseMonteCarlo');
    const [holds, violated] = e.thresholds;
    // the holds band is the design's detectable discrepancy: holds certifies every sliced distance ≤ it
    expect(multistepSampling.design.detectableDiscrepancy).toBe(0.05);
    expect(holds!.value + violated!.value).toBeCloseTo(multistepSampling.design.detectableDiscrepancy!, 12);
    expect(e.parts.every((p) => p.reason.includes('holds iff ≤'))).toBe(true);
    expect(e.parts.some((p) => p.verdict === 'violated')).toBe(true);
    if (e.verdict !== 'violated') throw new Error('expected violated');
    // the witness is the first violated round, at its re-noise time (round 0 is at T = 80, round k ≥ 1 at τ_k)
    const first = e.parts.findIndex((p) => p.verdict === 'violated');
    expect(e.witness!.time).toBe([80, 1, 0.6][first]);
    expect(e.witness!.value).toBe(e.estimates[`D_${first}`]!.value);
    // each D_k carries the DKW band [max(0, D_k − r_δ), D_k + r_δ], so it contains the distance it reports
    for (const k of [0, 1, 2]) {
      const D = e.estimates[`D_${k}`]!;
      expect(D.interval.lower).toBeCloseTo(Math.max(0, D.value - violated!.value), 12);
      expect(D.interval.upper).toBeCloseTo(D.value + violated!.value, 12);
    }
    // the summary of a violated run names the largest distance and the radius it exceeds
    const maxD = Math.max(...[0, 1, 2].map((k) => e.estimates[`D_${k}`]!.value));
    expect(e.reason).toContain(`the output law differs from p_ε (sliced Kolmogorov distance ${formatNumber(maxD)} > DKW radius r_δ = ${formatNumber(violated!.value)})`);
  });

  it('sees the naive re-noise defect grow at the smaller τ (ε²/(λ+τ²) is larger)', async () => {
    const e = await runControl(multistepSampling, 'naiveTauRenoise');
    expect(e.estimates['W2_2']!.value).toBeGreaterThan(e.estimates['W2_1']!.value);
  });
});

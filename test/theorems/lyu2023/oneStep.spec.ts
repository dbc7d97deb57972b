import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { oneStepSkeleton } from '../../../theorems/lyu2023/oneStep.ts';
import { describeControls } from '../controlHarness.ts';

/** Φ(x) of the standard normal (Abramowitz–Stegun 7.1.26 is too coarse; use the series via erf's complement). */
function normalCdf(x: number): number {
  // erfc by the continued-fraction-free Chebyshev fit of Numerical Recipes (erfcc), relative error < 1.2e-7
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r / 2 : r / 2;
}

describeControls(oneStepSkeleton, {
  determinism: ['hiddenStep'],
  inspect: {
    exactFlowAniso: (e) => {
      // an affine model on one Gaussian: the exact left side (Bures of the affine push-forward) decides, and the
      // sampled estimate kept beside it brackets it
      expect(e.estimates['W2_measured']!.method).toBe('exact');
      const exact = e.estimates['W2_measured']!.value;
      expect(e.estimates['W2_measured_sampled']!.interval.lower).toBeLessThanOrEqual(exact);
      expect(e.estimates['W2_measured_sampled']!.interval.upper).toBeGreaterThanOrEqual(exact);
      expect(e.estimates['R']!.value).toBeLessThan(1e-12); // f* is consistent along the exact flow
    },
    hiddenStep: (e) => {
      // the step is invisible to the witness search: L̂_f is Lip(f*(·, 1)) = √((1 + δ²)/2) for N(4, 1) on VE
      expect(e.estimates['Lip']!.supLowerBound).toBe(true);
      expect(Math.abs(e.estimates['Lip']!.value - Math.sqrt((1 + 0.002 ** 2) / 2))).toBeLessThan(1e-4);
      // the last residual carries the step where p_T = N(4, 2) lies below the edge: R ≈ 2·√P(N(4, 2) < 0.5)
      const expectedR = 2 * Math.sqrt(normalCdf((0.5 - 4) / Math.SQRT2));
      expect(e.estimates['R']!.interval.lower).toBeLessThanOrEqual(expectedR);
      expect(e.estimates['R']!.interval.upper).toBeGreaterThanOrEqual(expectedR);
      expect(e.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!.verdict).toBe('violated');
      // the old skeleton A ≤ R + b still holds on this model: it could not have reported this violation
      expect(e.estimates['A']!.value).toBeLessThanOrEqual(e.estimates['R']!.value + e.estimates['b']!.value + 1e-9);
      // the reason names L̂_f (a lower bound, so '≥') as the constant most likely at fault
      expect(e.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!.reason).toContain('at fault: an estimate');
      expect(e.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!.reason).toContain('the witness search only bounds it from below');
      expect(e.reason).toMatch(/ fails \(W₂ ≥ [0-9.]+, W2_bound ≤ [0-9.]+, Lip\(f\(·, T\)\) ≥ 0\.707/);
    },
    understatedLf: (e) => {
      expect(e.parts.find((p) => p.name === 'declared L_f ≥ Lip(f(·, T))')!.verdict).toBe('violated');
      // the exact (Bures) left side decides here, and its violated side is reached: W₂ 0.468 > the bound with L_f = 1
      expect(e.estimates['W2_measured']!.method).toBe('exact');
      expect(e.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!.verdict).toBe('violated');
      // … and its reason names the declared L_f as the constant at fault
      const bound = e.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!;
      expect(bound.reason).toContain('at fault: an estimate');
      expect(bound.reason).toContain('most likely L_f (the declared value');
      expect(e.reason).toContain('vs L_f = 1)');
    },
    markovSolutionBimodal: (e) => {
      expect(e.estimates['W2_measured']!.interval.lower).toBeGreaterThan(1); // far from p_data …
      expect(e.estimates['W2_bound']!.value).toBeGreaterThan(e.estimates['W2_measured']!.interval.upper); // … and the residuals say so
      expect(e.estimates['tightness']!.value).toBeGreaterThan(1);
    },
  },
});

describe('lyu2023.oneStep', () => {
  it('computes the prior and early-stopping terms in closed form for a Gaussian (eigenbasis, commuting covariances)', async () => {
    const e = await runControl(oneStepSkeleton, 'exactFlowAniso');
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const { values, vectors: U } = target.eigen[0]!;
    const mu = target.means[0]!;
    const [delta, T] = [0.002, 1];
    const a = (t: number): number => Math.exp(-t);
    const s2 = (t: number): number => 1 - Math.exp(-2 * t);
    let prior2 = 0;
    let early2 = 0;
    values.forEach((lam, i) => {
      const muI = U[0 * 2 + i]! * mu[0]! + U[1 * 2 + i]! * mu[1]!; // coordinate of μ along eigenvector i
      // prior N(0, s_T²I) against p_T = N(a_T μ, a_T²Σ + s_T²I)
      prior2 += (a(T) * muI) ** 2 + (Math.sqrt(a(T) ** 2 * lam + s2(T)) - Math.sqrt(s2(T))) ** 2;
      // p_δ against p_data
      early2 += ((1 - a(delta)) * muI) ** 2 + (Math.sqrt(a(delta) ** 2 * lam + s2(delta)) - Math.sqrt(lam)) ** 2;
    });
    // Bures on nearly equal Gaussians is accurate to ≈ √(ε·tr Σ) ≈ 3e-8; the declared L_f = 2 multiplies the prior term
    expect(Math.abs(e.estimates['prior']!.value - 2 * Math.sqrt(prior2))).toBeLessThan(1e-7);
    expect(Math.abs(e.estimates['early_stop']!.value - Math.sqrt(early2))).toBeLessThan(1e-7);
    // W2_bound = prior + R + b + early stop, with R = b = 0 for f*
    expect(Math.abs(e.estimates['W2_bound']!.value - (2 * Math.sqrt(prior2) + Math.sqrt(early2)))).toBeLessThan(1e-6);
  });
});

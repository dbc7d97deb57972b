import { describe, expect, it } from 'vitest';
import { GaussianMixture, gaussian, gaussianIdealisedErrors, gaussianLipschitz, lhwSchedule, mixtureIdealisedError, mixtureIdealisedRecursion } from '../../src/index.ts';
import { mixtureIdealised, mixtureLipschitz } from '../../studies/_idealised.ts';
import { MILD, theorem1RateInD, theorem1RateInLf, theorem1RateInT, theorem1RatesSuite, theorem1TrainedInT } from '../../studies/theorem1Rates.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('studies/_idealised: D_T and W_ideal', () => {
  const schedule = lhwSchedule({ T: 128, c0: 2, c1: 8 });

  it('the mixture quadrature on a one-component "mixture" reproduces the Gaussian closed form', () => {
    const closed = gaussianIdealisedErrors([0.5], schedule, 'ct', 'mean');
    const quad = mixtureIdealised({ w: [1], m: [0], v: [0.5] }, schedule, 'ct', { dims: [1, 4] });
    // tolerance: quantile-map Newton stops at 1e-9 steps (error ≤ 1e-16 relative) and Chebyshev interpolation of a linear
    // Δ_t is exact, so what remains is the fine-grid trapezoid in y (~1e-5 relative, measured 2e-5 at T = 256, 1024)
    expect(quad.D / closed.D - 1).toBeLessThan(1e-4);
    expect(quad.D / closed.D - 1).toBeGreaterThan(-1e-4);
    expect(quad.W / closed.W - 1).toBeLessThan(1e-4);
    expect(quad.W / closed.W - 1).toBeGreaterThan(-1e-4);
    expect(quad.monotone).toBe(true);
    const closed4 = gaussianIdealisedErrors([0.5, 0.5, 0.5, 0.5], schedule, 'ct', 'mean');
    expect(quad.Dproduct.get(4)! / closed4.D - 1).toBeLessThan(1e-3);
    expect(quad.Dproduct.get(4)! / closed4.D - 1).toBeGreaterThan(-1e-3);
    const markov = gaussianIdealisedErrors([0.5], schedule, 'markov', 'mean');
    const quadMarkov = mixtureIdealised({ w: [1], m: [0], v: [0.5] }, schedule, 'markov');
    expect(quadMarkov.D / markov.D - 1).toBeLessThan(1e-4);
    expect(quadMarkov.W / markov.W - 1).toBeGreaterThan(-1e-4);
  });

  it('W_ideal of ½N(±1, ½) agrees with li2024.theorem1’s independent x-space recursion', () => {
    const target = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const theirs = mixtureIdealisedError(target, schedule, mixtureIdealisedRecursion(target, schedule, 'ct'));
    const ours = mixtureIdealised(MILD, schedule, 'ct').W;
    // two discretisations (97 Chebyshev points in x vs 64 in y = Φ_t(x)); they agree to 0.06% at T = 256, 0.3% at 1024
    expect(Math.abs(ours / theirs - 1)).toBeLessThan(5e-3);
  });

  it('the strided D_T the study uses (~512 evaluated steps) stays within 0.2% of the every-step sum', () => {
    const s = lhwSchedule({ T: 1024, c0: 2, c1: 8 });
    // 8 nodes: both sums use the same Δ_t representation, so only the interpolation in t differs
    const full = mixtureIdealised(MILD, s, 'ct', { nodes: 8 }).D;
    const strided = mixtureIdealised(MILD, s, 'ct', { nodes: 8, stride: 2 }).D;
    // measured −6e-4 (stride 2, T = 1024) and −8e-5 (stride 8, T = 4096)
    expect(Math.abs(strided / full - 1)).toBeLessThan(2e-3);
  });

  it('the grid L_f of a Gaussian "mixture" equals the exact Gaussian L_f (the ratio does not depend on the level)', () => {
    const L = mixtureLipschitz({ w: [1], m: [0], v: [4] }, schedule).value;
    const exact = gaussianLipschitz(gaussian([0], [4]), schedule).value;
    expect(L).toBeLessThanOrEqual(exact * (1 + 1e-9));
    expect(L / exact).toBeGreaterThan(1 - 1e-9);
  });
});

describe('theorem1-rates suite', () => {
  it('builds the three rate checks and the trained-sequence check with their subjects', async () => {
    const suite = await theorem1RatesSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['studies.theorem1RateInT', 'studies.theorem1RateInD', 'studies.theorem1RateInLf', 'studies.theorem1TrainedInT']);
    for (const c of suite.checks) expect(suite.subjects[c.id]).toBeDefined();
  });
});

describeControls(theorem1RateInT);
describeControls(theorem1RateInD);
describeControls(theorem1RateInLf);
describeControls(theorem1TrainedInT);

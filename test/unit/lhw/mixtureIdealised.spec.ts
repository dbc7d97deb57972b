import { describe, expect, it } from 'vitest';
import {
  gaussian,
  gaussianIdealisedErrors,
  gaussianIdealisedSequence,
  gaussianLipschitz,
  GaussianMixture,
  idealisedOutputSequence,
  lhwSchedule,
  mixtureFlowLipschitzLowerBound,
  mixtureIdealised,
  pointBatch,
  settingFlow,
  ValidationError,
} from '../../../src/index.ts';

const MILD = { w: [0.5, 0.5], m: [-1, 1], v: [0.5, 0.5] };

describe('mixtureIdealised: D_T and W_ideal of a 1-D mixture', () => {
  const schedule = lhwSchedule({ T: 128, c0: 2, c1: 8 });

  it('on a one-component "mixture" reproduces the Gaussian closed form', () => {
    const closed = gaussianIdealisedErrors([0.5], schedule, 'ct', 'mean');
    const quad = mixtureIdealised({ w: [1], m: [0], v: [0.5] }, schedule, 'ct', { dims: [1, 4] });
    // tolerance: quantile-map Newton stops at 1e-9 steps (error ≤ 1e-16 relative) and Chebyshev interpolation of a linear
    // Δ_t is exact, so what remains is the fine-grid trapezoid in y (~1e-5 relative, measured 2e-5 at T = 256, 1024)
    expect(Math.abs(quad.D / closed.D - 1)).toBeLessThan(1e-4);
    expect(Math.abs(quad.W / closed.W - 1)).toBeLessThan(1e-4);
    expect(quad.monotone).toBe(true);
    const closed4 = gaussianIdealisedErrors([0.5, 0.5, 0.5, 0.5], schedule, 'ct', 'mean');
    expect(Math.abs(quad.Dproduct.get(4)! / closed4.D - 1)).toBeLessThan(1e-3);
    const markov = gaussianIdealisedErrors([0.5], schedule, 'markov', 'mean');
    const quadMarkov = mixtureIdealised({ w: [1], m: [0], v: [0.5] }, schedule, 'markov');
    expect(Math.abs(quadMarkov.D / markov.D - 1)).toBeLessThan(1e-4);
    expect(Math.abs(quadMarkov.W / markov.W - 1)).toBeLessThan(1e-4);
  });

  it('the strided D_T (about T/stride evaluated steps) stays within 0.2% of the every-step sum', () => {
    const s = lhwSchedule({ T: 1024, c0: 2, c1: 8 });
    // 8 nodes: both sums use the same Δ_t representation, so only the interpolation in t differs
    const full = mixtureIdealised(MILD, s, 'ct', { nodes: 8 }).D;
    const strided = mixtureIdealised(MILD, s, 'ct', { nodes: 8, stride: 2 });
    // measured −6e-4 (stride 2, T = 1024) and −8e-5 (stride 8, T = 4096)
    expect(Math.abs(strided.D / full - 1)).toBeLessThan(2e-3);
    expect(strided.W).toBeNaN();
    expect(() => idealisedOutputSequence(MILD, s, strided, 'strided')).toThrow(ValidationError);
  });

  it('refuses a malformed mixture, naming the field', () => {
    expect(() => mixtureIdealised({ w: [1], m: [0], v: [0] }, schedule, 'ct')).toThrow(/variance 0/);
    expect(() => mixtureIdealised({ w: [0.5, 0.5], m: [0], v: [1, 1] }, schedule, 'ct')).toThrow(ValidationError);
    expect(() => mixtureFlowLipschitzLowerBound({ w: [-1], m: [0], v: [1] }, schedule)).toThrow(/weight 0/);
  });
});

describe('idealisedOutputSequence: f*_T = Φ_T + η_T∘Φ_T', () => {
  it('equals the closed-form idealised map of a Gaussian (CT and Markov couplings) and refuses other steps', () => {
    const schedule = lhwSchedule({ T: 64, c0: 2, c1: 8 });
    const mix = { w: [1], m: [0.3], v: [0.5] };
    for (const coupling of ['ct', 'markov'] as const) {
      const seq = idealisedOutputSequence(mix, schedule, mixtureIdealised(mix, schedule, coupling), 'grid');
      const exact = gaussianIdealisedSequence({ target: gaussian([0.3], [0.5]), schedule }, coupling);
      const x = pointBatch(4, 1, Float64Array.of(-2, 0, 0.4, 1.7));
      const ours = seq.evaluate(64, x).data;
      const want = exact.evaluate(64, x).data;
      // η_T is affine in y for a Gaussian (Chebyshev interpolation exact), Φ_T by Newton to ~1e-16: rounding over 63 steps
      for (let i = 0; i < 4; i++) expect(Math.abs(ours[i]! - want[i]!)).toBeLessThan(1e-9);
      expect(() => seq.evaluate(10, x)).toThrow(ValidationError);
      expect(seq.evaluate(1, x).data[2]).toBe(0.4);
    }
  });
});

describe('mixtureFlowLipschitzLowerBound', () => {
  it('on a Gaussian equals the exact L_f (the ratio does not depend on the level)', () => {
    const schedule = lhwSchedule({ T: 128, c0: 2, c1: 8 });
    const L = mixtureFlowLipschitzLowerBound({ w: [1], m: [0], v: [4] }, schedule).value;
    const exact = gaussianLipschitz(gaussian([0], [4]), schedule).value;
    expect(L).toBeLessThanOrEqual(exact * (1 + 1e-9));
    expect(L / exact).toBeGreaterThan(1 - 1e-9);
  });

  it('on ½N(±1, ½) is attained at (T, 1) at the median and equals the quantile-map flow’s Φ′_{T→1}(0)', () => {
    const schedule = lhwSchedule({ T: 320, c0: 2, c1: 8 });
    const witness = mixtureFlowLipschitzLowerBound(MILD, schedule);
    const target = new GaussianMixture(MILD.w, MILD.m.map((m) => [m]), MILD.v.map((v) => [v]));
    const { jacobian } = settingFlow({ target, schedule }, 'quantile-map').jacobian(pointBatch(1, 1, Float64Array.of(0)), schedule.timeOfStep(320), schedule.timeOfStep(1));
    expect(witness).toMatchObject({ t: 320, k: 1, z: 0 });
    // two computations of p_T(0)/p_1(0) (measured to agree to 2e-16)
    expect(Math.abs(witness.value / jacobian[0]! - 1)).toBeLessThan(1e-12);
  });
});

import { describe, expect, it } from 'vitest';
import { conditionalExpectation, conditionalPreviousMean, couplingCoefficients, flowSequence, gaussianIdealisedSequence } from '../../../src/lhw/ctRecursion.ts';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const schedule = lhwSchedule({ T: 60, c0: 2, c1: 8 });

describe('couplingCoefficients', () => {
  it("gives the CT coupling with A√ᾱ_t + B = √ᾱ_{t−1} and the Markov (DDPM posterior) coefficients with c_x√ᾱ_t + c₀ = √ᾱ_{t−1}", () => {
    for (const t of [2, 17, 60]) {
      for (const c of ['ct', 'markov'] as const) {
        const { ax, a0 } = couplingCoefficients(schedule, c, t);
        // Both couplings preserve the conditional mean of X_{t−1} given X₀: rounding of 3 products, 8ε.
        expect(Math.abs(ax * Math.sqrt(schedule.alphaBars[t]!) + a0 - Math.sqrt(schedule.alphaBars[t - 1]!))).toBeLessThanOrEqual(8 * Number.EPSILON);
      }
      // and the marginal variance: ax²(1−ᾱ_t) + noise² = 1 − ᾱ_{t−1}
      for (const c of ['ct', 'markov'] as const) {
        const { ax, noise } = couplingCoefficients(schedule, c, t);
        const om = schedule.oneMinusAlphaBars[t]!;
        expect(Math.abs(ax * ax * om + noise * noise - schedule.oneMinusAlphaBars[t - 1]!)).toBeLessThanOrEqual(16 * Number.EPSILON);
      }
    }
  });
});

describe('gaussianIdealisedSequence', () => {
  it('has the CT step gain cos(φ_t − φ_{t−1})·√(c_{t−1}/c_t) (THEORY §5.3)', () => {
    const lam = 0.5;
    const seq = gaussianIdealisedSequence({ target: gaussian([0], [lam]), schedule }, 'ct');
    const phi = (t: number): number => Math.atan2(Math.sqrt(schedule.oneMinusAlphaBars[t]!), Math.sqrt(schedule.alphaBars[t]! * lam));
    const c = (t: number): number => schedule.alphaBars[t]! * lam + schedule.oneMinusAlphaBars[t]!;
    for (let t = 2; t <= 60; t++) {
      const step = seq.gains[t]![0]! / seq.gains[t - 1]![0]!;
      const expected = Math.cos(phi(t) - phi(t - 1)) * Math.sqrt(c(t - 1) / c(t));
      expect(Math.abs(step - expected)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('collapses to E[X₁ | X_t] under the Markov coupling (gain √(ᾱ_t/ᾱ₁)·c₁/c_t, tower property)', () => {
    const lam = 2;
    const seq = gaussianIdealisedSequence({ target: gaussian([0], [lam]), schedule }, 'markov');
    const c = (t: number): number => schedule.alphaBars[t]! * lam + schedule.oneMinusAlphaBars[t]!;
    for (const t of [2, 10, 60]) {
      const expected = (Math.sqrt(schedule.alphaBars[t]! / schedule.alphaBars[1]!) * c(1)) / c(t);
      // a product of ≤ 60 gains: ≤ 60·4ε relative rounding
      expect(Math.abs(seq.gains[t]![0]! - expected)).toBeLessThanOrEqual(240 * Number.EPSILON * expected);
    }
  });

  it('equals the quadrature recursion E[f_{t−1}(X_{t−1}) | X_t] with an accumulating offset', () => {
    const setting = { target: builtInTarget('aniso-gaussian-2d'), schedule };
    const seq = gaussianIdealisedSequence(setting, 'ct', [0.01, -0.02]);
    const x = setting.target.noised(Math.sqrt(schedule.alphaBars[30]!), Math.sqrt(schedule.oneMinusAlphaBars[30]!)).sample(5, rngFromSeed(1));
    const viaQuadrature = conditionalExpectation(setting, 'ct', 30, x, (y) => seq.evaluate(29, y));
    const direct = seq.evaluate(30, x);
    for (let i = 0; i < direct.data.length; i++) {
      // f_30 = E[f_29(X_29)|x] + δ; Gauss–Hermite is exact for affine f: rounding only.
      const expected = viaQuadrature.data[i]! + (i % 2 === 0 ? 0.01 : -0.02);
      expect(Math.abs(direct.data[i]! - expected)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe('conditionalExpectation', () => {
  it('reproduces the closed-form conditional mean E[X_{t−1} | x] on a mixture for both couplings', () => {
    const setting = { target: builtInTarget('ring8-2d'), schedule };
    const x = pointBatch(3, 2, Float64Array.of(0.3, -1.2, 1.5, 1.5, 0, 0));
    for (const c of ['ct', 'markov'] as const) {
      const q = conditionalExpectation(setting, c, 25, x, (y) => y, 3);
      const m = conditionalPreviousMean(setting, c, 25, x);
      for (let i = 0; i < 6; i++) expect(Math.abs(q.data[i]! - m.data[i]!)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('gives the exact flow semigroup: E over the CT law of Φ_{t−1} is close to Φ_t (the error is the idealised Δ_t)', () => {
    const setting = { target: builtInTarget('bimodal-1d'), schedule };
    const flow = flowSequence(setting);
    const x = pointBatch(2, 1, Float64Array.of(-0.5, 1.2));
    const q = conditionalExpectation(setting, 'ct', 15, x, (y) => flow.evaluate(14, y), 12);
    const direct = flow.evaluate(15, x);
    // Δ_t is second order in the step (THEORY §1.10): at t = 15 (β_t ≈ 0.10) it is ≈ 3e-3, small but not zero.
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(q.data[i]! - direct.data[i]!)).toBeLessThan(0.01);
      expect(Math.abs(q.data[i]! - direct.data[i]!)).toBeGreaterThan(1e-5);
    }
  });
});

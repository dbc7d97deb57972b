import { describe, expect, it } from 'vitest';
import { gaussianIdealisedErrors } from '../../../src/lhw/idealisedError.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';

describe('gaussianIdealisedErrors', () => {
  const s = lhwSchedule({ T: 256, c0: 2, c1: 8 });
  const c = (t: number, lam: number): number => s.alphaBars[t]! * lam + s.oneMinusAlphaBars[t]!;

  it('gives D_T = Σ_t √(2/π)·√c₁·(1 − cos Δφ_t) for a 1-D Gaussian and the CT coupling (THEORY §5.3)', () => {
    const lam = 0.5;
    const phi = (t: number): number => Math.atan2(Math.sqrt(s.oneMinusAlphaBars[t]!), Math.sqrt(s.alphaBars[t]! * lam));
    let D = 0;
    for (let t = 2; t <= 256; t++) D += Math.sqrt(2 / Math.PI) * Math.sqrt(c(1, lam)) * (1 - Math.cos(phi(t) - phi(t - 1)));
    // two algebraically equal forms summed over 255 steps; 1 − cos cancels to ~1e-8 relative per term at worst
    expect(Math.abs(gaussianIdealisedErrors([lam], s, 'ct').D - D)).toBeLessThanOrEqual(1e-8 * D);
  });

  it('gives the Markov collapse W_ideal = √(2/π)·|√(ᾱ_T/ᾱ₁)c₁/c_T − √(c₁/c_T)|·√c_T (tower property)', () => {
    const lam = 0.5;
    const T = 256;
    const gain = (Math.sqrt(s.alphaBars[T]! / s.alphaBars[1]!) * c(1, lam)) / c(T, lam);
    const expected = Math.sqrt(2 / Math.PI) * Math.abs(gain - Math.sqrt(c(1, lam) / c(T, lam))) * Math.sqrt(c(T, lam));
    // product of 255 step gains vs the closed form: ≤ 255·4ε relative
    expect(Math.abs(gaussianIdealisedErrors([lam], s, 'markov').W - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });

  it('isotropic d dimensions: RMS = √d × the 1-D RMS, and the exact mean norm lies below it (Jensen)', () => {
    const one = gaussianIdealisedErrors([0.5], s, 'ct', 'rms');
    const four = gaussianIdealisedErrors([0.5, 0.5, 0.5, 0.5], s, 'ct', 'rms');
    expect(Math.abs(four.D / one.D - 2)).toBeLessThan(1e-12);
    const mean4 = gaussianIdealisedErrors([0.5, 0.5, 0.5, 0.5], s, 'ct', 'mean');
    expect(mean4.D).toBeLessThan(four.D);
    // E‖N(0, σ²I₄)‖ = σ√2·Γ(5/2)/Γ(2) = (3√(2π)/4)σ against the RMS 2σ: ratio 3√π/(4√2) ≈ 0.93999 at every step
    // (Laplace quadrature: 1e-10 relative, THEORY-free check against the χ mean)
    expect(Math.abs(mean4.D / four.D - (3 * Math.sqrt(Math.PI)) / (4 * Math.sqrt(2)))).toBeLessThan(1e-8);
  });
});

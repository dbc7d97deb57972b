import { describe, expect, it } from 'vitest';
import { gaussianIdealisedSequence } from '../../../src/checks/lhw/ctRecursion.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { theorem1 } from '../../../theorems/li2024/theorem1.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(theorem1, {
  inspect: {
    idealisedCt: (e) => {
      // ε̂_tot of the exact idealised sequence is 0 (Gauss–Hermite is exact on affine f_{t−1}), and the master
      // inequality is consistent (reported as a diagnostic, not a part).
      expect(e.estimates['eps_own']!.value).toBe(0);
      // Isotropic Gaussians: every direction contributes the same RMS error, so D_T ∝ √d exactly (vs the d^{5/2} allowed).
      expect(Math.abs(e.estimates['exponent_d']!.value - 0.5)).toBeLessThanOrEqual(1e-12);
      expect(e.diagnostics.some((d) => /master inequality consistent/.test(d.message))).toBe(true);
    },
  },
});

const c = (s: ReturnType<typeof lhwSchedule>, t: number, lam: number): number => s.alphaBars[t]! * lam + s.oneMinusAlphaBars[t]!;

describe('li2024.theorem1 estimates', () => {
  it('computes D_T as Σ_t √(2/π)·√c₁·(1 − cos Δφ_t) for a 1-D Gaussian and the CT coupling (THEORY §5.3)', async () => {
    const e = await runControl(theorem1, 'idealisedCt');
    const s = lhwSchedule({ T: 256, c0: 2, c1: 8 });
    const lam = 0.5;
    const phi = (t: number): number => Math.atan2(Math.sqrt(s.oneMinusAlphaBars[t]!), Math.sqrt(s.alphaBars[t]! * lam));
    let D = 0;
    for (let t = 2; t <= 256; t++) D += Math.sqrt(2 / Math.PI) * Math.sqrt(c(s, 1, lam)) * (1 - Math.cos(phi(t) - phi(t - 1)));
    // two algebraically equal forms summed over 255 steps; 1 − cos cancels to ~1e-8 relative per term at worst.
    expect(Math.abs(e.estimates['D_T_256']!.value - D)).toBeLessThanOrEqual(1e-8 * D);
  });

  it('reproduces the v4 numbers of THEORY §5.3: relative std deficit 1 − Π cos Δφ for λ = ½', () => {
    // THEORY §5.3 (v4.py, c₀ = 2, c₁ = 8): 0.086 (T = 50), 0.030 (200), 0.0099 (800), 0.0030 (3200), given to 2 digits.
    for (const [T, deficit] of [[50, 0.086], [200, 0.03], [800, 0.0099], [3200, 0.003]] as const) {
      const s = lhwSchedule({ T, c0: 2, c1: 8 });
      const seq = gaussianIdealisedSequence({ target: gaussian([0], [0.5]), schedule: s }, 'ct');
      const ratio = seq.gains[T]![0]! / Math.sqrt(c(s, 1, 0.5) / c(s, T, 0.5));
      expect(Math.abs(1 - ratio - deficit)).toBeLessThanOrEqual(0.05 * deficit + 1e-4);
    }
  });

  it('gives the Markov collapse W_ideal = √(2/π)·|√(ᾱ_T/ᾱ₁)c₁/c_T − √(c₁/c_T)|·√c_T (tower property, E[X₁ | X_T])', async () => {
    const e = await runControl(theorem1, 'markovCollapse');
    const T = 8192;
    const s = lhwSchedule({ T, c0: 2, c1: 8 });
    const lam = 0.5;
    const gain = (Math.sqrt(s.alphaBars[T]! / s.alphaBars[1]!) * c(s, 1, lam)) / c(s, T, lam);
    const expected = Math.sqrt(2 / Math.PI) * Math.abs(gain - Math.sqrt(c(s, 1, lam) / c(s, T, lam))) * Math.sqrt(c(s, T, lam));
    // product of 8191 step gains vs the tower-property closed form: ≤ 8191·4ε relative
    expect(Math.abs(e.estimates['W_ideal_8192']!.value - expected)).toBeLessThanOrEqual(1e-11 * expected);
    // ≈ √(2/π)·sd(X₁): the collapse does not decay with T
    expect(Math.abs(expected - Math.sqrt(2 / Math.PI) * Math.sqrt(c(s, 1, lam)))).toBeLessThan(1e-6);
  });
});

describe('li2024.theorem1 on a trained sequence', () => {
  it('charges the trained affine model its own ε̂_tot and finds the master inequality consistent', async () => {
    const e = await runControl(theorem1, 'trainedAffineCt');
    const eps = e.estimates['eps_own']!;
    const wUp = e.estimates['W_up']!;
    // statistical error of 1024 samples per step over 1023 steps: clearly positive, and (measured) several times Ŵ^up
    expect(eps.interval.lower).toBeGreaterThan(0);
    expect(wUp.interval.upper).toBeLessThan(eps.interval.lower);
    expect(e.diagnostics.some((d) => /master inequality consistent/.test(d.message))).toBe(true);
  });
});

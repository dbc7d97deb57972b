import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { multistepSampling } from '../../../theorems/song2023/multistepSampling.ts';
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
    },
    bimodalMonteCarlo: (e) => {
      // The DKW radius at n = 10⁴, δ = 10⁻³/3 is √(log(2/δ)/(2n)) ≈ 0.0209; all rounds stay inside it (false-fail ≤ 1e-3).
      for (const k of [0, 1, 2]) expect(e.estimates[`D_${k}`]!.value).toBeLessThan(0.0209);
    },
    naiveTauRenoise: (e) => {
      // Round 1 starts from the exact p_ε (round 0 is exact), so its W₂ is the closed form with τ = 2, ε = 0.1,
      // eigenvalues 4 and ¼ of aniso-gaussian-2d; Bures resolves W₂ to ≈ 1e-8 here.
      expect(Math.abs(e.estimates['W2_1']!.value - naiveRoundW2([4, 0.25], 0.1, 2))).toBeLessThan(1e-8);
      expect(e.parts[0]!.verdict).toBe('holds');
    },
  },
});

describe('song2023.multistepSampling', () => {
  it('sees the naive re-noise defect grow at the smaller τ (ε²/(λ+τ²) is larger)', async () => {
    const e = await runControl(multistepSampling, 'naiveTauRenoise');
    expect(e.estimates['W2_2']!.value).toBeGreaterThan(e.estimates['W2_1']!.value);
  });
});

import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { multistepContraction } from '../../../theorems/lyu2023/multistep.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(multistepContraction, {
  determinism: ['contractedLinear1d', 'expandingLinear'],
  inspect: {
    exactFlowGaussian: (e) => expect(e.estimates['e_K']!.value).toBeLessThan(1e-7),
    expandingLinear: (e) => {
      expect(e.parts.find((p) => p.name === 'geometric envelope')!.verdict).toBe('violated');
      expect(e.estimates['Lip']!.value).toBe(2);
    },
  },
});

describe('lyu2023.multistep', () => {
  it('converges to the closed-form fixed point v∞ = K²(1 − e^{−2τ′})/(1 − K²e^{−2τ′}) of the 1-D linear model (THEORY §2.4)', async () => {
    const e = await runControl(multistepContraction, 'contractedLinear1d');
    // N(0, 2) on OU with δ = 0.002, τ = 1, τ′ = τ − δ (re-noise from δ), f = 0.9·K*(τ)·x.
    const [lam, delta, tau] = [2, 0.002, 1];
    const d2 = Math.exp(-2 * delta);
    const lamDelta = d2 * lam + 1 - d2;
    const K = 0.9 * Math.sqrt(lamDelta / (Math.exp(-2 * tau) * lam + 1 - Math.exp(-2 * tau)));
    const q = Math.exp(-2 * (tau - delta));
    const vInf = (K * K * (1 - q)) / (1 - K * K * q);
    // 30 rounds with contraction K²q ≈ 0.19 per round in variance: the transient is < 1e-20.
    expect(Math.abs(e.estimates['e_K']!.value - Math.abs(Math.sqrt(vInf) - Math.sqrt(lamDelta)))).toBeLessThan(1e-12);
    expect(e.estimates['e_K']!.value).toBeLessThanOrEqual(e.estimates['E(tau)']!.value / (1 - e.estimates['rho']!.value));
  });
});

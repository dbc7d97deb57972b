import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { integrateAdaptive } from '../../../src/metrics/integrateAdaptive.ts';
import { proposition1EmaTeacher } from '../../../theorems/song2024/proposition1.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(proposition1EmaTeacher, {
  determinism: ['emaTeacher'],
  inspect: {
    emaTeacher: (e) => expect(e.estimates['xi_gap']!.value).toBeLessThan(1e-3),
    // THEORY §6.3 iCT-P1: without stop-gradient each term is 2(θ−ξ)σ_min²Δσ²/(σ_iσ_{i+1})², so the scaled gradient
    // is O(Δσ) = O(1/N): 0.0025 at N = 10⁵, far below the stop-gradient limit 0.7485.
    noStopGradient: (e) => expect(e.estimates['G_N']!.value).toBeLessThan(0.01),
  },
});

describe('song2024.proposition1 limits', () => {
  const [m, M] = [0.002, 1];
  it('uses limits that match adaptive Gauss–Kronrod integrals of the Eq. (6)–(7) integrands over σ ~ U[σ_min, σ_max]', async () => {
    // rtol 1e-10: the integrands are smooth on [σ_min, σ_max]; QAG to rtol 1e-12.
    const ema = integrateAdaptive((s) => (1 - m / s) ** 2, m, M, { rtol: 1e-12, initialPieces: 64 }).value / (M - m);
    const grad = integrateAdaptive((s) => (m / (s * s)) * (1 - m / s), m, M, { rtol: 1e-12, initialPieces: 64 }).value / (M - m);
    const e1 = await runControl(proposition1EmaTeacher, 'emaTeacher');
    expect(Math.abs(e1.estimates['L_inf']!.value - ema * 0.25) / (ema * 0.25)).toBeLessThan(1e-10);
    const e2 = await runControl(proposition1EmaTeacher, 'stopGradientTeacher');
    expect(Math.abs(e2.estimates['G_inf']!.value - 2 * grad * 0.75) / (2 * grad * 0.75)).toBeLessThan(1e-10);
  });
});

import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { logChiSquareSurvival, logGamma } from '../../../src/checks/lhw/chiSquareTail.ts';
import { geometricSteps } from '../../../src/checks/lhw/lhwSetting.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { typicalSet } from '../../../theorems/li2024/typicalSet.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(typicalSet, {
  inspect: {
    hugeScaleData: (e) => {
      // At t = T the noise dominates (C_T ≈ 1 + ᾱ_T σ²) and the tail drops below T^{−c₄d}: only small t fail.
      expect(e.parts.find((p) => p.name === 't=200')!.verdict).toBe('holds');
      expect(e.parts.find((p) => p.name === 't=2')!.verdict).toBe('violated');
    },
  },
});

describe('chiSquareTail', () => {
  it('matches closed forms: P(χ²₂ > x) = e^{−x/2}, P(χ²₁ > x) = erfc(√(x/2)), log Γ(n) = log (n−1)!', () => {
    for (const x of [0.1, 1, 10, 100, 1000]) {
      // relative error of the continued fraction / series: ≲ 1e-14 (16-digit arithmetic, ~20 terms)
      expect(Math.abs(logChiSquareSurvival(x, 2) + x / 2)).toBeLessThanOrEqual(1e-13 * Math.max(1, x / 2));
    }
    for (const x of [0.01, 0.5, 3, 30]) {
      const exact = Math.log(erfc(Math.sqrt(x / 2)));
      expect(Math.abs(logChiSquareSurvival(x, 1) - exact)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(exact)));
    }
    expect(Math.abs(logGamma(11) - Math.log(3628800))).toBeLessThanOrEqual(1e-14 * Math.log(3628800));
  });
});

describe('li2024.typicalSet estimates', () => {
  it('reports the exact χ²₂ tail and the realised ĉ₄ for the Gaussian control', async () => {
    const e = await runControl(typicalSet, 'gaussianClaim');
    const schedule = lhwSchedule({ T: 200, c0: 2, c1: 8 });
    const gamma = 2 * 2 * Math.log(200);
    let c4 = Infinity;
    for (const t of geometricSteps(200, 6)) {
      const ab = schedule.alphaBars[t]!;
      const om = schedule.oneMinusAlphaBars[t]!;
      // aniso-gaussian-2d: eigenvalues 4 and 1/4; −log p = log 2π + ½ log det C + ½χ²₂, P(χ²₂ > x) = e^{−x/2}.
      const logDet = Math.log(4 * ab + om) + Math.log(0.25 * ab + om);
      const logP = -(2 * gamma - 2 * Math.log(2 * Math.PI) - logDet) / 2;
      expect(Math.abs(Math.log(e.estimates[`P_${t}`]!.value) - logP)).toBeLessThanOrEqual(1e-12 * Math.abs(logP));
      c4 = Math.min(c4, -logP / (2 * Math.log(200)));
    }
    expect(Math.abs(e.estimates['c_4_hat']!.value - c4)).toBeLessThanOrEqual(1e-12 * c4);
  });

  it('agrees with Monte Carlo where the tail is visible (hugeScaleData, t = T: within the Clopper–Pearson interval)', async () => {
    const e = await runControl(typicalSet, 'hugeScaleData');
    const exact = e.estimates['P_200']!.value;
    const mc = e.estimates['P_200_mc']!;
    // Clopper–Pearson at level 1 − 2·1e-3/6: misses the truth with probability ≤ 3.3e-4 (fixed seed).
    expect(exact).toBeGreaterThanOrEqual(mc.interval.lower);
    expect(exact).toBeLessThanOrEqual(mc.interval.upper);
    expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
  });
});

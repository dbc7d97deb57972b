import { expect } from 'vitest';
import { modelLipschitzAssumption } from '../../../theorems/lyu2023/modelLipschitz.ts';
import { describeControls } from '../controlHarness.ts';

/** Density of ½N(±2a, a²/4 + s²) at x (bimodal-1d on OU at time t). */
function bimodalDensity(x: number, t: number): number {
  const a = Math.exp(-t);
  const v = (a * a) / 4 + 1 - a * a;
  const g = (m: number): number => Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  return 0.5 * (g(2 * a) + g(-2 * a));
}

describeControls(modelLipschitzAssumption, {
  determinism: ['bimodalExactFlow'],
  inspect: {
    exactFlowGaussian: (e) => {
      // THEORY §4.4: f*(·, t) has gain √((e^{−2δ}λ + 1 − e^{−2δ})/(e^{−2t}λ + 1 − e^{−2t})), largest at λ = 4, t = T = 8.
      const g = (t: number): number => Math.exp(-2 * t) * 4 + 1 - Math.exp(-2 * t);
      expect(Math.abs(e.estimates['L_f']!.value - Math.sqrt(g(0.002) / g(8)))).toBeLessThan(1e-12);
    },
    exactFlowAsTrained: (e) => {
      // the OU view of VE [0.002, 80] runs over u ∈ [½log(1 + 0.002²), ½log(1 + 80²)]; the gain formula above at its ends
      const g = (u: number): number => Math.exp(-2 * u) * 4 - Math.expm1(-2 * u);
      const [uMin, uMax] = [0.5 * Math.log1p(0.002 ** 2), 0.5 * Math.log1p(80 ** 2)];
      expect(e.estimates['L_f']!.method).toBe('exact');
      expect(Math.abs(e.estimates['L_f']!.value - Math.sqrt(g(uMin) / g(uMax)))).toBeLessThan(1e-9);
    },
    bimodalExactFlow: (e) => {
      if (e.verdict !== 'violated') throw new Error('expected violated');
      // THEORY §4.5: in 1-D Φ′(x) = p_t(x)/p_δ(Φ(x)); by symmetry Φ(0) = 0, so Lip ≥ p_8(0)/p_δ(0). The central
      // difference with step h = 1e-7·scale errs by ≈ (Lip·h)²·|p_δ″/p_δ|/6 ≲ 1e-6 relative; the quantile inversion
      // (xtol 1e-14) adds ≲ 1e-10.
      expect(e.witness!.point).toEqual([0]);
      expect(Math.abs(e.witness!.value / (bimodalDensity(0, 8) / bimodalDensity(0, 0.002)) - 1)).toBeLessThan(1e-5);
    },
  },
});

import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { parameterizationBoundary } from '../../../theorems/song2023/parameterization.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(parameterizationBoundary, {
  determinism: ['edmScalingsVe', 'droppedTMinBoundaryScalings'],
  inspect: {
    edmScalingsVe: (e) => {
      // c_skip(ε) = σ_d²/(0 + σ_d²) and c_out(ε) = σ_d·0/… are exact in float64.
      expect(e.estimates['c_skip_defect']!.value).toBe(0);
      expect(e.estimates['c_out_defect']!.value).toBe(0);
      expect(e.estimates['boundary_error']!.value).toBe(0);
    },
    droppedTMinBoundaryScalings: (e) => {
      // Closed form: 1 − c_skip(ε) = ε²/(ε² + σ_d²), c_out(ε) = εσ_d/√(σ_d² + ε²) with ε = 0.002, σ_d = 0.5;
      // rtol 1e-12: a few float64 operations.
      const eps = 0.002;
      const sd = 0.5;
      expect(Math.abs(e.estimates['c_skip_defect']!.value / ((eps * eps) / (eps * eps + sd * sd)) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(e.estimates['c_out_defect']!.value / ((eps * sd) / Math.sqrt(sd * sd + eps * eps)) - 1)).toBeLessThan(1e-12);
      expect(e.parts.find((p) => p.name === 'f(x, ε) = x')!.verdict).toBe('violated');
      // The boundary error is c_out(ε)·|F| + (1 − c_skip)|x| ≥ 1e-6 for an O(1) random network.
      expect(e.estimates['boundary_error']!.value).toBeGreaterThan(1e-6);
    },
    missingSqrtCIn: (e) => {
      expect(e.parts.find((p) => p.name === 'f(x, ε) = x')!.verdict).toBe('holds');
      expect(e.parts.find((p) => p.name === 'input scale c_in')!.verdict).toBe('violated');
      // c_in·√(t² + σ_d²) = 1/√(t² + σ_d²): the largest defect on the grid is at t = ε, 1/√(ε² + σ_d²) − 1 ≈ 1.
      expect(Math.abs(e.estimates['c_in_defect']!.value - (1 / Math.sqrt(0.002 * 0.002 + 0.25) - 1))).toBeLessThan(1e-12);
    },
  },
});

describe('song2023.parameterization', () => {
  it('reads the scalings on σ_t = √(e^{2t} − 1) for OU and skips the VE-only formula part', async () => {
    const e = await runControl(parameterizationBoundary, 'edmScalingsOu');
    expect(e.parts.map((p) => p.name)).not.toContain('Eq. (5) on VE');
    expect(e.estimates['c_in_defect']!.value).toBeLessThan(1e-14);
  });
});

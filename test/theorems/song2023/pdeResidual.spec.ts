import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { pdeResidual } from '../../../theorems/song2023/pdeResidual.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(pdeResidual, {
  determinism: ['exactGaussian', 'denoiserGaussian'],
  inspect: {
    exactGaussian: (e) => expect(e.estimates['int_r']!.interval.upper).toBeLessThan(1e-7),
    missingSqrtCIn: (e) => expect(e.parts.find((p) => p.name.startsWith('‖f − f*‖'))!.verdict).toBe('holds'),
  },
});

describe('song2023.pdeResidual', () => {
  it('brackets the closed-form residual integral and error of the denoiser on N(½, 4) (the bound is attained)', async () => {
    // THEORY §5.5: R = −uλ/(λ+u²)²(x − μ), so ‖R(u)‖ = uλ/(λ+u²)^{3/2} and ∫_ε^t = λ[(λ+ε²)^{−1/2} − (λ+t²)^{−1/2}];
    // e(t) = |λ/(λ+t²) − √((λ+ε²)/(λ+t²))|·√(λ+t²). With λ = 4, t = 2, ε = 0.002 both are 0.58578…
    const [lam, t, eps] = [4, 2, 0.002];
    const integral = lam * (1 / Math.sqrt(lam + eps * eps) - 1 / Math.sqrt(lam + t * t));
    const error = Math.abs(lam / (lam + t * t) - Math.sqrt((lam + eps * eps) / (lam + t * t))) * Math.sqrt(lam + t * t);
    // They differ only by the denoiser's boundary defect |1 − λ/(λ+ε²)|·√(λ+ε²) ≈ ε²/√λ = 2e-6.
    expect(Math.abs(error - integral - (eps * eps) / Math.sqrt(lam))).toBeLessThan(1e-9);
    const e = await runControl(pdeResidual, 'denoiserGaussian');
    // The check's intervals are at level 1 − 2·10⁻³/35 each (plus the quadrature error for ∫r): each misses the
    // truth with probability ≤ 6e-5 for a fixed seed.
    const r = e.estimates['int_r']!.interval;
    const err = e.estimates['e(t)']!.interval;
    expect(integral).toBeGreaterThanOrEqual(r.lower);
    expect(integral).toBeLessThanOrEqual(r.upper);
    expect(error).toBeGreaterThanOrEqual(err.lower);
    expect(error).toBeLessThanOrEqual(err.upper);
  });
});

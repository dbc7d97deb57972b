import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { scoreLipschitz } from '../../../theorems/lyu2023/scoreLipschitz.ts';
import { describeControls } from '../controlHarness.ts';

/** Closed form for ½N(±2, ¼) on OU at t: H(0) = −1/C + a²·4/C² with C = a²/4 + s² (M = Var(±2a) = 4a²). */
function bimodalHessianAtZero(t: number): number {
  const a2 = Math.exp(-2 * t);
  const C = a2 / 4 + (1 - a2);
  return -1 / C + (4 * a2) / (C * C);
}

describeControls(scoreLipschitz, {
  determinism: ['bimodalClosedForm', 'crossedCovariances'],
  inspect: {
    bimodalClosedForm: (e) => {
      // THEORY §2.2: max(‖C⁻¹‖, a²D²/4‖C⁻¹‖²) at t = δ = 0.002 (D = 4, λ = ¼); monotone in t, so the sup is there.
      const a2 = Math.exp(-0.004);
      const inv = 1 / (a2 / 4 + 1 - a2);
      expect(Math.abs(e.estimates['L_s_upper']!.value - Math.max(inv, 4 * a2 * inv * inv))).toBeLessThan(1e-12 * 64);
      // The midpoint x = 0 at t = δ is probed: the lower bound is at least H(0) there (exact arithmetic, rtol 1e-12).
      expect(e.estimates['L_s_lower']!.value).toBeGreaterThanOrEqual(bimodalHessianAtZero(0.002) * (1 - 1e-12));
      expect(e.estimates['L_s_lower']!.value).toBeLessThanOrEqual(e.estimates['L_s_upper']!.value);
    },
    bimodalUnderstated: (e) => {
      if (e.verdict !== 'violated') throw new Error('expected violated');
      expect(e.witness!.value).toBeGreaterThan(20);
    },
    crossedCovariances: (e) => {
      // THEORY §4.9 v9: the Hessian norm grows like r² along the boundary.
      const slope = e.estimates['boundary_slope']!;
      expect(Math.abs(slope.value - 2)).toBeLessThan(0.05);
      expect(e.reason).toContain('L_s = ∞');
      if (e.verdict !== 'violated') throw new Error('expected violated');
      const [x1, x2] = e.witness!.point!;
      // The witness lies on |x₁| = |x₂| (the boundary of the crossed mixture; equal weights and determinants).
      expect(Array.isArray(e.witness!.point)).toBe(true);
      expect(Math.abs(Math.abs(x1!) - Math.abs(x2!))).toBeLessThan(1e-6 * Math.abs(x1!));
    },
  },
});

describe('lyu2023.scoreLipschitz', () => {
  it('records an exact Hessian norm at the witness that matches the closed form at the bimodal midpoint', async () => {
    const e = await runControl(scoreLipschitz, 'bimodalUnderstated');
    if (e.verdict !== 'violated') throw new Error('expected violated');
    const t = e.witness!.time!;
    if (e.witness!.point![0] === 0) expect(Math.abs(e.witness!.value - Math.abs(bimodalHessianAtZero(t)))).toBeLessThan(1e-10 * e.witness!.value);
    expect(e.witness!.value).toBeGreaterThan(50);
  });
});

import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { formatNumber } from '../../../src/index.ts';
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
      // what a user reads: the summary, the part reason and the closed-form note, numbers read back from the estimates
      const [lower, upper] = [e.estimates['L_s_lower']!.value, e.estimates['L_s_upper']!.value];
      expect(e.reason).toBe(`L_s = 64 holds: the closed-form bound sup_t sup_x ‖∇²log p_t‖ ≤ ${formatNumber(upper)} (largest value found ${formatNumber(lower)}).`);
      expect(e.parts.map((p) => p.name)).toEqual(['sup over draws and midpoints']);
      expect(e.parts[0]!.reason).toBe(`largest ‖∇²log p_t‖ found ${formatNumber(lower)}; closed-form bound ${formatNumber(upper)} (claimed L_s = 64)`);
      expect(e.diagnostics.map((d) => d.kind)).toEqual(['reconstructed-statement', 'note']);
      expect(e.diagnostics[1]!.message).toContain(`sup over t = ${formatNumber(upper)}`);
      expect(e.plots[0]!.series.map((s) => s.name)).toEqual(['largest found', 'closed-form bound']);
    },
    bimodalUnderstated: (e) => {
      if (e.verdict !== 'violated') throw new Error('expected violated');
      expect(e.witness!.value).toBeGreaterThan(20);
      // the witness is the largest norm found (L_s_lower), at its point and time; the summary names both
      expect(e.witness!.value).toBe(e.estimates['L_s_lower']!.value);
      expect(e.witness!.description).toBe(`‖∇²log p_t(x)‖ = ${formatNumber(e.witness!.value)} > L_s = 20`);
      expect(e.reason).toBe(`L_s = 20 is refuted: ‖∇²log p_t(x)‖ = ${formatNumber(e.witness!.value)} at t = ${formatNumber(e.witness!.time!)}.`);
      // the largest norm sits at the smallest time δ = 0.002 (the closed form is monotone in t)
      expect(e.witness!.time).toBeCloseTo(0.002, 12);
    },
    crossedCovariances: (e) => {
      // THEORY §4.9 v9: the Hessian norm grows like r² along the boundary.
      const slope = e.estimates['boundary_slope']!;
      expect(Math.abs(slope.value - 2)).toBeLessThan(0.05);
      const plot = e.plots.find((p) => p.id === 'score-lipschitz-boundary')!;
      const [radii, norms] = [plot.series[0]!.x, plot.series[0]!.y];
      expect(e.reason).toBe(
        `Assumption violated (L_s = ∞): along a decision boundary the score Hessian grows like r^${formatNumber(slope.value)} (${formatNumber(norms[norms.length - 1]!)} at r = ${radii[radii.length - 1]}), so no L_s, in particular not 1000, works.`,
      );
      expect(e.parts.find((p) => p.name === 'sup over draws and midpoints')!.reason).toMatch(/; no closed-form upper bound for unequal covariances$/);
      expect(e.estimates['L_s_upper']).toBeUndefined();
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

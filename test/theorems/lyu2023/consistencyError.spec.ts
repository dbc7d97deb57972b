import { expect } from 'vitest';
import { consistencyErrorAssumption } from '../../../theorems/lyu2023/consistencyError.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(consistencyErrorAssumption, {
  determinism: ['exactFlowEuler', 'biasedTeacherScore'],
  inspect: {
    exactFlowEuler: (e) => {
      // f* with the exact score: the residual is the solver's local error, so ε̂_cm shrinks as the grid refines.
      expect(e.estimates['order']!.value).toBeGreaterThan(0.5);
      expect(e.estimates['eps_cm']!.method).toBe('clt-mean');
      expect(e.reason).toContain('≤ ε_cm = 0.5');
      // the sweep note lists ε̂_cm at each of the three grid sizes; the plot is the residual line
      expect(e.diagnostics.some((d) => d.kind === 'note' && /^ε̂_cm = [0-9.e-]+, [0-9.e-]+, [0-9.e-]+ for N = 8, 16, 32 /.test(d.message))).toBe(true);
      expect(e.plots.map((p) => [p.id, p.mark])).toEqual([['consistency-error', 'line']]);
    },
    biasedTeacherScore: (e) => {
      // Near t = δ, f*(·, δ) ≈ id and the Euler step adds h·b, so residual/h → ‖b‖ = √0.5 (first interval; J_f ≈ I there).
      expect(Math.abs(e.estimates['eps_cm']!.value - Math.SQRT1_2)).toBeLessThan(0.005);
    },
    denoiserModel: (e) => {
      expect(Math.abs(e.estimates['order']!.value)).toBeLessThan(0.2);
      expect(e.reason).toContain('> ε_cm = 0.5');
    },
    // f* is consistent along the exact flow (closed-form Gaussian flows on both clocks): only rounding remains
    exactFlowAsTrained: (e) => {
      expect(e.estimates['eps_cm']!.value).toBeLessThan(1e-6);
      expect(e.diagnostics.filter((d) => d.kind === 'monte-carlo-error')).toHaveLength(1);
    },
    injectedOffset: (e) => {
      // (t − δ)·v adds exactly h_n·‖v‖ = 0.2·h_n to every residual of the consistent f*
      expect(Math.abs(e.estimates['eps_cm']!.value - 0.2)).toBeLessThan(1e-6);
      // and Σ_n h_n·0.2 = 0.2·(T − δ) on the OU clock of VE [0.002, 80]: u = ½·log(1 + σ²)
      const span = 0.5 * Math.log1p(80 ** 2) - 0.5 * Math.log1p(0.002 ** 2);
      expect(Math.abs(e.estimates['R']!.value - 0.2 * span)).toBeLessThan(1e-6);
    },
  },
});

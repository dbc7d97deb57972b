import { expect } from 'vitest';
import { consistencyErrorAssumption } from '../../../theorems/lyu2023/consistencyError.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(consistencyErrorAssumption, {
  determinism: ['exactFlowEuler', 'biasedTeacherScore'],
  inspect: {
    exactFlowEuler: (e) => {
      // f* with the exact score: the residual is the solver's local error, so ε̂_cm shrinks as the grid refines.
      expect(e.estimates['order']!.value).toBeGreaterThan(0.5);
    },
    biasedTeacherScore: (e) => {
      // Near t = δ, f*(·, δ) ≈ id and the Euler step adds h·b, so residual/h → ‖b‖ = √0.5 (first interval; J_f ≈ I there).
      expect(Math.abs(e.estimates['eps_cm_hat']!.value - Math.SQRT1_2)).toBeLessThan(0.005);
    },
    denoiserModel: (e) => expect(Math.abs(e.estimates['order']!.value)).toBeLessThan(0.2),
  },
});

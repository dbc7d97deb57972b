import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { assumption2TrainingErrors } from '../../../theorems/li2024/assumption2TrainingErrors.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(assumption2TrainingErrors);

describe('li2024.assumption2 estimates', () => {
  it('charges a constant per-step offset δ exactly ‖δ‖ per step: ε̂_tot = 0.01·(T − 1) (f*_t absorbs the accumulated offset)', async () => {
    const e = await runControl(assumption2TrainingErrors, 'constantOffset');
    // f_t − f*_t = δ exactly for affine sequences; Gauss–Hermite is exact on affine f: 39 rounding errors of ~1e-16.
    expect(Math.abs(e.estimates['eps_tot_L1']!.value - 0.39)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(e.estimates['eps_tot_RMS']!.value - 0.39)).toBeLessThanOrEqual(1e-12);
  });
});

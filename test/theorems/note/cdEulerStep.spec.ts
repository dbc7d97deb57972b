import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { cdEulerStep } from '../../../theorems/note/cdEulerStep.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(cdEulerStep, {
  determinism: ['noteStepBimodal'],
  inspect: {
    eulerWithTFactorGaussian: (e) => {
      expect(Math.abs(e.estimates['q']!.value - 2)).toBeLessThan(0.05);
      // a consistent scheme: the zero-loss chain's global error shrinks at first order in the step, ×8 from N = 64 to
      // 512 on the Karras grid; ×4 leaves room for the grid's uneven steps
      expect(e.estimates['E_global(512)']!.value).toBeLessThan(e.estimates['E_global(64)']!.value / 4);
      expect(e.reason).toMatch(/^The Euler step with \$t_\{n\+1\}\$ has local error ∝ h\^[0-9.]+ \([0-9.e-]+ at h = 0\.00781/);
    },
    noteStepGaussian: (e) => {
      expect(e.reason).toMatch(/^The note’s step without \$t_\{n\+1\}\$ has local error ∝ h\^[0-9.]+ \([0-9.e-]+ at h = 0\.00781/);
      expect(Math.abs(e.estimates['q']!.value - 1)).toBeLessThan(0.05);
      // An inconsistent scheme: the global error does not shrink from N = 64 to N = 512 (within 5%).
      expect(e.estimates['E_global(512)']!.value).toBeGreaterThan(0.95 * e.estimates['E_global(64)']!.value);
    },
  },
});

describe('note.cdEulerStep', () => {
  it("matches the leading local error h·|t − 1|·5·√Σ_i 1/(λ_i + t²) of the note's step (THEORY §5.1 item 2)", async () => {
    const e = await runControl(cdEulerStep, 'noteStepGaussian');
    const t = 2;
    const h = t / 256;
    const predicted = h * Math.abs(t - 1) * 5 * Math.sqrt(1 / (4 + t * t) + 1 / (0.25 + t * t));
    const measured = Number(/local errors .*, ([0-9.e+-]+) at h/.exec(e.diagnostics[0]!.message)![1]);
    // The next term is O(h²) relative to O(h): h/t·(…) ≲ 1% at h = t/256; the diagnostic prints 4 digits.
    expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.01);
  });
});

import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { karrasTimes } from '../../../src/training/schedules/karrasSchedule.ts';
import { theorem1ZeroCdLoss as theorem1 } from '../../../theorems/song2023/theorem1.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(theorem1, {
  determinism: ['eulerGaussian', 'heunBimodal'],
  inspect: {
    eulerGaussian: (e) => expect(Math.abs(e.estimates['order']!.value - 1)).toBeLessThan(0.05),
    heunGaussian: (e) => expect(Math.abs(e.estimates['order']!.value - 2)).toBeLessThan(0.1),
    heunBimodal: (e) => expect(e.estimates['order']!.value).toBeGreaterThan(1.8),
    // THEORY §5.1 item 2: without t_{n+1} the scheme is inconsistent, the error does not decay (order ≈ 0).
    noteStepMissingT: (e) => expect(Math.abs(e.estimates['order']!.value)).toBeLessThan(0.1),
  },
});

describe('song2023.theorem1', () => {
  it('computes the Gaussian error from an independent recursion of the Euler gains (λ + t_n t_{n+1})/(λ + t_{n+1}²)', async () => {
    // Independent: the exact CT/Euler factor of THEORY §5.3, E_n = (λ + t_n t_{n+1})/(λ + t_{n+1}²), for N = 32 on
    // aniso-gaussian-2d (eigenvalues 4 and ¼): the sup over the 5-sd box at every grid time.
    const t = karrasTimes(32, { tMin: 0.002, tMax: 80 });
    let worst = 0;
    const G = [1, 1];
    for (let n = 1; n < 32; n++) {
      let e2 = 0;
      [4, 0.25].forEach((lam, i) => {
        G[i] = G[i]! * ((lam + t[n - 1]! * t[n]!) / (lam + t[n]! ** 2));
        e2 += (G[i]! - Math.sqrt((lam + 0.002 ** 2) / (lam + t[n]! ** 2))) ** 2 * 25 * (lam + t[n]! ** 2);
      });
      worst = Math.max(worst, Math.sqrt(e2));
    }
    const e = await runControl(theorem1, 'eulerGaussian');
    const first = Number(/errors ([0-9.e+-]+),/.exec(e.diagnostics[1]!.message)![1]);
    // The diagnostic prints 4 significant digits.
    expect(Math.abs(first - worst) / worst).toBeLessThan(5e-4);
    expect(e.estimates['C']!.value).toBeGreaterThan(0);
  });
});

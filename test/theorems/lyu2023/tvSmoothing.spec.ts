import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { tvSmoothing } from '../../../theorems/lyu2023/tvSmoothing.ts';
import { describeControls } from '../controlHarness.ts';

/** ½∫|p − q| for two 1-D Gaussians by the trapezoid rule on ±12 of the wider sd (10⁵ cells). */
function tvByQuadrature(m1: number, s1: number, m2: number, s2: number): number {
  const lo = Math.min(m1, m2) - 12 * Math.max(s1, s2);
  const hi = Math.max(m1, m2) + 12 * Math.max(s1, s2);
  const n = 100_000;
  const h = (hi - lo) / n;
  const pdf = (x: number, m: number, s: number): number => Math.exp(-((x - m) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h;
    sum += (i === 0 || i === n ? 0.5 : 1) * Math.abs(pdf(x, m1, s1) - pdf(x, m2, s2));
  }
  return 0.5 * sum * h;
}

describeControls(tvSmoothing, {
  inspect: {
    gaussianPairs: (e) => {
      // δ₀ vs δ₁, σ = 1: TV = 2Φ(½) − 1 = erf(1/(2√2)) = 0.38292492254802624 (mpmath, 17 digits).
      expect(Math.abs(e.estimates['TV_0']!.value - 0.38292492254802624)).toBeLessThan(1e-15);
      // Near-tight pair: TV/(W₁/(σ√2π)) = (2Φ(r/2) − 1)√(2π)/r → 1 − r²/24 for r = 0.01.
      const ratio = e.estimates['TV_1']!.value / e.estimates['TV_bound_1']!.value;
      expect(Math.abs(ratio - (1 - 0.0001 / 24))).toBeLessThan(1e-9);
    },
    tenthConstant: (e) => {
      expect(e.estimates['ratio_max']!.value).toBeGreaterThan(3.8);
    },
  },
});

describe('lyu2023.tvSmoothing', () => {
  it('uses exact TVs that agree with quadrature of ½∫|p − q| (trapezoid, 10⁵ cells: error ≲ 1e-8 at the kink)', async () => {
    const e = await runControl(tvSmoothing, 'gaussianPairs');
    const cases: [number, number, number, number][] = [[0, Math.SQRT2, 0.5, Math.hypot(0.5, 1)], [0, Math.hypot(2, 1), 3, Math.SQRT2]];
    cases.forEach(([m1, s1, m2, s2], k) => {
      const q = tvByQuadrature(m1, s1, m2, s2);
      expect(Math.abs(e.estimates[`TV_${k + 2}`]!.value - q)).toBeLessThan(1e-7);
    });
  });

});


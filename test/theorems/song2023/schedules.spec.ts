import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { ctSchedules } from '../../../theorems/song2023/schedules.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(ctSchedules, {
  determinism: ['cifar10Ct'],
  inspect: {
    cifar10Ct: (e) => {
      expect(e.estimates['N(0)']!.value).toBe(2);
      expect(e.estimates['N(K)']!.value).toBe(151);
      expect(e.estimates['mu(0)']!.value).toBe(Math.exp((2 * Math.log(0.9)) / 2));
    },
    codeOffByOneEma: (e) => {
      // THEORY §3.5: the code form gives μ(0) = μ₀^{s₀/(s₀−1)} = 0.9² (rtol 1e-15: one exp and one log).
      expect(Math.abs(e.estimates['mu(0)']!.value - 0.81)).toBeLessThan(1e-15);
      expect(e.parts.find((p) => p.name === 'μ(k) = exp(s₀ log μ₀/N(k))')!.verdict).toBe('violated');
      expect(e.parts.find((p) => p.name === 'N(k) formula and monotone')!.verdict).toBe('holds');
    },
    decreasingCurriculum: (e) => {
      expect(e.estimates['N(0)']!.value).toBe(151);
      expect(e.parts.find((p) => p.name === 'N(k) formula and monotone')!.verdict).toBe('violated');
    },
  },
});

describe('song2023.schedules', () => {
  it('reports grids matching an independent Karras evaluation to rounding (ImageNet-64 constants)', async () => {
    const e = await runControl(ctSchedules, 'imagenet64Ct');
    expect(e.estimates['N(K)']!.value).toBe(201);
    expect(e.estimates['grid_defect']!.value).toBeLessThan(1e-13);
  });
});

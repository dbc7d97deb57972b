import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { ictSchedules } from '../../../theorems/song2024/schedules.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(ictSchedules, {
  determinism: ['ring2dIct'],
  inspect: {
    cifar10Ict: (e) => {
      expect(e.estimates['N(K)']!.value).toBe(1281);
      // c = 0.00054·√3072 ≈ 0.02993 (THEORY §3.7: "CIFAR-10: c ≈ 0.03"); recovered to 1e-9 relative.
      expect(Math.abs(e.estimates['c']!.value / (0.00054 * Math.sqrt(3072)) - 1)).toBeLessThan(1e-9);
      expect(e.parts[0]!.reason).toContain('11, 21, 41, 81, 161, 321, 641, 1281');
    },
    uniformLabelledLognormal: (e) => {
      // THEORY §6.3 CM-SCHED: the uniform-i distribution is far from Eq. (10), TV > 0.1.
      expect(e.estimates['TV']!.value).toBeGreaterThan(0.1);
      expect(e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual(['probabilities (Eq. 10)']);
    },
    huberCLinearInDim: (e) => {
      // c recovered from the loss equals the injected 0.00054·1024 (rtol 1e-9).
      expect(Math.abs(e.estimates['c']!.value / (0.00054 * 1024) - 1)).toBeLessThan(1e-9);
    },
  },
});

describe('song2024.schedules', () => {
  it('finds the lognormal probabilities positive and summing to 1 within 1e-12 on every visited grid', async () => {
    const e = await runControl(ictSchedules, 'ring2dIct');
    expect(e.estimates['sum_defect']!.value).toBeLessThanOrEqual(1e-12);
    expect(e.estimates['TV']!.value).toBeLessThan(1e-12);
  });
});

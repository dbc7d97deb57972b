import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { oneStepSkeleton } from '../../../theorems/lyu2023/oneStep.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(oneStepSkeleton, {
  determinism: ['exactFlowGaussian', 'boundaryOffset'],
  inspect: {
    boundaryOffset: (e) => {
      // f* + b: every consistency residual cancels the offset, so A = b = ‖(0.05, −0.05)‖ exactly and R ≈ 0.
      expect(Math.abs(e.estimates['b']!.value - Math.hypot(0.05, 0.05))).toBeLessThan(1e-12);
      expect(Math.abs(e.estimates['A']!.value - Math.hypot(0.05, 0.05))).toBeLessThan(1e-12);
      expect(e.estimates['R']!.value).toBeLessThan(1e-12);
      expect(e.parts.find((p) => p.name === 'boundary condition f(x, δ) = x')!.verdict).toBe('violated');
    },
    markovSolutionBimodal: (e) => {
      expect(e.estimates['A']!.value).toBeGreaterThan(1);
      expect(e.estimates['A']!.value).toBeLessThanOrEqual(e.estimates['R']!.value + e.estimates['b']!.value);
    },
  },
});

describe('lyu2023.oneStep', () => {
  it('reports the prior term and the exact one-step W₂ of f* in closed form (eigenbasis, commuting covariances)', async () => {
    const e = await runControl(oneStepSkeleton, 'exactFlowGaussian');
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const { values, vectors: U } = target.eigen[0]!;
    const mu = target.means[0]!;
    const [delta, T] = [0.002, 8];
    const a = (t: number): number => Math.exp(-t);
    const s2 = (t: number): number => 1 - Math.exp(-2 * t);
    let prior2 = 0;
    let one2 = 0;
    values.forEach((lam, i) => {
      const muI = U[0 * 2 + i]! * mu[0]! + U[1 * 2 + i]! * mu[1]!; // coordinate of μ along eigenvector i
      prior2 += (a(T) * muI) ** 2 + (Math.sqrt(a(T) ** 2 * lam + s2(T)) - 1) ** 2;
      const G = Math.sqrt((a(delta) ** 2 * lam + s2(delta)) / (a(T) ** 2 * lam + s2(T)));
      one2 += (G * a(T) * muI) ** 2 + (G - Math.sqrt(a(delta) ** 2 * lam + s2(delta))) ** 2;
    });
    // Bures on nearly equal Gaussians is accurate to ≈ √(ε·tr Σ) ≈ 3e-8.
    expect(Math.abs(e.estimates['prior']!.value - 2 * Math.sqrt(prior2))).toBeLessThan(1e-7);
    expect(Math.abs(e.estimates['W2_one_step']!.value - Math.sqrt(one2))).toBeLessThan(1e-7);
  });
});

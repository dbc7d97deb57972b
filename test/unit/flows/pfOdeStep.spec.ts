import { describe, expect, it } from 'vitest';
import { builtInTarget, ornsteinUhlenbeck, pfOdeStep, pfOdeStepGainVe, pointBatch, rngFromSeed, varianceExploding, type GaussianMixture, type PfOdeSolver } from '../../../src/index.ts';
import { veSolverStep } from '../../reference/veSolverStep.ts';

const SOLVERS: readonly PfOdeSolver[] = ['euler', 'heun', 'euler-missing-t-factor'];

describe('pfOdeStep', () => {
  it('agrees with the independent x/t implementation on VE for every solver, both directions (rounding only)', () => {
    const process = varianceExploding();
    for (const name of ['bimodal-1d', 'ring8-2d'] as const) {
      const target = builtInTarget(name);
      const x = target.noised(1, 1.3).sample(50, rngFromSeed(4));
      for (const solver of SOLVERS) {
        for (const [from, to] of [[1.3, 1.1], [0.4, 0.7]] as const) {
          const a = pfOdeStep(target, process, x, from, to, solver).data;
          const b = veSolverStep(target, x, from, to, solver).data;
          // the two differ only in the order of a few floating-point operations: 1e-12 relative to the scale
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `${name} ${solver}`).toBeLessThan(1e-12 * (1 + Math.abs(b[i]!)));
        }
      }
    }
  });

  it('on a Gaussian direction is the closed-form gain pfOdeStepGainVe', () => {
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const process = varianceExploding();
    const lambdas = target.eigen[0]!.values;
    const U = target.eigen[0]!.vectors;
    for (const solver of SOLVERS) {
      // μ + an eigenvector (column k of U): the step multiplies the deviation from μ by the gain of λ_k
      const mu = target.mean();
      for (const k of [0, 1]) {
        const x = pointBatch(1, 2, Float64Array.from([mu[0]! + U[k]!, mu[1]! + U[2 + k]!]));
        const y = pfOdeStep(target, process, x, 2, 1.5, solver).data;
        const g = pfOdeStepGainVe(lambdas[k]!, 2, 1.5, solver);
        expect(y[0]! - mu[0]!).toBeCloseTo(g * U[k]!, 12);
        expect(y[1]! - mu[1]!).toBeCloseTo(g * U[2 + k]!, 12);
      }
    }
  });

  it('maps other processes through the VE-equivalent variables: one Euler step on OU approaches the exact flow at order 2 locally', () => {
    const target = builtInTarget('bimodal-1d');
    const process = ornsteinUhlenbeck();
    const x = target.noised(process.signalScale(1), process.noiseScale(1)).sample(20, rngFromSeed(9));
    const e = [0.02, 0.01].map((h) => {
      const y = pfOdeStep(target, process, x, 1, 1 - h, 'euler').data;
      const z = pfOdeStep(target, process, x, 1, 1 - h, 'heun').data;
      return Math.max(...Array.from(y, (v, i) => Math.abs(v - z[i]!)));
    });
    // Euler − Heun is the local error of Euler, O(h²): halving h divides it by ≈ 4 (allow 3…5)
    expect(e[0]! / e[1]!).toBeGreaterThan(3);
    expect(e[0]! / e[1]!).toBeLessThan(5);
  });
});

import { describe, expect, it } from 'vitest';
import { covariancesEqual, decisionBoundaryScan, equalCovarianceScoreLipschitz, gaussian, GaussianMixture, pointBatch, symmetricOperatorNorms } from '../../src/index.ts';

describe('score-Lipschitz numerics of Gaussian mixtures', () => {
  it('symmetricOperatorNorms is the largest |eigenvalue| per block', () => {
    // diag(−3, 2) and [[1, 2], [2, 1]] (eigenvalues 3, −1)
    const norms = symmetricOperatorNorms(Float64Array.of(-3, 0, 0, 2, 1, 2, 2, 1), 2, 2);
    expect(Math.abs(norms[0]! - 3)).toBeLessThan(1e-14);
    expect(Math.abs(norms[1]! - 3)).toBeLessThan(1e-14);
  });

  it('the equal-covariance bound of one Gaussian is its exact Hessian norm 1/(a²λ_min + s²)', () => {
    const target = gaussian([0, 1], [2, 0, 0, 0.5]);
    const [a, s] = [0.8, 0.6];
    expect(covariancesEqual(target)).toBe(true);
    const hessian = target.noised(a, s).scoreHessian(pointBatch(1, 2, Float64Array.of(0.3, -0.2)));
    expect(Math.abs(equalCovarianceScoreLipschitz(target, a, s) - symmetricOperatorNorms(hessian, 1, 2)[0]!)).toBeLessThan(1e-12);
    expect(Math.abs(equalCovarianceScoreLipschitz(target, a, s) - 1 / (a * a * 0.5 + s * s))).toBeLessThan(1e-12);
  });

  it('finds boundary points of two components with crossing covariances, where the two weighted densities agree', () => {
    const target = new GaussianMixture([0.5, 0.5], [[0, 0], [0, 0]], [[4, 0, 0, 0.25], [0.25, 0, 0, 4]]);
    expect(covariancesEqual(target)).toBe(false);
    const scan = decisionBoundaryScan(target, 0, 1, 1, 0.1)!;
    expect(scan.radii.length).toBeGreaterThanOrEqual(3);
    const noised = target.noised(1, 0.1);
    for (const point of scan.points.slice(0, 5)) {
      // equal weights and equal determinants: on the boundary the two component densities are equal
      const [x, y] = point as [number, number];
      const c0 = -0.5 * (x * x / (4 + 0.01) + (y * y) / (0.25 + 0.01));
      const c1 = -0.5 * (x * x / (0.25 + 0.01) + (y * y) / (4 + 0.01));
      expect(Math.abs(c0 - c1)).toBeLessThan(1e-8 * (1 + Math.abs(c0)));
    }
    // the Hessian norm grows along the boundary (THEORY §4.2): the last scanned norm exceeds the first
    expect(scan.norms[scan.norms.length - 1]!).toBeGreaterThan(scan.norms[0]!);
    expect(noised.dim).toBe(2);
  });
});

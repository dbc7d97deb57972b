import { describe, expect, it } from 'vitest';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { GaussianMixture, gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { gaussianMarginal, isSingleGaussian, pushAffine, scaleAndNoise } from '../../../src/distributions/gaussianLaw.ts';

describe('Gaussian laws under affine maps (src/distributions/gaussianLaw.ts)', () => {
  it('pushes N(m, S) through x ↦ Ax + b to N(Am + b, ASAᵀ) (worked by hand)', () => {
    const law = { mean: Float64Array.from([1, 1]), cov: Float64Array.from([2, 0.5, 0.5, 1]) };
    const pushed = pushAffine(law, { A: Float64Array.from([1, 2, 0, 3]), b: Float64Array.from([1, -1]), residual: 0 });
    // Am + b = (1 + 2 + 1, 3 − 1); AS = [[3, 2.5], [1.5, 3]]; ASAᵀ = [[3 + 5, 7.5], [1.5 + 6, 9]]
    expect(Array.from(pushed.mean)).toEqual([4, 2]);
    expect(Array.from(pushed.cov)).toEqual([8, 7.5, 7.5, 9]);
  });

  it('re-noises: scale·X + noise·Z has covariance scale²S + noise²I', () => {
    const law = { mean: Float64Array.from([1, -2]), cov: Float64Array.from([2, 0.5, 0.5, 1]) };
    const out = scaleAndNoise(law, 0.5, 2);
    expect(Array.from(out.mean)).toEqual([0.5, -1]);
    expect(Array.from(out.cov)).toEqual([0.5 + 4, 0.125, 0.125, 0.25 + 4]);
  });

  it('gives the marginal a·X₀ + s·Z of a Gaussian target that the target\'s own noised law gives', () => {
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const law = gaussianMarginal(target, 0.8, 1.5);
    const reference = target.noised(0.8, 1.5).asMixture();
    law.mean.forEach((v, i) => expect(v).toBeCloseTo(reference.means[0]![i]!, 14));
    law.cov.forEach((v, i) => expect(v).toBeCloseTo(reference.covariances[0]![i]!, 13));
  });

  it('tells a single Gaussian from a mixture', () => {
    expect(isSingleGaussian(gaussian([0], [1]))).toBe(true);
    expect(isSingleGaussian(builtInTarget('bimodal-1d'))).toBe(false);
  });
});

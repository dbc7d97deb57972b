import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/core/pointBatch.ts';
import { builtInTarget, builtInTargetCatalog } from '../../../src/distributions/builtInTargets.ts';
import type { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { expectAllClose } from '../../helpers/allClose.ts';

function spectralNorm2x2(h: ArrayLike<number>): number {
  // symmetric 2×2: largest |eigenvalue|
  const a = h[0]!, b = h[1]!, d = h[3]!;
  const mean = 0.5 * (a + d);
  const rad = Math.sqrt(0.25 * (a - d) ** 2 + b * b);
  return Math.max(Math.abs(mean + rad), Math.abs(mean - rad));
}

describe('builtInTarget', () => {
  it.each([
    ['bimodal-1d', 1],
    ['ring8-2d', 2],
    ['grid9-2d', 2],
    ['crossed-2d', 2],
    ['iso-gmm-8d', 8],
    ['iso-gmm-1d', 1],
    ['aniso-gaussian-5d', 5],
    ['aniso-gaussian-1d', 1],
  ])('builds %s in dimension %i', (name, d) => {
    const t = builtInTarget(name);
    expect(t.dim).toBe(d);
    expect(t.name).toBe(name);
  });

  it('documents every entry with why it is there', () => {
    for (const info of builtInTargetCatalog) expect(info.why.length).toBeGreaterThan(20);
  });

  it('gives aniso-gaussian eigenvalues from 4 to 1/4 (so L_f ≈ 2)', () => {
    const t = builtInTarget('aniso-gaussian-4d') as GaussianMixture;
    const values = [...t.eigen[0]!.values].sort((a, b) => b - a);
    // eigenvalues 4^{1 − 2i/3}: 4, 4^{1/3}, 4^{−1/3}, 1/4, recovered from the rotated covariance
    expectAllClose(values, [4, Math.cbrt(4), 1 / Math.cbrt(4), 0.25], { rtol: 1e-13 }, 'eigenvalues');
    expect(t.eigen[0]!.isDiagonal).toBe(false);
  });

  it('makes crossed-2d a target whose score Hessian grows like r² along x = (r, r) (THEORY v9: 2.5, 15.5, 69.5, 286, 1150)', () => {
    const m = builtInTarget('crossed-2d').noised(1, 1e-9);
    const norms = [1, 2, 4, 8, 16].map((r) => spectralNorm2x2(m.scoreHessian(fromRows([[r, r]]))));
    const expected = [2.5, 15.5, 69.5, 286, 1150]; // printed by theory_verify/v9.py, rounded to 2 decimals there
    norms.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(0.01 * expected[i]!));
  });

  it('rejects unknown names, listing the known ones', () => {
    expect(() => builtInTarget('ring9-2d')).toThrow(/target: unknown built-in target 'ring9-2d'; known: bimodal-1d, ring8-2d/);
    expect(() => builtInTarget('iso-gmm-0d')).toThrow(/dimension must be an integer/);
  });
});

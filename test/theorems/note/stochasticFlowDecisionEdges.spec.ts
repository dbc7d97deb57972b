// The three-way decision of note.stochasticFlow between its tolerance and ten times it: a mixture of two nearly equal
// Gaussians, whose posteriors are Gaussian to within W₁ ≈ 5e-9 (the defect grows like the separation⁴), lies between
// the floor 1e-9 and 1e-8 on both parts: inconclusive, neither holds nor violated.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { stochasticFlow } from '../../../theorems/note/stochasticFlow.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-12 });
const nearlyGaussian = (separation: number) => new GaussianMixture([0.5, 0.5], [[0], [separation]], [[0.5], [0.5]]);

describe('note.stochasticFlow between the tolerance and ten times it', () => {
  it('½N(0, ½) + ½N(0.025, ½): both defects in (1e-9, 1e-8], both parts inconclusive; at separation 0.01 they hold', async () => {
    const e = await stochasticFlow.run({ target: nearlyGaussian(0.025), process: varianceExploding() }, context());
    // the tolerances are the floor 1e-9: the 100-node and 60-node quadratures agree to far below it
    expect(e.estimates['quadrature_error']!.value).toBeLessThan(1e-11);
    for (const symbol of ['W1_marginal', 'W1_CK']) {
      expect(e.estimates[symbol]!.value).toBeGreaterThan(1e-9);
      expect(e.estimates[symbol]!.value).toBeLessThanOrEqual(1e-8);
    }
    expect(e.parts.map((p) => p.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(e.verdict).toBe('inconclusive');
    // the Chapman–Kolmogorov reason names the point of the largest defect, one of x ∈ {−1, 0, 1}
    expect(e.parts[1]!.reason).toMatch(/at x = (-1|0|1) \(s = 0\.5/);

    const closer = await stochasticFlow.run({ target: nearlyGaussian(0.01), process: varianceExploding() }, context());
    expect(closer.estimates['W1_marginal']!.value).toBeLessThan(1e-9);
    expect(closer.verdict).toBe('holds');
  }, 30_000);
});

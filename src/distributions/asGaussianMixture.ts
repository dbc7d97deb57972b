import type { ExactTarget } from './exactTarget.ts';
import { GaussianMixture } from './gaussianMixture.ts';
import { ProductMixture } from './productMixture.ts';

/**
 * The same law as a GaussianMixture (checks whose Monte Carlo branch needs one): a product of 1-D mixtures becomes
 * the mixture of its Π_j K_j diagonal components (capped at 4096); a GaussianMixture is returned as is.
 */
export function asGaussianMixture(target: ExactTarget): GaussianMixture | undefined {
  if (target instanceof GaussianMixture) return target;
  if (!(target instanceof ProductMixture)) return undefined;
  const d = target.dim;
  const sizes = target.factors.map((f) => f.weights.length);
  const count = sizes.reduce((p, k) => p * k, 1);
  if (count > 4096) return undefined;
  const weights: number[] = [];
  const means: number[][] = [];
  const covariances: number[][] = [];
  for (let c = 0; c < count; c++) {
    let rest = c;
    let w = 1;
    const mean: number[] = [];
    const cov = new Array<number>(d * d).fill(0);
    for (let j = 0; j < d; j++) {
      const f = target.factors[j]!;
      const k = rest % sizes[j]!;
      rest = Math.floor(rest / sizes[j]!);
      w *= f.weights[k]!;
      mean.push(f.means[k]![0]!);
      cov[j * d + j] = f.covariances[k]![0]!;
    }
    weights.push(w);
    means.push(mean);
    covariances.push(cov);
  }
  // the product of weights summing to one sums to one up to rounding; renormalise for the 1e-12 validation
  const total = weights.reduce((a, b) => a + b, 0);
  return new GaussianMixture(weights.map((w) => w / total), means, covariances, { ...(target.name === undefined ? {} : { name: target.name }) });
}

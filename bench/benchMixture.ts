import { GaussianMixture } from '../src/distributions/gaussianMixture.ts';
import { rngFromSeed } from '../src/random/rng.ts';

/** A K-component mixture in R^d with dense (rotated) covariances, from a fixed seed: the benchmark target. */
export function denseBenchMixture(K: number, d: number, seed = 2026): GaussianMixture {
  const rng = rngFromSeed(seed).child(`bench-mixture-${K}-${d}`);
  const means: number[][] = [];
  const covs: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    means.push(Array.from({ length: d }, () => 2 * rng.normal()));
    const A = Float64Array.from({ length: d * d }, () => rng.normal());
    const C = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let v = 0;
        for (let l = 0; l < d; l++) v += A[i * d + l]! * A[j * d + l]!;
        v = v / d + (i === j ? 0.1 : 0);
        C[i * d + j] = v;
        C[j * d + i] = v;
      }
    }
    covs.push(C);
  }
  return new GaussianMixture(new Array(K).fill(1 / K), means, covs);
}

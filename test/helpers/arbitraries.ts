import fc from 'fast-check';
import { GaussianMixture } from '../../src/distributions/gaussianMixture.ts';

/** Random SPD covariance A·Aᵀ/d + floor·I (eigenvalues ≥ floor, so curvature and conditioning stay bounded). */
export function spdMatrix(d: number, floor = 0.2): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d * d, maxLength: d * d }).map((a) => {
    const out = new Array<number>(d * d).fill(0);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = 0;
        for (let k = 0; k < d; k++) v += a[i * d + k]! * a[j * d + k]!;
        out[i * d + j] = v / d + (i === j ? floor : 0);
      }
    }
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[j * d + i] = out[i * d + j]!;
    return out;
  });
}

/** Random mixtures with K ∈ [1, 3], d ∈ [1, maxDim], means in [−3, 3]^d, full covariances. */
export function gaussianMixtureArb(maxDim = 3): fc.Arbitrary<GaussianMixture> {
  return fc.integer({ min: 1, max: maxDim }).chain((d) =>
    fc.integer({ min: 1, max: 3 }).chain((K) =>
      fc
        .tuple(
          fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: K, maxLength: K }),
          fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), { minLength: K, maxLength: K }),
          fc.array(spdMatrix(d), { minLength: K, maxLength: K }),
        )
        .map(([raw, means, covs]) => {
          const total = raw.reduce((s, v) => s + v, 0);
          const weights = raw.map((v) => v / total);
          weights[K - 1] = 1 - weights.slice(0, K - 1).reduce((s, v) => s + v, 0);
          return new GaussianMixture(weights, means, covs);
        }),
    ),
  );
}

/** A point in [−4, 4]^d. */
export function pointArb(d: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: d, maxLength: d });
}

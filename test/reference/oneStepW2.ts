/**
 * Independent reference for the W₂ of one-step sampling of a monotone 1-D model (studies/multistep.ts carries laws by
 * quantile midpoints): e₁² = ∫ (f(x) − Q_ε(F_T(x)))² p_T(x) dx, the 1-D optimal (monotone) coupling written in x, by
 * composite 8-point Gauss–Legendre over ±12 sd of p_T, with Q_ε by bisection on the exact mixture CDF. No quantile
 * atoms, no interpolation. Kept to cross-check the study, not used by any check.
 */
import { GaussianMixture } from '../../src/index.ts';
import { increasingRoot } from '../../src/numerics/bracketedRoot.ts';
import type { Mixture1d } from '../../src/index.ts';

const GL8_NODES = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
const GL8_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

export function oneStepW2ByQuadrature(mix: Mixture1d, model: (x: number) => number, tMin: number, tMax: number, panels: number): number {
  const target = new GaussianMixture(mix.w, mix.m.map((m) => [m]), mix.v.map((v) => [v]));
  const pT = target.noised(1, tMax);
  const pEps = target.noised(1, tMin);
  const sdT = Math.sqrt(Math.max(...mix.v) + tMax * tMax);
  const lo = Math.min(...mix.m) - 12 * sdT;
  const hi = Math.max(...mix.m) + 12 * sdT;
  const width = (hi - lo) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = lo + (p + 0.5) * width;
    for (let j = 0; j < 8; j++) {
      const x = mid + 0.5 * width * GL8_NODES[j]!;
      const F = pT.cdf(x);
      const S = pT.survival(x);
      // Q_ε(F) from the side where F is accurate
      const q = F <= 0.5 ? increasingRoot((v) => pEps.cdf(v) - F, -3, 3, 1e-15) : increasingRoot((v) => S - pEps.survival(v), -3, 3, 1e-15);
      total += 0.5 * width * GL8_WEIGHTS[j]! * (model(x) - q) ** 2 * pT.density1d(x);
    }
  }
  return Math.sqrt(total);
}

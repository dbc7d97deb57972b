import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { GaussianMixture, NoisedMixture } from '../distributions/gaussianMixture.ts';
import { ProductMixture } from '../distributions/productMixture.ts';
import { increasingRoot } from '../numerics/bracketedRoot.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';

/** Relative x-tolerance of the quantile root finding (THEORY §4.5: xtol 1e-14). */
export const QUANTILE_XTOL = 1e-14;

/**
 * In 1-D every PF-ODE flow is monotone and pushes p_t to p_u, so it is the increasing rearrangement
 * Φ_{t→u} = F_u⁻¹ ∘ F_t, with Φ'(x) = p_t(x)/p_u(Φ(x)) (THEORY §4.5). Product targets apply it per coordinate.
 * F is evaluated on the side of the median where it is small (CDF below, survival above) so tail points keep
 * full relative precision; the inverse is a bracketed bisection to QUANTILE_XTOL.
 *
 * errorBound: the root tolerance plus the probability rounding 4ε·min(F, 1−F)/p_u(y), maximised over points.
 */
export function quantileMapFlow(target: GaussianMixture | ProductMixture, process: ForwardProcess, x: PointBatch, from: number, to: number, withJacobian: boolean): { y: PointBatch; jacobian?: Float64Array; errorBound: number } {
  const d = target.dim;
  const factors: readonly GaussianMixture[] = target instanceof ProductMixture ? target.factors : [target];
  const at = process.signalScale(from), st = process.noiseScale(from);
  const au = process.signalScale(to), su = process.noiseScale(to);
  const y = pointBatch(x.n, d);
  const jacobian = withJacobian ? new Float64Array(x.n * d * d) : undefined;
  let errorBound = 0;
  factors.forEach((factor, j) => {
    const pt = factor.noised(at, st);
    const pu = factor.noised(au, su);
    for (let i = 0; i < x.n; i++) {
      const xi = x.data[i * d + j]!;
      const yi = from === to ? xi : rearrange(pt, pu, xi);
      y.data[i * d + j] = yi;
      const pY = pu.density1d(yi);
      const tail = Math.min(pt.cdf(xi), pt.survival(xi));
      errorBound = Math.max(errorBound, QUANTILE_XTOL * Math.max(1, Math.abs(yi)) + (4 * Number.EPSILON * tail) / pY);
      if (jacobian) jacobian[i * d * d + j * d + j] = from === to ? 1 : pt.density1d(xi) / pY;
    }
  });
  return jacobian ? { y, jacobian, errorBound } : { y, errorBound };
}

function rearrange(pt: NoisedMixture, pu: NoisedMixture, x: number): number {
  const lower = pt.cdf(x);
  const [lo, hi] = pu.range1d(8);
  if (lower <= 0.5) return increasingRoot((v) => pu.cdf(v) - lower, lo, hi, QUANTILE_XTOL);
  const upper = pt.survival(x);
  return increasingRoot((v) => upper - pu.survival(v), lo, hi, QUANTILE_XTOL);
}

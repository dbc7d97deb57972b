import type { Estimate } from './estimate.ts';
import { estimateMeanByClt, type MeanByCltOptions } from './meanByClt.ts';

/**
 * (E V)^{1/p} from i.i.d. draws V_i ≥ 0 (e.g. V = ‖f(X) − Φ(X)‖^p, or a conditional variance for p = 2), as an estimate.
 *
 * @remarks
 * The mean of the draws gets a CLT t-interval [L, U] ({@link estimateMeanByClt}); since v ↦ v^{1/p} is increasing the
 * interval of (E V)^{1/p} is [max(L, 0)^{1/p}, U^{1/p}] with the same coverage. `standardError` is the delta method
 * SE(mean)·(1/p)·mean^{1/p − 1}. A Monte Carlo estimate, never exact.
 *
 * @param values - n ≥ 2 finite draws, each ≥ 0.
 * @param p - the root, p ≥ 1.
 * @returns an {@link Estimate} with method `'clt-power-mean'`.
 */
export function estimatePowerMeanRootByClt(values: ArrayLike<number>, p: number, options: MeanByCltOptions = {}): Estimate {
  const mean = estimateMeanByClt(values, options);
  const value = Math.max(mean.value, 0) ** (1 / p);
  const seMean = mean.standardError ?? 0;
  return {
    value,
    interval: { lower: Math.max(0, mean.interval.lower) ** (1 / p), upper: Math.max(0, mean.interval.upper) ** (1 / p), level: mean.interval.level },
    method: 'clt-power-mean',
    n: mean.n,
    standardError: mean.value > 0 ? (seMean / p) * mean.value ** (1 / p - 1) : 0,
  };
}

import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import { assertLevel } from '../estimators/assertProbability.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { estimatePowerMeanRootByClt } from '../estimators/powerMeanByClt.ts';
import { assertComparablePointSets } from './assertComparablePointSets.ts';

/** Options for {@link couplingUpperBound}. */
export interface CouplingUpperBoundOptions {
  /** Two-sided confidence level. @defaultValue 0.95 */
  readonly level?: number;
}

/**
 * The synchronous-coupling upper bound on W_p between a model's output law and the exact flow's, as an estimate:
 * (E_{X∼ρ} ‖f(X) − Φ(X)‖^p)^{1/p}, from paired evaluations at the same inputs X_i.
 *
 * @remarks
 * Coupling f(X) with Φ(X) through the same X gives W_p(f♯ρ, Φ♯ρ) ≤ (E‖f(X) − Φ(X)‖^p)^{1/p} (THEORY §6.0, the primary
 * estimator: it needs only the exact flow Φ and has no n^{−1/d} bias). The mean of the i.i.d. values
 * ‖f(X_i) − Φ(X_i)‖^p gets a CLT t-interval [L, U] ({@link estimateMeanByClt}); since t ↦ t^{1/p} is increasing the
 * interval of the bound is [max(L, 0)^{1/p}, U^{1/p}] with the same coverage. `standardError` is the delta method
 * SE(mean)·(1/p)·mean^{1/p − 1}. The estimand is the coupling cost, which is ≥ W_p: so the interval's upper end is an
 * upper confidence bound on W_p, and its lower end is *not* a lower bound on W_p.
 *
 * Complexity: O(n·d).
 *
 * @param fX - n×d model outputs f(X_i).
 * @param phiX - n×d exact-flow outputs Φ(X_i), row i paired with row i of `fX`.
 * @param p - the order, p ≥ 1.
 * @returns an {@link Estimate} with method `'clt-power-mean'`, `n` = number of pairs.
 * @throws ValidationError for unequal sizes or dimensions, n < 2, non-finite coordinates, p < 1.
 */
export function couplingUpperBound(fX: PointBatch, phiX: PointBatch, p: number, options: CouplingUpperBoundOptions = {}): Estimate {
  if (!(p >= 1) || !Number.isFinite(p)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number ≥ 1, got ${p}`, 'p');
  const level = options.level ?? 0.95;
  assertLevel(level);
  assertComparablePointSets(fX, phiX, { sameSize: true, names: ['fX', 'phiX'], why: 'the rows are paired evaluations at the same inputs' });
  const { n, d } = fX;
  const powers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = fX.data[i * d + j]! - phiX.data[i * d + j]!;
      s += t * t;
    }
    powers[i] = p === 2 ? s : Math.sqrt(s) ** p;
  }
  return estimatePowerMeanRootByClt(powers, p, { level });
}

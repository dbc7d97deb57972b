import jStat from 'jstat';

/**
 * The central band [lo, hi] of Binomial(trials, p) holding at least `level` of its mass: P(X < lo) ≤ (1−level)/2 and
 * P(X > hi) ≤ (1−level)/2. A coverage count outside it has probability ≤ 1 − level under the nominal coverage p.
 */
export function binomialBand(trials: number, p: number, level: number): [number, number] {
  const tail = (1 - level) / 2;
  let lo = 0;
  while (lo < trials && jStat.binomial.cdf(lo, trials, p) <= tail) lo++;
  let hi = trials;
  while (hi > 0 && 1 - jStat.binomial.cdf(hi - 1, trials, p) <= tail) hi--;
  return [lo, hi];
}

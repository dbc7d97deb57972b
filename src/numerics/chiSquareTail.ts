/**
 * Tail of the χ² law for the typical-set check (THEORY §4.6), in logs so that tails far below 1e-300 stay
 * representable: log P(χ²_k > x) = log Q(k/2, x/2) with Q the regularised upper incomplete gamma function.
 *
 * Q is evaluated by the series for P = 1 − Q when x < a + 1 and by Lentz's continued fraction otherwise
 * (Numerical Recipes §6.2), both to relative accuracy ~1e-15; log Γ by the Lanczos approximation (g = 7, 9 terms,
 * relative error < 1e-15 for a > 0).
 */

import { LOG_2PI } from './normalDistribution.ts';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(a) for a > 0. */
export function logGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  const z = a - 1;
  let x = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) x += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

const EPS = 1e-16;
const MAX_ITER = 10_000;

/** log of the regularised upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function logUpperRegularizedGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // series for P(a, x); Q = 1 − P
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < MAX_ITER; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    const p = Math.exp(logPrefactor) * sum;
    return Math.log1p(-Math.min(p, 1));
  }
  // continued fraction for Q (modified Lentz)
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return logPrefactor + Math.log(h);
}

/** log P(χ²_k > x); 0 for x ≤ 0. */
export function logChiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 0;
  return logUpperRegularizedGamma(k / 2, x / 2);
}

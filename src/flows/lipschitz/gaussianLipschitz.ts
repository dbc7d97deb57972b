import type { GaussianMixture } from '../../distributions/gaussianMixture.ts';
import type { LhwSchedule } from '../../processes/lhwSchedule.ts';

/** The exact L_f of a single Gaussian on an LHW schedule, with the maximising pair (t → k) and the data mean. */
export interface GaussianLipschitz {
  readonly value: number;
  readonly x: readonly number[];
  readonly t: number;
  readonly k: number;
}

/**
 * L_f = max_{1≤k<t≤T} ‖∂Φ_{t→k}‖_op = max_i max_{k<t} √(g_i(ᾱ_k)/g_i(ᾱ_t)), g_i(α) = αλ_i + 1 − α (THEORY §4.4),
 * in O(T·d): for fixed λ, g is monotone along the steps, so the largest ratio is at (t, k) = (T, 1) when g decreases
 * with t (λ > 1) and at an adjacent pair otherwise (all ratios ≤ 1 then).
 */
export function gaussianLipschitz(target: GaussianMixture, schedule: LhwSchedule): GaussianLipschitz {
  const g = (lam: number, t: number): number => schedule.alphaBars[t]! * lam + schedule.oneMinusAlphaBars[t]!;
  let best: GaussianLipschitz = { value: 0, x: [], t: 2, k: 1 };
  for (const lam of target.eigen[0]!.values) {
    let ratio = g(lam, 1) / g(lam, schedule.T);
    let pair = { t: schedule.T, k: 1 };
    for (let t = 2; t <= schedule.T; t++) {
      const r = g(lam, t - 1) / g(lam, t);
      if (r > ratio) {
        ratio = r;
        pair = { t, k: t - 1 };
      }
    }
    const value = Math.sqrt(ratio);
    if (value > best.value) best = { value, x: Array.from(target.mean()), ...pair };
  }
  return best;
}

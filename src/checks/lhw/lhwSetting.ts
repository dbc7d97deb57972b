import type { ExactTarget, NoisedTarget } from '../../distributions/exactTarget.ts';
import type { LhwSchedule } from '../../processes/lhwSchedule.ts';

/** A data law and the Li–Huang–Wei schedule: X_t = √ᾱ_t X₀ + √(1−ᾱ_t) Z, t = 1..T (THEORY §1.1). */
export interface LhwSetting {
  readonly target: ExactTarget;
  readonly schedule: LhwSchedule;
}

/** The exact marginal of X_t (with score, Hessian and posterior of X₀ given X_t). */
export function marginalAtStep(setting: LhwSetting, t: number): NoisedTarget {
  const s = setting.schedule;
  return setting.target.noised(Math.sqrt(s.alphaBars[t]!), Math.sqrt(s.oneMinusAlphaBars[t]!));
}

/**
 * About `count` distinct steps in [first, T], geometrically spaced (so both the low-noise start and the
 * high-noise end are represented), always including `first` and T, sorted increasingly.
 */
export function geometricSteps(T: number, count: number, first = 2): number[] {
  if (T <= first) return [T];
  const steps = new Set<number>([first, T]);
  for (let k = 1; k < count - 1; k++) steps.add(Math.round(first * Math.pow(T / first, k / (count - 1))));
  return [...steps].sort((a, b) => a - b);
}

/** A stable JSON description of a setting (for subject keys in the results cache). */
export function describeSetting(setting: LhwSetting): string {
  const s = setting.schedule;
  return JSON.stringify({ target: setting.target.toSpec(), schedule: { T: s.T, c0: s.c0, c1: s.c1, betas: Array.from(s.betas.subarray(1)) } });
}

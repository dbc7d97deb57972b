import { ValidationError } from '../../core/errors.ts';
import { normalCdf, normalSurvival } from '../../numerics/normalDistribution.ts';
import type { IndexSampler } from './discretizationSchedule.ts';

/** n ~ U{1, …, N−1} (Song et al. 2023, Algorithms 2–3). */
export function uniformIndexSampler(): IndexSampler {
  return {
    id: 'uniform',
    probabilities: (times) => new Float64Array(times.length - 1).fill(1 / (times.length - 1)),
  };
}

export interface LognormalIndexOptions {
  /** @defaultValue −1.1 (iCT; Kinyugo's README had +1.1, ANCHORS §2 — a sign error) */
  readonly pMean?: number;
  /** @defaultValue 2.0 */
  readonly pStd?: number;
}

/**
 * iCT's discretised lognormal (Song & Dhariwal 2024, Eq. 10; THEORY §3.7):
 * p(i) ∝ erf((log σ_{i+1} − P_mean)/(√2 P_std)) − erf((log σ_i − P_mean)/(√2 P_std)), i.e. the N(P_mean, P_std²) mass
 * of log σ in [log σ_i, log σ_{i+1}]. Computed as normal-CDF differences (upper tail through the survival function
 * so no mass is lost to cancellation); the sum telescopes to the mass of [log σ_1, log σ_N], and the result is
 * normalised. Times are read as σ (VE, σ = t).
 */
export function lognormalIndexSampler(options: LognormalIndexOptions = {}): IndexSampler {
  const pMean = options.pMean ?? -1.1;
  const pStd = options.pStd ?? 2.0;
  if (!Number.isFinite(pMean)) throw new ValidationError('E_NON_FINITE', `must be finite, got ${pMean}`, 'pMean');
  if (!(pStd > 0) || !Number.isFinite(pStd)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${pStd}`, 'pStd');
  return {
    id: `lognormal(${pMean},${pStd})`,
    probabilities: (times) => {
      const n = times.length - 1;
      const p = new Float64Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const a = (Math.log(times[i]!) - pMean) / pStd;
        const b = (Math.log(times[i + 1]!) - pMean) / pStd;
        const mass = a > 0 ? normalSurvival(a) - normalSurvival(b) : normalCdf(b) - normalCdf(a);
        p[i] = mass;
        total += mass;
      }
      if (!(total > 0)) throw new ValidationError('E_INVALID_INPUT', 'the grid carries no lognormal mass', 'times');
      for (let i = 0; i < n; i++) p[i] = p[i]! / total;
      return p;
    },
  };
}

/**
 * Multistep consistency sampling (Lyu–Feng–Chen; Song et al. Algorithm 1) on an OU process with a single-Gaussian
 * target and an affine model: every law along the rounds is Gaussian, so each round's W₂ to p_δ is exact (Bures).
 */
import type { GaussianMixture } from '../distributions/gaussianMixture.ts';
import { gaussianMarginal, pushAffine, scaleAndNoise, type AffineMap, type GaussianLaw } from '../distributions/gaussianLaw.ts';
import { buresWasserstein } from '../metrics/buresWasserstein.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';

/** W₂ of a Gaussian law to p_δ. */
function w2ToEarlyStop(target: GaussianMixture, process: ForwardProcess, law: GaussianLaw): number {
  const goal = gaussianMarginal(target, process.signalScale(process.tMin), process.noiseScale(process.tMin));
  return buresWasserstein(law.mean, law.cov, goal.mean, goal.cov);
}

/** E(τ) = W₂(f(·, τ)♯p_τ, p_δ): the one-step error of the affine map at τ from the exact marginal. */
export function oneStepErrorAt(target: GaussianMixture, process: ForwardProcess, tau: number, mapTau: AffineMap): number {
  return w2ToEarlyStop(target, process, pushAffine(gaussianMarginal(target, process.signalScale(tau), process.noiseScale(tau)), mapTau));
}

/**
 * e₀, …, e_K: W₂ to p_δ after one step from the prior N(0, I) through `startMap` (f(·, T)) and K rounds of OU
 * re-noising from δ to τ (X ↦ e^{−(τ−δ)}X + √(1 − e^{−2(τ−δ)})ξ) followed by `mapTau` (f(·, τ)).
 */
export function multistepRoundErrors(target: GaussianMixture, process: ForwardProcess, startMap: AffineMap, mapTau: AffineMap, tau: number, rounds: number): number[] {
  const d = target.dim;
  const delta = process.tMin;
  const decay = Math.exp(-(tau - delta));
  const renoise = (law: GaussianLaw): GaussianLaw => scaleAndNoise(law, decay, Math.sqrt(-Math.expm1(-2 * (tau - delta))));
  let law = pushAffine(scaleAndNoise({ mean: new Float64Array(d), cov: new Float64Array(d * d) }, 1, 1), startMap);
  const e = [w2ToEarlyStop(target, process, law)];
  for (let k = 1; k <= rounds; k++) {
    law = pushAffine(renoise(law), mapTau);
    e.push(w2ToEarlyStop(target, process, law));
  }
  return e;
}

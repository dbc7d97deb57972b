import { validateClock, type ForwardProcess } from './forwardProcess.ts';
import type { ClockOptions } from './varianceExploding.ts';

/**
 * Ornstein–Uhlenbeck / VP: dX = −X dt + √2 dB, so X_t = e^{−t}X₀ + √(1−e^{−2t})·Z (Lyu, Feng & Chen).
 * PF-ODE dx/dt = −x − ∇log p_t(x). σ_t = √(e^{2t} − 1), computed with expm1 for small t.
 * Defaults: tMin = 0.002 (early stopping δ), tMax = 8 (e^{−8} ≈ 3e−4 left of the data).
 */
export function ornsteinUhlenbeck(options: ClockOptions = {}): ForwardProcess {
  const tMin = options.tMin ?? 0.002;
  const tMax = options.tMax ?? 8;
  validateClock(tMin, tMax, 'process');
  return {
    kind: 'vp-ou',
    tMin,
    tMax,
    signalScale: (t) => Math.exp(-t),
    noiseScale: (t) => Math.sqrt(-Math.expm1(-2 * t)),
    sigma: (t) => Math.sqrt(Math.expm1(2 * t)),
    toSpec: () => ({ kind: 'vp-ou', tMin, tMax }),
  };
}

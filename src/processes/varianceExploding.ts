import { validateClock, type ForwardProcess } from './forwardProcess.ts';

export interface ClockOptions {
  /** Smallest time (the consistency boundary ε). @defaultValue 0.002 */
  readonly tMin?: number;
  /** Largest time T. @defaultValue 80 */
  readonly tMax?: number;
}

/**
 * Variance exploding with σ(t) = t: X_t = X₀ + t·Z (Song et al. 2023; EDM). PF-ODE dx/dt = −t∇log p_t(x).
 * Defaults are the paper's ε = 0.002, T = 80.
 */
export function varianceExploding(options: ClockOptions = {}): ForwardProcess {
  const tMin = options.tMin ?? 0.002;
  const tMax = options.tMax ?? 80;
  validateClock(tMin, tMax, 'process');
  return {
    kind: 've',
    tMin,
    tMax,
    signalScale: () => 1,
    noiseScale: (t) => t,
    sigma: (t) => t,
    toSpec: () => ({ kind: 've', tMin, tMax }),
  };
}

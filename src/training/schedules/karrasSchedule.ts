import { ValidationError } from '../../core/errors.ts';
import type { DiscretizationSchedule } from './discretizationSchedule.ts';

export interface KarrasGridOptions {
  /** @defaultValue 0.002 */
  readonly tMin?: number;
  /** @defaultValue 80 */
  readonly tMax?: number;
  /** @defaultValue 7 */
  readonly rho?: number;
}

/**
 * The Karras et al. (2022) grid t_i = (tMin^{1/ρ} + (i−1)/(N−1)·(tMax^{1/ρ} − tMin^{1/ρ}))^ρ, i = 1…N (THEORY §3.3),
 * with the end points set to tMin and tMax exactly (the power round trip is not exact in float64).
 */
export function karrasTimes(size: number, options: KarrasGridOptions = {}): Float64Array {
  const tMin = options.tMin ?? 0.002;
  const tMax = options.tMax ?? 80;
  const rho = options.rho ?? 7;
  if (!Number.isInteger(size) || size < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${size}`, 'N');
  if (!(tMin > 0 && tMax > tMin && Number.isFinite(tMax))) throw new ValidationError('E_TIME_RANGE', `need 0 < tMin < tMax < ∞, got [${tMin}, ${tMax}]`, 'times');
  if (!(rho > 0) || !Number.isFinite(rho)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${rho}`, 'rho');
  const a = Math.pow(tMin, 1 / rho);
  const b = Math.pow(tMax, 1 / rho);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.pow(a + (i / (size - 1)) * (b - a), rho);
  out[0] = tMin;
  out[size - 1] = tMax;
  return out;
}

/** A fixed Karras grid of N times at every step (CD with fixed N, Song et al. 2023 §3.4). */
export function karrasSchedule(options: KarrasGridOptions & { readonly N: number }): DiscretizationSchedule {
  const grid = karrasTimes(options.N, options);
  return {
    id: `karras-rho${options.rho ?? 7}-N${options.N}`,
    tMin: grid[0]!,
    tMax: grid[grid.length - 1]!,
    stageAt: () => options.N,
    times: (size) => karrasTimes(size, options),
  };
}

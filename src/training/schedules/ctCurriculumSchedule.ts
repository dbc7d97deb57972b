import { ValidationError } from '../../core/errors.ts';
import type { DiscretizationSchedule } from './discretizationSchedule.ts';
import { karrasTimes, type KarrasGridOptions } from './karrasSchedule.ts';

/** A schedule whose teacher EMA rate also follows the curriculum (CT's μ(k)). */
export interface EmaCurriculum extends DiscretizationSchedule {
  /** μ(k): θ⁻ ← μθ⁻ + (1 − μ)θ after step k. */
  emaRate(step: number): number;
}

export interface CtCurriculumOptions extends KarrasGridOptions {
  /** Initial grid size s₀. @defaultValue 2 (CIFAR-10 CT) */
  readonly s0?: number;
  /** Final grid size − 1, s₁. @defaultValue 150 */
  readonly s1?: number;
  /** Total training steps K. */
  readonly totalSteps: number;
  /** μ₀. @defaultValue 0.9 */
  readonly mu0?: number;
  /**
   * 'paper': μ(k) = exp(s₀ log μ₀ / N(k)) (Song et al. 2023, App. C), so μ(0) = μ₀.
   * 'code-off-by-one': μ(k) = exp(s₀ log μ₀ / (N(k) − 1)) as openai/consistency_models computes it (the EMA
   * is derived before 1 is added to the number of scales), so μ(0) = μ₀^{s₀/(s₀−1)} (THEORY §3.5).
   * @defaultValue 'paper'
   */
  readonly emaForm?: 'paper' | 'code-off-by-one';
}

/**
 * CT's progressive curriculum (Song et al. 2023, App. C; THEORY §3.5):
 * N(k) = ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1 on a Karras grid, with N(0) = s₀, N(K) = s₁ + 1, and the EMA rate μ(k).
 */
export function ctCurriculumSchedule(options: CtCurriculumOptions): EmaCurriculum {
  const s0 = options.s0 ?? 2;
  const s1 = options.s1 ?? 150;
  const K = options.totalSteps;
  const mu0 = options.mu0 ?? 0.9;
  const form = options.emaForm ?? 'paper';
  if (!Number.isInteger(s0) || s0 < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${s0}`, 's0');
  // s1 = s0 − 1 is allowed: a constant grid of s0 times (CT with fixed N)
  if (!Number.isInteger(s1) || s1 < s0 - 1) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ s0 − 1 = ${s0 - 1}, got ${s1}`, 's1');
  if (!Number.isInteger(K) || K < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${K}`, 'totalSteps');
  if (!(mu0 > 0 && mu0 < 1)) throw new ValidationError('E_INVALID_INPUT', `must be in (0, 1), got ${mu0}`, 'mu0');
  const N = (k: number): number => {
    const kk = Math.min(Math.max(k, 0), K);
    return Math.ceil(Math.sqrt((kk / K) * ((s1 + 1) ** 2 - s0 ** 2) + s0 ** 2) - 1) + 1;
  };
  const grid: KarrasGridOptions = options;
  return {
    id: form === 'paper' ? 'ct-curriculum' : 'ct-curriculum-code-off-by-one',
    tMin: options.tMin ?? 0.002,
    tMax: options.tMax ?? 80,
    stageAt: N,
    times: (size) => karrasTimes(size, grid),
    emaRate: (k) => Math.exp((s0 * Math.log(mu0)) / (form === 'paper' ? N(k) : N(k) - 1)),
  };
}

export interface IctDoublingOptions extends KarrasGridOptions {
  /** @defaultValue 10 */
  readonly s0?: number;
  /** @defaultValue 1280 */
  readonly s1?: number;
  /** Total training steps K. */
  readonly totalSteps: number;
}

/**
 * iCT's doubling curriculum (Song & Dhariwal 2024, Eq. 9; THEORY §3.7):
 * N(k) = min(s₀·2^{⌊k/K′⌋}, s₁) + 1 with K′ = ⌊K / (log₂⌊s₁/s₀⌋ + 1)⌋ — for (10, 1280): 11, 21, 41, …, 1281.
 */
export function ictDoublingSchedule(options: IctDoublingOptions): DiscretizationSchedule {
  const s0 = options.s0 ?? 10;
  const s1 = options.s1 ?? 1280;
  const K = options.totalSteps;
  if (!Number.isInteger(s0) || s0 < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${s0}`, 's0');
  if (!Number.isInteger(s1) || s1 < s0) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ s0 = ${s0}, got ${s1}`, 's1');
  if (!Number.isInteger(K) || K < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${K}`, 'totalSteps');
  const kPrime = Math.max(1, Math.floor(K / (Math.log2(Math.floor(s1 / s0)) + 1)));
  const grid: KarrasGridOptions = options;
  return {
    id: 'ict-doubling',
    tMin: options.tMin ?? 0.002,
    tMax: options.tMax ?? 80,
    stageAt: (k) => Math.min(s0 * 2 ** Math.floor(Math.max(k, 0) / kPrime), s1) + 1,
    times: (size) => karrasTimes(size, grid),
  };
}

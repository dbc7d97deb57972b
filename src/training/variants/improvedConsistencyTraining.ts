import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import { pseudoHuberLoss, type ConsistencyLoss } from '../losses/consistencyLoss.ts';
import { ictDoublingSchedule, type IctDoublingOptions } from '../schedules/ctCurriculumSchedule.ts';
import { lognormalIndexSampler, type LognormalIndexOptions } from '../schedules/indexSamplers.ts';
import { sharedNoisePairs, type TrainingVariant } from '../trainingVariant.ts';

export interface ImprovedConsistencyTrainingOptions extends Omit<IctDoublingOptions, 'tMin' | 'tMax'>, LognormalIndexOptions {
  /** Data dimension (sets the pseudo-Huber c = 0.00054·√d). */
  readonly dim: number;
  /** @defaultValue pseudoHuberLoss({ dim }) with 1/(σ_{i+1} − σ_i) weights */
  readonly loss?: ConsistencyLoss;
}

/**
 * Improved consistency training (Song & Dhariwal 2024; THEORY §3.7): pseudo-Huber metric with c = 0.00054·√d,
 * weights 1/(σ_{i+1} − σ_i), lognormal interval sampling (P_mean = −1.1, P_std = 2), the doubling curriculum
 * N(k) = min(s₀2^{⌊k/K′⌋}, s₁) + 1, and no EMA teacher: θ⁻ = stop-gradient(θ) (μ ≡ 0).
 */
export function improvedConsistencyTrainingVariant(process: ForwardProcess, options: ImprovedConsistencyTrainingOptions): TrainingVariant {
  const schedule = ictDoublingSchedule({ ...options, tMin: process.tMin, tMax: process.tMax });
  const loss = options.loss ?? pseudoHuberLoss({ dim: options.dim });
  return {
    id: 'ict',
    title: 'Improved consistency training (Song & Dhariwal 2024): pseudo-Huber, lognormal indices, doubling N(k), stop-gradient teacher',
    schedule,
    indexSampler: lognormalIndexSampler(options),
    loss,
    teacherEmaRate: () => 0,
    makePairs: (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, loss, rng),
  };
}

import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import { squaredL2Loss, type ConsistencyLoss } from '../losses/consistencyLoss.ts';
import { ctCurriculumSchedule, type CtCurriculumOptions } from '../schedules/ctCurriculumSchedule.ts';
import { uniformIndexSampler } from '../schedules/indexSamplers.ts';
import { sharedNoisePairs, type TrainingVariant } from '../trainingVariant.ts';

export interface ConsistencyTrainingOptions extends Omit<CtCurriculumOptions, 'tMin' | 'tMax'> {
  /** @defaultValue squaredL2Loss() (Song et al. 2023 use ℓ₂², ℓ₁ or LPIPS with λ ≡ 1) */
  readonly loss?: ConsistencyLoss;
}

/**
 * Consistency training, Song et al. (2023) Algorithm 3 (THEORY §3.4–3.5): Karras grid with the progressive N(k),
 * n ~ U{1, …, N(k)−1}, shared noise z for student x + t_{n+1}z and teacher x + t_n z, EMA teacher with rate μ(k).
 * `emaForm: 'code-off-by-one'` reproduces openai/consistency_models' μ(k) (variant id 'ct-code-off-by-one').
 * On a non-VE process the pairs are a_t x + s_t z with the grid on the process clock.
 */
export function consistencyTrainingVariant(process: ForwardProcess, options: ConsistencyTrainingOptions): TrainingVariant {
  const schedule = ctCurriculumSchedule({ ...options, tMin: process.tMin, tMax: process.tMax });
  const loss = options.loss ?? squaredL2Loss();
  const offByOne = options.emaForm === 'code-off-by-one';
  return {
    id: offByOne ? 'ct-code-off-by-one' : 'ct',
    title: `Consistency training (Song et al. 2023, Alg. 3)${offByOne ? ', μ(k) with the public code’s off-by-one' : ''}`,
    schedule,
    indexSampler: uniformIndexSampler(),
    loss,
    teacherEmaRate: (k) => schedule.emaRate(k),
    makePairs: (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, loss, rng),
  };
}

import { ValidationError } from '../../core/errors.ts';
import type { LhwSchedule } from '../../processes/lhwSchedule.ts';
import { squaredL2Loss, type ConsistencyLoss } from '../losses/consistencyLoss.ts';
import type { DiscretizationSchedule, IndexSampler } from '../schedules/discretizationSchedule.ts';
import { sharedNoisePairs, type TrainingVariant } from '../trainingVariant.ts';

export interface LhwSequentialOptions {
  /** Optimiser steps spent on each stage t = 2 … T (a time-conditioned network, warm-started stage to stage). */
  readonly stepsPerStage: number;
  /** @defaultValue squaredL2Loss() (LHW (14) is the squared ℓ₂ objective) */
  readonly loss?: ConsistencyLoss;
}

/** The LHW variant plus the number of steps it needs: (T − 1)·stepsPerStage. */
export interface LhwSequentialVariant extends TrainingVariant {
  readonly totalSteps: number;
  readonly lhw: LhwSchedule;
}

/**
 * Li–Huang–Wei sequential consistency training (THEORY §1.5): the discrete VP schedule (23) on the clock
 * u = −log ᾱ (so the grid is u_1 < … < u_T and tMin = u_1), f_1 = identity (exact through the boundary scalings),
 * and for t = 2 … T, f_t fitted to f_{t−1}(√ᾱ_{t−1}X₀ + √(1−ᾱ_{t−1})Z) at √ᾱ_t X₀ + √(1−ᾱ_t)Z with the same (X₀, Z).
 *
 * In the loop: stage s (steps s·stepsPerStage … (s+1)·stepsPerStage − 1) trains only interval [u_{s+1}, u_{s+2}]; the
 * teacher is frozen (μ = 1) within a stage and set to the student at the stage's last step (μ = 0), so stage s+1
 * regresses onto the f_{s+2} that stage s produced. With the affine grid class and exact least squares per stage
 * (`fitAffineSequential`) the recursion is LHW's exactly.
 */
export function lhwSequentialTrainingVariant(lhw: LhwSchedule, options: LhwSequentialOptions): LhwSequentialVariant {
  const sps = options.stepsPerStage;
  if (!Number.isInteger(sps) || sps < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${sps}`, 'stepsPerStage');
  const T = lhw.T;
  const grid = Float64Array.from({ length: T }, (_, i) => lhw.timeOfStep(i + 1));
  const loss = options.loss ?? squaredL2Loss();
  const schedule: DiscretizationSchedule = {
    id: `lhw-T${T}`,
    tMin: grid[0]!,
    tMax: grid[T - 1]!,
    stageAt: () => T,
    times: (size) => {
      if (size !== T) throw new ValidationError('E_INVALID_INPUT', `the LHW grid has T = ${T} times, asked for ${size}`, 'size');
      return Float64Array.from(grid);
    },
  };
  const stage = (k: number): number => Math.min(Math.floor(Math.max(k, 0) / sps), T - 2);
  const indexSampler: IndexSampler = {
    id: 'lhw-current-stage',
    probabilities: (times, k) => {
      const p = new Float64Array(times.length - 1);
      p[stage(k)] = 1;
      return p;
    },
  };
  return {
    id: 'lhw',
    title: 'Li–Huang–Wei sequential consistency training (discrete VP schedule (23), f_1 = id, shared (X₀, Z))',
    schedule,
    indexSampler,
    loss,
    teacherEmaRate: (k) => ((k + 1) % sps === 0 ? 0 : 1),
    makePairs: (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, loss, rng),
    totalSteps: (T - 1) * sps,
    lhw,
  };
}

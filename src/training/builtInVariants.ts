/**
 * The built-in training variants by name: the one switch that `cmbounds train --variant NAME` and the audit's
 * built-in rows both use, so a name means the same variant in both.
 */
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { TrainingVariant } from './trainingVariant.ts';
import { consistencyDistillationVariant } from './variants/consistencyDistillation.ts';
import { consistencyTrainingVariant } from './variants/consistencyTraining.ts';
import { improvedConsistencyTrainingVariant } from './variants/improvedConsistencyTraining.ts';

/** The names, in the order help texts list them. (`lhw` needs an lhw process and is built by `cmbounds train` itself.) */
export const BUILT_IN_VARIANT_NAMES = ['ct', 'ct-code-off-by-one', 'ict', 'cd-euler', 'cd-heun', 'cd-exact', 'flowmap'] as const;
export type BuiltInVariantName = (typeof BUILT_IN_VARIANT_NAMES)[number];

export interface BuiltInVariantOptions {
  /** Total optimiser steps (the curricula of ct and ict depend on it). */
  readonly steps: number;
  /** Grid size N of the distillation variants and of the flow map. */
  readonly gridSize: number;
  /** Dimension of the data (ict's pseudo-Huber constant depends on it). */
  readonly dim: number;
}

export function isBuiltInVariantName(name: string): name is BuiltInVariantName {
  return (BUILT_IN_VARIANT_NAMES as readonly string[]).includes(name);
}

/** The built-in variant `name` on `process`. */
export function builtInTrainingVariant(name: BuiltInVariantName, process: ForwardProcess, options: BuiltInVariantOptions): TrainingVariant {
  switch (name) {
    case 'ct':
      return consistencyTrainingVariant(process, { totalSteps: options.steps });
    case 'ct-code-off-by-one':
      return consistencyTrainingVariant(process, { totalSteps: options.steps, emaForm: 'code-off-by-one' });
    case 'ict':
      return improvedConsistencyTrainingVariant(process, { totalSteps: options.steps, dim: options.dim });
    case 'cd-euler':
    case 'cd-heun':
    case 'cd-exact':
      return consistencyDistillationVariant(process, { solver: name.slice(3) as 'euler' | 'heun' | 'exact', N: options.gridSize });
    case 'flowmap':
      // the note's two-time flow map is fitted on CT (shared-noise) pairs of a fixed grid
      return consistencyTrainingVariant(process, { totalSteps: 1, s0: options.gridSize, s1: options.gridSize - 1 });
  }
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { validateTrainingVariant, type TrainingVariant } from './trainingVariant.ts';

/** What a variant factory in a user's module receives. */
export interface VariantFactoryContext {
  readonly process: ForwardProcess;
  readonly target: ExactTarget;
  /** Total training steps (curricula need it). */
  readonly steps: number;
}

/**
 * Loads a user's training variant from a module (.ts through tsx, or .js/.mjs). The module exports either a
 * `TrainingVariant` object or a factory `(ctx: VariantFactoryContext) => TrainingVariant`, as `default` or as the named
 * export `variant`. The result is shape-checked by `validateTrainingVariant`, which names every missing member.
 * @throws ValidationError naming the file and what is missing.
 */
export async function loadTrainingVariant(file: string, ctx: VariantFactoryContext): Promise<TrainingVariant> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new ValidationError('E_INVALID_INPUT', `no such module '${file}'`, 'variant');
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError('E_INVALID_INPUT', `cannot import '${file}': ${(e as Error).message}`, 'variant');
  }
  const exported = mod['default'] ?? mod['variant'];
  if (exported === undefined) {
    throw new ValidationError('E_INVALID_INPUT', `'${file}' exports neither \`default\` nor \`variant\` (found: ${Object.keys(mod).join(', ') || 'nothing'})`, 'variant');
  }
  let value: unknown = exported;
  if (typeof exported === 'function') {
    try {
      value = (exported as (c: VariantFactoryContext) => unknown)(ctx);
    } catch (e) {
      throw new VariantFactoryError(file, ctx.target.name ?? ctx.target.kind, e);
    }
  }
  return validateTrainingVariant(value, `'${file}'`);
}

/** The factory of a user's module threw (on one target): the variant fails there, which is a finding about it. */
export class VariantFactoryError extends ValidationError {
  readonly module: string;
  readonly targetName: string;
  constructor(module: string, targetName: string, cause: unknown) {
    super('E_INVALID_INPUT', `the factory of '${module}' threw on target ${targetName}: ${cause instanceof Error ? cause.message : String(cause)}`, 'variant');
    this.module = module;
    this.targetName = targetName;
  }
}

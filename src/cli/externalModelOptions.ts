import { ConfigError } from '../core/errors.ts';
import type { ModelSpecOptions } from '../training/modelDirectory.ts';
import { readJsonInput } from '../config/readInput.ts';
import { targetFromSpec } from '../config/targetSpec.ts';
import { existsSync } from 'node:fs';

/** Help text of `--model` for the external-model protocol. */
export const EXTERNAL_MODEL_HELP = 'cmd:<shell command> serving the external-model protocol (docs/external-models.md)';

/** The `--weights`, `--target`, `--model-timeout` and `--model-batch` flags of a command that loads a model. */
export function externalModelOptions(flags: { weights?: 'online' | 'ema'; target?: string; modelTimeout: string; modelBatch: string }): ModelSpecOptions {
  const timeoutSeconds = Number(flags.modelTimeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new ConfigError('E_INVALID_INPUT', `must be a positive number of seconds, got '${flags.modelTimeout}'`, '--model-timeout');
  const batchSize = Number(flags.modelBatch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('E_INVALID_INPUT', `must be a positive integer, got '${flags.modelBatch}'`, '--model-batch');
  const target = flags.target === undefined ? undefined : targetFromSpec(existsSync(flags.target) ? readJsonInput(flags.target, '--target') : flags.target, '--target');
  return { timeoutSeconds, batchSize, ...(flags.weights === undefined ? {} : { weights: flags.weights }), ...(target === undefined ? {} : { target }) };
}

import { existsSync, mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { sourceFingerprint } from '../core/sourceFingerprint.ts';
import { ValidationError } from '../core/errors.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { mlpFunctionClass } from '../models/mlpConsistency.ts';
import { edmParameterization } from '../models/parameterization.ts';
import { initTfjsBackend } from '../models/tfjsBoundary.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { writeFileAtomically } from '../training/checkpoint.ts';
import { loadModelDirectory, saveModelDirectory, type LoadedModel } from '../training/modelDirectory.ts';
import { trainConsistencyModel } from '../training/trainLoop.ts';
import type { AuditConfig } from './auditConfig.ts';
import { builtInTrainingVariant } from '../training/builtInVariants.ts';

/** What determines a small trained model's weights (besides the code and the tfjs backend, also part of its key). */
export interface CachedModelRequest {
  /** A built-in variant of the audit ('cd-exact', …). */
  readonly variant: AuditConfig['builtIns'][number];
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly steps: number;
  readonly seed: number;
  readonly width: number;
  readonly depth: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly emaDecay: number;
  /** Grid size N of the cd-* variants. */
  readonly gridSize: number;
  /** The folder that keeps the models (`<cacheDir>/models/<key>/`, each a `cmbounds train` folder). */
  readonly cacheDir: string;
}

export interface CachedModel {
  /** The model folder (loadable with `--model`). */
  readonly dir: string;
  /** SHA-256 of everything that determines the weights: the request, the training code, tfjs and its backend. */
  readonly key: string;
  /** True when the folder existed and nothing was trained. */
  readonly reused: boolean;
  /** Wall time of the training that produced the weights (this run's, or the run that cached them). */
  readonly trainingMs: number;
  /** The EMA weights (what the audit evaluates), with the model's target and process. */
  readonly loaded: LoadedModel;
}

/** The sources whose code determines trained weights (the training loop, models, variants, targets, processes, flows). */
const TRAINING_SOURCES = ['src/training', 'src/models', 'src/processes', 'src/distributions', 'src/flows', 'src/numerics', 'src/random', 'src/core', 'src/audit'];

/**
 * A small MLP consistency model of a built-in variant, trained once and kept in the cache folder: the first call
 * trains it (`trainConsistencyModel`) and writes a `cmbounds train` folder (online and EMA weights, history); every
 * later call with the same request, code, tfjs version and backend loads that folder instead (same weights, so the
 * same results). The folder is complete once its model.json exists (written last, atomically).
 * @throws ValidationError (`steps`) for a non-positive step count.
 */
export async function trainOrReuseModel(request: CachedModelRequest, onProgress?: (step: number, steps: number) => void): Promise<CachedModel> {
  if (!Number.isInteger(request.steps) || request.steps < 1) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 1, got ${request.steps}`, 'steps');
  const backend = (await initTfjsBackend()).name;
  const { cacheDir, target, process, ...rest } = request;
  const described = { format: 'cmbounds-cached-model-1', ...rest, target: target.toSpec(), process: process.toSpec(), backend, tfjsVersion: tf.version_core, code: sourceFingerprint(TRAINING_SOURCES) };
  const key = createHash('sha256').update(JSON.stringify(described)).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'models', `${request.variant}-${key}`);
  const modelFile = join(dir, 'model.json');
  if (existsSync(modelFile)) {
    const loaded = loadModelDirectory(dir, 'ema');
    const trainingMs = Number((loaded.meta.training as { trainingMs?: unknown }).trainingMs ?? Number.NaN);
    return { dir, key, reused: true, trainingMs, loaded };
  }
  const variant = builtInTrainingVariant(request.variant, process, { steps: request.steps, gridSize: request.gridSize, dim: target.dim });
  const functionClass = mlpFunctionClass(edmParameterization(process), { width: request.width, depth: request.depth, activation: 'silu' });
  const started = performance.now();
  const result = await trainConsistencyModel({
    variant,
    target,
    process,
    functionClass,
    steps: request.steps,
    seed: request.seed,
    batchSize: request.batchSize,
    adam: { learningRate: request.learningRate },
    emaDecay: request.emaDecay,
    logEvery: Math.max(1, Math.floor(request.steps / 10)),
    ...(onProgress === undefined ? {} : { onProgress: (p: { step: number; steps: number }) => onProgress(p.step, p.steps) }),
  });
  const trainingMs = performance.now() - started;
  mkdirSync(dir, { recursive: true });
  try {
    writeFileAtomically(join(dir, 'history.json'), JSON.stringify({ backend: result.backend, variant: variant.id, entries: result.history }, null, 2) + '\n');
    saveModelDirectory(
      dir,
      {
        variant: { id: variant.id, title: variant.title },
        target: target.toSpec(),
        process: process.toSpec(),
        kind: 'mlp',
        id: result.model.id,
        architecture: result.model.architecture,
        sigmaData: result.model.parameterization.sigmaData,
        training: { steps: request.steps, seed: request.seed, batchSize: request.batchSize, learningRate: request.learningRate, emaDecay: request.emaDecay, backend: result.backend, trainingMs, cacheKey: key },
      },
      { online: result.model.snapshot(), ema: result.ema.snapshot() },
    );
  } finally {
    result.model.dispose();
    result.ema.dispose();
  }
  // the weights as they are stored (float32 values), so that a fresh run and a rerun evaluate the same model
  return { dir, key, reused: false, trainingMs, loaded: loadModelDirectory(dir, 'ema') };
}

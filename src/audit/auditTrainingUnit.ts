import { processFromSpec } from '../config/processSpec.ts';
import { CmboundsError } from '../core/errors.ts';
import { mlpFunctionClass } from '../models/mlpConsistency.ts';
import { edmParameterization } from '../models/parameterization.ts';
import { initTfjsBackend } from '../models/tfjsBoundary.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { builtInTrainingVariant } from '../training/builtInVariants.ts';
import { loadTrainingVariant } from '../training/loadTrainingVariant.ts';
import { runUnits, unitTask } from '../parallel/workerPool.ts';
import type { AuditConfig } from './auditConfig.ts';
import { ladder, rungsFromNames, type LadderRung } from './ladder.ts';
import { keptModelOf, restoreKept, trainOne, type KeptModelFile, type Trained } from './runAudit.ts';

/** One model of an audit to train in a worker: which variant on which rung, under the audit's configuration. */
export interface AuditTrainingUnit {
  readonly config: AuditConfig;
  /** 'user' (the module `config.variant`) or a built-in's id. */
  readonly who: 'user' | AuditConfig['builtIns'][number];
  readonly rung: string;
  /** The training seed (one of the audit's `--seeds`). */
  readonly seed: number;
}

/** What a worker sends back: the trained parameters as plain data, or the failure the cell reports. */
export type AuditTrainingOutcome =
  | { readonly status: 'trained'; readonly trainingMs: number; readonly kept: KeptModelFile }
  /** `fatal`: a built-in failed with an error that is not a finding about it (a bug here): the audit stops. */
  | { readonly status: 'failed'; readonly trainingMs: number; readonly error: string; readonly fatal: boolean };

/** The rungs of an audit as `runAudit` builds them (the same constructors, so the same targets, bit for bit). */
function rungsOf(config: AuditConfig): LadderRung[] {
  return config.targets === undefined ? ladder(config.ladder) : rungsFromNames(config.targets);
}

/**
 * Runs in a worker thread: rebuilds process, rung, variant and function class from the configuration (the seeds are
 * the configuration's, never the worker's), trains the model exactly as `runAudit` does in-process, and returns its
 * parameters. Every tensor stays in this thread.
 */
export async function trainAuditUnit(unit: AuditTrainingUnit): Promise<AuditTrainingOutcome> {
  const { config } = unit;
  const process = processFromSpec({ kind: config.process }, 'process');
  const rung = rungsOf(config).find((r) => r.name === unit.rung);
  if (rung === undefined) throw new Error(`no rung '${unit.rung}' in this audit`);
  if (config.functionClass === 'mlp') await initTfjsBackend(config.backend);
  const functionClass = config.functionClass === 'mlp' ? mlpFunctionClass(edmParameterization(process), { width: config.width, depth: config.depth, activation: 'silu' }) : undefined;
  const started = performance.now();
  try {
    const variant = unit.who === 'user' ? await loadTrainingVariant(config.variant, { process, target: rung.target, steps: config.steps }) : builtInTrainingVariant(unit.who, process, { steps: config.steps, gridSize: config.gridSize, dim: rung.target.dim });
    const trained = await trainOne(variant, rung, process, config, unit.seed, functionClass, () => undefined, {});
    const trainingMs = performance.now() - started;
    const kept = keptModelOf(trained, trainingMs);
    trained.model.dispose?.();
    if (kept === undefined) throw new Error(`a model of class ${trained.model.id} cannot cross threads`);
    return { status: 'trained', trainingMs, kept };
  } catch (e) {
    return { status: 'failed', trainingMs: performance.now() - started, error: e instanceof Error ? e.message : String(e), fatal: !(e instanceof CmboundsError) && unit.who !== 'user' };
  }
}

/** A unit that failed in its worker, as the cell reports it (the worker's message, unchanged). */
export class PooledTrainingFailure extends CmboundsError {
  constructor(message: string) {
    super('E_NON_FINITE', message);
  }
}

/** The model of a pooled unit, or its failure thrown as the in-process training would have thrown it. */
export function pooledModel(pooled: PooledTraining): Trained {
  if ('failed' in pooled) throw new PooledTrainingFailure(pooled.failed);
  return pooled.trained;
}

export const auditTrainingTask = unitTask<AuditTrainingUnit, AuditTrainingOutcome>(import.meta.url, 'trainAuditUnit');

/** A model trained by the pool, restored on this thread (its parameters are the worker's, bit for bit). */
export type PooledTraining = { readonly trained: Trained; readonly trainingMs: number } | { readonly failed: string; readonly trainingMs: number };

/**
 * Trains the units on `workers` threads. `onTrained` runs as each finishes (in completion order: the audit keeps the
 * model in its cache there, so an interrupted pooled audit resumes without retraining it). `poll` may throw to stop
 * (Ctrl-C): the workers are terminated mid-training and the error propagates.
 */
export async function trainInPool(
  units: readonly AuditTrainingUnit[],
  dims: readonly number[],
  process: ForwardProcess,
  workers: number,
  poll: () => void,
  onTrained: (index: number, pooled: PooledTraining) => void,
): Promise<PooledTraining[]> {
  const restore = (outcome: AuditTrainingOutcome, index: number): PooledTraining => {
    if (outcome.status === 'failed') {
      if (outcome.fatal) throw new Error(outcome.error);
      return { failed: outcome.error, trainingMs: outcome.trainingMs };
    }
    const restored = restoreKept(outcome.kept, dims[index]!, process);
    if (restored === undefined) throw new Error(`unknown model format ${outcome.kept.format}`);
    return restored;
  };
  const byIndex = new Map<number, PooledTraining>();
  try {
    await runUnits(auditTrainingTask, units, {
      workers,
      poll,
      onResult: (outcome, index) => {
        const pooled = restore(outcome, index);
        byIndex.set(index, pooled);
        onTrained(index, pooled);
      },
    });
  } catch (e) {
    for (const pooled of byIndex.values()) if ('trained' in pooled) pooled.trained.model.dispose?.();
    throw e;
  }
  return units.map((_, index) => byIndex.get(index)!);
}

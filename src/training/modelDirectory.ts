import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CmboundsError, ValidationError } from '../core/errors.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { targetFromSpec } from '../config/targetSpec.ts';
import { processFromSpec } from '../config/processSpec.ts';
import { AffineGridConsistency, type AffineStructure } from '../models/affineConsistency.ts';
import { isExternalModelSpec, startExternalModel, type ExternalModelOptions } from '../models/externalModel.ts';
import type { ConsistencyFunction, ParameterSnapshot } from '../models/consistencyFunction.ts';
import { MlpConsistency, type MlpArchitecture } from '../models/mlpConsistency.ts';
import { edmParameterization } from '../models/parameterization.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { AffineTwoTimeFlowMap } from './affineTraining.ts';
import { decodeValues, encodeValues, readJsonFile, writeFileAtomically } from './checkpoint.ts';

// The on-disk model format of `cmbounds train` (DIR/model.json + weight files), read by `sample` and `evaluate`.

/** 'external': a model served by another process over the external-model protocol (never on disk). */
export type ModelKind = 'mlp' | 'affine-grid' | 'affine-flow-map' | 'external';

export interface WeightManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/** DIR/model.json. */
export interface ModelFile {
  readonly format: 'cmbounds-model-1';
  readonly kind: ModelKind;
  readonly id: string;
  readonly variant: { readonly id: string; readonly title: string };
  readonly target: unknown;
  readonly process: unknown;
  /** MLP only. */
  readonly architecture?: MlpArchitecture;
  readonly sigmaData?: number;
  /** Affine only. */
  readonly times?: readonly number[];
  readonly structure?: AffineStructure;
  readonly intercept?: boolean;
  readonly dtype: 'float32' | 'float64';
  /** Weight files (little-endian, entries concatenated in manifest order), keyed 'online' / 'ema'. */
  readonly weights: Readonly<Record<string, string>>;
  readonly manifest: readonly WeightManifestEntry[];
  readonly training: Readonly<Record<string, unknown>>;
}

/** Writes model.json and one weight file per snapshot, each atomically. */
export function saveModelDirectory(dir: string, meta: Omit<ModelFile, 'format' | 'weights' | 'manifest' | 'dtype'>, snapshots: Readonly<Record<string, ParameterSnapshot>>): void {
  const names = Object.keys(snapshots);
  const first = snapshots[names[0]!];
  if (first === undefined) throw new ValidationError('E_INVALID_INPUT', 'needs at least one snapshot', 'snapshots');
  const weights: Record<string, string> = {};
  for (const name of names) {
    const snap = snapshots[name]!;
    const total = snap.entries.reduce((s, e) => s + e.values.length, 0);
    const all = new Float64Array(total);
    let off = 0;
    for (const e of snap.entries) {
      all.set(e.values, off);
      off += e.values.length;
    }
    const file = name === 'online' ? 'weights.bin' : `weights-${name}.bin`;
    writeFileAtomically(path.join(dir, file), Buffer.from(encodeValues(all, snap.dtype), 'base64'));
    weights[name] = file;
  }
  const model: ModelFile = { format: 'cmbounds-model-1', ...meta, dtype: first.dtype, weights, manifest: first.entries.map((e) => ({ name: e.name, shape: [...e.shape] })) };
  writeFileAtomically(path.join(dir, 'model.json'), JSON.stringify(model, null, 2) + '\n');
}

export interface LoadedModel {
  readonly meta: ModelFile;
  readonly model: ConsistencyFunction;
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  /** Frees tfjs memory of an MLP. */
  dispose(): void;
}

/**
 * Reads DIR/model.json and the chosen weights (default 'online': the evaluation EMA lags on the short runs this
 * harness makes; pass 'ema' for it).
 * MLP models need `await initTfjsBackend()` first.
 */
export function loadModelDirectory(dir: string, which?: 'online' | 'ema'): LoadedModel {
  const file = path.join(dir, 'model.json');
  if (!existsSync(file)) throw new CmboundsError('E_INVALID_INPUT', `no model.json in '${dir}' (train one with \`cmbounds train --out ${dir}\`)`, '--model');
  const meta = readJsonFile(file, '--model') as ModelFile;
  if (meta.format !== 'cmbounds-model-1') throw new ValidationError('E_INVALID_INPUT', `unknown model format '${String(meta.format)}'`, 'model.format');
  const key = which ?? 'online';
  const weightFile = meta.weights[key];
  if (weightFile === undefined) throw new ValidationError('E_INVALID_INPUT', `the model has no '${key}' weights (has: ${Object.keys(meta.weights).join(', ')})`, '--weights');
  const values = decodeValues(readFileSync(path.join(dir, weightFile)).toString('base64'), meta.dtype);
  let off = 0;
  const entries = meta.manifest.map((m) => {
    const size = m.shape.reduce((p, s) => p * s, 1);
    const v = values.subarray(off, off + size);
    off += size;
    return { name: m.name, shape: [...m.shape], values: Float64Array.from(v) };
  });
  if (off !== values.length) throw new ValidationError('E_INVALID_INPUT', `${weightFile} holds ${values.length} values, the manifest ${off}`, 'model.weights');
  const snapshot: ParameterSnapshot = { dtype: meta.dtype, entries };
  const target = targetFromSpec(meta.target, 'model.target');
  const process = processFromSpec(meta.process, 'model.process');
  switch (meta.kind) {
    case 'mlp': {
      const m = new MlpConsistency(edmParameterization(process, { sigmaData: meta.sigmaData ?? 0.5 }), meta.architecture!, entries.map((e) => e.values), false);
      return { meta, model: m, target, process, dispose: () => m.dispose() };
    }
    case 'affine-grid':
    case 'affine-flow-map': {
      const a = new AffineGridConsistency(target.dim, { times: meta.times ?? [], ...(meta.structure ? { structure: meta.structure } : {}), ...(meta.intercept === undefined ? {} : { intercept: meta.intercept }) });
      a.restore(snapshot);
      const model = meta.kind === 'affine-grid' ? a : new AffineTwoTimeFlowMap(a).asConsistencyFunction();
      return { meta, model, target, process, dispose: () => undefined };
    }
    default:
      throw new ValidationError('E_INVALID_INPUT', `unknown model kind '${String(meta.kind)}'`, 'model.kind');
  }
}

export interface ModelSpecOptions extends ExternalModelOptions {
  /** Which weights of a model folder. */
  readonly weights?: 'online' | 'ema';
  /** A target for an external model (overrides the one it declares; a model folder records its own). */
  readonly target?: ExactTarget;
}

/**
 * Loads the model a `--model` value names: a folder written by `cmbounds train`, or `cmd:<shell command>`, an
 * external model served over the protocol (see `ExternalModel`). MLP folders need `await initTfjsBackend()` first.
 */
export function loadModelSpec(spec: string, options: ModelSpecOptions = {}): LoadedModel {
  if (!isExternalModelSpec(spec)) {
    if (options.target !== undefined) throw new CmboundsError('E_INVALID_INPUT', 'only for an external model (--model cmd:…): a model folder records its own target', '--target');
    return loadModelDirectory(spec, options.weights);
  }
  if (options.weights !== undefined) throw new CmboundsError('E_INVALID_INPUT', 'only for a model folder: an external model serves its own weights', '--weights');
  const model = startExternalModel(spec, options);
  const target = options.target ?? model.declaredTarget;
  if (target === undefined) {
    model.close();
    throw new CmboundsError('E_INVALID_INPUT', `model '${model.command}' declares no target; pass --target <name|spec.json>`, '--target');
  }
  if (target.dim !== model.dim) {
    model.close();
    throw new CmboundsError('E_INVALID_INPUT', `model '${model.command}' serves dimension ${model.dim}, the target has dimension ${target.dim}`, '--target');
  }
  const meta: ModelFile = {
    format: 'cmbounds-model-1',
    kind: 'external',
    id: model.id,
    variant: { id: model.hello.name ?? 'external', title: `external model: ${model.command}` },
    target: target.toSpec(),
    process: model.process.toSpec(),
    dtype: 'float64',
    weights: {},
    manifest: [],
    training: { command: model.command },
  };
  return { meta, model, target, process: model.process, dispose: () => model.close() };
}

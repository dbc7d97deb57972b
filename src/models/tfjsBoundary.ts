import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { NumericalError, ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ParameterEntry } from './consistencyFunction.ts';

// THE ONLY FILE THAT CONVERTS Float64Array ↔ tfjs tensors (DESIGN §2, STYLE C1). Everything on the float64 side
// of the library stays float64; tensors are float32 (the precision of every tfjs backend's kernels).

/** The tfjs backends cmbounds can use, in order of preference. */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TfjsBackendInfo {
  /** The backend actually in use. */
  readonly name: TfjsBackendName;
  /** Why it was chosen (reported in provenance). */
  readonly reason: string;
}

let initialised: Promise<TfjsBackendInfo> | undefined;
let initialisedPreference: string | undefined;

/**
 * Selects and initialises the tfjs backend once per process:
 * `@tensorflow/tfjs-node` when it is installed (an optional dependency — detected by a dynamic import, never
 * required), else `@tensorflow/tfjs-backend-wasm` with its .wasm binaries loaded from the package's own `dist/`
 * folder (no network), else the pure-JS `cpu` backend.
 *
 * `preference` (or the environment variable `CMBOUNDS_TFJS_BACKEND`) forces one backend; 'auto' is the order above.
 * Calling again with the same preference returns the same promise; a different preference re-selects.
 */
export function initTfjsBackend(preference: 'auto' | TfjsBackendName = (process.env['CMBOUNDS_TFJS_BACKEND'] as TfjsBackendName | undefined) ?? 'auto'): Promise<TfjsBackendInfo> {
  if (initialised !== undefined && initialisedPreference === preference) return initialised;
  initialisedPreference = preference;
  initialised = selectBackend(preference);
  return initialised;
}

/**
 * The backend already selected (by `initTfjsBackend` with any preference), or the default selection when none was
 * made: what code that runs models without choosing a backend uses, so that it never re-selects the caller's choice.
 */
export function ensureTfjsBackend(): Promise<TfjsBackendInfo> {
  return initialised ?? initTfjsBackend();
}

/** The backend in use (after `initTfjsBackend`). */
export function currentTfjsBackend(): string {
  return tf.getBackend();
}

async function selectBackend(preference: 'auto' | TfjsBackendName): Promise<TfjsBackendInfo> {
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(preference)) {
    throw new ValidationError('E_INVALID_INPUT', `unknown tfjs backend '${preference}'; use auto, tensorflow, wasm or cpu`, 'backend');
  }
  const tried: string[] = [];
  if (preference === 'auto' || preference === 'tensorflow') {
    const moduleName = '@tensorflow/tfjs-node';
    try {
      await import(/* @vite-ignore */ moduleName);
      if (await tf.setBackend('tensorflow')) {
        await tf.ready();
        return { name: 'tensorflow', reason: '@tensorflow/tfjs-node is installed' };
      }
      tried.push('tensorflow: registered but failed to initialise');
    } catch {
      tried.push('tensorflow: @tensorflow/tfjs-node is not installed');
    }
    if (preference === 'tensorflow') throw new ValidationError('E_UNSUPPORTED', tried.join('; '), 'backend');
  }
  if (preference === 'auto' || preference === 'wasm') {
    try {
      const require = createRequire(import.meta.url);
      const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      setWasmPaths(dist);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { name: 'wasm', reason: `${tried.length ? tried.join('; ') + '; ' : ''}wasm binaries from ${dist}` };
      }
      tried.push('wasm: failed to initialise');
    } catch (e) {
      tried.push(`wasm: ${(e as Error).message}`);
    }
    if (preference === 'wasm') throw new ValidationError('E_UNSUPPORTED', tried.join('; '), 'backend');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', reason: tried.length ? `fallback (${tried.join('; ')})` : 'requested' };
}

/** Throws a readable error when no backend has been initialised (tfjs would otherwise fail deep inside an op). */
export function assertTfjsReady(): void {
  if (initialised === undefined) {
    throw new ValidationError('E_UNSUPPORTED', 'the tfjs backend is not initialised: `await initTfjsBackend()` before creating or running tfjs models', 'backend');
  }
}

/** A float64 n×d batch as an n×d float32 tensor. */
export function batchToTensor(x: PointBatch): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(x.data), [x.n, x.d], 'float32');
}

/** Row-major float64 values of shape [rows, cols] as a float32 tensor. */
export function float64ToTensor2D(values: Float64Array, rows: number, cols: number): tf.Tensor2D {
  if (values.length !== rows * cols) throw new ValidationError('E_DIMENSION', `has ${values.length} values for a ${rows}×${cols} tensor`, 'values');
  return tf.tensor2d(Float32Array.from(values), [rows, cols], 'float32');
}

/** A float64 vector as a float32 column tensor [n, 1] (per-point scalings). */
export function float64ToColumn(values: Float64Array): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [values.length, 1], 'float32');
}

/** A float64 vector as a float32 1-D tensor. */
export function float64ToTensor1D(values: Float64Array): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(values), 'float32');
}

/** A float32 row-major buffer (e.g. received from a worker thread) as a tensor of the given shape. */
export function float32ToTensor(values: Float32Array, shape: readonly number[]): tf.Tensor {
  const size = shape.reduce((p, s) => p * s, 1);
  if (values.length !== size) throw new ValidationError('E_DIMENSION', `has ${values.length} values for shape [${shape.join(', ')}]`, 'values');
  return tf.tensor(values, [...shape], 'float32');
}

/** Concatenates the values of tensors (e.g. all parameters or all gradients) into one float32 buffer, in order. */
export function tensorsToFlatFloat32(tensors: readonly tf.Tensor[]): Float32Array {
  const total = tensors.reduce((s, t) => s + t.size, 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, off);
    off += t.size;
  }
  return out;
}

/** Reads an n×d tensor back as a float64 batch (exact: every float32 is a float64). Does not dispose `t`. */
export function tensorToBatch(t: tf.Tensor2D): PointBatch {
  const [n, d] = t.shape;
  return { n, d, data: Float64Array.from(t.dataSync() as Float32Array) };
}

/** Reads any tensor's values as float64. Does not dispose `t`. */
export function tensorToFloat64(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as Float32Array);
}

/** A named parameter entry from a tensor (values exact float32 in float64). */
export function tensorToEntry(name: string, t: tf.Tensor): ParameterEntry {
  return { name, shape: [...t.shape], values: tensorToFloat64(t) };
}

/**
 * A float32 tensor from a parameter entry. Values that are not exactly float32 are rounded; non-finite values
 * raise a NumericalError naming the entry (a corrupt checkpoint must not load silently).
 */
export function entryToTensor(entry: ParameterEntry): tf.Tensor {
  const v = Float32Array.from(entry.values);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new NumericalError('E_NON_FINITE', `value ${i} is ${v[i]}`, `parameters.${entry.name}`);
  }
  return tf.tensor(v, [...entry.shape], 'float32');
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { CmboundsError, ValidationError } from '../core/errors.ts';
import type { MlpConsistency } from '../models/mlpConsistency.ts';
import { float32ToTensor, float64ToColumn, float64ToTensor2D, tensorsToFlatFloat32, type TfjsBackendName } from '../models/tfjsBoundary.ts';
import type { ConsistencyLoss } from './losses/consistencyLoss.ts';

/** The loss, per-point weighted distances and gradients of one batch (tensors owned by the caller). */
export interface BatchGradients {
  readonly loss: number;
  readonly perPoint: Float64Array;
  readonly gradients: tf.Tensor[];
}

interface WorkerReply {
  readonly ready?: boolean;
  readonly error?: string;
  readonly loss?: number;
  readonly perPoint?: Float32Array;
  readonly gradients?: Float32Array;
}

/**
 * Data-parallel loss and gradients on two threads: the main thread takes the first ⌈n/2⌉ points of each batch and a
 * worker thread (its own tfjs backend, a replica of the MLP refreshed with the current parameters every step) the rest;
 * the two means are recombined with weights n₁/n and n₂/n. tfjs-wasm is single-threaded in Node, so this is how a
 * second core is used. Deterministic (fixed split, fixed summation order) but not bit-identical to one thread.
 * Needs a built-in loss (one with a `spec`), since the worker must rebuild it.
 */
export class ParallelGradients {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private pending: ((reply: WorkerReply) => void) | undefined;
  private failure: Error | undefined;

  constructor(model: MlpConsistency, loss: ConsistencyLoss, backend: TfjsBackendName) {
    if (loss.spec === undefined) throw new ValidationError('E_UNSUPPORTED', `loss '${loss.id}' has no spec, so a worker cannot rebuild it; use 1 thread`, 'threads');
    const require = createRequire(import.meta.url);
    const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = new URL('./gradientWorker.ts', import.meta.url).href;
    // the worker registers tsx itself (hooks registered on the main thread do not reach worker threads)
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    this.worker = new Worker(code, { eval: true, workerData: { architecture: model.architecture, backend, loss: loss.spec } });
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (reply: WorkerReply) => {
        if (reply.ready) resolve();
        else {
          const cb = this.pending;
          this.pending = undefined;
          cb?.(reply);
        }
      });
      this.worker.on('error', (e: Error) => {
        this.failure = e;
        reject(e);
        const cb = this.pending;
        this.pending = undefined;
        cb?.({ error: e.message });
      });
    });
  }

  /** Loss and gradients of the batch given as float64 network inputs (rows), residual targets, c_out and weights. */
  async lossAndGradients(model: MlpConsistency, input: Float64Array, residual: Float64Array, cOut: Float64Array, weights: Float64Array, inputWidth: number, loss: ConsistencyLoss): Promise<BatchGradients> {
    await this.ready;
    if (this.failure) throw new CmboundsError('E_UNSUPPORTED', `gradient worker failed: ${this.failure.message}`, 'threads');
    const n = cOut.length;
    const d = model.architecture.dim;
    const n1 = Math.ceil(n / 2);
    const n2 = n - n1;
    const reply = new Promise<WorkerReply>((resolve) => (this.pending = resolve));
    const share = {
      params: tensorsToFlatFloat32(model.variables),
      input: Float32Array.from(input.subarray(n1 * inputWidth)),
      residual: Float32Array.from(residual.subarray(n1 * d)),
      cOut: Float32Array.from(cOut.subarray(n1)),
      weights: Float32Array.from(weights.subarray(n1)),
      n: n2,
    };
    this.worker.postMessage(share, [share.params.buffer, share.input.buffer, share.residual.buffer, share.cOut.buffer, share.weights.buffer] as ArrayBuffer[]);
    const tensors = [float64ToTensor2D(input.subarray(0, n1 * inputWidth), n1, inputWidth), float64ToTensor2D(residual.subarray(0, n1 * d), n1, d), float64ToColumn(cOut.subarray(0, n1)), float64ToColumn(weights.subarray(0, n1))] as const;
    const own = model.lossAndGradients(tensors[0], tensors[1], tensors[2], tensors[3], loss.tensorDistanceAndGradient);
    tf.dispose([...tensors]);
    const ownLoss = tensorsToFlatFloat32([own.loss])[0]!;
    const ownPerPoint = tensorsToFlatFloat32([own.perPoint]);
    const other = await reply;
    if (other.error !== undefined || other.gradients === undefined || other.perPoint === undefined || other.loss === undefined) {
      tf.dispose([own.loss, own.perPoint, ...own.gradients]);
      throw new CmboundsError('E_UNSUPPORTED', `gradient worker failed: ${other.error ?? 'no reply'}`, 'threads');
    }
    const w1 = n1 / n;
    const w2 = n2 / n;
    let off = 0;
    const gradients = own.gradients.map((g) => {
      const size = g.size;
      const theirs = float32ToTensor(other.gradients!.subarray(off, off + size), g.shape);
      off += size;
      const combined = tf.tidy(() => tf.add(tf.mul(g, w1), tf.mul(theirs, w2)));
      theirs.dispose();
      return combined;
    });
    tf.dispose([own.loss, own.perPoint, ...own.gradients]);
    const perPoint = new Float64Array(n);
    perPoint.set(ownPerPoint, 0);
    perPoint.set(other.perPoint, n1);
    return { loss: w1 * ownLoss + w2 * other.loss, perPoint, gradients };
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}

import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { NumericalError, ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { FunctionClass } from '../models/consistencyFunction.ts';
import type { MlpConsistency } from '../models/mlpConsistency.ts';
import { currentTfjsBackend, entryToTensor, float64ToColumn, float64ToTensor2D, ensureTfjsBackend, tensorToFloat64 } from '../models/tfjsBoundary.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { rngFromSeed } from '../random/rng.ts';
import { Adam, type AdamOptions } from './adam.ts';
import { ParallelGradients } from './parallelGradients.ts';
import { decodeSnapshot, encodeSnapshot, readJsonFile, writeFileAtomically, type EncodedSnapshot } from './checkpoint.ts';
import { sampleIndices } from './schedules/discretizationSchedule.ts';
import type { TrainingPairs, TrainingVariant } from './trainingVariant.ts';

/** One logged window of training. */
export interface HistoryEntry {
  /** Last step (0-based) in the window. */
  readonly step: number;
  /** Mean weighted loss over the window. */
  readonly loss: number;
  /** Mean weighted loss of pairs whose interval index i lies in each quarter of the grid (q0 = near tMin); null if none. */
  readonly lossByQuartile: readonly (number | null)[];
  /** Grid size N(k) at the window's last step. */
  readonly gridSize: number;
  /** Teacher EMA rate μ(k) at the window's last step. */
  readonly teacherEmaRate: number;
  /** ‖∇θ loss‖₂ at the window's last step. */
  readonly gradNorm: number;
}

export interface TrainingProgress {
  readonly step: number;
  readonly steps: number;
  readonly entry: HistoryEntry;
  readonly elapsedMs: number;
}

export interface TrainingOptions {
  readonly variant: TrainingVariant;
  readonly target: ExactTarget;
  readonly process: ForwardProcess;
  readonly functionClass: FunctionClass<MlpConsistency>;
  /** Total optimiser steps K. */
  readonly steps: number;
  readonly seed: number;
  /** @defaultValue 256 */
  readonly batchSize?: number;
  readonly adam?: AdamOptions;
  /** Decay of the evaluation EMA of the weights (separate from the variant's teacher). @defaultValue 0.999 */
  readonly emaDecay?: number;
  /** Steps per history entry and progress call. @defaultValue 10 */
  readonly logEvery?: number;
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** Atomic checkpoints: written every `every` steps and at the end (and when `stopAfter` interrupts). */
  readonly checkpoint?: { readonly path: string; readonly every: number };
  /** Resume from `checkpoint.path` when it exists (the run's fingerprint must match). @defaultValue false */
  readonly resume?: boolean;
  /** Stop after this step count as if interrupted (the checkpoint is written); for resume tests. */
  readonly stopAfter?: number;
  /**
   * 2: split every batch between the main thread and a worker thread (`ParallelGradients`; needs a built-in loss).
   * Deterministic, but not bit-identical to 1 thread (the gradient is summed in two halves). @defaultValue 1
   */
  readonly threads?: 1 | 2;
  /**
   * Cancellation: checked before every step; when aborted, the checkpoint (if any) is written at the steps done and
   * `TrainingInterruptedError` is thrown. The loop lets the event loop run about every 100 ms so that a listener that
   * aborts `signal` (a SIGINT handler) gets its turn.
   */
  readonly signal?: AbortSignal;
  /** Called before `signal` is read; may abort it synchronously (the CLI reads a flag its main thread sets on Ctrl-C). */
  readonly pollInterrupt?: () => void;
}

/** Training stopped through `TrainingOptions.signal`; the checkpoint, when one was configured, holds `stepsDone` steps. */
export class TrainingInterruptedError extends Error {
  readonly stepsDone: number;
  readonly steps: number;
  readonly checkpointPath: string | undefined;
  constructor(stepsDone: number, steps: number, checkpointPath: string | undefined) {
    super(`training was interrupted after ${stepsDone} of ${steps} steps${checkpointPath === undefined ? '' : `; checkpoint: ${checkpointPath}`}`);
    this.name = 'TrainingInterruptedError';
    this.stepsDone = stepsDone;
    this.steps = steps;
    this.checkpointPath = checkpointPath;
  }
}

export interface TrainingResult {
  /** The online weights θ. */
  readonly model: MlpConsistency;
  /** The evaluation EMA of θ. */
  readonly ema: MlpConsistency;
  readonly history: readonly HistoryEntry[];
  /** Steps completed (K, or `stopAfter`). */
  readonly stepsDone: number;
  /** The tfjs backend used. */
  readonly backend: string;
  readonly fingerprint: TrainingFingerprint;
}

/** What must match for a checkpoint to resume this run. */
export interface TrainingFingerprint {
  readonly variant: string;
  readonly functionClass: string;
  readonly target: string;
  readonly process: string;
  readonly steps: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly adam: Required<AdamOptions>;
  readonly emaDecay: number;
  readonly threads: number;
}

interface CheckpointFile {
  readonly format: 'cmbounds-training-checkpoint-1';
  readonly fingerprint: TrainingFingerprint;
  readonly stepsDone: number;
  readonly adamStep: number;
  readonly history: HistoryEntry[];
  readonly window: WindowState;
  readonly student: EncodedSnapshot;
  readonly teacher: EncodedSnapshot;
  readonly ema: EncodedSnapshot;
  readonly adamM: EncodedSnapshot;
  readonly adamV: EncodedSnapshot;
  readonly backend: string;
}

interface WindowState {
  sum: number;
  count: number;
  quartileSum: number[];
  quartileCount: number[];
}

/**
 * Trains a tfjs MLP consistency function with any `TrainingVariant` (the loop never looks at the variant's id).
 *
 * Per step k, with all randomness from the stream (seed, ['train', k]) — so a resumed run draws exactly what the
 * uninterrupted run drew: N(k) and the grid from the variant's schedule; interval indices from its sampler; x₀ from the
 * exact target; the pairs from the variant; the stop-gradient teacher target f_{θ⁻}(teacherX, t_i) in float64; the
 * weighted loss and its exact gradient (hand-written backward pass); the numerical-health gate; one Adam step; the
 * teacher update θ⁻ ← μ(k)θ⁻ + (1 − μ(k))θ; the evaluation EMA.
 *
 * Health gate: a non-finite teacher output, loss or gradient stops training with a NumericalError naming the step and
 * the time t of the offending point (E_NON_FINITE_OUTPUT, E_NON_FINITE_LOSS, E_NON_FINITE_GRADIENT). Nothing is clamped.
 * Deterministic for a given backend: the same options give bit-identical weights (tfjs-wasm and cpu run single-threaded).
 */
export async function trainConsistencyModel(options: TrainingOptions): Promise<TrainingResult> {
  const backend = (await ensureTfjsBackend()).name; // the caller's backend (e.g. `audit --backend cpu`), not a re-selection
  const { variant, target, process, steps, seed } = options;
  const batchSize = options.batchSize ?? 256;
  const logEvery = options.logEvery ?? 10;
  const emaDecay = options.emaDecay ?? 0.999;
  const positiveInt = (v: number, field: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${v}`, field);
  };
  positiveInt(steps, 'steps');
  positiveInt(batchSize, 'batchSize');
  positiveInt(logEvery, 'logEvery');
  if (!(emaDecay >= 0 && emaDecay <= 1)) throw new ValidationError('E_INVALID_INPUT', `must be in [0, 1], got ${emaDecay}`, 'emaDecay');
  if (Math.abs(variant.schedule.tMin - process.tMin) > 1e-12 * Math.max(1, process.tMin)) {
    throw new ValidationError('E_TIME_RANGE', `the variant's grid starts at ${variant.schedule.tMin}, the process at tMin = ${process.tMin}`, 'variant.schedule');
  }
  const adamOptions: Required<AdamOptions> = {
    learningRate: options.adam?.learningRate ?? 1e-3,
    beta1: options.adam?.beta1 ?? 0.9,
    beta2: options.adam?.beta2 ?? 0.999,
    epsilon: options.adam?.epsilon ?? 1e-8,
  };
  const fingerprint: TrainingFingerprint = {
    variant: variant.id,
    functionClass: options.functionClass.id,
    target: JSON.stringify(target.toSpec()),
    process: JSON.stringify(process.toSpec()),
    steps,
    seed,
    batchSize,
    adam: adamOptions,
    emaDecay,
    threads: options.threads ?? 1,
  };
  if (fingerprint.threads !== 1 && fingerprint.threads !== 2) throw new ValidationError('E_INVALID_INPUT', `must be 1 or 2, got ${fingerprint.threads}`, 'threads');

  const root = rngFromSeed(seed);
  const student = options.functionClass.instantiate(target.dim, root.child('init'));
  const teacher = student.cloneFrozen();
  const ema = student.cloneFrozen();
  const adam = new Adam(student.variables, adamOptions);
  let history: HistoryEntry[] = [];
  let window: WindowState = emptyWindow();
  let start = 0;

  const ckpt = options.checkpoint;
  if (options.resume && ckpt && existsSync(ckpt.path)) {
    const file = readJsonFile(ckpt.path, 'checkpoint') as CheckpointFile;
    if (file.format !== 'cmbounds-training-checkpoint-1') throw new ValidationError('E_CHECKPOINT', `unknown format '${String(file.format)}'`, 'checkpoint.format');
    const mismatch = (Object.keys(fingerprint) as (keyof TrainingFingerprint)[]).filter((k) => JSON.stringify(file.fingerprint[k]) !== JSON.stringify(fingerprint[k]));
    if (mismatch.length > 0) {
      throw new ValidationError('E_CHECKPOINT', `belongs to a different run (differs in ${mismatch.join(', ')}); delete it or pass the same options`, 'checkpoint');
    }
    student.restore(decodeSnapshot(file.student, 'checkpoint.student'));
    teacher.restore(decodeSnapshot(file.teacher, 'checkpoint.teacher'));
    ema.restore(decodeSnapshot(file.ema, 'checkpoint.ema'));
    restoreVariables(adam.m, decodeSnapshot(file.adamM, 'checkpoint.adamM').entries.map((e) => e.values));
    restoreVariables(adam.v, decodeSnapshot(file.adamV, 'checkpoint.adamV').entries.map((e) => e.values));
    adam.step = file.adamStep;
    history = file.history;
    window = file.window;
    start = file.stepsDone;
  }

  const saveCheckpoint = (stepsDone: number): void => {
    if (!ckpt) return;
    const encodeVars = (vars: tf.Variable[]): EncodedSnapshot =>
      encodeSnapshot({ dtype: 'float32', entries: vars.map((v, i) => ({ name: `s${i}`, shape: [...v.shape], values: tensorToFloat64(v) })) });
    const file: CheckpointFile = {
      format: 'cmbounds-training-checkpoint-1',
      fingerprint,
      stepsDone,
      adamStep: adam.step,
      history,
      window,
      student: encodeSnapshot(student.snapshot()),
      teacher: encodeSnapshot(teacher.snapshot()),
      ema: encodeSnapshot(ema.snapshot()),
      adamM: encodeVars(adam.m),
      adamV: encodeVars(adam.v),
      backend,
    };
    writeFileAtomically(ckpt.path, JSON.stringify(file));
  };

  const parallel = fingerprint.threads === 2 ? new ParallelGradients(student, variant.loss, backend) : undefined;
  const end = Math.min(steps, options.stopAfter ?? steps);
  const started = performance.now();
  const ctxBase = { target, process };
  const gridCache = new Map<number, Float64Array>();
  let lastYield = performance.now();
  try {
    for (let k = start; k < end; k++) {
      if (performance.now() - lastYield > 100) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      options.pollInterrupt?.();
      if (options.signal?.aborted) {
        // like stopAfter = k: the open window goes into the checkpoint, so resuming gives the uninterrupted run
        saveCheckpoint(k);
        throw new TrainingInterruptedError(k, steps, ckpt?.path);
      }
      const rng = root.child('train').child(String(k));
      const N = variant.schedule.stageAt(k);
      let times = gridCache.get(N);
      if (times === undefined) {
        times = variant.schedule.times(N);
        gridCache.set(N, times);
      }
      const indices = sampleIndices(variant.indexSampler.probabilities(times, k), batchSize, rng.child('index'));
      const x0 = target.sample(batchSize, rng.child('data'));
      const pairs = variant.makePairs(x0, times, indices, { ...ctxBase, step: k }, rng.child('pairs'));
      const teacherOut = teacher.evaluate(pairs.teacherX, pairs.teacherT);
      assertFiniteOutput(teacherOut, pairs.teacherT, k, 'teacher');
      const { lossValue, perPoint, gradNorm } = await trainStep(student, adam, pairs, teacherOut, variant, k, parallel);
      teacher.emaUpdateFrom(student, variant.teacherEmaRate(k));
      ema.emaUpdateFrom(student, emaDecay);
      accumulate(window, perPoint, pairs, lossValue);
      // a window is closed every logEvery steps and at the true end; an interruption (stopAfter) keeps the open window
      // in the checkpoint so the resumed history equals the uninterrupted one
      if ((k + 1) % logEvery === 0 || k + 1 === steps) {
        const entry = closeWindow(window, k, N, variant.teacherEmaRate(k), gradNorm);
        history.push(entry);
        window = emptyWindow();
        options.onProgress?.({ step: k + 1, steps, entry, elapsedMs: performance.now() - started });
      }
      if (ckpt && (k + 1) % ckpt.every === 0 && k + 1 < end) saveCheckpoint(k + 1);
    }
    saveCheckpoint(end);
  } catch (e) {
    await parallel?.dispose();
    adam.dispose();
    teacher.dispose();
    student.dispose();
    ema.dispose();
    throw e;
  }
  await parallel?.dispose();
  adam.dispose();
  teacher.dispose();
  return { model: student, ema, history, stepsDone: end, backend: currentTfjsBackend(), fingerprint };
}

async function trainStep(student: MlpConsistency, adam: Adam, pairs: TrainingPairs, teacherOut: PointBatch, variant: TrainingVariant, k: number, parallel: ParallelGradients | undefined): Promise<{ lossValue: number; perPoint: Float64Array; gradNorm: number }> {
  const { studentX, studentT, weights } = pairs;
  const n = studentX.n;
  const d = studentX.d;
  const { input, cSkip, cOut, inputWidth } = student.networkInputs(studentX, studentT);
  // residual target r = f_θ⁻(teacher) − c_skip·x, formed in float64 so only c_out·F is float32
  const r = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) r[i * d + j] = teacherOut.data[i * d + j]! - cSkip[i]! * studentX.data[i * d + j]!;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(weights[i]!)) throw new NumericalError('E_NON_FINITE_LOSS', `loss weight of point ${i} is ${weights[i]} at step ${k} (t = ${studentT[i]})`, 'loss');
  }
  let out: { loss?: tf.Scalar; perPointTensor?: tf.Tensor1D; gradients: tf.Tensor[]; lossValue?: number; perPoint?: Float64Array };
  if (parallel) {
    const p = await parallel.lossAndGradients(student, input, r, cOut, weights, inputWidth, variant.loss);
    out = { gradients: p.gradients, lossValue: p.loss, perPoint: p.perPoint };
  } else {
    const inputs = [float64ToTensor2D(input, n, inputWidth), float64ToTensor2D(r, n, d), float64ToColumn(cOut), float64ToColumn(weights)] as const;
    const o = student.lossAndGradients(inputs[0], inputs[1], inputs[2], inputs[3], variant.loss.tensorDistanceAndGradient);
    tf.dispose([...inputs]);
    out = { loss: o.loss, perPointTensor: o.perPoint, gradients: o.gradients };
  }
  try {
    const gradSq = tf.tidy(() => tf.addN(out.gradients.map((g) => tf.sum(tf.square(g)))));
    const lossValue = out.lossValue ?? tensorToFloat64(out.loss!)[0]!;
    const gradNormSq = tensorToFloat64(gradSq)[0]!;
    gradSq.dispose();
    const perPoint = out.perPoint ?? tensorToFloat64(out.perPointTensor!);
    if (!Number.isFinite(lossValue)) {
      let p = perPoint.findIndex((v) => !Number.isFinite(v));
      if (p < 0) p = 0;
      const bad = studentX.data.subarray(p * d, (p + 1) * d).some((v) => !Number.isFinite(v)) ? ' (the student input is non-finite)' : '';
      throw new NumericalError('E_NON_FINITE_LOSS', `loss is ${lossValue} at step ${k}: first non-finite term at point ${p}, t = ${studentT[p]}${bad}`, 'loss');
    }
    if (!Number.isFinite(gradNormSq)) {
      const which = out.gradients.findIndex((g) => !tensorToFloat64(g).every(Number.isFinite));
      let tLo = Infinity;
      let tHi = -Infinity;
      for (const t of studentT) {
        tLo = Math.min(tLo, t);
        tHi = Math.max(tHi, t);
      }
      throw new NumericalError('E_NON_FINITE_GRADIENT', `gradient is non-finite at step ${k} in parameter ${which >= 0 ? which : '(overflow of the norm)'}; batch t ∈ [${tLo}, ${tHi}]`, 'gradient');
    }
    adam.apply(student.variables, out.gradients);
    return { lossValue, perPoint, gradNorm: Math.sqrt(gradNormSq) };
  } finally {
    tf.dispose([...(out.loss ? [out.loss] : []), ...(out.perPointTensor ? [out.perPointTensor] : []), ...out.gradients]);
  }
}

function assertFiniteOutput(y: PointBatch, times: Float64Array, k: number, who: string): void {
  for (let q = 0; q < y.data.length; q++) {
    if (!Number.isFinite(y.data[q]!)) {
      const p = Math.floor(q / y.d);
      throw new NumericalError('E_NON_FINITE_OUTPUT', `${who} output is ${y.data[q]} at step ${k}, point ${p}, t = ${times[p]}`, who);
    }
  }
}

function restoreVariables(vars: tf.Variable[], values: Float64Array[]): void {
  if (values.length !== vars.length) throw new ValidationError('E_CHECKPOINT', `has ${values.length} optimiser slots, the model ${vars.length}`, 'checkpoint');
  vars.forEach((v, i) => {
    const t = entryToTensor({ name: `optimiser slot ${i}`, shape: v.shape, values: values[i]! });
    v.assign(t);
    t.dispose();
  });
}

function emptyWindow(): WindowState {
  return { sum: 0, count: 0, quartileSum: [0, 0, 0, 0], quartileCount: [0, 0, 0, 0] };
}

function accumulate(w: WindowState, perPoint: Float64Array, pairs: TrainingPairs, loss: number): void {
  w.sum += loss;
  w.count += 1;
  const last = Math.max(1, pairs.gridSize - 2);
  for (let p = 0; p < perPoint.length; p++) {
    const q = Math.min(3, Math.floor((4 * pairs.indices[p]!) / (last + 1)));
    w.quartileSum[q] = w.quartileSum[q]! + perPoint[p]!;
    w.quartileCount[q] = w.quartileCount[q]! + 1;
  }
}

function closeWindow(w: WindowState, step: number, gridSize: number, teacherEmaRate: number, gradNorm: number): HistoryEntry {
  return {
    step,
    loss: w.sum / w.count,
    lossByQuartile: w.quartileSum.map((s, q) => (w.quartileCount[q]! > 0 ? s / w.quartileCount[q]! : null)),
    gridSize,
    teacherEmaRate,
    gradNorm,
  };
}

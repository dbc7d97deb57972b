import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { formatJsonFloat64 } from '../core/formatJson.ts';
import { processFromSpec } from '../config/processSpec.ts';
import { targetFromSpec } from '../config/targetSpec.ts';
import { CmboundsError, FatalInputError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { timesPerPoint, type ConsistencyFunction } from './consistencyFunction.ts';

/**
 * A consistency model that runs in its own process (PyTorch, JAX, anything), spoken to over the external-model
 * protocol, version 1 (docs/external-models.md): JSON lines on the model's standard input and output.
 *
 *   → {"op":"hello","protocol":1}
 *   ← {"protocol":1,"dim":d,"process":ProcessSpec,"target":TargetSpec?,"name":"..."?}
 *   → {"op":"f","t":[t_1,…,t_n],"x":[[…],…]}        (n ≤ batch size; numbers to 17 significant digits)
 *   ← {"f":[[…],…]}                                  (n rows of d numbers)
 *   then cmbounds closes the model's standard input and the model exits.
 *
 * The model is a `ConsistencyFunction` like any other, so every check can use it: evaluation is synchronous. The
 * child process lives in a worker thread that owns its pipes; the main thread blocks in `Atomics.wait` until the
 * worker signals an answer (or the timeout passes). Every failure is one `CmboundsError` naming the command.
 */
export const EXTERNAL_PROTOCOL_VERSION = 1;

export interface ExternalModelOptions {
  /** Seconds to wait for any one answer. @defaultValue 120 */
  readonly timeoutSeconds?: number;
  /** Most points per `f` request. @defaultValue 4096 */
  readonly batchSize?: number;
  /** Prefix of the model's standard-error lines, which are passed through. @defaultValue `[model] ` */
  readonly stderrPrefix?: string;
}

export interface ExternalModelHello {
  readonly protocol: number;
  readonly dim: number;
  readonly process: unknown;
  readonly target?: unknown;
  readonly name?: string;
}

type WorkerEvent =
  | { type: 'line'; line: string }
  | { type: 'exit'; code: number | null; signal: string | null; stderrTail: string[] }
  | { type: 'spawn-error'; message: string };

export class ExternalModel implements ConsistencyFunction {
  readonly id: string;
  readonly precision = 'float64' as const;
  readonly hello: ExternalModelHello;
  readonly process: ForwardProcess;
  /** The target the model declared (undefined when it declared none). */
  readonly declaredTarget: ExactTarget | undefined;
  readonly command: string;
  private readonly worker: Worker;
  private readonly port: MessageChannel['port1'];
  private readonly flag: Int32Array;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly pending: WorkerEvent[] = [];
  private batchesSent = 0;
  private exited: Extract<WorkerEvent, { type: 'exit' }> | undefined;
  private closed = false;

  /** Starts `command` (through the shell) and performs the hello exchange. */
  constructor(command: string, options: ExternalModelOptions = {}) {
    if (command.trim() === '') throw new CmboundsError('E_INVALID_INPUT', 'cmd: needs a command, e.g. cmd:python3 serve.py', '--model');
    this.command = command;
    this.timeoutMs = 1000 * (options.timeoutSeconds ?? 120);
    this.batchSize = options.batchSize ?? 4096;
    if (!(this.timeoutMs > 0)) throw new CmboundsError('E_INVALID_INPUT', `must be a positive number of seconds, got ${options.timeoutSeconds}`, '--model-timeout');
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new CmboundsError('E_INVALID_INPUT', `must be a positive integer, got ${options.batchSize}`, '--model-batch');
    const signal = new SharedArrayBuffer(4);
    this.flag = new Int32Array(signal);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(new URL('./externalModelWorker.mjs', import.meta.url), {
      workerData: { command, signal, port: channel.port2, stderrPrefix: options.stderrPrefix ?? '[model] ' },
      transferList: [channel.port2],
    });
    this.worker.unref();
    let hello: unknown;
    try {
      this.send({ op: 'hello', protocol: EXTERNAL_PROTOCOL_VERSION });
      hello = this.answer('hello');
      this.hello = validateHello(hello, this.fail.bind(this));
      this.process = processFromSpec(this.hello.process, 'hello.process');
      this.declaredTarget = this.hello.target === undefined ? undefined : targetFromSpec(this.hello.target, 'hello.target');
    } catch (e) {
      this.close();
      if (e instanceof CmboundsError && e.field === 'hello.process') throw this.fail(`declares an invalid process: ${e.message}`);
      if (e instanceof CmboundsError && e.field?.startsWith('hello.target')) throw this.fail(`declares an invalid target: ${e.message}`);
      throw e;
    }
    if (this.declaredTarget !== undefined && this.declaredTarget.dim !== this.hello.dim) {
      this.close();
      throw this.fail(`declares dim ${this.hello.dim} but its target has dimension ${this.declaredTarget.dim}`);
    }
    this.id = this.hello.name ?? `external(${command})`;
  }

  get dim(): number {
    return this.hello.dim;
  }

  evaluate(x: PointBatch, t: number | Float64Array): PointBatch {
    if (x.d !== this.hello.dim) throw this.fail(`serves dimension ${this.hello.dim}; asked for points of dimension ${x.d}`);
    const times = timesPerPoint(t, x.n);
    const out = new Float64Array(x.n * x.d);
    for (let start = 0; start < x.n; start += this.batchSize) {
      const end = Math.min(x.n, start + this.batchSize);
      const rows: number[][] = [];
      for (let i = start; i < end; i++) rows.push(Array.from(x.data.subarray(i * x.d, (i + 1) * x.d)));
      const batch = ++this.batchesSent;
      this.send({ op: 'f', t: Array.from(times.subarray(start, end)), x: rows });
      const answer = this.answer(`f request (batch ${batch})`);
      const f = (answer as { f?: unknown }).f;
      if (!Array.isArray(f)) throw this.fail(`answered batch ${batch} without an "f" array`);
      if (f.length !== end - start) throw this.fail(`answered batch ${batch} with ${f.length} rows for ${end - start} points`);
      for (let r = 0; r < f.length; r++) {
        const row = f[r] as unknown;
        if (!Array.isArray(row) || row.length !== x.d) throw this.fail(`answered batch ${batch} with a row of ${Array.isArray(row) ? row.length : 'no'} columns at row ${r} (expected ${x.d})`);
        for (let j = 0; j < x.d; j++) {
          const v = row[j] as unknown;
          if (typeof v !== 'number' || !Number.isFinite(v)) throw this.fail(`answered a non-finite value (NaN or Infinity) in batch ${batch}, first at row ${r} (rows count from 0)`);
          out[(start + r) * x.d + j] = v;
        }
      }
    }
    return pointBatch(x.n, x.d, out);
  }

  /** Closes the model's standard input and waits (briefly) for it to exit; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.exited === undefined) {
      this.worker.postMessage({ type: 'close' });
      const deadline = Date.now() + 5000;
      while (this.exited === undefined && Date.now() < deadline) {
        const event = this.next(deadline - Date.now());
        if (event === undefined) break;
        if (event.type === 'exit') this.exited = event;
      }
      if (this.exited === undefined) this.worker.postMessage({ type: 'kill' });
    }
    void this.worker.terminate();
    this.port.close();
  }

  /** A failure of the model: fatal to a battery that uses it (see `FatalInputError`). */
  private fail(what: string): CmboundsError {
    return new FatalInputError('E_INVALID_INPUT', `model '${this.command}' ${what}`, '--model');
  }

  private send(message: unknown): void {
    if (this.closed) throw this.fail('was already closed');
    if (this.exited !== undefined) throw this.exitError('before the next request');
    this.worker.postMessage({ type: 'send', line: formatJsonFloat64(message) });
  }

  /** The next event from the worker, waiting at most `ms`. */
  private next(ms: number): WorkerEvent | undefined {
    for (;;) {
      const queued = this.pending.shift();
      if (queued !== undefined) return queued;
      const seen = Atomics.load(this.flag, 0);
      const message = receiveMessageOnPort(this.port);
      if (message !== undefined) return message.message as WorkerEvent;
      if (ms <= 0) return undefined;
      const started = Date.now();
      if (Atomics.wait(this.flag, 0, seen, ms) === 'timed-out') {
        const late = receiveMessageOnPort(this.port);
        return late === undefined ? undefined : (late.message as WorkerEvent);
      }
      ms -= Date.now() - started;
    }
  }

  private exitError(when: string): CmboundsError {
    const e = this.exited!;
    const how = e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
    const tail = e.stderrTail.filter((l) => l.trim() !== '').at(-1);
    return this.fail(`${how} ${when}${tail === undefined ? '' : `; its last error line: ${tail.trim()}`}`);
  }

  /** The model's next JSON answer to `what`. */
  private answer(what: string): unknown {
    const event = this.next(this.timeoutMs);
    if (event === undefined) {
      this.worker.postMessage({ type: 'kill' });
      this.exited = { type: 'exit', code: null, signal: 'SIGKILL', stderrTail: [] };
      throw this.fail(`did not answer the ${what} within ${this.timeoutMs / 1000} s (--model-timeout)`);
    }
    if (event.type === 'spawn-error') throw this.fail(`could not be started: ${event.message}`);
    if (event.type === 'exit') {
      this.exited = event;
      throw this.exitError(`before answering the ${what}`);
    }
    return parseAnswer(event.line, (problem) => this.fail(`answered the ${what} with ${problem}`));
  }
}

/**
 * Parses one answer line. JSON has no NaN or Infinity, but Python's `json.dumps` writes them as bare tokens: those
 * are read as null so that the caller can name the batch and row instead of reporting a syntax error.
 */
function parseAnswer(line: string, fail: (problem: string) => CmboundsError): unknown {
  const show = line.length > 80 ? `${line.slice(0, 77)}...` : line;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    try {
      value = JSON.parse(line.replace(/-?\bInfinity\b|\bNaN\b/g, 'null'));
    } catch {
      throw fail(`something that is not JSON: ${show}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(`something that is not a JSON object: ${show}`);
  return value;
}

function validateHello(value: unknown, fail: (what: string) => CmboundsError): ExternalModelHello {
  const hello = value as Record<string, unknown>;
  if (hello['protocol'] !== EXTERNAL_PROTOCOL_VERSION) throw fail(`declares protocol ${JSON.stringify(hello['protocol'])}; cmbounds speaks protocol ${EXTERNAL_PROTOCOL_VERSION}`);
  const dim = hello['dim'];
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw fail(`declares dim ${JSON.stringify(dim)}; expected a positive integer`);
  if (hello['process'] === undefined) throw fail('declares no process (e.g. {"kind":"ve","tMin":0.002,"tMax":80})');
  if (hello['name'] !== undefined && typeof hello['name'] !== 'string') throw fail('declares a name that is not a string');
  return hello as unknown as ExternalModelHello;
}

/** Starts an external model for a `--model cmd:<command>` value. */
export function isExternalModelSpec(spec: string): boolean {
  return spec.startsWith('cmd:');
}

export function startExternalModel(spec: string, options: ExternalModelOptions = {}): ExternalModel {
  return new ExternalModel(spec.slice('cmd:'.length), options);
}

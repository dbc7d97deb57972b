import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Exit code after Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT = 130;

/**
 * Commands whose work runs on a worker thread under `superviseCli`: the main thread then stays free to receive
 * Ctrl-C while checks and training run synchronously. Other commands (exact, catalog, …) run on the main thread.
 */
export const SUPERVISED_COMMANDS: ReadonlySet<string> = new Set(['run', 'audit', 'train', 'reproduce']);

/** What the supervisor hands its worker. */
interface SupervisedWorkerData {
  readonly cmboundsSupervised: true;
  /** [0]: set to 1 by the supervisor on the first Ctrl-C. */
  readonly interruptFlag: Int32Array;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly columns: number | undefined;
}

type WorkerMessage = { readonly type: 'interruptible'; readonly value: boolean } | { readonly type: 'exit'; readonly code: number };

function supervisedData(): SupervisedWorkerData | undefined {
  if (isMainThread) return undefined;
  const data = workerData as Partial<SupervisedWorkerData> | undefined;
  return data?.cmboundsSupervised === true ? (data as SupervisedWorkerData) : undefined;
}

/** True inside the supervised worker thread of `superviseCli`. */
export function isSupervisedWorker(): boolean {
  return supervisedData() !== undefined;
}

/** A cancellation source for one command: Ctrl-C (or `external`) aborts `signal`. */
export interface Interruption {
  readonly signal: AbortSignal;
  /**
   * Reads the supervisor's shared flag and aborts `signal` when Ctrl-C was pressed: synchronous, so loops that
   * never yield to the event loop (checks, training steps) still notice it. A no-op on the main thread, where the
   * SIGINT listener aborts `signal` at the next yield.
   */
  poll(): void;
  /** Stops listening (restores the default Ctrl-C behaviour). */
  dispose(): void;
}

/**
 * Starts listening for Ctrl-C on behalf of one long command. Under the supervisor (the `cmbounds` executable), the
 * first Ctrl-C sets a flag in shared memory that `poll()` reads; the supervisor itself exits at once on a second one.
 * On the main thread (a library caller, a test calling `main`), a SIGINT listener aborts `signal`; it is removed
 * after the first Ctrl-C, so a second one ends the process with the default action.
 */
export function watchInterruption(external?: AbortSignal): Interruption {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (external?.aborted) abort();
  external?.addEventListener('abort', abort, { once: true });
  const supervised = supervisedData();
  if (supervised !== undefined) {
    const post = (value: boolean): void => parentPort?.postMessage({ type: 'interruptible', value } satisfies WorkerMessage);
    post(true);
    const poll = (): void => {
      if (!controller.signal.aborted && Atomics.load(supervised.interruptFlag, 0) !== 0) abort();
    };
    poll();
    return {
      signal: controller.signal,
      poll,
      dispose() {
        external?.removeEventListener('abort', abort);
        post(false);
      },
    };
  }
  process.once('SIGINT', abort);
  return {
    signal: controller.signal,
    poll: () => undefined,
    dispose() {
      external?.removeEventListener('abort', abort);
      process.removeListener('SIGINT', abort);
    },
  };
}

/** Arguments as a shell would need them typed (single quotes where needed). */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Makes a worker thread look like the process to the command it runs: the terminal flags of the supervisor's
 * stdout and stderr (progress bars and non-terminal progress lines depend on them).
 */
export function adoptSupervisorTerminal(): void {
  const data = supervisedData();
  if (data === undefined) return;
  Object.assign(process.stdout, { isTTY: data.stdoutIsTTY, ...(data.columns === undefined ? {} : { columns: data.columns }) });
  Object.assign(process.stderr, { isTTY: data.stderrIsTTY, ...(data.columns === undefined ? {} : { columns: data.columns }) });
}

/** The worker's side of `superviseCli`: reports the command's exit code to the supervisor. */
export function reportExitCode(code: number): void {
  parentPort?.postMessage({ type: 'exit', code } satisfies WorkerMessage);
}

/**
 * Runs the CLI on a worker thread (`entry`, which calls `main` and then `reportExitCode`) and keeps the main thread
 * free for Ctrl-C: the first Ctrl-C asks the command to stop at its next safe point (finished checks are kept,
 * training writes its checkpoint) — or ends a command that has no safe points at once; a second Ctrl-C exits at
 * once. Resolves to the exit code.
 */
export function superviseCli(entry: URL, argv: readonly string[]): Promise<number> {
  const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
  const data: SupervisedWorkerData = {
    cmboundsSupervised: true,
    interruptFlag,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns ?? process.stdout.columns,
  };
  const worker = new Worker(entry, { argv: argv.slice(2), workerData: data });
  let interruptible = false;
  let exitCode: number | undefined;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1 && interruptible) {
      Atomics.store(interruptFlag, 0, 1);
      process.stderr.write('\ninterrupting: stopping at the next safe point and keeping what is finished (Ctrl-C again quits at once)\n');
      return;
    }
    process.stderr.write(interrupts === 1 ? '\ninterrupted\n' : '\ninterrupted again: quitting at once\n');
    process.exit(INTERRUPTED_EXIT);
  };
  process.on('SIGINT', onSigint);
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'interruptible') interruptible = message.value;
    else if (message.type === 'exit') exitCode = message.code;
  });
  return new Promise((resolve) => {
    worker.on('error', (e) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      exitCode = 1;
    });
    worker.on('exit', (code) => {
      process.removeListener('SIGINT', onSigint);
      resolve(exitCode ?? (code === 0 ? 0 : 1));
    });
  });
}

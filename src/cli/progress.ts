import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressSink } from '../checks/checkContext.ts';

export interface ProgressReporter {
  readonly onProgress: ProgressSink;
  stop(): void;
}

/**
 * How progress is shown on stderr: a redrawn bar with ETA on a terminal; otherwise (CI logs, pipes, files) plain
 * lines: one per finished check or trained model with the elapsed time, and a line with the fraction done inside a
 * long check or training at most every `lineIntervalMs`.
 */
export type ProgressMode = 'bar' | 'lines';

export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Where lines go. @defaultValue process.stderr */
  readonly stream?: { write(text: string): unknown };
  /** Clock in milliseconds (tests inject one). @defaultValue performance.now */
  readonly now?: () => number;
  /** Least time between two in-progress lines of one check or model. @defaultValue 10000 */
  readonly lineIntervalMs?: number;
}

/** A bar when stderr is a terminal and the output is not JSON, lines otherwise. */
export function progressMode(options: { readonly json: boolean }): ProgressMode {
  return !options.json && process.stderr.isTTY === true ? 'bar' : 'lines';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function percent(fraction: number): string {
  return `${Math.round(100 * Math.min(1, Math.max(0, fraction)))}%`;
}

/** The battery's progress (the events of `runBattery`) as a bar with ETA or as lines. */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  return options.mode === 'bar' ? batteryBar() : batteryLines(options);
}

function batteryBar(): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    { format: 'battery [{bar}] {done}/{total} checks | ETA {eta_formatted} | {check}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let done = 0;
  return {
    onProgress(event: ProgressEvent) {
      if (event.type === 'battery-start') {
        bar.start(event.checks.length, 0, { check: '', done: 0 });
        started = true;
      } else if (event.type === 'check-start' && started) {
        bar.update(done, { check: event.checkId, done });
      } else if (event.type === 'check-progress' && started) {
        // the bar moves inside a long check: its value counts the running check's fraction
        bar.update(done + Math.min(1, Math.max(0, event.fraction)), { check: `${event.checkId} ${percent(event.fraction)}${event.message === undefined ? '' : ` (${event.message})`}`, done });
      } else if (event.type === 'check-alive' && started) {
        bar.update({ check: `${event.checkId} (${seconds(event.elapsedMs)})`, done });
      } else if (event.type === 'check-end' && started) {
        done += 1;
        bar.update(done, { check: `${event.checkId}: ${event.verdict ?? event.status}`, done });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function batteryLines(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.lineIntervalMs ?? 10_000;
  const started = now();
  let total = 0;
  let index = 0;
  let checkStarted = started;
  let lastLine = started;
  const prefix = (n: number): string => `[${String(n).padStart(String(total).length)}/${total} ${seconds(now() - started)}]`;
  return {
    onProgress(event: ProgressEvent) {
      if (event.type === 'battery-start') {
        total = event.checks.length;
        stream.write(`battery: ${total} check${total === 1 ? '' : 's'}\n`);
      } else if (event.type === 'check-start') {
        index = event.index + 1;
        checkStarted = now();
        lastLine = checkStarted;
      } else if (event.type === 'check-progress') {
        if (now() - lastLine < interval) return;
        lastLine = now();
        stream.write(`${prefix(index)} ${event.checkId}: ${percent(event.fraction)}${event.message === undefined ? '' : ` (${event.message})`} after ${seconds(lastLine - checkStarted)}\n`);
      } else if (event.type === 'check-alive') {
        // a check that reports no fraction still shows it is running
        if (now() - lastLine < interval) return;
        lastLine = now();
        stream.write(`${prefix(index)} ${event.checkId}: running for ${seconds(lastLine - checkStarted)}\n`);
      } else if (event.type === 'check-end') {
        const outcome =
          event.status === 'cached'
            ? `${event.verdict ?? 'done'} (kept from an earlier run)`
            : event.status === 'ran'
              ? `${event.verdict ?? 'done'} in ${seconds(event.durationMs)}`
              : `${event.status}${event.durationMs > 0 ? ` after ${seconds(event.durationMs)}` : ''}`;
        stream.write(`${prefix(index)} ${event.checkId}: ${outcome}\n`);
      }
    },
    stop: () => undefined,
  };
}

/** One trained model of `audit`: which, and where it is in the roster. */
export interface TrainingCell {
  readonly index: number;
  readonly total: number;
  readonly variant: string;
  readonly target: string;
  readonly steps: number;
}

export interface TrainingReporter {
  start(cell: TrainingCell): void;
  update(p: { readonly index: number; readonly step: number; readonly steps: number; readonly loss?: number }): void;
  /** `kept`: restored from an earlier, interrupted run instead of trained. */
  end(cell: TrainingCell, outcome: { readonly status: 'trained' | 'failed'; readonly trainingMs: number; readonly finalLoss?: number; readonly error?: string; readonly kept?: boolean }): void;
  stop(): void;
}

/** Progress of training several models (steps of every model) as a bar with ETA or as lines. */
export function createTrainingReporter(options: ProgressOptions): TrainingReporter {
  return options.mode === 'bar' ? trainingBar() : trainingLines(options);
}

function lossText(loss: number | undefined): string {
  return loss === undefined || Number.isNaN(loss) ? '-' : loss.toExponential(2);
}

function trainingBar(): TrainingReporter {
  const bar = new cliProgress.SingleBar(
    { format: 'training [{bar}] {percentage}% | model {cell} | {label} | loss {loss} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  let base = 0;
  return {
    start(p) {
      if (stopped) return;
      if (!started) {
        bar.start(p.total * p.steps, 0, { cell: `1/${p.total}`, label: '', loss: '-' });
        started = true;
      }
      base = p.index * p.steps;
      bar.update(base, { cell: `${p.index + 1}/${p.total}`, label: `${p.variant} on ${p.target}`, loss: '-' });
    },
    update(p) {
      if (started && !stopped) bar.update(base + Math.min(p.step + 1, p.steps), { loss: lossText(p.loss) });
    },
    end: () => undefined,
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

function trainingLines(options: ProgressOptions): TrainingReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.lineIntervalMs ?? 10_000;
  const started = now();
  let current: TrainingCell | undefined;
  let cellStarted = started;
  let lastLine = started;
  const prefix = (cell: TrainingCell): string => `[model ${String(cell.index + 1).padStart(String(cell.total).length)}/${cell.total} ${seconds(now() - started)}]`;
  return {
    start(cell) {
      if (cell.index === 0) stream.write(`training: ${cell.total} model${cell.total === 1 ? '' : 's'}, ${cell.steps} steps each\n`);
      current = cell;
      cellStarted = now();
      lastLine = cellStarted;
    },
    update(p) {
      if (current === undefined || now() - lastLine < interval) return;
      lastLine = now();
      stream.write(`${prefix(current)} ${current.variant} on ${current.target}: step ${Math.min(p.step, p.steps)}/${p.steps}, loss ${lossText(p.loss)}, ${seconds(lastLine - cellStarted)}\n`);
    },
    end(cell, outcome) {
      const what =
        outcome.status === 'trained'
          ? `trained in ${seconds(outcome.trainingMs)}${outcome.finalLoss === undefined ? '' : ` (final loss ${lossText(outcome.finalLoss)})`}${outcome.kept === true ? ', kept from an earlier run' : ''}`
          : `failed after ${seconds(outcome.trainingMs)}: ${outcome.error ?? ''}`;
      stream.write(`${prefix(cell)} ${cell.variant} on ${cell.target}: ${what}\n`);
      current = undefined;
    },
    stop: () => undefined,
  };
}

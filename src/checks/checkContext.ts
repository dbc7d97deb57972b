import { CmboundsError } from '../core/errors.ts';
import type { Rng } from '../random/rng.ts';
import type { Verdict } from './statement.ts';

/** Caps on what one check may spend. */
export interface SampleBudget {
  /** Upper bound on Monte Carlo draws a check makes per estimate; checks clamp their sample sizes to it. @defaultValue 1e6 */
  readonly maxSamples: number;
  /** Wall-clock cap per check in milliseconds (enforced at `ctx.checkBudget()` calls). @defaultValue Infinity */
  readonly maxWallMs: number;
}

export const DEFAULT_BUDGET: SampleBudget = { maxSamples: 1_000_000, maxWallMs: Number.POSITIVE_INFINITY };

/** Progress events of a battery (and of checks that report fractions). */
export type ProgressEvent =
  | { readonly type: 'battery-start'; readonly checks: readonly string[] }
  | { readonly type: 'check-start'; readonly checkId: string; readonly index: number; readonly total: number }
  | { readonly type: 'check-progress'; readonly checkId: string; readonly fraction: number; readonly message?: string }
  /** Emitted by `ctx.checkBudget()` at most once a second: the check is running (for checks that report no fraction). */
  | { readonly type: 'check-alive'; readonly checkId: string; readonly elapsedMs: number }
  | { readonly type: 'check-end'; readonly checkId: string; readonly verdict: Verdict | undefined; readonly status: 'ran' | 'cached' | 'skipped' | 'error' | 'aborted'; readonly durationMs: number }
  | { readonly type: 'battery-end'; readonly summary: Readonly<Record<string, number>> };

export type ProgressSink = (event: ProgressEvent) => void;

/** Thrown by `ctx.checkBudget()` when a check ran past its wall-time budget. */
export class BudgetExhaustedError extends CmboundsError {
  constructor(message: string) {
    super('E_INVALID_INPUT', message, 'budget');
  }
}

/** Thrown by `ctx.checkBudget()` when the run was cancelled. */
export class CheckAbortedError extends Error {
  constructor() {
    super('the check was cancelled');
    this.name = 'CheckAbortedError';
  }
}

/** What a check receives besides its subject. */
export interface CheckContext {
  /** The check's own stream (`root.child(checkId)` in a battery; `root.child(checkId).child(control)` for controls). */
  readonly rng: Rng;
  readonly budget: SampleBudget;
  /**
   * The false-fail rate the check must design its intervals for (P(violated | statement true)). In a battery
   * this is the battery's rate: Holm's step-down over the reported p-values then keeps the family-wise rate.
   */
  readonly falseFailRate: number;
  /** Reports a fraction in [0, 1] of the check's work (no-op outside the CLI). */
  progress(fraction: number, message?: string): void;
  /** Throws CheckAbortedError when cancelled and BudgetExhaustedError past the wall-time budget. Call it in loops. */
  checkBudget(): void;
  readonly signal?: AbortSignal;
  /**
   * Worker threads the check may use for independent units of its own work (`runUnits`; the sweep points of a
   * study): its Evidence must not depend on it. Unset or 1: none, everything runs in this thread.
   */
  readonly workers?: number;
}

export interface CheckContextOptions {
  readonly rng: Rng;
  readonly falseFailRate: number;
  readonly budget?: Partial<SampleBudget>;
  readonly signal?: AbortSignal;
  /**
   * Called by `checkBudget()` before it reads `signal`: may abort `signal` synchronously (the CLI reads a flag that its
   * main thread sets on Ctrl-C, since a signal listener cannot run while a check computes).
   */
  readonly pollInterrupt?: () => void;
  readonly checkId?: string;
  readonly onProgress?: ProgressSink;
  /** See `CheckContext.workers`. */
  readonly workers?: number;
  /** Clock for the wall-time budget (tests inject a fake). @defaultValue performance.now */
  readonly now?: () => number;
}

export function createCheckContext(options: CheckContextOptions): CheckContext {
  const budget: SampleBudget = { ...DEFAULT_BUDGET, ...options.budget };
  const now = options.now ?? (() => performance.now());
  const started = now();
  const checkId = options.checkId ?? '?';
  const signal = options.signal;
  let lastAlive = started;
  return {
    rng: options.rng,
    budget,
    falseFailRate: options.falseFailRate,
    ...(signal === undefined ? {} : { signal }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    progress(fraction, message) {
      options.onProgress?.({ type: 'check-progress', checkId, fraction, ...(message === undefined ? {} : { message }) });
    },
    checkBudget() {
      options.pollInterrupt?.();
      if (signal?.aborted) throw new CheckAbortedError();
      const time = now();
      const elapsed = time - started;
      if (options.onProgress !== undefined && time - lastAlive >= 1000) {
        lastAlive = time;
        options.onProgress({ type: 'check-alive', checkId, elapsedMs: elapsed });
      }
      if (elapsed > budget.maxWallMs) {
        throw new BudgetExhaustedError(`${checkId} ran ${elapsed.toFixed(0)} ms, past its budget of ${budget.maxWallMs} ms`);
      }
    },
  };
}

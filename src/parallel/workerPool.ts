import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { ValidationError } from '../core/errors.ts';

/**
 * A function that runs one independent unit of work, named by the module that exports it (a `file:` URL, e.g.
 * `new URL('./x.ts', import.meta.url).href`) and its export name, so a worker thread can import it. Its argument and
 * result cross the thread boundary by structured clone: plain data, typed arrays, no functions or class instances.
 */
export interface UnitTask<U, R> {
  readonly module: string;
  readonly name: string;
  /** Type witness only (never set). */
  readonly _types?: (unit: U) => R;
}

export function unitTask<U, R>(module: string, name: string): UnitTask<U, R> {
  return { module, name };
}

export interface RunUnitsOptions<R> {
  /** Worker threads; 1 runs every unit in this thread, in order. */
  readonly workers: number;
  /**
   * Called on this thread between units (one worker) or every `pollMs` while waiting (a pool): it may throw
   * (cancellation, a wall-time budget). The pool is then destroyed, which terminates its workers mid-unit, and the
   * error propagates.
   */
  readonly poll?: () => void;
  /** Called on this thread as each unit finishes, in completion order (progress, keeping finished work). */
  readonly onResult?: (result: R, index: number) => void;
  /** @defaultValue 50 */
  readonly pollMs?: number;
}

/** The default of `--workers`: the number of cores Node may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Validates a worker count at the boundary: an integer ≥ 1 (a string from the command line, or a number from a
 * config file). `undefined` gives the default (the number of cores).
 * @throws ValidationError naming the option.
 */
export function parseWorkers(value: unknown, option = '--workers'): number {
  if (value === undefined) return defaultWorkers();
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 1 (worker threads), got ${JSON.stringify(value)}`, option);
  }
  return n;
}

/**
 * Runs independent units of work, each as `task(unit)`, on `workers` threads of a tinypool pool (one thread: here,
 * in order), and returns the results in the order of `units` whatever order they finished in. Units must not depend
 * on each other or on scheduling: every seed a unit uses is derived from the unit itself, so the results are
 * bit-identical to one worker's. The pool lives for this call only; it is destroyed (its workers terminated) when
 * the call ends, on success, on a unit's error and on an error thrown by `poll`.
 */
export async function runUnits<U, R>(task: UnitTask<U, R>, units: readonly U[], options: RunUnitsOptions<R>): Promise<R[]> {
  const workers = parseWorkers(options.workers, 'workers');
  if (workers === 1 || units.length <= 1) {
    const run = (await import(task.module))[task.name] as ((unit: U) => R | Promise<R>) | undefined;
    if (typeof run !== 'function') throw new Error(`${task.module} has no exported function '${task.name}'`);
    const results: R[] = [];
    for (const [index, unit] of units.entries()) {
      options.poll?.();
      const result = await run(unit);
      results.push(result);
      options.onResult?.(result, index);
    }
    return results;
  }
  const pool = new Tinypool({ filename: new URL('./unitWorkerEntry.mjs', import.meta.url).href, minThreads: 0, maxThreads: Math.min(workers, units.length) });
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const stopped = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        try {
          options.poll?.();
        } catch (e) {
          reject(e);
        }
      }, options.pollMs ?? 50);
    });
    const all = Promise.all(
      units.map(async (unit, index) => {
        const result = (await pool.run({ module: task.module, name: task.name, unit })) as R;
        options.onResult?.(result, index);
        return result;
      }),
    );
    all.catch(() => undefined); // a unit failing after `stopped` won must not be an unhandled rejection
    return await Promise.race([all, stopped]);
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await pool.destroy();
  }
}

import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultWorkers, parseWorkers, runUnits, unitTask } from '../../../src/parallel/workerPool.ts';

const units = new URL('../../fixtures/poolUnits.ts', import.meta.url).href;
const draw = unitTask<{ seed: number; waitMs: number }, { seed: number; draws: number[] }>(units, 'drawFromUnit');

describe('runUnits', () => {
  it('returns results in the order of the units, equal bit for bit to one worker, whatever order they finished in', async () => {
    // later units finish first on the pool: results must still come back in unit order
    const work = [5, 6, 7, 8, 9, 10].map((seed, i) => ({ seed, waitMs: 300 - 50 * i }));
    const finished: number[] = [];
    const pooled = await runUnits(draw, work, { workers: 2, onResult: (_, index) => finished.push(index) });
    const inProcess = await runUnits(draw, work, { workers: 1 });
    expect(pooled.map((r) => r.seed)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(pooled).toEqual(inProcess);
    expect(new Set(pooled.map((r) => r.draws[0])).size).toBe(6);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  it('terminates its workers when poll throws (Ctrl-C): the error propagates and the units stop running', async () => {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const spin = unitTask<{ counter: Int32Array }, never>(units, 'spinForever');
    const started = performance.now();
    let polls = 0;
    const stop = new Error('interrupted');
    const run = runUnits(spin, [{ counter }, { counter }], {
      workers: 2,
      pollMs: 20,
      poll: () => {
        // stop once the workers are spinning (after their start-up)
        if (Atomics.load(counter, 0) > 0 && ++polls > 5) throw stop;
      },
    });
    await expect(run).rejects.toBe(stop);
    expect(performance.now() - started).toBeLessThan(50_000);
    const after = Atomics.load(counter, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Atomics.load(counter, 0)).toBe(after);
  }, 60_000);

  it("rejects with a unit's error", async () => {
    const fail = unitTask<{ fail: boolean }, number>(units, 'failOn');
    await expect(runUnits(fail, [{ fail: false }, { fail: true }], { workers: 2 })).rejects.toThrow('this unit fails');
    await expect(runUnits(fail, [{ fail: false }, { fail: true }], { workers: 1 })).rejects.toThrow('this unit fails');
  }, 60_000);
});

describe('parseWorkers', () => {
  it('accepts integers ≥ 1 and defaults to the number of cores', () => {
    expect(parseWorkers('3')).toBe(3);
    expect(parseWorkers(1)).toBe(1);
    expect(parseWorkers(undefined)).toBe(availableParallelism());
    expect(defaultWorkers()).toBe(availableParallelism());
  });
  it('refuses anything else, naming the option', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '', 0, 2.5, Number.NaN]) expect(() => parseWorkers(bad, '--workers')).toThrow(/^--workers: must be an integer ≥ 1/);
  });
});

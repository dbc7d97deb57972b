import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // Numerical property tests do real float64 work; the default 5 s is too tight on a loaded 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default is one worker fewer than the cores: on the CI's 2 cores that is one worker, which runs all the
    // files in sequence and leaves a core idle (most of the slow files wait on a spawned CLI or a model server). Two
    // workers there; the default (cores − 1) on larger machines.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});

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
    // The test files of a worker share one module graph instead of each re-importing src/ (and tfjs) in a fresh
    // context: on 2 cores the whole run went from 6 min 14 s (11.8 CPU min) to 4 min 2 s (7.5 CPU min), all tests
    // green. Test files therefore must not leave global state behind (spies are restored in `finally`; no module
    // mocks); vitest.mutate.config.ts isolates again, since Stryker's per-test coverage needs fresh modules.
    isolate: false,
  },
});

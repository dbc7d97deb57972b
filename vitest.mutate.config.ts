import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * Tests that Stryker runs against mutants (stryker.config.mjs): the unit tests mirrored on src/ and the theorem
 * tests mirrored on theorems/. The CLI, study and reference tests are left out (slow, and they exercise the same
 * code through the library). MUTATE_TESTS narrows them further, e.g. MUTATE_TESTS=test/unit/estimators to score
 * a folder against its own unit tests only, or to one spec file.
 */
const folders = (process.env['MUTATE_TESTS'] ?? 'test/unit,test/theorems').split(',').map((f) => f.trim().replace(/\/$/, ''));

// spread, not mergeConfig: mergeConfig would append to the base config's `include` instead of replacing it
// an entry ending in `.ts` is one spec file (MUTATE_TESTS=test/theorems/li2024/typicalSet.spec.ts), otherwise a folder
const include = folders.map((f) => (f.endsWith('.ts') ? f : `${f}/**/*.spec.ts`));
// one vitest worker per Stryker runner: Stryker's --concurrency sets how many cores a mutation run uses
export default defineConfig({ ...base, test: { ...base.test, include, maxWorkers: 1, isolate: true } });

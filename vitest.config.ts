import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // Numerical property tests do real float64 work; the default 5 s is too tight on a loaded 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

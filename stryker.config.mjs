// Mutation testing: `npm run mutate` (see README, "Mutation testing"). Not part of CI: it takes minutes per folder.
//
// Setup notes, each forced by the toolchain:
// - Stryker 9.x, because Stryker 10 needs node >= 22 and the project supports node 20.
// - No TypeScript checker and no tsconfig rewriting: typescript@7 has no JavaScript compiler API, so both crash
//   (`ts.parseConfigFileTextToJson is not a function`). `tsconfigFile` names a file that does not exist, which
//   makes the sandbox preprocessor skip the rewrite; mutants that do not typecheck simply fail at run time.
// - Only `*.ts` sources are mutated; the tests run through vitest.mutate.config.ts (unit and theorem tests, the
//   ones mirrored on the source tree, or those MUTATE_TESTS names), and per-test coverage runs only the tests that
//   reach each mutant (every test of the run for a static mutant).
// - Incremental mode: results are kept in reports/stryker-incremental.json (git-ignored, like all of reports/
//   except the references), so a rerun only tests mutants in changed code or reached by changed tests.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // `related: false`: with vitest's related mode, a static mutant (one in code that runs when the module loads, such
  // as a check's metadata) ran zero tests and was reported `Survived` (testsCompleted 0 in the JSON report). The tests
  // are narrowed by vitest.mutate.config.ts and MUTATE_TESTS instead, and per-test coverage still picks the tests
  // that reach each non-static mutant.
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  checkers: [],
  tsconfigFile: 'stryker-has-no-tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: [
    'theorems/**/*.ts',
    'src/checks/**/*.ts',
    'src/estimators/**/*.ts',
    'src/distributions/**/*.ts',
    'src/flows/**/*.ts',
    '!**/*.spec.ts',
    '!**/index.ts',
  ],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['reports', '.cmbounds-cache', 'coverage', 'dist'],
  concurrency: 2,
  timeoutMS: 60_000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

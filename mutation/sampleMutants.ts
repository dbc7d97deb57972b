// `npm run mutate:sample -- [--folder theorems] [--size 400] [--seed 1] [--concurrency 2] [--plan-only]`
//
// The mutation score of a folder from a uniform random sample of its mutants, with an exact (Clopper–Pearson)
// interval, for folders whose full Stryker run takes hours on 2 cores (theorems/: 8,799 mutants). Steps:
//   1. list every mutant of the folder's `*.ts` sources with Stryker's own instrumenter (same mutators, same
//      locations as `npm run mutate`), leaving out `index.ts` like stryker.config.mjs;
//   2. draw `size` of them uniformly without replacement (seeded: the same seed and sources give the same sample);
//   3. per source file, run Stryker on the sampled mutants only: the mutate ranges are the sampled nodes and
//      mutation/sampleIgnorer.mjs drops the nodes nested inside them, so what runs is each sampled node's mutants
//      (the sampled one and any other mutator's on the same node: ~1.2 per node in theorems/); the tests are the
//      spec files under test/theorems and test/unit that import the file (MUTATE_TESTS), as in docs/testing.md;
//      static mutants the vitest runner reports alive run again under the command runner (see below);
//   4. score: killed (including timeouts) over killed + survived + no coverage, counting only the sampled mutants.
//
// Why sample: each theorem spec runs its controls for every mutant (0.1–30 s each), so the whole folder is ~5 hours
// on 2 cores. The interval is binomial; sampling without replacement from a finite folder makes it conservative.
// Writes only under reports/mutation-sample/seed-<seed>/ (plan.json, per-file Stryker configs, reports, summary.md);
// Stryker's incremental files there make a rerun after a test change test only what changed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { estimateProportionByClopperPearson, rngFromSeed } from '../src/index.ts';

interface Position {
  readonly line: number;
  readonly column: number;
}
interface Location {
  readonly start: Position;
  readonly end: Position;
}
/** One mutant as the instrumenter lists it (lines and columns 0-based). */
export interface ListedMutant {
  readonly fileName: string;
  readonly location: Location;
  readonly mutatorName: string;
  readonly replacement: string;
}
type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

const silent = { isTraceEnabled: () => false, isDebugEnabled: () => false, isInfoEnabled: () => false, isWarnEnabled: () => false, isErrorEnabled: () => false, isFatalEnabled: () => false, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

/** Every `*.ts` source under `folder` that stryker.config.mjs mutates (no specs, no index.ts), sorted. */
export function sourcesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && entry !== 'index.ts') out.push(full.split(path.sep).join('/'));
    }
  };
  walk(folder);
  return out;
}

/** The mutants Stryker generates for these files, in file order then source order. */
export async function listMutants(files: readonly string[]): Promise<ListedMutant[]> {
  const instrumenter = new Instrumenter(silent as never);
  const result = await instrumenter.instrument(
    files.map((name) => ({ name, content: readFileSync(name, 'utf8'), mutate: true })),
    { plugins: null, excludedMutations: [], ignorers: [], noHeader: true } as never,
  );
  return result.mutants.map((m) => ({ fileName: m.fileName, location: m.location as Location, mutatorName: m.mutatorName, replacement: m.replacement }));
}

/** `size` indices of 0..n−1 drawn uniformly without replacement (partial Fisher–Yates), sorted. */
export function drawIndices(n: number, size: number, seed: number): number[] {
  const rng = rngFromSeed(seed).child('mutation-sample');
  const order = Array.from({ length: n }, (_, i) => i);
  const k = Math.min(size, n);
  for (let i = 0; i < k; i++) {
    const j = i + rng.integer(n - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, k).sort((a, b) => a - b);
}

/** Spec files under test/theorems and test/unit that import `file` by its path (for a library file none imports: its mirrored
 * test folder's specs; for a theorem file, also the statements-doc spec). */
export function specsImporting(file: string, unitOnly = false): string[] {
  const needle = file.replace(/^\.\//, '');
  const specs: string[] = [];
  for (const root of unitOnly ? ['test/unit'] : ['test/theorems', 'test/unit']) {
    if (!existsSync(root)) continue;
    for (const spec of sourcesUnder(root).concat(listSpecs(root))) {
      if (!spec.endsWith('.spec.ts')) continue;
      const text = readFileSync(spec, 'utf8');
      if (new RegExp(`from '[./]*/${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`).test(text)) specs.push(spec);
    }
  }
  // a library file no spec imports by path (reached through another module, e.g. the ODE solver through referenceFlow):
  // the specs of its mirrored test folder (src/flows/x.ts → test/unit/flows/)
  // (src/flows/lipschitz/x.ts → test/unit/flows/lipschitz/, or the nearest existing ancestor, test/unit/flows/)
  if (specs.length === 0 && needle.startsWith('src/')) {
    let mirrored = path.posix.join('test/unit', path.posix.dirname(needle).slice('src/'.length));
    while (!existsSync(mirrored) && mirrored !== 'test/unit') mirrored = path.posix.dirname(mirrored);
    if (mirrored !== 'test/unit') specs.push(...listSpecs(mirrored));
  }
  // the statements reference (docs/statements.md) is compared with every check's metadata, read through the registry
  if (needle.startsWith('theorems/') && !unitOnly && existsSync(STATEMENTS_DOC_SPEC)) specs.push(STATEMENTS_DOC_SPEC);
  return [...new Set(specs)].filter((s) => !s.includes('/catalog/'));
}

/** Reads every statement's metadata through theorems/index.ts, so it runs for each theorem file. */
const STATEMENTS_DOC_SPEC = 'test/theorems/statementsDoc.spec.ts';

function listSpecs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.spec.ts')) out.push(full.split(path.sep).join('/'));
    }
  };
  walk(root);
  return out;
}

const keyOf = (fileName: string, loc: Location, mutatorName: string, replacement: string): string =>
  JSON.stringify([fileName, loc.start.line, loc.start.column, loc.end.line, loc.end.column, mutatorName, replacement]);

const sameNode = (a: Location, b: Location): boolean =>
  a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export interface Options {
  folder: string;
  size: number;
  seed: number;
  concurrency: number;
  planOnly: boolean;
  /** Run Stryker only on these source files of the sample (the others keep their earlier reports). */
  only: string[] | undefined;
  summaryOnly: boolean;
  /** Only the spec files under test/unit (a library folder's own tests; a lower bound where theorem specs also reach it). */
  unitOnly?: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { folder: 'theorems', size: 400, seed: 1, concurrency: 2, planOnly: false, only: undefined, summaryOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const positive = (name: string, v: string): number => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
      return n;
    };
    if (arg === '--folder') options.folder = value().replace(/\/$/, '');
    else if (arg === '--size') options.size = positive('--size', value());
    else if (arg === '--seed') options.seed = positive('--seed', value());
    else if (arg === '--concurrency') options.concurrency = positive('--concurrency', value());
    else if (arg === '--unit-only') options.unitOnly = true;
    else if (arg === '--plan-only') options.planOnly = true;
    else if (arg === '--summary-only') options.summaryOnly = true;
    else if (arg === '--only') options.only = value().split(',').map((f) => f.trim());
    else throw new Error(`unknown option ${arg} (accepted: --folder, --size, --seed, --concurrency, --only, --plan-only, --summary-only, --unit-only)`);
  }
  if (!existsSync(options.folder) || !statSync(options.folder).isDirectory()) throw new Error(`--folder: no folder '${options.folder}'`);
  return options;
}

interface ReportMutant {
  static?: boolean;
  statusReason?: string;
  testsCompleted?: number;
  mutatorName: string;
  replacement: string;
  status: Status;
  location: { start: Position; end: Position };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const outDir = path.join('reports', 'mutation-sample', `${options.folder.replace(/\//g, '-')}-seed-${options.seed}`);
  mkdirSync(outDir, { recursive: true });
  const files = sourcesUnder(options.folder);
  const all = await listMutants(files);
  const sample = drawIndices(all.length, options.size, options.seed).map((i) => all[i]!);
  const byFile = new Map<string, ListedMutant[]>();
  for (const m of sample) byFile.set(m.fileName, [...(byFile.get(m.fileName) ?? []), m]);
  const plan = [...byFile].map(([file, mutants]) => ({ file, specs: specsImporting(file, options.unitOnly === true), mutants }));
  writeAtomically(path.join(outDir, 'plan.json'), `${JSON.stringify({ folder: options.folder, seed: options.seed, population: all.length, files: files.length, size: sample.length, plan }, null, 1)}\n`);
  console.log(`${options.folder}: ${all.length} mutants in ${files.length} files; sample of ${sample.length} (seed ${options.seed}) in ${plan.length} files → ${outDir}/plan.json`);
  if (options.planOnly) return;

  const unknown = (options.only ?? []).filter((f) => !plan.some((p) => p.file === f));
  if (unknown.length > 0) throw new Error(`--only: ${unknown.join(', ')} has no sampled mutant (files in the sample: ${plan.map((p) => p.file).join(', ')})`);
  for (const [index, { file, specs, mutants }] of plan.entries()) {
    if (options.summaryOnly || (options.only !== undefined && !options.only.includes(file))) continue;
    const slug = file.replace(/[/.]/g, '_');
    const reportFile = path.join(outDir, `${slug}.mutation.json`);
    if (specs.length === 0) {
      console.log(`[${index + 1}/${plan.length}] ${file}: no spec imports it; its ${mutants.length} sampled mutants count as not covered`);
      continue;
    }
    console.log(`[${index + 1}/${plan.length}] ${file}: ${mutants.length} sampled mutants; tests: ${specs.join(', ')}`);
    const started = Date.now();
    runStryker(outDir, `${slug}`, file, mutants, specs, 'vitest', options.concurrency);
    const first = readReport(reportFile, file);
    const unmatched = mutants.filter((m) => !first.statusOf.has(keyOf(m.fileName, m.location, m.mutatorName, m.replacement)));
    if (unmatched.length > 0) throw new Error(`${file}: ${unmatched.length} sampled mutants are missing from Stryker's report (e.g. line ${unmatched[0]!.location.start.line + 1} ${unmatched[0]!.mutatorName})`);
    // Stryker's vitest runner reports a static mutant `Survived` with zero tests run when the mutant makes the test
    // file fail to load (a check's metadata refused by defineCheck at import): vitest records a collection error, not
    // a failed test; and it reported static mutants alive that fail the spec files when applied by hand (a check's
    // `constants: []`). Every static survivor therefore runs again under Stryker's command runner (`npx vitest run`
    // of the file's specs in a fresh process), where a failing test or a file that fails to load fails the command.
    const unrun = mutants.filter((m) => first.unrun.has(keyOf(m.fileName, m.location, m.mutatorName, m.replacement)));
    if (unrun.length > 0) runStryker(outDir, `${slug}.static`, file, unrun, specs, 'command', options.concurrency);
    const fileReports: ReportCache = new Map();
    const statuses = mutants.map((m) => resultOfSampled(outDir, file, m, fileReports).status);
    console.log(`    ${((Date.now() - started) / 1000).toFixed(0)} s; sampled: ${statuses.filter((s) => s === 'Killed' || s === 'Timeout').length} killed of ${mutants.length} (${unrun.length} rerun by the command runner)`);
  }
  summarize(options, all.length, files.length, plan, outDir);
}

/** One Stryker run on the nodes of `mutants` in `file` (nested nodes ignored), with the vitest or the command runner. */
function runStryker(outDir: string, name: string, file: string, mutants: readonly ListedMutant[], specs: readonly string[], runner: 'vitest' | 'command', concurrency: number): void {
  const nodes: Location[] = [];
  for (const m of mutants) if (!nodes.some((n) => sameNode(n, m.location))) nodes.push(m.location);
  const sampleFile = path.resolve(outDir, `${name}.sample.json`);
  writeAtomically(sampleFile, JSON.stringify({ file, nodes }));
  const ranges = nodes.map((n) => `${file}:${n.start.line + 1}:${n.start.column}-${n.end.line + 1}:${n.end.column}`);
  const config = path.resolve(outDir, `${name}.stryker.mjs`);
  const runnerOptions =
    runner === 'command'
      ? `  testRunner: 'command', coverageAnalysis: 'off', commandRunner: { command: 'npx vitest run --config vitest.mutate.config.ts' },\n`
      : '';
  writeAtomically(
    config,
    `import base from '${path.resolve('stryker.config.mjs')}';\n` +
      `export default { ...base, mutate: ${JSON.stringify(ranges)}, concurrency: ${concurrency},\n` +
      runnerOptions +
      `  plugins: ['@stryker-mutator/*', '${path.resolve('mutation/sampleIgnorer.mjs')}'], ignorers: ['mutation-sample'],\n` +
      `  incrementalFile: ${JSON.stringify(path.join(outDir, `${name}.incremental.json`))},\n` +
      `  reporters: ['json', 'progress'], jsonReporter: { fileName: ${JSON.stringify(path.join(outDir, `${name}.mutation.json`))} } };\n`,
  );
  const run = spawnSync('npx', ['stryker', 'run', config], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, MUTATE_TESTS: specs.join(','), CMBOUNDS_MUTATION_SAMPLE: sampleFile } });
  if (run.status !== 0) throw new Error(`stryker (${runner} runner) exited ${run.status} on ${file}`);
}

/** Reports read while scoring, by path: each per-file report is parsed once per summary, not once per mutant. */
type ReportCache = Map<string, ReturnType<typeof readReport>>;

function cachedReport(cache: ReportCache | undefined, reportFile: string, file: string): ReturnType<typeof readReport> {
  const hit = cache?.get(reportFile);
  if (hit !== undefined) return hit;
  const report = readReport(reportFile, file);
  cache?.set(reportFile, report);
  return report;
}

/** Status and Stryker's reason (an ignored mutant's directive text) of a sampled mutant: the command runner's where
 * it reran the mutant, else the vitest runner's. */
function resultOfSampled(outDir: string, file: string, m: ListedMutant, cache?: ReportCache): { status: Status | undefined; reason: string | undefined } {
  const slug = file.replace(/[/.]/g, '_');
  const key = keyOf(m.fileName, m.location, m.mutatorName, m.replacement);
  const first = cachedReport(cache, path.join(outDir, `${slug}.mutation.json`), file);
  const report = first.unrun.has(key) ? cachedReport(cache, path.join(outDir, `${slug}.static.mutation.json`), file) : first;
  return { status: report.statusOf.get(key), reason: report.reasonOf.get(key) };
}

/** Status of every mutant in a per-file Stryker JSON report, keyed like the sample (the report's positions are 1-based). */
function readReport(reportFile: string, file: string): { statusOf: Map<string, Status>; reasonOf: Map<string, string>; reported: ReportMutant[]; unrun: Set<string> } {
  const statusOf = new Map<string, Status>();
  const reasonOf = new Map<string, string>();
  const unrun = new Set<string>();
  if (!existsSync(reportFile)) return { statusOf, reasonOf, reported: [], unrun };
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { files: Record<string, { mutants: ReportMutant[] }> };
  const reported = report.files[file]?.mutants ?? [];
  for (const r of reported) {
    const loc = { start: { line: r.location.start.line - 1, column: r.location.start.column - 1 }, end: { line: r.location.end.line - 1, column: r.location.end.column - 1 } };
    const key = keyOf(file, loc, r.mutatorName, r.replacement);
    statusOf.set(key, r.status);
    if (r.statusReason !== undefined) reasonOf.set(key, r.statusReason);
    if (r.status === 'Survived' && r.static === true) unrun.add(key);
  }
  return { statusOf, reasonOf, reported, unrun };
}

export function summarize(options: Options, population: number, fileCount: number, plan: readonly { file: string; specs: string[]; mutants: ListedMutant[] }[], outDir: string): void {
  const rows: string[] = [];
  const survivors: string[] = [];
  let killed = 0;
  let counted = 0;
  const missing: string[] = [];
  const excluded: string[] = [];
  const reports: ReportCache = new Map();
  for (const { file, specs, mutants } of plan) {
    let k = 0;
    let c = 0;
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const m of mutants) {
      const result = specs.length === 0 ? { status: 'NoCoverage' as const, reason: undefined } : resultOfSampled(outDir, file, m, reports);
      const status = result.status;
      if (status === undefined || status === 'Pending') {
        missing.push(`${file}:${m.location.start.line + 1} ${m.mutatorName}`);
        continue;
      }
      if (status === 'CompileError' || status === 'RuntimeError' || status === 'Ignored') {
        const reason = status === 'Ignored' ? result.reason : undefined;
        excluded.push(`| ${file}:${m.location.start.line + 1} | ${m.mutatorName} | ${status} | ${(reason ?? '').replace(/\|/g, '\\|')} |`);
        continue;
      }
      c++;
      if (status === 'Killed' || status === 'Timeout') k++;
      else survivors.push(`| ${file}:${m.location.start.line + 1} | ${m.mutatorName} | \`${m.replacement.replace(/\s+/g, ' ').slice(0, 60).replace(/\|/g, '\\|')}\` | ${status} | \`${(lines[m.location.start.line] ?? '').trim().slice(0, 80).replace(/\|/g, '\\|')}\` |`);
    }
    killed += k;
    counted += c;
    rows.push(`| ${file} | ${mutants.length} | ${c} | ${k} | ${c === 0 ? '–' : `${((100 * k) / c).toFixed(0)}%`} |`);
  }
  let headline: string;
  if (missing.length > 0) {
    // the files run so far are not a uniform sample of the folder: list their survivors, give no folder score
    headline = `partial: ${missing.length} sampled mutants have no result yet (their files not run: ${[...new Set(missing.map((m) => m.split(':')[0]))].join(', ')}); no score. The survivors of the files run so far are listed.`;
  } else {
    const score = estimateProportionByClopperPearson(killed, counted, { level: 0.95 });
    headline = `${options.folder}/: ${(100 * score.value).toFixed(1)}% killed [${(100 * score.interval.lower).toFixed(1)}, ${(100 * score.interval.upper).toFixed(1)}] (95% Clopper–Pearson), ${killed} of ${counted} scored sampled mutants, ${excluded.length} left out as equivalent or invalid (uniform sample of ${plan.reduce((a, p) => a + p.mutants.length, 0)} of ${population} in ${fileCount} files, seed ${options.seed})`;
  }
  const text = [
    `# Mutation score of ${options.folder}/ from a uniform sample of its mutants`,
    '',
    headline,
    '',
    `## Left out of the score (${excluded.length}): marked equivalent (Ignored, with the directive's reason) or invalid`,
    '',
    '| where | mutator | status | reason |',
    '| --- | --- | --- | --- |',
    ...excluded,
    '',
    '| file | sampled | scored | killed | score |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `## Survivors (${survivors.length})`,
    '',
    '| where | mutator | replacement | status | line |',
    '| --- | --- | --- | --- | --- |',
    ...survivors,
    '',
  ].join('\n');
  writeAtomically(path.join(outDir, 'summary.md'), text);
  console.log(`\n${headline}\nsummary: ${path.join(outDir, 'summary.md')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import type { AnyCheck } from '../../checks/defineCheck.ts';
import { runControl } from '../../checks/runControl.ts';
import type { BatteryResult } from '../../checks/runBattery.ts';
import { orderByDependencies, runBattery } from '../../checks/runBattery.ts';
import { stringifyWithNonFinite } from '../../checks/resultsCache.ts';
import { constantsMarkdown, parseClaims, parseSchedule } from '../../config/claims.ts';
import { isBuiltInTargetName, targetFromSpec } from '../../config/targetSpec.ts';
import { ConfigError } from '../../core/errors.ts';
import { assertReportFolderUsable } from '../../core/outputLocation.ts';
import { sourceFingerprint } from '../../core/sourceFingerprint.ts';
import type { AuditReport } from '../../report/auditReport.ts';
import { writeReportAtomically } from '../../report/writeReportAtomically.ts';
import { mathAsPlainText } from '../../report/plainMath.ts';
import { parseNumber, resolveCommandConfig } from '../parseOptions.ts';
import { readJsonInput, readSpecOption } from '../../config/readInput.ts';
import { INTERRUPTED_EXIT, shellQuote, watchInterruption } from '../interrupt.ts';
import { createProgressReporter, progressMode } from '../progress.ts';
import { selectChecks } from '../selectChecks.ts';
import type { Suite, SuiteBuilder, SuiteModel } from '../../checks/suite.ts';
import { defaultWorkers } from '../../parallel/workerPool.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';

/** Options of `cmbounds run`; every flag is also a field of the same name (camelCase) in `--config`. */
const runConfigSchema = z
  .object({
    suite: z.string().min(1).default('quick'),
    // optional so that `--model` can tell an explicit --target from the default (ring8-2d)
    target: z.string().min(1).optional(),
    seed: z.number().int().min(0).default(1),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
    resume: z.boolean().default(false),
    falseFailRate: z.number().gt(0).lt(1).default(1e-3),
    maxSamples: z.number().int().positive().optional(),
    budget: z.number().positive().optional(),
    controls: z.boolean().default(true),
    cacheDir: z.string().min(1).default('.cmbounds-cache'),
    model: z.string().min(1).optional(),
    modelTimeout: z.number().positive().default(120),
    modelBatch: z.number().int().positive().default(4096),
    shard: z
      .string()
      .regex(/^\d+\/\d+$/, 'must look like i/n, e.g. 2/8')
      .refine((v) => {
        const [i, n] = v.split('/').map(Number);
        return n! >= 1 && i! >= 1 && i! <= n!;
      }, 'needs 1 ≤ i ≤ n')
      .optional(),
    check: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    // normalised by resolveConfig (parseClaims / parseSchedule), which names the malformed pair
    claim: z.record(z.string(), z.number()).optional(),
    schedule: z.object({ T: z.number().optional(), c0: z.number().optional(), c1: z.number().optional() }).strict().optional(),
    // worker threads for the independent units inside checks (a study's sweep points); not part of the configuration's hash
    workers: z.number().int().min(1).optional(),
  })
  .strict();
export type RunConfig = z.infer<typeof runConfigSchema>;

/** The target of `run` when none is given. */
const DEFAULT_TARGET = 'ring8-2d';

/** Exit code when a control does not give its declared verdict: the harness, not the theory, is broken. */
export const HARNESS_FAILURE_EXIT = 3;
export { INTERRUPTED_EXIT };

export interface RunOutcome {
  readonly exitCode: number;
  readonly reportDir?: string;
  readonly report?: AuditReport;
}

/**
 * `cmbounds run`: builds a suite for a target, runs its battery (dependency order, Holm across the battery,
 * resumable through a results cache), runs every check's controls as a harness self-test, writes the report
 * atomically and prints a verdict summary. Exits 0 when the battery ran, whatever the verdicts (DESIGN §4).
 */
export function runCommand(suites: Readonly<Record<string, SuiteBuilder>>, setExitCode: (code: number) => void): Command {
  return new Command('run')
    .description('Run a battery of theorem checks on a target and write a Markdown/HTML report under reports/.')
    .addOption(new Option('--suite <name>', 'which battery').choices(Object.keys(suites)))
    .option('--target <name|file>', 'a built-in target name or a TargetSpec JSON file (default ring8-2d)')
    .option('--seed <n>', 'root seed of every random stream (default 1)', parseInteger)
    .option('--out <dir>', 'report folder (default reports/<timestamp>-<suite>)')
    .option('--json', 'print the results document as JSON instead of the summary table; no progress bars')
    .option('--resume', 'reuse results of checks already finished by an interrupted run with the same configuration')
    .option('--false-fail-rate <p>', 'family-wise false-fail rate of the battery (Holm; default 1e-3)', parseReal)
    .option('--max-samples <n>', 'cap on Monte Carlo samples per estimate', parseInteger)
    .option('--budget <seconds>', 'wall-time budget per check; a check past it reports inconclusive (budget-exhausted)', parseReal)
    .option('--no-controls', 'skip the controls self-test (each check on its own holds/violated controls)')
    .option('--cache-dir <dir>', 'where finished checks are kept for --resume (default .cmbounds-cache)')
    .option('--model <DIR|cmd:…>', 'a trained model for --suite trained: a folder from `cmbounds train`, or cmd:<command> (docs/external-models.md); its target and process come with it')
    .option('--model-timeout <seconds>', 'external model: seconds to wait for an answer (default 120)', parseFloat)
    .option('--model-batch <n>', 'external model: most points per request (default 4096)', parseInteger)
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices of the battery (combine with `cmbounds merge`)')
    .option('--check <id>', 'run only this statement and the statements it depends on (repeatable): replays one check of a report with its --seed and --target', (v: string, previous: string[] | undefined) => [...(previous ?? []), v])
    .option('--claim <NAME=VALUE>', 'a constant to test, repeatable (c3, c4, c5, c6, cR, Lf, Ls as in THEORY.md); the rest keep the suite defaults', collectClaim)
    .option('--schedule <T=…,c0=…,c1=…>', 'the Li–Huang–Wei schedule (23), e.g. T=1024,c0=2,c1=8; fields left out keep the suite defaults')
    .option('--workers <n>', 'worker threads for independent units of work inside checks, e.g. the sweep points of a study (default: the number of cores; 1: in-process); the report does not depend on it', parseInteger)
    .option('--config <file>', 'JSON file with any of the options above (camelCase); flags override it')
    .action(async (flags: Record<string, unknown>) => {
      const outcome = await runSuite(resolveConfig(flags), suites, shellQuote(process.argv.slice(2)));
      setExitCode(outcome.exitCode);
    });
}

function collectClaim(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseShard(text: string): { index: number; count: number } {
  const [index, count] = text.split('/').map(Number);
  return { index: index!, count: count! };
}

function parseInteger(v: string): number {
  return parseNumber(v, { integer: true });
}

function parseReal(v: string): number {
  return parseNumber(v);
}

/** Merges `--config` (validated, fields named) with flags (which win). */
export function resolveConfig(flags: Record<string, unknown>): RunConfig {
  // claims and schedule: the file's, then the flags' per name, each side checked (and named) where it came from
  const configPath = typeof flags['config'] === 'string' ? flags['config'] : undefined;
  const fromFile = configPath === undefined ? {} : readJsonInput(configPath, '--config');
  const file = fromFile !== null && typeof fromFile === 'object' && !Array.isArray(fromFile) ? (fromFile as Record<string, unknown>) : {};
  const extra: Record<string, unknown> = {};
  if (file['claim'] !== undefined || flags['claim'] !== undefined) {
    const ofFile = file['claim'] === undefined ? {} : parseClaims(file['claim'], 'config.claim');
    extra['claim'] = parseClaims({ ...ofFile, ...(flags['claim'] === undefined ? {} : parseClaims(flags['claim'], '--claim')) }, 'claim');
  }
  if (file['schedule'] !== undefined || flags['schedule'] !== undefined) {
    const ofFile = file['schedule'] === undefined ? {} : parseSchedule(file['schedule'], 'config.schedule');
    extra['schedule'] = parseSchedule({ ...ofFile, ...(flags['schedule'] === undefined ? {} : parseSchedule(flags['schedule'], '--schedule')) }, 'schedule');
  }
  const { claim: _claimFlags, schedule: _scheduleFlags, ...otherFlags } = flags;
  const withoutConstants = (): unknown => (fromFile === file ? { ...file, claim: undefined, schedule: undefined } : fromFile);
  return resolveCommandConfig(runConfigSchema, otherFlags, withoutConstants, extra);
}

/** Runs a suite end to end (the testable core of `cmbounds run`). */
export async function runSuite(config: RunConfig, suites: Readonly<Record<string, SuiteBuilder>>, command: string, signal?: AbortSignal): Promise<RunOutcome> {
  const started = Date.now();
  const builder = suites[config.suite];
  if (builder === undefined) throw new ConfigError('E_INVALID_INPUT', `unknown suite '${config.suite}'; known: ${Object.keys(suites).join(', ')}`, 'suite');
  const shard = config.shard === undefined ? undefined : parseShard(config.shard);
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const dir = config.out ?? join('reports', `${stamp}-${config.suite}${shard === undefined ? '' : `-shard${shard.index}of${shard.count}`}`);
  // before any work: a report folder that cannot be written, or that holds the user's files, stops the run now
  assertReportFolderUsable(dir, '--out');
  const loaded = config.model === undefined ? undefined : await loadSuiteModel(config);
  let fullSuite: Suite;
  // a trained model brings its own target (a folder records it; an external model declares it or takes --target)
  const targetText = config.target ?? DEFAULT_TARGET;
  let target: ExactTarget;
  let targetName: string;
  try {
    target = loaded?.target ?? targetFromSpec(readSpecOption(targetText, '--target', isBuiltInTargetName), '--target');
    targetName = target.name ?? (loaded === undefined ? relative('.', targetText) : target.kind);
    const userConstants = { ...(config.claim === undefined ? {} : { claims: config.claim }), ...(config.schedule === undefined ? {} : { schedule: config.schedule }) };
    const builtSuite = await builder({ target, targetName, seed: config.seed, constants: userConstants, cacheDir: config.cacheDir, ...(config.check === undefined ? {} : { checkIds: typeof config.check === 'string' ? [config.check] : config.check }), ...(loaded === undefined ? {} : { model: loaded.suiteModel }) });
    if (builtSuite.constants === undefined && (config.claim !== undefined || config.schedule !== undefined)) {
      throw new ConfigError('E_INVALID_INPUT', `suite '${config.suite}' takes no --claim or --schedule: its constants are part of its design`, config.claim === undefined ? 'schedule' : 'claim');
    }
    fullSuite = config.check === undefined ? builtSuite : { ...builtSuite, checks: selectChecks(builtSuite.checks, typeof config.check === 'string' ? [config.check] : config.check, `${config.suite} suite on ${targetName}`) };
  } catch (e) {
    loaded?.dispose();
    throw e;
  }
  try {
    // a shard records its suite and target so that `merge` can rebuild the suite and recompute the Findings
    const shardTarget = loaded === undefined && isBuiltInTargetName(targetText) ? targetText : target.toSpec();
    return await runBuiltSuite(config, fullSuite, command, started, dir, shard === undefined ? undefined : { ...shard, target: shardTarget, targetName }, signal);
  } finally {
    loaded?.dispose();
  }
}

/** Loads `--model` (after the tfjs backend, which MLP folders need) with a key that names its parameters. */
async function loadSuiteModel(config: RunConfig): Promise<{ target: ExactTarget; suiteModel: SuiteModel; dispose: () => void }> {
  const spec = config.model!;
  const { initTfjsBackend } = await import('../../models/tfjsBoundary.ts');
  const { loadModelSpec } = await import('../../training/modelDirectory.ts');
  const explicitTarget = config.target === undefined ? {} : { target: targetFromSpec(readSpecOption(config.target, '--target', isBuiltInTargetName), '--target') };
  if (!spec.startsWith('cmd:')) await initTfjsBackend();
  const loaded = loadModelSpec(spec, { timeoutSeconds: config.modelTimeout, batchSize: config.modelBatch, ...explicitTarget });
  const hash = createHash('sha256');
  if (spec.startsWith('cmd:')) hash.update(spec);
  else for (const file of ['model.json', ...Object.values(loaded.meta.weights)].sort()) hash.update(file).update(readFileSync(join(spec, file)));
  return {
    target: loaded.target,
    suiteModel: { model: loaded.model, process: loaded.process, spec, variantId: loaded.meta.variant.id, modelKey: hash.digest('hex').slice(0, 16) },
    dispose: loaded.dispose,
  };
}

async function runBuiltSuite(
  config: RunConfig,
  fullSuite: Suite,
  command: string,
  started: number,
  dir: string,
  shard: { index: number; count: number; target: unknown; targetName: string } | undefined,
  signal: AbortSignal | undefined,
): Promise<RunOutcome> {
  const order = orderByDependencies(fullSuite.checks).map((c) => c.id);
  // a shard takes every n-th check of the dependency order: deterministic, and balanced across shards
  const suite = shard === undefined ? fullSuite : { ...fullSuite, checks: fullSuite.checks.filter((c) => order.indexOf(c.id) % shard.count === shard.index - 1) };
  const codeVersion = codeFingerprint();
  // the shard is not part of the hash: shards of one run share a configuration (and `merge` checks it)
  const configHash = createHash('sha256').update(JSON.stringify({ ...config, out: undefined, json: undefined, resume: undefined, cacheDir: undefined, shard: undefined, workers: undefined, codeVersion })).digest('hex').slice(0, 16);
  const cacheDir = join(config.cacheDir, configHash);
  if (!config.resume) rmSync(cacheDir, { recursive: true, force: true });

  const interruption = watchInterruption(signal);
  const progress = createProgressReporter({ mode: progressMode(config) });
  let battery: BatteryResult;
  let controlFailures: string[] = [];
  try {
    battery = await runBattery(suite.checks, suite.subjects, {
      seed: config.seed,
      falseFailRate: config.falseFailRate,
      cache: { dir: cacheDir, codeVersion },
      onProgress: progress.onProgress,
      signal: interruption.signal,
      pollInterrupt: interruption.poll,
      workers: config.workers ?? defaultWorkers(),
      budget: {
        ...(config.maxSamples ?? suite.maxSamples ? { maxSamples: config.maxSamples ?? suite.maxSamples! } : {}),
        ...(config.budget === undefined ? {} : { maxWallMs: 1000 * config.budget }),
      },
    });
    if (!battery.aborted && config.controls) controlFailures = await selfTest(suite, config.seed, interruption.signal, interruption.poll);
    interruption.poll();
  } finally {
    progress.stop();
    interruption.dispose();
  }
  if (battery.aborted || interruption.signal.aborted) {
    const done = battery.results.filter((r) => r.status === 'ran' || r.status === 'cached').length;
    process.stderr.write(`interrupted: ${done} of ${suite.checks.length} checks finished and are kept in ${cacheDir}; to finish, run: ${resumeCommand(command)}\n`);
    return { exitCode: INTERRUPTED_EXIT };
  }

  const byId = new Map(suite.checks.map((c) => [c.id, c]));
  const draft: AuditReport = {
    title: suite.title,
    subject: suite.subject,
    entries: battery.results.map((result) => {
      const c = byId.get(result.checkId as AnyCheck['id'])!;
      return { statement: { id: c.id, kind: c.kind, title: c.title, claim: c.claim, source: c.source, dependsOn: c.dependsOn }, result };
    }),
    ...(suite.constants === undefined ? {} : { constants: suite.constants, sections: [{ markdown: constantsMarkdown(suite.constants), plots: [] }] }),
    summary: battery.summary,
    falseFailRate: battery.falseFailRate,
    ...(shard === undefined ? {} : { shard: { ...shard, order, suite: config.suite } }),
    provenance: {
      command: `cmbounds ${command}`.trim(),
      seed: config.seed,
      configHash,
      ...gitRevision(),
      versions: { cmbounds: packageVersion(), node: process.version },
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine: `${platform()}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}`,
    },
  };
  const report = suite.findings === undefined ? draft : { ...draft, findings: suite.findings(draft) };
  await writeReportAtomically(report, dir);
  if (config.json) process.stdout.write(stringifyWithNonFinite(report) + '\n');
  else process.stdout.write(summaryTable(report, dir));
  if (controlFailures.length > 0) {
    process.stderr.write(`error: harness self-test failed — ${controlFailures.join('; ')}\n`);
    return { exitCode: HARNESS_FAILURE_EXIT, reportDir: dir, report };
  }
  return { exitCode: 0, reportDir: dir, report };
}

/** Runs every control of every check in the suite; returns one message per control whose verdict is wrong. */
export async function selfTest(suite: Suite, seed: number, signal: AbortSignal, pollInterrupt?: () => void): Promise<string[]> {
  const failures: string[] = [];
  // a check that runs on several subjects (f* and a trained model) shares its controls: they run once
  const ran = new Set<AnyCheck['controls']>();
  for (const check of suite.checks) {
    if (ran.has(check.controls)) continue;
    ran.add(check.controls);
    for (const control of check.controls) {
      await new Promise((resolve) => setImmediate(resolve));
      pollInterrupt?.();
      if (signal.aborted) return failures;
      try {
        const evidence = await runControl(check, control.name, { seed });
        if (evidence.verdict !== control.expected) failures.push(`${check.id} control '${control.name}' gave ${evidence.verdict}, expected ${control.expected}`);
      } catch (e) {
        failures.push(`${check.id} control '${control.name}' threw: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return failures;
}

/** The command that finishes an interrupted run: the same one with `--resume` (`reproduce` always resumes). */
function resumeCommand(command: string): string {
  const resumes = /(^|\s)--resume(\s|$)/.test(command) || command.startsWith('reproduce');
  return `cmbounds ${command}${resumes ? '' : ' --resume'}`;
}

function summaryTable(report: AuditReport, dir: string): string {
  const rows = report.entries.map((e) => [e.statement.id, e.result.evidence?.verdict ?? e.result.status, mathAsPlainText(e.result.evidence?.reason ?? e.result.error ?? '')]);
  const w0 = Math.max(9, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(7, ...rows.map((r) => r[1]!.length));
  const lines = [`${'statement'.padEnd(w0)}  ${'verdict'.padEnd(w1)}  reason`];
  for (const [id, verdict, reason] of rows) lines.push(`${id!.padEnd(w0)}  ${verdict!.padEnd(w1)}  ${reason!.length > 110 ? `${reason!.slice(0, 107)}...` : reason}`);
  const counts = Object.entries(report.summary).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  lines.push('', `${counts} — report: ${join(dir, 'report.md')} (${(report.provenance.durationMs / 1000).toFixed(1)} s)`, '');
  return lines.join('\n');
}

/** SHA-256 over the sources that compute results: a code change invalidates cached results. */
export function codeFingerprint(): string {
  return sourceFingerprint(['src', 'theorems', 'suites', 'studies']);
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function gitRevision(): { gitRevision?: string } {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 ? { gitRevision: r.stdout.trim() } : {};
}


import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { AuditBattery } from '../../audit/auditBattery.ts';
import { AUDIT_BUILT_INS, auditConfigSchema, type AuditConfig } from '../../audit/auditConfig.ts';
import { formatTableNumber } from '../../core/formatNumber.ts';
import { runAudit, type AuditRun } from '../../audit/runAudit.ts';
import type { AuditResultsDocument } from '../../audit/writeAuditReport.ts';
import { comparisonPlots, renderComparisonMarkdown, type AuditComparison } from '../../audit/comparison.ts';
import { MODEL_COLUMNS } from '../../audit/seedSummary.ts';
import { writeReportAtomically } from '../../report/writeReportAtomically.ts';
import { stringifyWithNonFinite } from '../../checks/resultsCache.ts';
import { parseWithSchema } from '../../config/formatIssuePath.ts';
import { ConfigError } from '../../core/errors.ts';
import { assertReportFolderUsable } from '../../core/outputLocation.ts';
import { numberListOption, parseNumber, resolveCommandConfig } from '../parseOptions.ts';
import { readJsonInput } from '../../config/readInput.ts';
import { defaultWorkers } from '../../parallel/workerPool.ts';
import { INTERRUPTED_EXIT, watchInterruption } from '../interrupt.ts';
import { createProgressReporter, createTrainingReporter, progressMode } from '../progress.ts';
import { codeFingerprint, gitRevision, HARNESS_FAILURE_EXIT, packageVersion, selfTest } from './run.ts';

export interface AuditOutcome {
  readonly exitCode: number;
  readonly reportDir?: string;
  readonly report?: AuditResultsDocument;
}

/**
 * `cmbounds audit <variant.ts|.js>`: statically validates the user's TrainingVariant module (ts-morph; each missing
 * or mistyped member named with its line, nothing run), trains it and the built-ins (CT, iCT, CD with an exact
 * teacher) with the same budget and seed on a ladder of targets, evaluates every model with the exact oracle and the
 * model-level checks, and writes a report with the side-by-side comparison. Exits 0 when the audit ran, whatever it
 * found; 1 for an invalid module; 3 when a check's control does not give its declared verdict; 130 after Ctrl-C.
 */
export function auditCommand(battery: AuditBattery | undefined, setExitCode: (code: number) => void): Command {
  return new Command('audit')
    .description("Train your own TrainingVariant beside the built-in CT, iCT and CD-exact on a ladder of exact targets and compare them (report under reports/).")
    .argument('[variant]', 'a .ts or .js module exporting (default or `variant`) a TrainingVariant or a factory (ctx) => TrainingVariant (or give --model)')
    .option('--model <DIR|cmd:…>', 'compare a model trained elsewhere instead of training a variant: a folder from `cmbounds train`, or cmd:<command> (docs/external-models.md); the built-ins train on its target and process')
    .option('--target <name|file.json>', 'with --model: its data law, when it declares none (or to override it)')
    .option('--model-timeout <seconds>', 'external model: seconds to wait for an answer (default 120)', parseReal)
    .option('--model-batch <n>', 'external model: most points per request (default 4096)', parseInteger)
    .addOption(new Option('--ladder <name>', 'targets: quick (bimodal-1d, ring8-2d, product-3d-sep3-w25) or full (adds grid9-2d and products up to d = 8)').choices(['quick', 'full']))
    .option('--targets <list>', 'comma-separated rungs instead of a ladder: built-in target names or product-<d>d-sep<s>-w<percent>', splitList)
    .option('--built-ins <list>', `built-ins to compare with (default ct,ict,cd-exact; known: ${AUDIT_BUILT_INS.join(', ')})`, splitList)
    .addOption(new Option('--process <kind>', 'forward process (default ve)').choices(['ve', 'vp-ou']))
    .addOption(new Option('--function-class <class>', 'model class (default mlp; affine = exact least squares per grid node, no tfjs)').choices(['mlp', 'affine']))
    .option('--steps <n>', 'optimiser steps K for every variant (default 2000; the affine class uses the grid at step K)', parseInteger)
    .option('--batch-size <n>', 'training batch size (default 128)', parseInteger)
    .option('--width <n>', 'MLP hidden width (default 64)', parseInteger)
    .option('--depth <n>', 'MLP hidden layers (default 2)', parseInteger)
    .option('--lr <x>', 'Adam learning rate (default 3e-3)', parseReal)
    .option('--ema-decay <x>', 'decay of the evaluation EMA of the weights (default 0.99)', parseReal)
    .option('--grid-size <n>', 'grid size N of the cd-* built-ins (default 18)', parseInteger)
    .option('--samples-per-node <n>', 'least-squares samples per grid node, affine class (default 512)', parseInteger)
    .option('--n <n>', 'draws per coupling W2 estimate (default 1000)', parseInteger)
    .option('--times <list>', 'times of the coupling bound (default tMax, tMax/16, tMax/160: 80, 5, 0.5 on VE)', numberListOption())
    .option('--check-samples <n>', 'Monte Carlo draws of the model-level checks (default 10000)', parseInteger)
    .option('--seed <n>', 'seed of training and evaluation, the same for every variant (default 1)', parseInteger)
    .option('--seeds <n>', 'training seeds per variant, derived from --seed (default 3; intervals and paired comparisons are over the seeds; 1 = one model per variant, no training randomness covered)', parseInteger)
    .option('--out <dir>', 'report folder (default reports/<timestamp>-audit)')
    .option('--json', 'print the results document as JSON instead of the comparison table; no progress bars')
    .option('--false-fail-rate <p>', 'family-wise false-fail rate of the battery (Holm; default 1e-3)', parseReal)
    .option('--no-controls', 'skip the controls self-test of the model-level checks')
    .option('--cache-dir <dir>', 'results cache of the model-level checks (default .cmbounds-cache)')
    .option('--workers <n>', 'worker threads that train the models in parallel (default: the number of cores; 1 trains in-process); the report does not depend on it', parseInteger)
    .addOption(new Option('--backend <b>', 'tfjs backend (default auto)').choices(['auto', 'tensorflow', 'wasm', 'cpu']))
    .option('--config <file>', 'JSON file with any of the options above (camelCase); flags override it')
    .action(async (variant: string | undefined, flags: Record<string, unknown>) => {
      const outcome = await auditVariant(resolveAuditConfig(variant, flags), battery, commandLine(variant, flags));
      setExitCode(outcome.exitCode);
    });
}

/** Merges `--config` (validated, fields named) with the flags (which win) and the positional module path. */
export function resolveAuditConfig(variant: string | undefined, flags: Record<string, unknown>): AuditConfig {
  const model = typeof flags['model'] === 'string' ? flags['model'] : undefined;
  if (variant !== undefined && model !== undefined) throw new ConfigError('E_INVALID_INPUT', `give a variant module to train or a model to compare, not both (got '${variant}' and --model)`, '--model');
  if (variant === undefined && model === undefined) throw new ConfigError('E_INVALID_INPUT', 'give a TrainingVariant module to train (e.g. examples/variants/lognormalCt.ts) or --model <DIR|cmd:…>', 'variant');
  if (model === undefined && flags['target'] !== undefined) throw new ConfigError('E_INVALID_INPUT', 'only with --model (a variant is audited on the ladder; pick rungs with --targets)', '--target');
  // with --model the report names the model where it would name the module
  const config = resolveCommandConfig(auditConfigSchema, flags, (path) => readJsonInput(path, '--config'), { variant: variant ?? model });
  return { ...config, workers: config.workers ?? defaultWorkers() };
}

/** Runs an audit end to end (the testable core of `cmbounds audit`). */
export async function auditVariant(config: AuditConfig, battery: AuditBattery | undefined, command: string, signal?: AbortSignal): Promise<AuditOutcome> {
  const started = Date.now();
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const dir = config.out ?? join('reports', `${stamp}-audit`);
  // before any training: an unusable report folder must not cost the user the whole audit
  assertReportFolderUsable(dir, '--out');
  const codeVersion = codeFingerprint();
  const moduleHash = config.model === undefined && existsSync(config.variant) ? createHash('sha256').update(readFileSync(config.variant)).digest('hex').slice(0, 16) : 'missing';
  const configHash = createHash('sha256').update(JSON.stringify({ ...config, out: undefined, json: undefined, cacheDir: undefined, workers: undefined, codeVersion, moduleHash })).digest('hex').slice(0, 16);
  const interruption = watchInterruption(signal);
  const mode = progressMode(config);
  const training = createTrainingReporter({ mode });
  const checksBar = createProgressReporter({ mode });
  const cacheDir = join(config.cacheDir, `audit-${configHash}`);
  let run: AuditRun;
  let controlFailures: string[] = [];
  let trained = 0;
  let models = 0;
  let modelChecks = 0;
  try {
    run = await runAudit(config, battery, {
      onStaticValidation: (v) => {
        if (mode === 'lines' && v.problems.length === 0) process.stderr.write(`audit: ${config.variant} is a valid TrainingVariant (${(v.durationMs / 1000).toFixed(1)} s)\n`);
      },
      signal: interruption.signal,
      pollInterrupt: interruption.poll,
      cache: { dir: cacheDir, codeVersion },
      onCellStart: (p) => {
        models = p.total;
        training.start(p);
      },
      onTrainingProgress: training.update,
      onCellEnd: (p, cell, kept) => {
        trained += 1;
        training.end(p, { status: cell.status, trainingMs: cell.trainingMs, kept, ...(cell.finalLoss === undefined ? {} : { finalLoss: cell.finalLoss }), ...(cell.error === undefined ? {} : { error: cell.error }) });
      },
      onBatteryProgress: (e) => {
        if (e.type === 'battery-start') {
          training.stop();
          modelChecks = e.checks.length;
        }
        checksBar.onProgress(e);
      },
    });
    training.stop();
    if (!run.aborted && config.controls && run.checks.length > 0) {
      controlFailures = await selfTest({ name: 'audit', title: 'audit', subject: { target: '', process: '', variant: '', functionClass: '' }, checks: run.checks, subjects: {} }, config.seed, interruption.signal, interruption.poll);
    }
    interruption.poll();
  } finally {
    training.stop();
    checksBar.stop();
    interruption.dispose();
  }
  if (run.aborted || interruption.signal.aborted) {
    const kept = run.battery.results.filter((r) => r.status === 'ran' || r.status === 'cached').length;
    const where =
      modelChecks === 0
        ? `during training (${trained} of ${models} models finished and are kept in ${cacheDir})`
        : `during the model checks (all ${models} models and ${kept} of ${modelChecks} checks finished and are kept in ${cacheDir})`;
    process.stderr.write(`interrupted ${where}; no report was written. To finish without redoing them, run the same command again: cmbounds ${command}\n`);
    return { exitCode: INTERRUPTED_EXIT };
  }
  rmSync(cacheDir, { recursive: true, force: true });

  const c = run.comparison;
  const report: AuditResultsDocument = {
    title: `cmbounds audit: ${c.variant.id} against ${c.builtIns.map((b) => b.id).join(', ')}`,
    subject: {
      target: `${c.ladder.name} ladder: ${c.ladder.rungs.map((r) => r.name).join(', ')}`,
      process: JSON.stringify(run.process.toSpec()),
      variant: `${c.variant.id} (${config.variant}) — ${c.variant.title}; compared with ${c.builtIns.map((b) => b.id).join(', ')}`,
      functionClass: run.functionClass,
    },
    sections: [{ markdown: renderComparisonMarkdown(c), plots: comparisonPlots(c) }],
    entries: run.entries,
    summary: run.battery.summary,
    falseFailRate: run.battery.falseFailRate,
    provenance: {
      command: `cmbounds ${command}`.trim(),
      seed: config.seed,
      configHash,
      ...gitRevision(),
      versions: { cmbounds: packageVersion(), node: process.version, ...(run.backend === undefined ? {} : { tfjsBackend: run.backend }) },
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine: `${platform()}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}`,
    },
    audit: c,
  };
  await writeReportAtomically(report, dir);
  if (config.json) process.stdout.write(stringifyWithNonFinite(report) + '\n');
  else process.stdout.write(comparisonTable(c, dir, report.provenance.durationMs));
  if (controlFailures.length > 0) {
    process.stderr.write(`error: harness self-test failed — ${controlFailures.join('; ')}\n`);
    return { exitCode: HARNESS_FAILURE_EXIT, reportDir: dir, report };
  }
  return { exitCode: 0, reportDir: dir, report };
}

/** The comparison as a plain-text table for the terminal: one row per variant and rung, over its training seeds. */
function comparisonTable(c: AuditComparison, dir: string, durationMs: number): string {
  const statements = [...new Set(c.cells.flatMap((x) => x.verdicts.map((v) => v.statement)))];
  const columns = MODEL_COLUMNS.filter((col) => c.summaries.some((x) => x.model[col.key] !== undefined));
  const header = ['variant', 'target', ...c.times.map((t) => `W2 bound t=${formatTableNumber(t)}`), 'boundary', ...columns.map((col) => col.plain), ...statements];
  const rows = c.summaries.map((row) => {
    const name = row.role === 'user' ? `${row.variant} *` : row.variant;
    if (row.trained === 0) return [name, row.target, `failed: ${row.error ?? ''}`.slice(0, 60), ...c.times.slice(1).map(() => ''), '', ...columns.map(() => ''), ...statements.map(() => '')];
    return [
      row.failed > 0 ? `${name} (${row.failed} seed${row.failed === 1 ? '' : 's'} failed)` : name,
      row.target,
      ...c.times.map((t) => {
        const e = row.coupling.find((x) => x.t === t);
        return e === undefined ? '-' : `${formatTableNumber(e.value)} [${formatTableNumber(e.lower)}, ${formatTableNumber(e.upper)}]`;
      }),
      row.boundaryError === undefined ? '-' : formatTableNumber(row.boundaryError),
      ...columns.map((col) => {
        const e = row.model[col.key];
        return e === undefined ? '-' : formatTableNumber(e.value);
      }),
      ...statements.map((s) => {
        const bySeed = row.verdicts.find((x) => x.statement === s)?.bySeed ?? [];
        if (bySeed.length === 0) return '-';
        if (bySeed.length === 1) return `${bySeed[0]!.verdict}${bySeed[0]!.summary === undefined ? '' : ` (${bySeed[0]!.summary})`}`;
        const counts = ['holds', 'violated', 'inconclusive', 'skipped', 'error', 'aborted'].map((v) => [v, bySeed.filter((x) => x.verdict === v).length] as const).filter(([, n]) => n > 0);
        return counts.map(([v, n]) => `${v} ${n}/${bySeed.length}`).join(', ');
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line), ''];
  const seeds = c.budget.seeds.length;
  out.push(seeds === 1 ? 'One training seed per variant (--seeds 1): intervals are over the evaluation draws of one model each.' : `Means over ${seeds} training seeds per variant, with the t interval of the seed values (95%).`);
  const user = c.comparisons;
  const lower = user.filter((x) => x.outcome === 'lower').length;
  const higher = user.filter((x) => x.outcome === 'higher').length;
  out.push(`* your variant. Paired comparisons with the built-ins (coupling cost, ${user.length} in all${seeds > 1 ? ', paired by seed' : ''}): ${lower} significantly lower, ${higher} significantly higher, ${user.length - lower - higher} no significant difference.`);
  out.push(`report: ${join(dir, 'report.md')} (${(durationMs / 1000).toFixed(1)} s)`, '');
  return out.join('\n');
}

/** The command line that reproduces these flags (for provenance), e.g. `audit v.ts --steps 6 --targets a,b --no-controls`. */
function commandLine(variant: string | undefined, flags: Record<string, unknown>): string {
  const parts = variant === undefined ? ['audit'] : ['audit', variant];
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined) continue;
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (k === 'controls') {
      if (v === false) parts.push('--no-controls');
    } else if (v === true) parts.push(flag);
    else parts.push(flag, Array.isArray(v) ? v.join(',') : String(v));
  }
  return parts.join(' ');
}

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function parseInteger(v: string): number {
  return parseNumber(v, { integer: true });
}

function parseReal(v: string): number {
  return parseNumber(v);
}

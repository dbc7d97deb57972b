import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { buildCatalog, type CatalogEntry } from '../../catalog/buildCatalog.ts';
import { lintCatalog, type CatalogProblem } from '../../catalog/lintCatalog.ts';
import { CmboundsError } from '../../core/errors.ts';

/** The package's own `theorems/` folder. */
export const DEFAULT_THEOREMS_DIR = fileURLToPath(new URL('../../../theorems', import.meta.url));

/** Thrown when `--lint` finds problems; the top-level main prints `error: …` and exits 1. */
export class CatalogLintError extends CmboundsError {
  readonly problems: readonly CatalogProblem[];
  constructor(problems: readonly CatalogProblem[]) {
    super('E_INVALID_INPUT', `catalog lint found ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 'theorems');
    this.problems = problems;
  }
}

/** One line per problem: `li2024/schedule.ts:40 [missing-violated-control] li2024.schedule: needs …`. */
export function formatProblem(p: CatalogProblem): string {
  const where = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`} `;
  return `${where}[${p.rule}] ${p.id === undefined ? '' : `${p.id}: `}${p.message}`;
}

/** A fixed-width table of the statements. */
export function formatCatalogTable(entries: readonly CatalogEntry[]): string {
  const rows = entries.map((e) => [
    e.id,
    e.kind,
    `${e.source.paper} ${e.source.label}${e.source.equation ? ` ${e.source.equation}` : ''}`,
    e.dependsOn.join(', ') || '—',
    `${e.controls.holds}/${e.controls.violated}`,
    `${e.file}:${e.line}`,
  ]);
  const header = ['id', 'kind', 'source', 'dependsOn', 'holds/violated', 'file'];
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: readonly string[]): string => r.map((c, j) => c.padEnd(width[j]!)).join('  ').trimEnd();
  return [line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * `cmbounds catalog [--json] [--lint] [--dir <folder>]`: lists every statement in `theorems/` (read with
 * ts-morph, never executed). With `--lint`, problems are printed to stderr and the command fails.
 */
export function catalogCommand(): Command {
  return new Command('catalog')
    .description('List the statements in theorems/ (id, kind, source, dependencies, controls, file:line) without executing them; --lint fails on problems.')
    .option('--json', 'print the catalog as JSON')
    .option('--lint', 'check ids, dependencies, controls, paper keys, module docs and the registry; exit non-zero on problems')
    .option('--dir <folder>', 'theorems folder to read', DEFAULT_THEOREMS_DIR)
    .action((opts: { json?: boolean; lint?: boolean; dir: string }) => {
      const catalog = buildCatalog(opts.dir);
      const problems = opts.lint ? lintCatalog(catalog) : [];
      if (opts.json) {
        const doc = { dir: catalog.dir, entries: catalog.entries, ...(opts.lint ? { problems } : {}) };
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } else {
        process.stdout.write(formatCatalogTable(catalog.entries) + '\n');
        if (opts.lint && problems.length === 0) process.stdout.write(`lint: ${catalog.entries.length} statements, no problems\n`);
      }
      if (problems.length > 0) {
        for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
        throw new CatalogLintError(problems);
      }
    });
}

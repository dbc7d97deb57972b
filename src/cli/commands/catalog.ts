import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../../catalog/buildCatalog.ts';
import { CATALOG_DEFAULT_WIDTH, CATALOG_MAX_WIDTH, CATALOG_MIN_WIDTH, formatCatalogTable } from '../../catalog/formatCatalog.ts';
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
    .option('--width <columns>', `width of the table (${CATALOG_MIN_WIDTH}–${CATALOG_MAX_WIDTH}; default: the terminal's width, ${CATALOG_DEFAULT_WIDTH} when not a terminal)`)
    .action((opts: { json?: boolean; lint?: boolean; dir: string; width?: string }) => {
      const width = opts.width === undefined ? (process.stdout.isTTY ? process.stdout.columns : CATALOG_DEFAULT_WIDTH) : parseWidth(opts.width);
      const catalog = buildCatalog(opts.dir);
      const problems = opts.lint ? lintCatalog(catalog) : [];
      if (opts.json) {
        const doc = { dir: catalog.dir, entries: catalog.entries, ...(opts.lint ? { problems } : {}) };
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } else {
        process.stdout.write(formatCatalogTable(catalog.entries, width) + '\n');
        if (opts.lint && problems.length === 0) process.stdout.write(`lint: ${catalog.entries.length} statements, no problems\n`);
      }
      if (problems.length > 0) {
        for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
        throw new CatalogLintError(problems);
      }
    });
}

function parseWidth(text: string): number {
  const width = Number(text);
  if (!/^\d+$/.test(text.trim()) || width < CATALOG_MIN_WIDTH || width > CATALOG_MAX_WIDTH) {
    throw new CmboundsError('E_INVALID_INPUT', `must be a whole number of columns from ${CATALOG_MIN_WIDTH} to ${CATALOG_MAX_WIDTH}, got '${text}'`, '--width');
  }
  return width;
}

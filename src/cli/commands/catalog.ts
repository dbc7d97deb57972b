import { Command } from 'commander';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, readStudyChecks, type CatalogEntry } from '../../catalog/buildCatalog.ts';
import { CATALOG_DEFAULT_WIDTH, CATALOG_MAX_WIDTH, CATALOG_MIN_WIDTH, formatCatalogTable } from '../../catalog/formatCatalog.ts';
import { lintCatalog, type CatalogProblem } from '../../catalog/lintCatalog.ts';
import { CmboundsError } from '../../core/errors.ts';

/** The package's own `theorems/` folder. */
export const DEFAULT_THEOREMS_DIR = fileURLToPath(new URL('../../../theorems', import.meta.url));

/** The package's own `studies/` folder (its checks are listed with `--studies`). */
export const DEFAULT_STUDIES_DIR = fileURLToPath(new URL('../../../studies', import.meta.url));

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
 * ts-morph, never executed). With `--lint`, problems are printed to stderr and the command fails; on the package's own
 * theorems/ the checks of `studies/` are linted together with the theorems (ids, kinds, dependencies, controls; the
 * folder, paper, index and module-doc rules of theorems/ do not apply). With `--studies` they are listed too (file
 * `studies/<name>.ts`).
 */
export function catalogCommand(): Command {
  return new Command('catalog')
    .description('List the statements in theorems/ (id, kind, source, dependencies, controls, file:line) without executing them; --lint fails on problems.')
    .option('--json', 'print the catalog as JSON')
    .option('--lint', 'check ids, dependencies, controls, paper keys, module docs and the registry; exit non-zero on problems')
    .option('--dir <folder>', 'theorems folder to read', DEFAULT_THEOREMS_DIR)
    .option('--studies', "also list the studies' checks (studies/); --lint lints them whenever --dir is the package's own theorems/")
    .option('--width <columns>', `width of the table (${CATALOG_MIN_WIDTH}–${CATALOG_MAX_WIDTH}; default: the terminal's width, ${CATALOG_DEFAULT_WIDTH} when not a terminal)`)
    .action((opts: { json?: boolean; lint?: boolean; dir: string; studies?: boolean; width?: string }) => {
      const width = opts.width === undefined ? (process.stdout.isTTY ? process.stdout.columns : CATALOG_DEFAULT_WIDTH) : parseWidth(opts.width);
      const catalog = buildCatalog(opts.dir);
      // the studies' checks depend on the package's statements: they are linted with them, listed only with --studies
      const ownTheorems = path.resolve(opts.dir) === path.resolve(DEFAULT_THEOREMS_DIR);
      const studies = opts.studies || (opts.lint && ownTheorems) ? readStudyChecks(DEFAULT_STUDIES_DIR) : undefined;
      const studyEntries: CatalogEntry[] = (studies?.entries ?? []).map((e) => ({ ...e, file: `studies/${e.file}` }));
      const listedStudies = opts.studies ? studyEntries : [];
      const problems = opts.lint ? [...lintCatalog(catalog), ...(studies ? lintStudies(catalog.entries, studyEntries, studies.readProblems) : [])] : [];
      if (opts.json) {
        const doc = { dir: catalog.dir, entries: catalog.entries, ...(opts.studies && studies ? { studies: { dir: studies.dir, entries: studyEntries } } : {}), ...(opts.lint ? { problems } : {}) };
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } else {
        const listed = [...catalog.entries, ...listedStudies];
        process.stdout.write(formatCatalogTable(listed, width) + '\n');
        if (opts.lint && problems.length === 0) process.stdout.write(`lint: ${listed.length} statements, no problems\n`);
      }
      if (problems.length > 0) {
        for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
        throw new CatalogLintError(problems);
      }
    });
}

/** The lint findings on study checks, linted together with the theorems they may depend on. */
function lintStudies(theorems: readonly CatalogEntry[], studies: readonly CatalogEntry[], readProblems: readonly { file: string; line: number; message: string }[]): CatalogProblem[] {
  const ids = new Set(studies.map((e) => e.id));
  const unreadable = readProblems.map((p): CatalogProblem => ({ rule: 'unreadable-statement', message: p.message, file: `studies/${p.file}`, line: p.line }));
  // study files follow their own outline (Question, Measurement, Controls, References), not the statement template
  return [...unreadable, ...lintCatalog([...theorems, ...studies], { requiredDocSections: [] }).filter((p) => p.id !== undefined && ids.has(p.id))];
}

function parseWidth(text: string): number {
  const width = Number(text);
  if (!/^\d+$/.test(text.trim()) || width < CATALOG_MIN_WIDTH || width > CATALOG_MAX_WIDTH) {
    throw new CmboundsError('E_INVALID_INPUT', `must be a whole number of columns from ${CATALOG_MIN_WIDTH} to ${CATALOG_MAX_WIDTH}, got '${text}'`, '--width');
  }
  return width;
}

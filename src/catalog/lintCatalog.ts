import { STATEMENT_ID_PATTERN, STATEMENT_KINDS } from '../checks/statement.ts';
import type { Catalog, CatalogEntry } from './buildCatalog.ts';

/** The rules `cmbounds catalog --lint` enforces (formal-conjectures-style linters, STYLE C2). */
export type CatalogRule =
  | 'unreadable-statement'
  | 'malformed-id'
  | 'duplicate-id'
  | 'unknown-kind'
  | 'folder-mismatch'
  | 'file-name-mismatch'
  | 'unknown-paper'
  | 'missing-papers-file'
  | 'unresolved-dependency'
  | 'dependency-cycle'
  | 'theorem-without-assumption'
  | 'missing-holds-control'
  | 'missing-violated-control'
  | 'missing-doc-section'
  | 'file-without-statement'
  | 'index-missing'
  | 'index-not-listing-file'
  | 'index-listing-missing-file';

export interface CatalogProblem {
  readonly rule: CatalogRule;
  readonly message: string;
  readonly id?: string;
  readonly file?: string;
  readonly line?: number;
}

/** Sections every statement file's module doc must have, in this order. */
export const REQUIRED_DOC_SECTIONS = ['Claim', 'Check design', 'Controls', 'References'] as const;

/** Options of {@link lintCatalog}. */
export interface LintCatalogOptions {
  /**
   * Module-doc sections each entry's file must have. Study files (studies/) follow their own outline (Question,
   * Measurement, Controls, References) and are linted with `[]`. @defaultValue REQUIRED_DOC_SECTIONS
   */
  readonly requiredDocSections?: readonly string[];
}

/**
 * Lints a catalog. Given a full `Catalog` (from `buildCatalog`), every rule applies; given bare entries, only
 * the rules that need no folder context (ids, kinds, dependencies, controls, doc sections) apply.
 * Problems are returned sorted by file, line and rule; an empty array means the catalog is clean.
 */
export function lintCatalog(catalog: Catalog | readonly CatalogEntry[], options: LintCatalogOptions = {}): readonly CatalogProblem[] {
  const requiredDocSections = options.requiredDocSections ?? REQUIRED_DOC_SECTIONS;
  const full = isCatalog(catalog) ? catalog : undefined;
  const entries: readonly CatalogEntry[] = full ? full.entries : (catalog as readonly CatalogEntry[]);
  const problems: CatalogProblem[] = [];
  const at = (e: CatalogEntry): { id: string; file: string; line: number } => ({ id: e.id, file: e.file, line: e.line });

  if (full) {
    for (const p of full.readProblems) problems.push({ rule: 'unreadable-statement', message: p.message, file: p.file, line: p.line });
  }

  const byId = new Map<string, CatalogEntry[]>();
  for (const e of entries) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);

  for (const e of entries) {
    if (!STATEMENT_ID_PATTERN.test(e.id)) {
      problems.push({ rule: 'malformed-id', message: `id '${e.id}' is not of the form <paperKey>.<name>`, ...at(e) });
    }
    const dupes = byId.get(e.id)!;
    if (dupes.length > 1 && dupes[0] !== e) {
      problems.push({ rule: 'duplicate-id', message: `id '${e.id}' is already defined at ${dupes[0]!.file}:${dupes[0]!.line}`, ...at(e) });
    }
    if (!(STATEMENT_KINDS as readonly string[]).includes(e.kind)) {
      problems.push({ rule: 'unknown-kind', message: `kind '${e.kind}' is not one of ${STATEMENT_KINDS.join(', ')}`, ...at(e) });
    }
    const [prefix, tail] = e.id.split('.');
    const segments = e.file.split('/');
    const folder = segments.length > 1 ? segments[0]! : '';
    if (full && prefix !== folder) {
      problems.push({ rule: 'folder-mismatch', message: `id prefix '${prefix}' does not match the folder '${folder}'`, ...at(e) });
    }
    const base = segments[segments.length - 1]!.replace(/\.ts$/, '');
    if (full && tail !== undefined && !base.startsWith(tail)) {
      problems.push({ rule: 'file-name-mismatch', message: `file name '${base}.ts' does not start with the id's name '${tail}'`, ...at(e) });
    }
    if (full && full.hasPapers && !full.paperKeys.includes(e.source.paper)) {
      problems.push({ rule: 'unknown-paper', message: `source.paper '${e.source.paper}' is not a key of papers.ts (known: ${full.paperKeys.join(', ')})`, ...at(e) });
    }
    for (const dep of e.dependsOn) {
      if (!byId.has(dep)) problems.push({ rule: 'unresolved-dependency', message: `dependsOn '${dep}' does not name a statement`, ...at(e) });
    }
    if (e.kind === 'theorem' && !e.dependsOn.some((dep) => byId.get(dep)?.[0]?.kind === 'assumption')) {
      problems.push({ rule: 'theorem-without-assumption', message: 'a theorem must depend on at least one assumption', ...at(e) });
    }
    if (e.controls.holds < 1) problems.push({ rule: 'missing-holds-control', message: 'needs at least one control expected to hold', ...at(e) });
    if (e.controls.violated < 1) problems.push({ rule: 'missing-violated-control', message: 'needs at least one control expected to be violated', ...at(e) });
    for (const section of requiredDocSections) {
      if (!e.docSections.includes(section)) {
        problems.push({ rule: 'missing-doc-section', message: `module doc lacks a '## ${section}' section`, ...at(e) });
      }
    }
  }

  for (const cycle of findCycles(entries)) {
    const first = byId.get(cycle[0]!)![0]!;
    problems.push({ rule: 'dependency-cycle', message: `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, ...at(first) });
  }

  if (full) {
    if (!full.hasPapers) problems.push({ rule: 'missing-papers-file', message: 'papers.ts is missing from the theorems folder', file: 'papers.ts' });
    const withStatements = new Set(entries.map((e) => e.file));
    for (const f of full.statementFiles) {
      if (!withStatements.has(f)) {
        problems.push({ rule: 'file-without-statement', message: 'a statement file must contain a defineCheck call (prefix helpers with _)', file: f });
      }
    }
    if (full.indexedFiles === undefined) {
      problems.push({ rule: 'index-missing', message: 'index.ts (the explicit registry) is missing', file: 'index.ts' });
    } else {
      const listed = new Set(full.indexedFiles);
      const present = new Set(full.statementFiles);
      for (const f of full.statementFiles) {
        if (!listed.has(f)) problems.push({ rule: 'index-not-listing-file', message: `index.ts does not import ${f}`, file: 'index.ts' });
      }
      for (const f of full.indexedFiles) {
        if (!present.has(f)) problems.push({ rule: 'index-listing-missing-file', message: `index.ts imports ${f}, which is not a statement file present`, file: 'index.ts' });
      }
    }
  }

  return problems.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
}

function isCatalog(c: Catalog | readonly CatalogEntry[]): c is Catalog {
  return !Array.isArray(c);
}

/** Each elementary cycle reported once, as found by DFS (rotated to start at its smallest id). */
function findCycles(entries: readonly CatalogEntry[]): string[][] {
  const deps = new Map<string, readonly string[]>();
  for (const e of entries) if (!deps.has(e.id)) deps.set(e.id, e.dependsOn);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(dep));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join('>');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotated);
        }
      } else if (s === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...deps.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles;
}

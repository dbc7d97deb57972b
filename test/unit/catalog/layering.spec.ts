import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';

/**
 * The import rules between the project's top-level folders, read from the source text (every `import`, `export …
 * from` and dynamic `import()` specifier that ts.preProcessFile finds):
 *
 * - src/ (the library) never imports theorems/, studies/ or suites/; inside src/, only src/cli imports src/cli.
 * - studies/ import only src/index.ts, theorems/index.ts (a study runs theorem checks per sweep point and lists them
 *   in its suite) and their own folder.
 * - suites/ import only src/index.ts, theorems/index.ts, studies/ and their own folder.
 * - theorems/ never import studies/, suites/ or bin/ (statements are composed by them, not the other way round).
 * - The graph of folders (src, theorems, studies, suites, bin) has no cycle.
 *
 * Statement-file rules for theorems/ (only src/index.ts, no `_` helper from another folder) are tested beside the
 * catalog of theorems/.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const FOLDERS = ['src', 'theorems', 'studies', 'suites', 'bin'] as const;
type Folder = (typeof FOLDERS)[number];

/**
 * Imports that break a rule today and are to be rewritten once the helper they name has moved into src/ (then this
 * list is emptied): `importer -> imported`, both relative to the repository root.
 */
export const LAYERING_ALLOWLIST: readonly string[] = [];

interface ImportEdge {
  /** Importing file, relative to the root with forward slashes. */
  readonly file: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** Resolved target relative to the root (forward slashes), or undefined for a package / node built-in. */
  readonly target: string | undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const posix = (path: string): string => path.split(sep).join('/');

/** Every import edge of a file's source text (static, re-exports, dynamic `import('…')` with a literal). */
export function importEdges(file: string, text: string): ImportEdge[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName: specifier }) => {
    const relativeSpecifier = specifier.startsWith('./') || specifier.startsWith('../');
    const target = relativeSpecifier ? posix(relative(ROOT, resolve(dirname(join(ROOT, file)), specifier))) : undefined;
    return { file, specifier, target };
  });
}

function allEdges(): ImportEdge[] {
  return FOLDERS.flatMap((folder) =>
    sourceFiles(join(ROOT, folder)).flatMap((path) => {
      const file = posix(relative(ROOT, path));
      return importEdges(file, readFileSync(path, 'utf8'));
    }),
  );
}

const folderOf = (path: string): string => path.split('/')[0]!;

/** The rule an edge breaks, as one line naming the file and the specifier; undefined when it keeps every rule. */
export function layeringProblem(edge: ImportEdge): string | undefined {
  if (edge.target === undefined) return undefined;
  const from = folderOf(edge.file);
  const to = folderOf(edge.target);
  const say = (rule: string): string => `${edge.file} imports '${edge.specifier}': ${rule}`;
  if (from === 'src') {
    if (to === 'theorems' || to === 'studies' || to === 'suites') return say(`src/ never imports ${to}/`);
    if (edge.target.startsWith('src/cli/') && !edge.file.startsWith('src/cli/')) return say('only src/cli imports src/cli (CLI concerns stay there)');
    return undefined;
  }
  if (from === 'theorems' && (to === 'studies' || to === 'suites' || to === 'bin')) return say(`theorems/ never imports ${to}/`);
  const allowed: Partial<Record<Folder, (target: string) => boolean>> = {
    studies: (t) => t === 'src/index.ts' || t === 'theorems/index.ts' || folderOf(t) === 'studies',
    suites: (t) => t === 'src/index.ts' || t === 'theorems/index.ts' || folderOf(t) === 'studies' || folderOf(t) === 'suites',
  };
  const rule = allowed[from as Folder];
  if (rule !== undefined && !rule(edge.target)) {
    const list = from === 'studies' ? 'src/index.ts, theorems/index.ts and studies/' : 'src/index.ts, theorems/index.ts, studies/ and suites/';
    return say(`${from}/ imports only ${list}`);
  }
  return undefined;
}

/** A cycle in the folder graph, as `a -> b -> a`, or undefined. */
export function folderCycle(edges: readonly { from: string; to: string }[]): string | undefined {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) if (from !== to) (next.get(from) ?? next.set(from, new Set()).get(from)!).add(to);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node].join(' -> ');
    state.set(node, 'open');
    path.push(node);
    for (const to of next.get(node) ?? []) {
      const found = visit(to);
      if (found !== undefined) return found;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of next.keys()) {
    const found = visit(node);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('import layering between src/, theorems/, studies/, suites/ and bin/', () => {
  const edges = allEdges();

  it('reads the imports of every folder (static, re-export and dynamic)', () => {
    expect(edges.some((e) => e.file === 'bin/cmbounds.js' && e.target === 'suites/index.ts')).toBe(true);
    expect(edges.some((e) => e.file === 'suites/index.ts' && e.target?.startsWith('studies/'))).toBe(true);
  });

  it('keeps every rule (allowlisted exceptions aside)', () => {
    const problems = edges.filter((e) => !LAYERING_ALLOWLIST.includes(`${e.file} -> ${e.target}`)).flatMap((e) => layeringProblem(e) ?? []);
    expect(problems).toEqual([]);
  });

  it('lists no allowlisted import that no longer exists', () => {
    const present = new Set(edges.map((e) => `${e.file} -> ${e.target}`));
    expect(LAYERING_ALLOWLIST.filter((entry) => !present.has(entry))).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folderEdges = edges.filter((e) => e.target !== undefined).map((e) => ({ from: folderOf(e.file), to: folderOf(e.target!) }));
    expect(folderCycle(folderEdges)).toBeUndefined();
  });

  it('names the file and the specifier of an import that breaks a rule', () => {
    expect(layeringProblem({ file: 'src/audit/runAudit.ts', specifier: '../cli/readInput.ts', target: 'src/cli/readInput.ts' })).toBe(
      "src/audit/runAudit.ts imports '../cli/readInput.ts': only src/cli imports src/cli (CLI concerns stay there)",
    );
    expect(layeringProblem({ file: 'src/checks/x.ts', specifier: '../../theorems/index.ts', target: 'theorems/index.ts' })).toMatch(/^src\/checks\/x\.ts imports '\.\.\/\.\.\/theorems\/index\.ts': src\/ never imports theorems\//);
    expect(layeringProblem({ file: 'studies/constants.ts', specifier: '../suites/constants.ts', target: 'suites/constants.ts' })).toMatch(/^studies\/constants\.ts imports '\.\.\/suites\/constants\.ts': studies\/ imports only/);
    expect(layeringProblem({ file: 'studies/ctVsCd.ts', specifier: '../src/report/auditReport.ts', target: 'src/report/auditReport.ts' })).toMatch(/studies\/ imports only/);
    expect(layeringProblem({ file: 'studies/ctVsCd.ts', specifier: '../theorems/song2023/theorem2.ts', target: 'theorems/song2023/theorem2.ts' })).toMatch(/studies\/ imports only/);
    expect(layeringProblem({ file: 'suites/quick.ts', specifier: '../src/cli/suite.ts', target: 'src/cli/suite.ts' })).toMatch(/suites\/ imports only/);
    expect(layeringProblem({ file: 'suites/quick.ts', specifier: '../studies/ctVsCd.ts', target: 'studies/ctVsCd.ts' })).toBeUndefined();
    expect(layeringProblem({ file: 'studies/a.ts', specifier: 'node:fs', target: undefined })).toBeUndefined();
    expect(layeringProblem({ file: 'theorems/li2024/theorem1.ts', specifier: '../../studies/_idealised.ts', target: 'studies/_idealised.ts' })).toBe(
      "theorems/li2024/theorem1.ts imports '../../studies/_idealised.ts': theorems/ never imports studies/",
    );
  });

  it('finds the cycle studies -> suites -> studies that studies/constants.ts once made', () => {
    expect(folderCycle([{ from: 'suites', to: 'studies' }, { from: 'studies', to: 'suites' }, { from: 'bin', to: 'suites' }])).toBe('suites -> studies -> suites');
    expect(folderCycle([{ from: 'suites', to: 'studies' }, { from: 'studies', to: 'src' }])).toBeUndefined();
  });
});

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/buildCatalog.ts';
import { lintCatalog, type CatalogRule } from '../../../src/catalog/lintCatalog.ts';

const DOC = `/**
 * # A statement
 *
 * ## Claim
 * x.
 *
 * ## Check design
 * y.
 *
 * ## Controls
 * z.
 *
 * ## References
 * w.
 */`;

interface StatementOptions {
  id: string;
  kind?: string;
  paper?: string;
  dependsOn?: string[];
  expected?: string[];
  doc?: string;
  extra?: string;
}

function statement(o: StatementOptions): string {
  const controls = (o.expected ?? ['holds', 'violated']).map((v, i) => `{ name: 'c${i}', description: 'd', expected: '${v}', build: () => 0 }`).join(', ');
  return `${o.doc ?? DOC}
import { defineCheck } from 'x';
${o.extra ?? ''}
export const s = defineCheck({
  id: '${o.id}',
  kind: '${o.kind ?? 'lemma'}',
  title: 'T',
  claim: 'C',
  source: { paper: '${o.paper ?? 'p2024'}', label: 'Lemma 1', equation: '(1)', page: 3 },
  dependsOn: [${(o.dependsOn ?? []).map((d) => `'${d}'`).join(', ')}],
  constants: [],
  subject: 'distribution',
  design: { estimand: 'e', decision: 'exact', falseFailRate: 1e-3 },
  controls: [${controls}],
  async run() { throw new Error('never executed by the catalog'); },
});
`;
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Writes a theorems folder: files relative to it; index.ts imports every listed statement unless given. */
function folder(files: Record<string, string>, options: { index?: string; papers?: string | null } = {}): string {
  dir = mkdtempSync(join(tmpdir(), 'cmbounds-catalog-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  if (options.papers !== null) writeFileSync(join(dir, 'papers.ts'), options.papers ?? "export const papers = { p2024: { title: 'x' }, q2023: { title: 'y' } } as const;\n");
  const index = options.index ?? Object.keys(files).map((f, i) => `import { s as s${i} } from './${f}';`).join('\n') + '\n';
  writeFileSync(join(dir, 'index.ts'), index);
  return dir;
}

function rules(d: string): CatalogRule[] {
  return [...new Set(lintCatalog(buildCatalog(d)).map((p) => p.rule))].sort();
}

describe('buildCatalog', () => {
  it('reads id, kind, source, dependencies, controls, file:line and doc sections without executing the file', () => {
    const d = folder({ 'p2024/lemma1Thing.ts': statement({ id: 'p2024.lemma1', expected: ['holds', 'violated', 'violated'] }) });
    const c = buildCatalog(d);
    expect(c.entries).toHaveLength(1);
    const e = c.entries[0]!;
    expect(e).toMatchObject({
      id: 'p2024.lemma1',
      kind: 'lemma',
      title: 'T',
      source: { paper: 'p2024', label: 'Lemma 1', equation: '(1)', page: 3 },
      dependsOn: [],
      file: 'p2024/lemma1Thing.ts',
      exportName: 's',
      controls: { holds: 1, violated: 2, inconclusive: 0, names: ['c0', 'c1', 'c2'] },
      docSections: ['Claim', 'Check design', 'Controls', 'References'],
    });
    expect(e.line).toBe(18);
    expect(c.paperKeys).toEqual(['p2024', 'q2023']);
    expect(c.indexedFiles).toEqual(['p2024/lemma1Thing.ts']);
  });

  it('follows controls given as same-file constants, spreads and factory calls', () => {
    const extra = `const ok = { name: 'ok', description: 'd', expected: 'holds', build: () => 0 };
const more = [make({ name: 'bad', description: 'd', expected: 'violated', build: () => 0 })];`;
    const text = statement({ id: 'p2024.lemma1', extra }).replace(/controls: \[.*\],/, 'controls: [ok, ...more],');
    const c = buildCatalog(folder({ 'p2024/lemma1.ts': text }));
    expect(c.entries[0]!.controls).toMatchObject({ holds: 1, violated: 1, names: ['ok', 'bad'] });
    expect(c.readProblems).toEqual([]);
  });

  it('skips helper files starting with an underscore', () => {
    const d = folder({ 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1' }), 'p2024/_shared.ts': 'export const x = 1;\n' }, { index: "import './p2024/lemma1.ts';\n" });
    expect(buildCatalog(d).statementFiles).toEqual(['p2024/lemma1.ts']);
    expect(rules(d)).toEqual([]);
  });
});

describe('lintCatalog', () => {
  it('accepts a clean folder', () => {
    const d = folder({
      'p2024/assumption1.ts': statement({ id: 'p2024.assumption1', kind: 'assumption' }),
      'p2024/theorem1.ts': statement({ id: 'p2024.theorem1', kind: 'theorem', dependsOn: ['p2024.assumption1'] }),
    });
    expect(lintCatalog(buildCatalog(d))).toEqual([]);
  });

  it.each<[string, Record<string, string>, CatalogRule[]]>([
    ['a duplicated id', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1' }), 'p2024/lemma1b.ts': statement({ id: 'p2024.lemma1' }) }, ['duplicate-id']],
    ['an id not of the form <paperKey>.<name>', { 'p2024/lemma1.ts': statement({ id: 'P2024-lemma1' }) }, ['folder-mismatch', 'malformed-id']],
    ['an unresolved dependency', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', dependsOn: ['p2024.lemma9'] }) }, ['unresolved-dependency']],
    [
      'a dependency cycle',
      { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', dependsOn: ['p2024.lemma2'] }), 'p2024/lemma2.ts': statement({ id: 'p2024.lemma2', dependsOn: ['p2024.lemma1'] }) },
      ['dependency-cycle'],
    ],
    ['a missing holds control', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', expected: ['violated'] }) }, ['missing-holds-control']],
    ['a missing violated control', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', expected: ['holds', 'inconclusive'] }) }, ['missing-violated-control']],
    ['a paper key absent from papers.ts', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', paper: 'z1999' }) }, ['unknown-paper']],
    ['a module doc without its sections', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', doc: '/** # Only a title */' }) }, ['missing-doc-section']],
    ['a theorem with no assumption among its dependencies', { 'p2024/theorem1.ts': statement({ id: 'p2024.theorem1', kind: 'theorem' }) }, ['theorem-without-assumption']],
    ['an unknown kind', { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', kind: 'conjecture' }) }, ['unknown-kind']],
  ])('reports %s', (_title, files, expected) => {
    expect(rules(folder(files))).toEqual(expected);
  });

  it('reports an index.ts that does not list exactly the statement files present', () => {
    const files = { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1' }), 'p2024/lemma2.ts': statement({ id: 'p2024.lemma2' }) };
    expect(rules(folder(files, { index: "import './p2024/lemma1.ts';\nimport './p2024/lemma3.ts';\n" }))).toEqual(['index-listing-missing-file', 'index-not-listing-file']);
  });

  it('reports a missing papers.ts and a statement file without a statement', () => {
    const files = { 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1' }), 'p2024/notes.ts': 'export const x = 1;\n' };
    expect(rules(folder(files, { papers: null }))).toEqual(['file-without-statement', 'missing-papers-file']);
  });

  it('reports a defineCheck call it cannot read statically', () => {
    const text = statement({ id: 'p2024.lemma1' }).replace("id: 'p2024.lemma1'", 'id: makeId()');
    expect(rules(folder({ 'p2024/lemma1.ts': text }))).toContain('unreadable-statement');
  });

  it('applies the folder-free rules to bare entries', () => {
    const d = folder({ 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1', dependsOn: ['p2024.nothing'], paper: 'z1999' }) });
    const rulesOfEntries = lintCatalog(buildCatalog(d).entries).map((p) => p.rule);
    expect(rulesOfEntries).toEqual(['unresolved-dependency']);
  });

  it('requires the module-doc sections it is given (the statement template by default, none for studies)', () => {
    const entries = buildCatalog(folder({ 'p2024/lemma1.ts': statement({ id: 'p2024.lemma1' }) })).entries;
    expect(lintCatalog(entries)).toEqual([]);
    const asked = lintCatalog(entries, { requiredDocSections: ['Question', 'Claim'] });
    expect(asked.map((p) => [p.rule, p.message])).toEqual([['missing-doc-section', "module doc lacks a '## Question' section"]]);
    const bare = entries.map((e) => ({ ...e, docSections: [] }));
    expect(lintCatalog(bare).map((p) => p.rule)).toEqual(['missing-doc-section', 'missing-doc-section', 'missing-doc-section', 'missing-doc-section']);
    expect(lintCatalog(bare, { requiredDocSections: [] })).toEqual([]);
  });
});

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import {
  Node,
  Project,
  SyntaxKind,
  type ArrayLiteralExpression,
  type Expression,
  type ObjectLiteralExpression,
  type SourceFile,
} from 'ts-morph';
import { ValidationError } from '../core/errors.ts';

/** Where a statement says it comes from, as read from the source text (not executed). */
export interface CatalogSource {
  readonly paper: string;
  readonly label: string;
  readonly equation?: string;
  readonly page?: number;
}

/** One `defineCheck({...})` call found in `theorems/`, read statically by ts-morph. */
export interface CatalogEntry {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly source: CatalogSource;
  readonly dependsOn: readonly string[];
  /** Path relative to the theorems folder, with forward slashes (`li2024/schedule.ts`). */
  readonly file: string;
  /** 1-based line of the `defineCheck` call. */
  readonly line: number;
  /** The exported constant that holds the check, when the call initialises one. */
  readonly exportName: string | undefined;
  /** Number of controls per expected verdict, and their names in order. */
  readonly controls: { readonly holds: number; readonly violated: number; readonly inconclusive: number; readonly names: readonly string[] };
  /** `## ` headings of the file's module doc comment (the first JSDoc in the file). */
  readonly docSections: readonly string[];
}

/** A problem met while reading (a statement the reader cannot interpret statically). */
export interface CatalogReadProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Everything the catalog lint needs: the entries plus the bibliography keys and the registry's imports.
 */
export interface Catalog {
  /** Absolute path of the theorems folder that was read. */
  readonly dir: string;
  readonly entries: readonly CatalogEntry[];
  /** Keys of the `papers` object literal in `papers.ts` (empty when the file is missing). */
  readonly paperKeys: readonly string[];
  /** Whether `papers.ts` exists. */
  readonly hasPapers: boolean;
  /** Statement files present (relative, forward slashes): every `.ts` file below a sub-folder, except `_*.ts` helpers. */
  readonly statementFiles: readonly string[];
  /** Relative files imported by `index.ts` (normalised like `statementFiles`); undefined when index.ts is missing. */
  readonly indexedFiles: readonly string[] | undefined;
  readonly readProblems: readonly CatalogReadProblem[];
}

/**
 * Reads every statement in a `theorems/` folder without executing it: parses the TypeScript with ts-morph and
 * interprets the object literal passed to each `defineCheck(...)` call. Values must be literals (strings,
 * numbers, arrays and objects of them) so that the catalog is the source text, not the result of running it;
 * controls may be object literals, calls whose first argument is one, or identifiers/spreads that name such a
 * constant in the same file.
 *
 * @throws ValidationError E_INVALID_INPUT when `dir` is not a directory.
 */
export function buildCatalog(dir: string): Catalog {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ValidationError('E_INVALID_INPUT', `'${dir}' is not a directory`, 'theoremsDir');
  }
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: false } });
  const statementFiles = listStatementFiles(root);
  const entries: CatalogEntry[] = [];
  const readProblems: CatalogReadProblem[] = [];
  for (const rel of statementFiles) {
    const file = project.addSourceFileAtPath(join(root, rel));
    readStatements(file, rel, entries, readProblems);
  }
  const papersPath = join(root, 'papers.ts');
  const hasPapers = existsSync(papersPath);
  const paperKeys = hasPapers ? readPaperKeys(project.addSourceFileAtPath(papersPath), readProblems) : [];
  const indexPath = join(root, 'index.ts');
  const indexedFiles = existsSync(indexPath) ? readIndexImports(project.addSourceFileAtPath(indexPath), root) : undefined;
  return { dir: root, entries, paperKeys, hasPapers, statementFiles, indexedFiles, readProblems };
}

/**
 * The checks defined in a flat folder of study files (`studies/`): every `.ts` file at its top level, private
 * helpers (`_*.ts`) included since a study may keep a check beside its numerics there. Read like `buildCatalog`
 * (statically, literal fields only); the folder and paper rules of `theorems/` do not apply to studies.
 *
 * @throws ValidationError E_INVALID_INPUT when `dir` is not a directory.
 */
export function readStudyChecks(dir: string): { readonly dir: string; readonly entries: readonly CatalogEntry[]; readonly readProblems: readonly CatalogReadProblem[] } {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ValidationError('E_INVALID_INPUT', `'${dir}' is not a directory`, 'studiesDir');
  }
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: false } });
  const entries: CatalogEntry[] = [];
  const readProblems: CatalogReadProblem[] = [];
  for (const name of readdirSync(root).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.d.ts') || !statSync(join(root, name)).isFile()) continue;
    readStatements(project.addSourceFileAtPath(join(root, name)), name, entries, readProblems);
  }
  return { dir: root, entries, readProblems };
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** `.ts` files inside sub-folders (any depth), not starting with `_`, sorted. */
function listStatementFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules' && !name.startsWith('.')) walk(p, depth + 1);
      } else if (depth > 0 && name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('_')) {
        out.push(toPosix(relative(root, p)));
      }
    }
  };
  walk(root, 0);
  return out;
}

function lineOf(node: Node): number {
  return node.getStartLineNumber();
}

function readStatements(file: SourceFile, rel: string, entries: CatalogEntry[], problems: CatalogReadProblem[]): void {
  const docSections = moduleDocSections(file);
  const calls = file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => c.getExpression().getText() === 'defineCheck');
  for (const call of calls) {
    const arg = call.getArguments()[0];
    const line = lineOf(call);
    if (!arg || !Node.isObjectLiteralExpression(arg)) {
      problems.push({ file: rel, line, message: 'defineCheck must be called with an object literal' });
      continue;
    }
    const fail = (message: string): void => {
      problems.push({ file: rel, line, message });
    };
    const id = stringProp(arg, 'id');
    if (id === undefined) {
      fail("'id' must be a string literal");
      continue;
    }
    const sourceObj = objectProp(arg, 'source');
    const source: CatalogSource = sourceObj
      ? {
          paper: stringProp(sourceObj, 'paper') ?? '',
          label: stringProp(sourceObj, 'label') ?? '',
          ...optional('equation', stringProp(sourceObj, 'equation')),
          ...optional('page', numberProp(sourceObj, 'page')),
        }
      : { paper: '', label: '' };
    if (!sourceObj) fail(`${id}: 'source' must be an object literal`);
    const deps = arrayProp(arg, 'dependsOn');
    const dependsOn: string[] = [];
    if (!deps) fail(`${id}: 'dependsOn' must be an array literal of string literals`);
    for (const el of deps?.getElements() ?? []) {
      const s = literalString(el);
      if (s === undefined) fail(`${id}: dependsOn element '${el.getText()}' is not a string literal`);
      else dependsOn.push(s);
    }
    const controls = { holds: 0, violated: 0, inconclusive: 0, names: [] as string[] };
    const controlsArray = arrayProp(arg, 'controls');
    if (!controlsArray) fail(`${id}: 'controls' must be an array literal`);
    for (const el of flattenArray(controlsArray, file)) {
      const obj = resolveObject(el, file);
      if (!obj) {
        fail(`${id}: cannot read control '${el.getText().slice(0, 60)}' statically (use an object literal or a same-file constant)`);
        continue;
      }
      const expected = stringProp(obj, 'expected');
      const name = stringProp(obj, 'name') ?? '?';
      controls.names.push(name);
      if (expected === 'holds' || expected === 'violated' || expected === 'inconclusive') controls[expected] += 1;
      else fail(`${id}: control '${name}' has no literal 'expected' verdict`);
    }
    const declaration = call.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    entries.push({
      id,
      kind: stringProp(arg, 'kind') ?? '',
      title: stringProp(arg, 'title') ?? '',
      source,
      dependsOn,
      file: rel,
      line,
      exportName: declaration?.getName(),
      controls,
      docSections,
    });
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function prop(obj: ObjectLiteralExpression, name: string): Expression | undefined {
  const p = obj.getProperty(name);
  if (p && Node.isPropertyAssignment(p)) return p.getInitializer();
  return undefined;
}

function literalString(e: Node | undefined): string | undefined {
  if (!e) return undefined;
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralText();
  if (Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isParenthesizedExpression(e)) return literalString(e.getExpression());
  return undefined;
}

function stringProp(obj: ObjectLiteralExpression, name: string): string | undefined {
  return literalString(prop(obj, name));
}

function numberProp(obj: ObjectLiteralExpression, name: string): number | undefined {
  const e = prop(obj, name);
  return e && Node.isNumericLiteral(e) ? e.getLiteralValue() : undefined;
}

function objectProp(obj: ObjectLiteralExpression, name: string): ObjectLiteralExpression | undefined {
  const e = prop(obj, name);
  return e && Node.isObjectLiteralExpression(e) ? e : undefined;
}

function arrayProp(obj: ObjectLiteralExpression, name: string): ArrayLiteralExpression | undefined {
  const e = prop(obj, name);
  if (!e) return undefined;
  if (Node.isArrayLiteralExpression(e)) return e;
  if (Node.isAsExpression(e) || Node.isSatisfiesExpression(e)) {
    const inner = e.getExpression();
    return Node.isArrayLiteralExpression(inner) ? inner : undefined;
  }
  return undefined;
}

/** Initializer of a same-file `const name = …`. */
function constInitializer(name: string, file: SourceFile): Expression | undefined {
  return file.getVariableDeclaration(name)?.getInitializer();
}

/** Array elements, with `...name` spreads of same-file array constants inlined. */
function flattenArray(arr: ArrayLiteralExpression | undefined, file: SourceFile): Node[] {
  if (!arr) return [];
  const out: Node[] = [];
  for (const el of arr.getElements()) {
    if (Node.isSpreadElement(el)) {
      const target = el.getExpression();
      const init = Node.isIdentifier(target) ? constInitializer(target.getText(), file) : undefined;
      if (init && Node.isArrayLiteralExpression(init)) out.push(...flattenArray(init, file));
      else out.push(el);
    } else {
      out.push(el);
    }
  }
  return out;
}

/** An object literal, a call whose first argument is one, or an identifier naming either in the same file. */
function resolveObject(node: Node, file: SourceFile, depth = 0): ObjectLiteralExpression | undefined {
  if (depth > 4) return undefined;
  if (Node.isObjectLiteralExpression(node)) return node;
  if (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node)) {
    return resolveObject(node.getExpression(), file, depth + 1);
  }
  if (Node.isCallExpression(node)) {
    const first = node.getArguments()[0];
    return first ? resolveObject(first, file, depth + 1) : undefined;
  }
  if (Node.isIdentifier(node)) {
    const init = constInitializer(node.getText(), file);
    return init ? resolveObject(init, file, depth + 1) : undefined;
  }
  return undefined;
}

/** `## Heading` lines of the first JSDoc block in the file. */
function moduleDocSections(file: SourceFile): string[] {
  const text = file.getFullText();
  const m = /\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m) return [];
  const sections: string[] = [];
  for (const raw of m[1]!.split('\n')) {
    const line = raw.replace(/^\s*\*\s?/, '');
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) sections.push(h[1]!);
  }
  return sections;
}

/** Keys of `export const papers = { … }` (property names of the object literal). */
function readPaperKeys(file: SourceFile, problems: CatalogReadProblem[]): string[] {
  const decl = file.getVariableDeclaration('papers');
  let init: Node | undefined = decl?.getInitializer();
  while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) init = init.getExpression();
  if (!init || !Node.isObjectLiteralExpression(init)) {
    problems.push({ file: 'papers.ts', line: decl ? lineOf(decl) : 1, message: "papers.ts must declare `export const papers = { <key>: {...}, … }`" });
    return [];
  }
  return init.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) ? [p.getName().replace(/^['"]|['"]$/g, '')] : []));
}

/** Relative files imported (or re-exported) by index.ts, resolved against the theorems folder. */
function readIndexImports(file: SourceFile, root: string): string[] {
  const specs = [
    ...file.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
    ...file.getExportDeclarations().flatMap((d) => {
      const v = d.getModuleSpecifierValue();
      return v === undefined ? [] : [v];
    }),
  ];
  const out = new Set<string>();
  for (const s of specs) {
    if (!s.startsWith('.')) continue;
    const abs = resolve(dirname(file.getFilePath()), s.replace(/\.js$/, '.ts'));
    const rel = toPosix(relative(root, abs));
    if (rel.startsWith('../') || rel === 'papers.ts' || basename(rel) === 'index.ts') continue;
    out.add(rel);
  }
  return [...out].sort();
}

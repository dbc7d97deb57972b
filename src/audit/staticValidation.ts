import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Node,
  Project,
  SyntaxKind,
  ts,
  type ObjectLiteralExpression,
  type SourceFile,
  type Symbol as MorphSymbol,
  type Type,
  type TypeChecker,
} from 'ts-morph';

/** One missing or mistyped member of a user's variant, located in its source. */
export interface StaticProblem {
  /** Dotted member path, e.g. `variant.makePairs`, `variant.loss.tensorDistanceAndGradient`, or `module` for the file itself. */
  readonly member: string;
  readonly message: string;
  /** The module path as given. */
  readonly file: string;
  /** 1-based line where the member is (or, when missing, the object that should have it). */
  readonly line: number;
}

/** What the static pass found. `problems` empty means the module may be imported and run. */
export interface StaticValidation {
  readonly file: string;
  /** Which export holds the variant. */
  readonly exportName?: 'default' | 'variant';
  /** An object or a factory `(ctx: VariantFactoryContext) => TrainingVariant`. */
  readonly form?: 'object' | 'factory';
  readonly problems: readonly StaticProblem[];
  /** Things worth saying that do not block the run (type errors elsewhere in the module, unresolved types). */
  readonly notes: readonly string[];
  readonly durationMs: number;
}

/** Repository root (…/src/audit/ → …/). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VARIANT_MODULE = path.join(ROOT, 'src/training/trainingVariant.ts');
const LOADER_MODULE = path.join(ROOT, 'src/training/loadTrainingVariant.ts');
/** How deep nested members are followed: variant.loss.weighting.weight. */
const MAX_DEPTH = 3;

/**
 * Validates a user's training-variant module with the TypeScript type checker (ts-morph) before anything is imported
 * or run. The module must export, as `default` or `variant`, a `TrainingVariant` object or a factory
 * `(ctx: VariantFactoryContext) => TrainingVariant`. Every required member of `TrainingVariant` (and, recursively, of
 * its `schedule`, `indexSampler` and `loss`) that is missing or not assignable to the declared type is reported by
 * its dotted name and the `file:line` of the object literal or property that should provide it. The member list
 * comes from the interfaces themselves, so it follows `TrainingVariant` as it evolves.
 *
 * `.js`/`.mjs` modules are checked too (types inferred from the code: a JS function's parameters are `any`, so only
 * presence and gross kind — function vs number vs object — can be caught there).
 */
export function validateVariantStatically(file: string): StaticValidation {
  const started = performance.now();
  const resolved = path.resolve(file);
  const problems: StaticProblem[] = [];
  const notes: string[] = [];
  const done = (extra: Partial<StaticValidation> = {}): StaticValidation => ({ file, problems, notes, durationMs: performance.now() - started, ...extra });
  if (!existsSync(resolved)) {
    problems.push({ member: 'module', message: `no such module '${file}'`, file, line: 0 });
    return done();
  }
  const { project, variantSf, loaderSf } = sharedProject();
  // fresh copies of the user's modules every time (they may have changed since the last validation); the library's stay
  for (const f of project.getSourceFiles()) if (!f.getFilePath().startsWith(`${ROOT}/src/`) && !f.isInNodeModules() && !f.isDeclarationFile()) f.forget();
  const sf = project.addSourceFileAtPath(resolved);
  project.resolveSourceFileDependencies();
  const checker = project.getTypeChecker();
  const lineOf = (node: Node): number => node.getStartLineNumber();

  const syntax = project.getProgram().compilerObject.getSyntacticDiagnostics(sf.compilerNode);
  if (syntax.length > 0) {
    for (const d of syntax) problems.push({ member: 'module', message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`, file, line: diagnosticLine(sf, d) });
    return done();
  }
  for (const d of project.getProgram().compilerObject.getSemanticDiagnostics(sf.compilerNode)) {
    notes.push(`type error in the module at ${file}:${diagnosticLine(sf, d)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }

  const expected = variantSf.getInterfaceOrThrow('TrainingVariant').getType();
  const contextType = loaderSf.getInterfaceOrThrow('VariantFactoryContext').getType();

  const exports = sf.getExportSymbols();
  const pick = (name: string): MorphSymbol | undefined => exports.find((s) => s.getName() === name);
  const exportName = pick('default') ? 'default' : pick('variant') ? 'variant' : undefined;
  if (exportName === undefined) {
    const found = exports.map((s) => s.getName());
    problems.push({ member: 'export', message: `exports neither \`default\` nor \`variant\` (found: ${found.join(', ') || 'nothing'}); export a TrainingVariant object or a factory (ctx) => TrainingVariant`, file, line: 1 });
    return done();
  }
  const exportSymbol = pick(exportName)!;
  const target = exportSymbol.isAlias() ? exportSymbol.getAliasedSymbol() ?? exportSymbol : exportSymbol;
  const declaration = target.getDeclarations()[0] ?? exportSymbol.getDeclarations()[0];
  const anchor: Node = declaration ?? sf;
  const exportType = checker.getTypeOfSymbolAtLocation(target, anchor);
  const exportLine = lineOf(anchor);

  const signatures = exportType.getCallSignatures();
  let form: 'object' | 'factory' = 'object';
  let variantType: Type = exportType;
  let literal: ObjectLiteralExpression | undefined;
  if (signatures.length > 0) {
    form = 'factory';
    const sig = signatures[0]!;
    const params = sig.getParameters();
    if (params.length > 1 && params.slice(1).some((p) => !isOptionalParameter(p))) {
      problems.push({ member: `${exportName} export`, message: `a factory is called with one argument (VariantFactoryContext); it declares ${params.length} required parameters`, file, line: exportLine });
    }
    if (params.length >= 1) {
      const paramType = checker.getTypeOfSymbolAtLocation(params[0]!, anchor);
      if (!assignable(checker, contextType, paramType)) {
        problems.push({ member: `${exportName} export`, message: `the factory's parameter has type ${typeText(paramType, anchor)}, but cmbounds calls it with a VariantFactoryContext { process, target, steps }`, file, line: exportLine });
      }
    }
    variantType = sig.getReturnType();
    if (isPromiseLike(variantType)) {
      problems.push({ member: `${exportName} export`, message: 'the factory returns a Promise; it must return the TrainingVariant synchronously', file, line: exportLine });
      return done({ exportName, form });
    }
    literal = returnedObjectLiteral(declaration);
  } else {
    literal = initializerObjectLiteral(declaration);
  }
  // the literal as written (not a declared return type, which would hide what is actually returned)
  if (literal !== undefined) variantType = checker.getTypeAtLocation(literal);
  if (variantType.isAny()) {
    notes.push(`the type of the ${exportName} export could not be resolved (any); relying on the runtime shape check`);
    return done({ exportName, form });
  }
  if (!variantType.isObject() || variantType.getCallSignatures().length > 0) {
    problems.push({ member: 'variant', message: `the ${exportName} export ${form === 'factory' ? 'returns' : 'is'} ${typeText(variantType, anchor)}, not a TrainingVariant object`, file, line: exportLine });
    return done({ exportName, form });
  }
  compareMembers(checker, 'variant', variantType, expected, literal ?? anchor, literal, file, problems, 0);
  problems.sort((a, b) => a.line - b.line);
  return done({ exportName, form });
}

let shared: { project: Project; variantSf: SourceFile; loaderSf: SourceFile } | undefined;

/**
 * One ts-morph project per process: the library's own sources (src/index.ts and its dependencies, tfjs typings) are
 * parsed once and reused by every validation, which then costs only the user's module (≈ 0.3 s instead of ≈ 3 s).
 */
function sharedProject(): { project: Project; variantSf: SourceFile; loaderSf: SourceFile } {
  if (shared !== undefined) return shared;
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      exactOptionalPropertyTypes: true,
      allowImportingTsExtensions: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      // a module outside the repository may import the package by name
      paths: { cmbounds: [path.join(ROOT, 'src/index.ts')] },
    },
    skipAddingFilesFromTsConfig: true,
  });
  const variantSf = project.addSourceFileAtPath(VARIANT_MODULE);
  const loaderSf = project.addSourceFileAtPath(LOADER_MODULE);
  project.addSourceFileAtPath(path.join(ROOT, 'src/index.ts'));
  project.resolveSourceFileDependencies();
  shared = { project, variantSf, loaderSf };
  return shared;
}

/** Reports members of `expected` that `actual` lacks or declares with a non-assignable type; recurses into object members. */
function compareMembers(
  checker: TypeChecker,
  prefix: string,
  actual: Type,
  expected: Type,
  at: Node,
  literal: ObjectLiteralExpression | undefined,
  file: string,
  problems: StaticProblem[],
  depth: number,
): void {
  for (const prop of expected.getProperties()) {
    if (isOptionalProperty(prop)) continue;
    const name = prop.getName();
    const member = `${prefix}.${name}`;
    const expectedType = checker.getTypeOfSymbolAtLocation(prop, at);
    const own = actual.getProperty(name);
    const propNode = literal === undefined ? undefined : literalProperty(literal, name);
    const line = (propNode ?? at).getStartLineNumber();
    if (own === undefined) {
      problems.push({ member, message: `missing (expected ${describeExpected(expectedType, at)})`, file, line: literal?.getStartLineNumber() ?? line });
      continue;
    }
    const actualType = checker.getTypeOfSymbolAtLocation(own, propNode ?? at);
    if (assignable(checker, actualType, expectedType)) continue;
    const nested = propNode === undefined ? undefined : initializerOf(propNode);
    const expectsObject = expectedType.isObject() && expectedType.getCallSignatures().length === 0;
    const isObject = actualType.isObject() && actualType.getCallSignatures().length === 0;
    if (depth + 1 < MAX_DEPTH && expectsObject && isObject) {
      const before = problems.length;
      compareMembers(checker, member, actualType, expectedType, propNode ?? at, nested, file, problems, depth + 1);
      if (problems.length > before) continue;
    }
    problems.push({ member, message: `expected ${describeExpected(expectedType, at)}, got ${typeText(actualType, propNode ?? at)}`, file, line });
  }
}

function assignable(checker: TypeChecker, source: Type, target: Type): boolean {
  return checker.compilerObject.isTypeAssignableTo(source.compilerType, target.compilerType);
}

function isOptionalProperty(symbol: MorphSymbol): boolean {
  return (symbol.getFlags() & ts.SymbolFlags.Optional) !== 0;
}

function isOptionalParameter(symbol: MorphSymbol): boolean {
  return symbol.getDeclarations().some((d) => Node.isParameterDeclaration(d) && (d.isOptional() || d.hasInitializer() || d.isRestParameter()));
}

function isPromiseLike(type: Type): boolean {
  return type.getProperty('then') !== undefined && type.getSymbol()?.getName() === 'Promise';
}

/** 'a function (x0, times, …) => TrainingPairs', 'a number', 'a DiscretizationSchedule'. */
function describeExpected(type: Type, at: Node): string {
  const sigs = type.getCallSignatures();
  if (sigs.length > 0) {
    const sig = sigs[0]!;
    const params = sig.getParameters().map((p) => p.getName()).join(', ');
    return `a function (${params}) => ${typeText(sig.getReturnType(), at)}`;
  }
  const text = typeText(type, at);
  return /^[a-z]/.test(text) && !text.includes(' ') ? `a ${text}` : text;
}

function typeText(type: Type, at: Node): string {
  const text = type.getText(at, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
  // import("/abs/path").Name → Name
  const short = text.replace(/import\("[^"]*"\)\./g, '');
  return short.length > 140 ? `${short.slice(0, 137)}...` : short;
}

function diagnosticLine(sf: SourceFile, d: ts.Diagnostic): number {
  return d.start === undefined ? 1 : sf.getLineAndColumnAtPos(d.start).line;
}

/** The object literal an exported declaration is initialised with: `export default {…}`, `export const variant = {…}`, … */
function initializerObjectLiteral(decl: Node | undefined): ObjectLiteralExpression | undefined {
  if (decl === undefined) return undefined;
  if (Node.isExportAssignment(decl)) return objectLiteralOf(decl.getExpression());
  if (Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    return init === undefined ? undefined : objectLiteralOf(init);
  }
  return undefined;
}

/** The object literal a factory returns (its last `return {…}` or arrow body). */
function returnedObjectLiteral(decl: Node | undefined): ObjectLiteralExpression | undefined {
  if (decl === undefined) return undefined;
  let fn: Node | undefined = decl;
  if (Node.isExportAssignment(decl)) fn = decl.getExpression();
  else if (Node.isVariableDeclaration(decl)) fn = decl.getInitializer();
  if (fn === undefined) return undefined;
  fn = unwrap(fn);
  if (Node.isIdentifier(fn)) {
    const d = fn.getSymbol()?.getDeclarations()[0];
    return d === undefined || d === decl ? undefined : returnedObjectLiteral(d);
  }
  if (Node.isArrowFunction(fn)) {
    const body = fn.getBody();
    if (!Node.isBlock(body)) return objectLiteralOf(body);
  }
  if (Node.isArrowFunction(fn) || Node.isFunctionDeclaration(fn) || Node.isFunctionExpression(fn)) {
    const returns = fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn);
    for (const r of returns.reverse()) {
      const e = r.getExpression();
      const lit = e === undefined ? undefined : objectLiteralOf(e);
      if (lit !== undefined) return lit;
    }
  }
  return undefined;
}

function objectLiteralOf(node: Node): ObjectLiteralExpression | undefined {
  const n = unwrap(node);
  if (Node.isObjectLiteralExpression(n)) return n;
  if (Node.isIdentifier(n)) {
    const d = n.getSymbol()?.getDeclarations()[0];
    if (d !== undefined && Node.isVariableDeclaration(d)) {
      const init = d.getInitializer();
      return init === undefined ? undefined : objectLiteralOf(init);
    }
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies` and `!`. */
function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isNonNullExpression(n)) n = n.getExpression();
    else return n;
  }
}

function literalProperty(literal: ObjectLiteralExpression, name: string): Node | undefined {
  return literal.getProperty(name);
}

function initializerOf(prop: Node): ObjectLiteralExpression | undefined {
  if (Node.isPropertyAssignment(prop)) {
    const init = prop.getInitializer();
    return init === undefined ? undefined : objectLiteralOf(init);
  }
  if (Node.isShorthandPropertyAssignment(prop)) {
    const d = prop.getValueSymbol()?.getDeclarations()[0];
    if (d !== undefined && Node.isVariableDeclaration(d)) {
      const init = d.getInitializer();
      return init === undefined ? undefined : objectLiteralOf(init);
    }
  }
  return undefined;
}

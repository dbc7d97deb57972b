import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const THEOREMS = path.join(ROOT, 'theorems');
const PUBLIC_API = path.join(ROOT, 'src', 'index.ts');
const REGISTRY = path.join(THEOREMS, 'index.ts');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file names: static imports, `export … from`, dynamic `import()` and `require()`. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Why `specifier` may not be imported by `file`, or undefined when it may: a file of theorems/ imports the public API
 * (src/index.ts) and files of its own folder; the registry (theorems/index.ts) also imports the statement files of
 * the paper folders. Everything else — an internal src/ path, a `_` helper of another folder, a package — is refused.
 */
function violation(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return `a package ('${specifier}'): reach it through a src/ module exported from src/index.ts`;
  const target = path.resolve(path.dirname(file), specifier);
  if (target === PUBLIC_API) return undefined;
  if (path.dirname(target) === path.dirname(file)) return undefined;
  const fromRegistry = file === REGISTRY && path.dirname(path.dirname(target)) === THEOREMS && !path.basename(target).startsWith('_');
  if (fromRegistry) return undefined;
  if (target.startsWith(path.join(ROOT, 'src') + path.sep)) return 'an internal src/ path: import it from src/index.ts (export it there if it is missing)';
  if (path.basename(target).startsWith('_')) return "another folder's `_` helper: its mathematics belongs in src/, exported from src/index.ts";
  return 'a file outside its folder: statements import src/index.ts and their own folder only';
}

describe('import rules of theorems/', () => {
  const files = typeScriptFiles(THEOREMS);

  it('reads the statement files (the rule below is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(specifiers)).toContain('../../src/index.ts');
  });

  it('lets every file import only src/index.ts and files of its own folder', () => {
    const problems = files.flatMap((file) =>
      specifiers(file).flatMap((specifier) => {
        const why = violation(file, specifier);
        return why === undefined ? [] : [`${path.relative(ROOT, file)} imports '${specifier}': ${why}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('refuses the imports the rule is about, with the file and specifier named', () => {
    const statement = path.join(THEOREMS, 'note', 'ctBias.ts');
    expect(violation(statement, '../../src/index.ts')).toBeUndefined();
    expect(violation(statement, './coupling.ts')).toBeUndefined();
    expect(violation(statement, '../../src/distributions/gaussianMixture.ts')).toMatch(/internal src\/ path/);
    expect(violation(statement, '../song2023/_partCollector.ts')).toMatch(/`_` helper/);
    expect(violation(statement, '../lyu2023/scoreError.ts')).toMatch(/outside its folder/);
    expect(violation(statement, 'jstat')).toMatch(/a package/);
    expect(violation(REGISTRY, './li2024/theorem1.ts')).toBeUndefined();
    expect(violation(REGISTRY, './song2023/_partCollector.ts')).toMatch(/`_` helper/);
  });
});

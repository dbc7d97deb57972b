import { existsSync, readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';

/**
 * Reads a file, or standard input for '-', and parses it as JSON; errors name the flag and the file in one line:
 * `--target: no such file 'missing.json'`, `--target: 'runs' is a directory, not a JSON file`, or the parse error.
 */
export function readJsonInput(path: string, flag: string): unknown {
  let text: string;
  if (path !== '-' && existsSync(path) && statSync(path).isDirectory()) {
    throw new ConfigError('E_INVALID_INPUT', `'${path}' is a directory, not a JSON file`, flag);
  }
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('E_INVALID_INPUT', describeReadError(path, e as NodeJS.ErrnoException), flag);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ConfigError('E_BAD_JSON', `'${path === '-' ? 'stdin' : path}' is not valid JSON (${(e as Error).message})`, flag);
  }
}

/** One phrase for a failed read: `no such file 'x'`, `permission denied reading 'x'`, … */
export function describeReadError(path: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return `no such file '${path}'`;
    case 'EISDIR':
      return `'${path}' is a directory, not a file`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading '${path}'`;
    case 'ENOTDIR':
      return `no such file '${path}' (a part of the path is not a folder)`;
    default:
      return `cannot read '${path}': ${e.code ?? e.message}`;
  }
}

/**
 * The value of an option that takes a name or a JSON spec (`--target`, `--process`): inline JSON (`{…}`), a JSON
 * file, or a bare name returned as the string. A value is read as a file when it ends in `.json`, contains a path
 * separator, or names something that exists and is not one of `names` — so `--target missing.json` says "no such
 * file" and `--target runs/` says "is a directory" instead of "unknown built-in".
 *
 * @param isName - whether a bare value is a known name (then an existing file of that name does not shadow it).
 */
export function readSpecOption(value: string, flag: string, isName: (name: string) => boolean = () => false): unknown {
  if (value.trimStart().startsWith('{')) {
    try {
      return JSON.parse(value) as unknown;
    } catch (e) {
      throw new ConfigError('E_BAD_JSON', `inline JSON does not parse (${(e as Error).message})`, flag);
    }
  }
  const looksLikePath = value.endsWith('.json') || value.includes('/') || value.includes('\\') || value === '.' || value === '..';
  if (looksLikePath || (!isName(value) && existsSync(value))) return readJsonInput(value, flag);
  return value;
}

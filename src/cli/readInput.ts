import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';

/** Reads a file, or standard input for '-', and parses it as JSON; errors name the flag and the file. */
export function readJsonInput(path: string, flag: string): unknown {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('E_INVALID_INPUT', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, flag);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ConfigError('E_BAD_JSON', `'${path === '-' ? 'stdin' : path}' is not valid JSON (${(e as Error).message})`, flag);
  }
}

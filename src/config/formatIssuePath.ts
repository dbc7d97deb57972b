import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';

/** ['target', 'covariances', 1, 0] → `target.covariances[1][0]`. */
export function formatIssuePath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Parses with a zod schema; on failure throws a ConfigError naming the first offending field. */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatIssuePath(issue.path, prefix);
  throw new ConfigError('E_INVALID_INPUT', issue.message, field);
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is src/core/sourceFingerprint.ts). */
const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * SHA-256 (16 hex digits) over the TypeScript sources under the given folders of the repository (relative paths and
 * contents, in sorted order): a change to any of them changes the fingerprint, nothing else does.
 */
export function sourceFingerprint(folders: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) hash.update(path.slice(ROOT.length)).update(readFileSync(path));
    }
  };
  for (const folder of folders) walk(join(ROOT, folder));
  return hash.digest('hex').slice(0, 16);
}

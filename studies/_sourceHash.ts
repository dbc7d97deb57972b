/**
 * A hash of the studies' own sources, mixed into every study subject key. `cmbounds run --resume` (and so
 * `npm run reproduce`) reuses a finished check when its subject key and the code fingerprint match, and the code
 * fingerprint covers src/, theorems/ and suites/ only: without this, editing a study would silently reuse stale results.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subjectKey, type BatterySubject } from '../src/index.ts';

let cached: string | undefined;

export function studySourceHash(): string {
  if (cached !== undefined) return cached;
  const dir = new URL('.', import.meta.url).pathname;
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.ts')) hash.update(name).update(readFileSync(join(dir, name)));
  }
  cached = hash.digest('hex').slice(0, 16);
  return cached;
}

/** A study's subject with its results-cache key: computed from the whole value and the hash of the studies' sources. */
export function studySubject(value: unknown): BatterySubject {
  return { value, key: subjectKey(value, { studySources: studySourceHash() }) };
}

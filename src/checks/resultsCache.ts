import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence } from './evidence.ts';

/** What identifies a finished check: rerunning with the same key must give the same Evidence. */
export interface ResultsCacheKey {
  readonly checkId: string;
  readonly subjectHash: string;
  readonly seed: number;
  readonly codeVersion: string;
}

/**
 * JSON text of a value with non-finite numbers kept (`Infinity`, `-Infinity`, `NaN` are written as tagged
 * strings), so one-sided intervals survive the round trip.
 */
export function stringifyWithNonFinite(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}

export function parseWithNonFinite(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$number') return Number((v as { $number: string }).$number);
    }
    return v;
  });
}

/** Hex SHA-256 of a string, truncated to `length` characters. */
export function sha256Hex(text: string, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * A folder of finished Evidence, one JSON file per key, written atomically (temp file + rename in the same
 * folder) so that a run killed mid-write leaves either the old file or the new one, never half a file.
 * Unreadable or mismatching entries are treated as missing.
 */
export class ResultsCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  fileFor(key: ResultsCacheKey): string {
    return join(this.dir, `${sha256Hex(JSON.stringify([key.checkId, key.subjectHash, key.seed, key.codeVersion]), 32)}.json`);
  }

  get(key: ResultsCacheKey): Evidence | undefined {
    const file = this.fileFor(key);
    if (!existsSync(file)) return undefined;
    try {
      const stored = parseWithNonFinite(readFileSync(file, 'utf8')) as { key: ResultsCacheKey; evidence: Evidence };
      const k = stored.key;
      if (k.checkId !== key.checkId || k.subjectHash !== key.subjectHash || k.seed !== key.seed || k.codeVersion !== key.codeVersion) return undefined;
      return stored.evidence;
    } catch {
      return undefined;
    }
  }

  set(key: ResultsCacheKey, evidence: Evidence): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(key);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, stringifyWithNonFinite({ key, evidence }));
    renameSync(tmp, file);
  }
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CmboundsError, ValidationError } from '../core/errors.ts';
import type { ParameterEntry, ParameterSnapshot } from '../models/consistencyFunction.ts';

/** Writes `contents` to `file` atomically: a temp file in the same folder, then rename (readers never see a partial file). */
export function writeFileAtomically(file: string, contents: string | Uint8Array): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, contents);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CmboundsError('E_CHECKPOINT', `could not write ${file}: ${(e as Error).message}`, 'checkpoint');
  }
}

/** A snapshot entry in JSON: shape and base64 of the little-endian float32 (or float64) bytes. */
export interface EncodedEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly base64: string;
}

export interface EncodedSnapshot {
  readonly dtype: 'float32' | 'float64';
  readonly entries: readonly EncodedEntry[];
}

/** Encodes a snapshot losslessly (float32 snapshots as 4-byte floats, float64 as 8-byte). */
export function encodeSnapshot(snapshot: ParameterSnapshot): EncodedSnapshot {
  return {
    dtype: snapshot.dtype,
    entries: snapshot.entries.map((e) => ({ name: e.name, shape: [...e.shape], base64: encodeValues(e.values, snapshot.dtype) })),
  };
}

/** Inverse of `encodeSnapshot`; validates sizes against shapes. */
export function decodeSnapshot(encoded: EncodedSnapshot, field = 'snapshot'): ParameterSnapshot {
  if (encoded.dtype !== 'float32' && encoded.dtype !== 'float64') throw new ValidationError('E_CHECKPOINT', `unknown dtype '${String(encoded.dtype)}'`, `${field}.dtype`);
  const entries: ParameterEntry[] = encoded.entries.map((e, i) => {
    const values = decodeValues(e.base64, encoded.dtype);
    const size = e.shape.reduce((p, s) => p * s, 1);
    if (values.length !== size) throw new ValidationError('E_CHECKPOINT', `has ${values.length} values, shape [${e.shape.join(', ')}] needs ${size}`, `${field}.entries[${i}]`);
    return { name: e.name, shape: [...e.shape], values };
  });
  return { dtype: encoded.dtype, entries };
}

export function encodeValues(values: Float64Array, dtype: 'float32' | 'float64'): string {
  const n = values.length;
  const bytes = Buffer.alloc(n * (dtype === 'float32' ? 4 : 8));
  for (let i = 0; i < n; i++) {
    if (dtype === 'float32') bytes.writeFloatLE(values[i]!, 4 * i);
    else bytes.writeDoubleLE(values[i]!, 8 * i);
  }
  return bytes.toString('base64');
}

export function decodeValues(base64: string, dtype: 'float32' | 'float64'): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  const width = dtype === 'float32' ? 4 : 8;
  if (bytes.length % width !== 0) throw new ValidationError('E_CHECKPOINT', `byte length ${bytes.length} is not a multiple of ${width}`, 'base64');
  const out = new Float64Array(bytes.length / width);
  for (let i = 0; i < out.length; i++) out[i] = dtype === 'float32' ? bytes.readFloatLE(4 * i) : bytes.readDoubleLE(8 * i);
  return out;
}

/** Reads and parses a JSON file, naming it in the error. */
export function readJsonFile(file: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CmboundsError('E_CHECKPOINT', `cannot read ${file}: ${(e as Error).message}`, field);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CmboundsError('E_BAD_JSON', `${file} is not valid JSON: ${(e as Error).message}`, field);
  }
}

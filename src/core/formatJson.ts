import { NumericalError } from './errors.ts';

/**
 * JSON with every number printed to 17 significant digits (DESIGN §4: float64 with full precision), so a
 * reader in any language recovers the exact double. Integers (counts, indices) print as integers.
 * Non-finite numbers cannot be represented in JSON and are an error, never a silent null.
 */
export function formatJsonFloat64(value: unknown, indent = 0): string {
  return write(value, indent, 0);
}

function write(v: unknown, indent: number, level: number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NumericalError('E_NON_FINITE', `cannot write ${v} as JSON`);
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) return String(v);
    return v.toPrecision(17);
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Float64Array) return write(Array.from(v), indent, level);
  const pad = indent > 0 ? '\n' + ' '.repeat(indent * (level + 1)) : '';
  const end = indent > 0 ? '\n' + ' '.repeat(indent * level) : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const flat = v.every((e) => typeof e === 'number');
    if (flat || indent === 0) return `[${v.map((e) => write(e, indent, level + 1)).join(',')}]`;
    return `[${pad}${v.map((e) => write(e, indent, level + 1)).join(`,${pad}`)}${end}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined);
    if (entries.length === 0) return '{}';
    const sep = indent > 0 ? ': ' : ':';
    return `{${pad}${entries.map(([k, e]) => `${JSON.stringify(k)}${sep}${write(e, indent, level + 1)}`).join(`,${pad}`)}${end}}`;
  }
  throw new NumericalError('E_INVALID_INPUT', `cannot write a ${typeof v} as JSON`);
}

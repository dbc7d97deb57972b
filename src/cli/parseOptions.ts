import type { Command, Option } from 'commander';
import type { z } from 'zod';
import { CmboundsError, ConfigError } from '../core/errors.ts';
import { formatIssuePath } from '../config/formatIssuePath.ts';

/** Range of a numeric command-line value. */
export interface NumberRule {
  /** Whole numbers only (safe integers). */
  readonly integer?: boolean;
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  /** Largest allowed value (inclusive unless `exclusiveMax`). */
  readonly max?: number;
  readonly exclusiveMax?: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses one numeric command-line value strictly (decimal notation, not `parseFloat`: `3abc`, `0x10` and `` are
 * refused, `1e3` is 1000) and checks its range. The one parser behind every numeric option of every command.
 *
 * @param flag - the option's name for the message, e.g. `--seed`; omitted inside a commander parser, where
 *   {@link nameOptionErrors} adds it.
 * @throws ConfigError `--seed: must be an integer, got 'abc'`.
 */
export function parseNumber(text: string, rule: NumberRule = {}, flag?: string): number {
  const trimmed = text.trim();
  // decimal notation only: `Number` would also take '0x10', '0b1' and ''
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  const what = rule.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value)) throw new ConfigError('E_INVALID_INPUT', `must be ${what}, got '${text}'`, flag);
  if (rule.integer && !Number.isSafeInteger(value)) {
    throw new ConfigError('E_INVALID_INPUT', Number.isInteger(value) ? `must be an integer of at most ${Number.MAX_SAFE_INTEGER}, got '${text}'` : `must be ${what}, got '${text}'`, flag);
  }
  const { min, max } = rule;
  const belowMin = min !== undefined && (rule.exclusiveMin ? !(value > min) : !(value >= min));
  const aboveMax = max !== undefined && (rule.exclusiveMax ? !(value < max) : !(value <= max));
  if (belowMin || aboveMax) throw new ConfigError('E_INVALID_INPUT', `must be ${what} ${describeRange(rule)}, got '${text}'`, flag);
  return value;
}

/** `≥ 1`, `in (0, 1)`, `in [0, 1]`, `≤ 5`. */
function describeRange(rule: NumberRule): string {
  const { min, max } = rule;
  if (min !== undefined && max !== undefined) return `in ${rule.exclusiveMin ? '(' : '['}${min}, ${max}${rule.exclusiveMax ? ')' : ']'}`;
  if (min !== undefined) return `${rule.exclusiveMin ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `${rule.exclusiveMax ? '<' : '≤'} ${max}`;
  return '';
}

/** A commander argument parser for an integer option: `.option('--seed <n>', '…', integerOption({ min: 0 }))`. */
export function integerOption(rule: Omit<NumberRule, 'integer'> = {}): (text: string) => number {
  return (text) => parseNumber(text, { ...rule, integer: true });
}

/** A commander argument parser for a real-valued option: `.option('--lr <x>', '…', numberOption({ min: 0, exclusiveMin: true }))`. */
export function numberOption(rule: NumberRule = {}): (text: string) => number {
  return (text) => parseNumber(text, rule);
}

/** A commander parser for a comma-separated list of numbers, each checked by `rule`: `--times 80,5,0.5`. */
export function numberListOption(rule: NumberRule = {}): (text: string) => number[] {
  return (text) => {
    const items = text.split(',').map((s) => s.trim());
    if (items.length === 0 || items.some((s) => s === '')) throw new ConfigError('E_INVALID_INPUT', `must be a comma-separated list of numbers, got '${text}'`);
    return items.map((s) => parseNumber(s, rule));
  };
}

/**
 * Makes every option parser of `command` and its subcommands name its option: an error thrown while parsing
 * `--seed abc` becomes `--seed: must be an integer, got 'abc'`, and a parser that returns NaN (e.g. a bare
 * `parseFloat`) is refused the same way. The one place where option values are tied to option names.
 */
export function nameOptionErrors(command: Command): void {
  for (const option of command.options as Option[]) {
    const inner = option.parseArg;
    if (inner === undefined) continue;
    const flag = option.long ?? option.short ?? option.flags;
    option.parseArg = <T>(value: string, previous: T): T => {
      let parsed: T;
      try {
        parsed = inner.call(option, value, previous) as T;
      } catch (e) {
        if (e instanceof CmboundsError && e.field === undefined) throw new ConfigError(e.code, e.message, flag);
        if (e instanceof CmboundsError || (e as { code?: unknown }).code === 'commander.invalidArgument') throw e;
        throw new ConfigError('E_INVALID_INPUT', `${(e as Error).message ?? String(e)} (got '${value}')`, flag);
      }
      if (typeof parsed === 'number' && Number.isNaN(parsed)) throw new ConfigError('E_INVALID_INPUT', `must be a number, got '${value}'`, flag);
      return parsed;
    };
  }
  for (const sub of command.commands) nameOptionErrors(sub);
}

/** `falseFailRate` → `--false-fail-rate`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Merges a `--config` JSON file with the command-line flags (which win) and validates the result with `schema`.
 * A problem is named where the user wrote the value: `--false-fail-rate: …` for a flag, `--config run.json: seed: …`
 * for a field of the file.
 *
 * @param flags - commander's option values (camelCase keys); `config` is the file path, if any.
 * @param extra - fields that are neither flags nor in the file (e.g. a positional argument), validated under their key.
 */
export function resolveCommandConfig<T>(schema: z.ZodType<T>, flags: Record<string, unknown>, readConfig: (path: string) => unknown, extra: Record<string, unknown> = {}): T {
  const configPath = typeof flags['config'] === 'string' ? flags['config'] : undefined;
  const fromFile = configPath === undefined ? {} : readConfig(configPath);
  if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError('E_INVALID_INPUT', 'must contain a JSON object', configPath === undefined ? '--config' : `--config ${configPath}`);
  }
  const merged: Record<string, unknown> = { ...(fromFile as Record<string, unknown>), ...extra };
  const fromFlags = new Set<string>();
  for (const [k, v] of Object.entries(flags)) {
    if (k === 'config' || v === undefined) continue;
    // commander sets controls=true by default for --no-controls; only an explicit --no-controls overrides the file
    if (k === 'controls' && v === true && 'controls' in merged) continue;
    merged[k] = v;
    fromFlags.add(k);
  }
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [head, ...rest] = issue.path;
  let field: string;
  if (typeof head === 'string' && fromFlags.has(head)) field = formatIssuePath(rest, head === 'controls' ? '--no-controls' : flagOf(head));
  else if (typeof head === 'string' && head in extra) field = formatIssuePath(issue.path);
  else if (issue.path.length === 0) field = configPath === undefined ? 'config' : `--config ${configPath}`;
  else field = configPath === undefined ? `config.${formatIssuePath(issue.path)}` : `--config ${configPath}: ${formatIssuePath(issue.path)}`;
  throw new ConfigError('E_INVALID_INPUT', issue.message, field);
}

/**
 * The most float64 values (points × dimension) that `sample` and `evaluate` hold in one array: 10⁷, i.e. 80 MB
 * per copy, and about 220 MB of 17-digit JSON text — below V8's largest string (2²⁹ − 24 characters), which a
 * larger JSON output would overflow, and far below its largest typed array.
 */
export const MAX_POINT_VALUES = 10_000_000;

/** `1.6e+10` bytes → `16 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
}

/**
 * Refuses, before any work, a request for more than {@link MAX_POINT_VALUES} values: `--n: 1000000000000 points
 * in d = 1 are 1e+12 float64 values (8.00 TB for one copy); the limit is 10000000 values (n ≤ 10000000 in d = 1)`.
 *
 * @param copies - how many n × d float64 arrays the command holds at once (for the memory it would need).
 */
export function assertPointBudget(n: number, d: number, flag: string, copies = 1): void {
  const values = n * d;
  if (values <= MAX_POINT_VALUES) return;
  throw new ConfigError(
    'E_INVALID_INPUT',
    `${n} points in d = ${d} are ${values.toPrecision(3)} float64 values, which would need at least ${formatBytes(8 * values * copies)} of memory; ` +
      `the limit is ${MAX_POINT_VALUES} values (n ≤ ${Math.floor(MAX_POINT_VALUES / d)} in d = ${d}): split the work over several runs`,
    flag,
  );
}

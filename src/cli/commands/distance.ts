import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { CmboundsError, ConfigError, NumericalError, ValidationError } from '../../core/errors.ts';
import type { PointBatch } from '../../core/pointBatch.ts';
import type { Interval } from '../../estimators/estimate.ts';
import { assertComparablePointSets } from '../../metrics/assertComparablePointSets.ts';
import { energyDistance } from '../../metrics/energyDistance.ts';
import { exactWasserstein } from '../../metrics/exactWasserstein.ts';
import { slicedWasserstein2 } from '../../metrics/slicedWasserstein2.ts';
import { wasserstein1d } from '../../metrics/wasserstein1d.ts';
import { Rng } from '../../random/rng.ts';
import { parseNumber } from '../parseOptions.ts';
import { readJsonInput } from '../../config/readInput.ts';

/** The metrics `cmbounds distance` computes. */
export const DISTANCE_METRICS = ['w1', 'w2', 'sliced-w2', 'energy'] as const;
/** One of {@link DISTANCE_METRICS}. */
export type DistanceMetric = (typeof DISTANCE_METRICS)[number];

/** Raw flag values of `cmbounds distance` (strings as commander delivers them, or numbers from code). */
export interface DistanceArgs {
  readonly metric: string;
  /** Path of the first point set (JSON), or '-' for standard input. */
  readonly a: string;
  /** Path of the second point set (JSON). */
  readonly b: string;
  /** Seed of the projections / bootstrap. @defaultValue 0 */
  readonly seed?: string | number;
  /** Number of random directions for `sliced-w2`. @defaultValue 128 */
  readonly projections?: string | number;
  /** Bootstrap resamples for `energy`. @defaultValue 500 */
  readonly resamples?: string | number;
}

/** The JSON object `cmbounds distance` prints (DESIGN §4). */
export interface DistanceOutput {
  readonly metric: DistanceMetric;
  /** W_p itself (not its p-th power), SW₂, or the energy distance ℰ. */
  readonly value: number;
  /**
   * `exact-1d-sorted`, `exact-assignment-lapjv`, `sliced-monte-carlo`, `energy-u-statistic-bootstrap`, or
   * `energy-u-statistic-clt` (sets too large for stored distance matrices: the U-statistic variance interval).
   */
  readonly method: string;
  /** Only for estimated metrics (`sliced-w2`, `energy`). */
  readonly interval?: Interval;
  readonly standardError?: number;
  readonly seed?: number;
  readonly projections?: number;
  readonly resamples?: number;
}

/** Options of {@link computeDistance}. */
export interface ComputeDistanceOptions {
  readonly seed?: number;
  readonly projections?: number;
  readonly resamples?: number;
  /** How the two sets are named in error messages. @defaultValue ['a', 'b'] */
  readonly names?: readonly [string, string];
}

/**
 * Computes one metric between two point sets with uniform weights (the library form of `cmbounds distance`).
 *
 * @remarks
 * - `w1`, `w2`: exact. In d = 1 by sorting (any sizes, {@link wasserstein1d}); in d > 1 by an exact assignment
 *   (Jonker–Volgenant, {@link exactWasserstein}), which needs equal sizes — unequal sizes are a ValidationError.
 * - `sliced-w2`: Monte-Carlo over `projections` random directions from the stream `(seed, ['distance', 'sliced-w2'])`,
 *   with interval and standard error ({@link slicedWasserstein2}).
 * - `energy`: the energy distance ℰ (U-statistic) with a percentile-bootstrap interval ({@link energyDistance}); sets
 *   too large for stored distance matrices (about 2,360 points each) get the U-statistic variance interval instead
 *   (method `energy-u-statistic-clt`, O(n) memory; no seed or resamples involved).
 *
 * @throws ValidationError naming the set (empty, mismatched dimensions, non-finite, unequal sizes for an exact
 *   metric in d > 1); ConfigError for an unknown metric or a bad seed/projections/resamples.
 */
export function computeDistance(metric: string, a: PointBatch, b: PointBatch, options: ComputeDistanceOptions = {}): DistanceOutput {
  const names = options.names ?? ['a', 'b'];
  const checkedMetric = parseMetric(metric);
  assertComparablePointSets(a, b, { names });
  const seed = options.seed ?? 0;
  const rng = new Rng(seed, ['distance', checkedMetric]);
  switch (checkedMetric) {
    case 'w1':
    case 'w2': {
      const p = checkedMetric === 'w1' ? 1 : 2;
      if (a.d === 1) return { metric: checkedMetric, value: wasserstein1d(a.data, b.data, p), method: 'exact-1d-sorted' };
      assertComparablePointSets(a, b, {
        names,
        sameSize: true,
        why: `exact ${checkedMetric} in d > 1 is an assignment and needs equal sizes; subsample to equal sizes, or use --metric sliced-w2`,
      });
      return { metric: checkedMetric, value: exactWasserstein(a, b, p).value, method: 'exact-assignment-lapjv' };
    }
    case 'sliced-w2': {
      const projections = options.projections ?? 128;
      const e = slicedWasserstein2(a, b, rng, { projections });
      return {
        metric: checkedMetric,
        value: e.value,
        method: 'sliced-monte-carlo',
        interval: e.interval,
        standardError: e.standardError ?? 0,
        seed,
        projections,
      };
    }
    case 'energy': {
      const resamples = options.resamples ?? 500;
      const e = energyDistance(a, b, rng, { resamples });
      const common = { metric: checkedMetric, value: e.value, interval: e.interval, standardError: e.standardError ?? 0 };
      if (e.method === 'u-statistic-clt') return { ...common, method: 'energy-u-statistic-clt' };
      return { ...common, method: 'energy-u-statistic-bootstrap', seed, resamples };
    }
  }
}

/**
 * `cmbounds distance` without the terminal: reads and validates both files, parses the flags, computes.
 * @throws ConfigError (unreadable file, malformed JSON, bad flag) or ValidationError (bad point set), each with a
 *   message that names the flag and, for data, the point: e.g. `--a[3]: has 2 coordinates, expected 3`.
 */
export function runDistance(args: DistanceArgs): DistanceOutput {
  const metric = parseMetric(args.metric);
  const seed = parseInteger(args.seed, '--seed', 0, 0);
  const projections = parseInteger(args.projections, '--projections', 128, 2, MAX_REPLICATES);
  const resamples = parseInteger(args.resamples, '--resamples', 500, 10, MAX_REPLICATES);
  const a = readPointSet(args.a, '--a');
  const b = readPointSet(args.b, '--b');
  return computeDistance(metric, a, b, { seed, projections, resamples, names: ['--a', '--b'] });
}

/** The commander subcommand `distance` (DESIGN §4). Prints one JSON object on stdout. */
export function distanceCommand(): Command {
  return new Command('distance')
    .description(
      'Distance between two point sets with uniform weights: exact W1/W2 (sorting in 1-D, Jonker–Volgenant ' +
        'assignment otherwise: equal sizes), sliced W2 (Monte Carlo with interval) or energy distance (bootstrap ' +
        'interval). Files are JSON arrays of points ([[x, y], ...]; a flat array of numbers is a 1-D set). ' +
        'The value is W_p itself, not its p-th power.',
    )
    .requiredOption('--metric <metric>', `one of ${DISTANCE_METRICS.join(', ')}`)
    .requiredOption('--a <file>', "first point set (JSON), or '-' for standard input")
    .requiredOption('--b <file>', 'second point set (JSON)')
    .option('--seed <n>', 'seed of the random projections / bootstrap (non-negative integer)', '0')
    .option('--projections <n>', 'random directions for sliced-w2', '128')
    .option('--resamples <n>', 'bootstrap resamples for energy', '500')
    .action((opts: { metric: string; a: string; b: string; seed: string; projections: string; resamples: string }) => {
      process.stdout.write(formatDistanceOutput(runDistance(opts)) + '\n');
    });
}

/**
 * One line of JSON. `JSON.stringify` prints every double in its shortest round-tripping form, so the output is
 * exact float64 (`0.95`, not `0.94999999999999996`); non-finite numbers, which JSON cannot hold, are an error rather
 * than a silent `null`.
 */
export function formatDistanceOutput(output: DistanceOutput): string {
  return JSON.stringify(output, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new NumericalError('E_NON_FINITE', `cannot write ${v} as JSON`, key === '' ? 'output' : key);
    }
    return v;
  });
}

/**
 * Validates parsed JSON as a point set: an array of points, each an array of d ≥ 1 finite numbers (all the same
 * d), or a flat array of finite numbers (a 1-D set).
 * @param flag - the name used in messages, e.g. `--a` (so messages read `--a[3]: has 2 coordinates, expected 3`).
 */
export function parsePointSet(json: unknown, flag: string): PointBatch {
  if (!Array.isArray(json)) {
    throw new ValidationError('E_INVALID_INPUT', `must be a JSON array of points (arrays of numbers), got ${describe(json)}`, flag);
  }
  if (json.length === 0) throw new ValidationError('E_INVALID_INPUT', 'must contain at least one point', flag);
  const rows: unknown[] = json;
  if (!Array.isArray(rows[0])) {
    // A flat array is a set of 1-D points; every entry must then be a number.
    const data = new Float64Array(rows.length);
    rows.forEach((v, i) => {
      if (Array.isArray(v)) throw new ValidationError('E_DIMENSION', `is an array but ${flag}[0] is a number; mix of points and numbers`, `${flag}[${i}]`);
      data[i] = finiteNumber(v, `${flag}[${i}]`);
    });
    return { n: rows.length, d: 1, data };
  }
  const d = (rows[0] as unknown[]).length;
  if (d === 0) throw new ValidationError('E_DIMENSION', 'a point needs at least one coordinate', `${flag}[0]`);
  const data = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) {
      throw new ValidationError('E_DIMENSION', `must be an array of ${d} numbers like ${flag}[0], got ${describe(row)}`, `${flag}[${i}]`);
    }
    if (row.length !== d) {
      throw new ValidationError('E_DIMENSION', `has ${row.length} coordinate${row.length === 1 ? '' : 's'}, expected ${d}`, `${flag}[${i}]`);
    }
    (row as unknown[]).forEach((v, j) => {
      data[i * d + j] = finiteNumber(v, `${flag}[${i}][${j}]`);
    });
  });
  return { n: rows.length, d, data };
}

/** Reads a point-set file (or '-' for stdin); NaN/Infinity tokens (not JSON) are reported at their position. */
function readPointSet(path: string, flag: string): PointBatch {
  let json: unknown;
  try {
    json = readJsonInput(path, flag);
  } catch (e) {
    if (e instanceof CmboundsError && e.code === 'E_BAD_JSON' && path !== '-') {
      const located = locateNonFiniteToken(path);
      if (located !== undefined) return parsePointSet(located, flag); // throws naming the entry
    }
    throw e;
  }
  return parsePointSet(json, flag);
}

/**
 * Writers such as Python's `json.dumps` emit bare NaN / Infinity, which JSON.parse rejects with a message about an
 * unexpected token. Quoting those tokens lets the validator name the exact entry instead.
 */
function locateNonFiniteToken(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (!/(-?Infinity|NaN)/.test(text)) return undefined;
  try {
    return JSON.parse(text.replace(/(-?Infinity|NaN)/g, '"$1"')) as unknown;
  } catch {
    return undefined;
  }
}

const NON_FINITE_TOKENS = new Set(['NaN', 'Infinity', '-Infinity']);

function finiteNumber(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const shown = typeof v === 'string' && NON_FINITE_TOKENS.has(v) ? v : describe(v);
  throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${shown}`, field);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function parseMetric(metric: string): DistanceMetric {
  const found = DISTANCE_METRICS.find((m) => m === metric);
  if (found === undefined) {
    throw new ConfigError('E_INVALID_INPUT', `must be one of ${DISTANCE_METRICS.join(', ')}; got '${metric}'`, '--metric');
  }
  return found;
}

/** Most projections / bootstrap resamples: beyond 10⁵ the interval no longer narrows usefully, and time grows linearly. */
const MAX_REPLICATES = 100_000;

function parseInteger(raw: string | number | undefined, flag: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  return parseNumber(String(raw), { integer: true, min, ...(max < Number.MAX_SAFE_INTEGER ? { max } : {}) }, flag);
}

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDistance, formatDistanceOutput, parsePointSet, runDistance } from '../../src/cli/commands/distance.ts';
import { exactWasserstein } from '../../src/metrics/exactWasserstein.ts';
import { wasserstein1d } from '../../src/metrics/wasserstein1d.ts';

let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmbounds-distance-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true }); // the directory this file created, nothing else
});

const A = [[0, 0], [1, 0], [0, 1], [2, 2]];
const B = [[0.5, 0.5], [2, 0], [0, -1], [1, 3]];

describe('runDistance', () => {
  it('prints W1 and W2 themselves (not p-th powers) from an exact assignment in d > 1', () => {
    const a = file('a.json', JSON.stringify(A));
    const b = file('b.json', JSON.stringify(B));
    const batch = (rows: number[][]) => ({ n: rows.length, d: 2, data: Float64Array.from(rows.flat()) });
    for (const [metric, p] of [['w1', 1], ['w2', 2]] as const) {
      const out = runDistance({ metric, a, b });
      expect(out).toEqual({ metric, value: exactWasserstein(batch(A), batch(B), p).value, method: 'exact-assignment-lapjv' });
    }
  });

  it('sorts in d = 1, accepting flat arrays and unequal sizes', () => {
    const a = file('a1.json', '[3, 1, 2]');
    const b = file('b1.json', '[[0.5], [4]]');
    const out = runDistance({ metric: 'w2', a, b });
    expect(out).toEqual({ metric: 'w2', value: wasserstein1d([3, 1, 2], [0.5, 4], 2), method: 'exact-1d-sorted' });
  });

  it('adds the interval, standard error and seed for sliced-w2 and energy, reproducibly', () => {
    const a = file('as.json', JSON.stringify(A));
    const b = file('bs.json', JSON.stringify(B));
    const sliced = runDistance({ metric: 'sliced-w2', a, b, seed: '7', projections: '64' });
    expect(sliced).toMatchObject({ metric: 'sliced-w2', method: 'sliced-monte-carlo', seed: 7, projections: 64 });
    expect(sliced.interval!.lower).toBeLessThanOrEqual(sliced.value);
    expect(sliced.interval!.upper).toBeGreaterThanOrEqual(sliced.value);
    expect(runDistance({ metric: 'sliced-w2', a, b, seed: '7', projections: '64' })).toEqual(sliced);
    const energy = runDistance({ metric: 'energy', a, b, seed: 1, resamples: 50 });
    expect(energy).toMatchObject({ metric: 'energy', method: 'energy-u-statistic-bootstrap', resamples: 50 });
    expect(energy.standardError).toBeGreaterThan(0);
  });

  it('writes shortest round-tripping JSON', () => {
    const text = formatDistanceOutput({ metric: 'w2', value: 0.1 + 0.2, method: 'exact-1d-sorted', interval: { lower: 0, upper: 1, level: 0.95 } });
    expect(text).toBe('{"metric":"w2","value":0.30000000000000004,"method":"exact-1d-sorted","interval":{"lower":0,"upper":1,"level":0.95}}');
    expect(() => formatDistanceOutput({ metric: 'w2', value: Number.NaN, method: 'x' })).toThrow(/value: cannot write NaN/);
  });
});

describe('cmbounds distance input errors', () => {
  const good = (): string => file('good.json', JSON.stringify(A));
  const cases: [string, string, RegExp][] = [
    ['a ragged array', '[[0, 0], [1, 0], [0, 1], [2]]', /^--a\[3\]: has 1 coordinate, expected 2$/],
    ['a NaN token', '[[0, 0], [1, NaN], [0, 1], [2, 2]]', /^--a\[1\]\[1\]: must be a finite number, got NaN$/],
    ['a null entry (NaN written by JSON.stringify)', '[[0, 0], [1, null], [0, 1], [2, 2]]', /^--a\[1\]\[1\]: must be a finite number, got null$/],
    ['a string entry', '[[0, 0], [1, "x"], [0, 1], [2, 2]]', /^--a\[1\]\[1\]: must be a finite number, got "x"$/],
    ['an empty set', '[]', /^--a: must contain at least one point$/],
    ['a point with no coordinates', '[[]]', /^--a\[0\]: a point needs at least one coordinate$/],
    ['an object instead of an array', '{"points": []}', /^--a: must be a JSON array of points/],
    ['malformed JSON', '[[0, 0], [1, 0]', /^--a: '.*' is not valid JSON/],
    ['a different dimension', '[[0, 0, 0], [1, 0, 0], [0, 1, 0], [2, 2, 2]]', /^--b: points have 2 coordinates but --a points have 3$/],
    ['a different size for an exact metric in d > 1', '[[0, 0], [1, 0], [0, 1]]', /^--b: has 4 points but --a has 3; exact w2 in d > 1 is an assignment/],
  ];

  it.each(cases)('names the problem for %s', (_, text, message) => {
    const bad = file('bad.json', text);
    // The 'different dimension/size' cases put the odd set in --a so the message is about --b relative to --a.
    expect(() => runDistance({ metric: 'w2', a: bad, b: good() })).toThrow(message);
  });

  it('names an unreadable file, an unknown metric and bad flags', () => {
    expect(() => runDistance({ metric: 'w2', a: join(dir, 'missing.json'), b: good() })).toThrow(/^--a: no such file '.*missing\.json'$/);
    expect(() => runDistance({ metric: 'w3', a: good(), b: good() })).toThrow(/^--metric: must be one of w1, w2, sliced-w2, energy; got 'w3'$/);
    expect(() => runDistance({ metric: 'sliced-w2', a: good(), b: good(), projections: '1' })).toThrow(/^--projections: must be an integer in \[2, 100000\], got '1'$/);
    expect(() => runDistance({ metric: 'sliced-w2', a: good(), b: good(), seed: '-3' })).toThrow(/^--seed: must be an integer ≥ 0, got '-3'$/);
  });

  it('validates point sets passed directly to the library form', () => {
    expect(() => parsePointSet([1, [2]], 'x')).toThrow(/^x\[1\]: is an array but x\[0\] is a number/);
    expect(() => computeDistance('w1', { n: 1, d: 1, data: Float64Array.of(0) }, { n: 1, d: 1, data: Float64Array.of(Number.NaN) })).toThrow(/^b\[0\]\[0\]: must be a finite number, got NaN$/);
  });
});

describe('cmbounds distance (the real binary)', () => {
  it('prints one JSON line on success and `error: <message>` with exit code 1 on bad input', () => {
    const a = file('bin-a.json', JSON.stringify(A));
    const b = file('bin-b.json', JSON.stringify(B));
    const stdout = execFileSync(process.execPath, ['bin/cmbounds.js', 'distance', '--metric', 'w2', '--a', a, '--b', b], { encoding: 'utf8' });
    const parsed = JSON.parse(stdout) as { metric: string; value: number; method: string };
    expect(parsed).toEqual(runDistance({ metric: 'w2', a, b }));
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const ragged = file('bin-ragged.json', '[[0, 0], [1]]');
    const failed = spawnSync(process.execPath, ['bin/cmbounds.js', 'distance', '--metric', 'w2', '--a', ragged, '--b', b], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe('error: --a[1]: has 1 coordinate, expected 2\n');
  });
});

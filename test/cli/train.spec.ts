import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-cli-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process and returns its exit code, stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await main(['node', 'cmbounds', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const small = ['--width', '16', '--depth', '2', '--batch-size', '64', '--log-every', '20', '--lr', '3e-3'];

describe('cmbounds train / sample / evaluate', () => {
  const model = path.join(dir, 'cd');

  it('trains, writing model.json, weights, history.json and a checkpoint, and prints progress', async () => {
    const r = await run('train', '--variant', 'cd-heun', '--target', 'bimodal-1d', '--steps', '60', '--seed', '3', '--out', model, ...small);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/step 60\/60 {2}loss \d/);
    for (const f of ['model.json', 'weights.bin', 'weights-ema.bin', 'history.json', 'checkpoint.json']) expect(existsSync(path.join(model, f))).toBe(true);
    const meta = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')) as { kind: string; variant: { id: string }; target: unknown };
    expect(meta).toMatchObject({ kind: 'mlp', variant: { id: 'cd-heun' }, target: 'bimodal-1d' });
    const history = JSON.parse(readFileSync(path.join(model, 'history.json'), 'utf8')) as { entries: { lossByQuartile: unknown[] }[] };
    expect(history.entries).toHaveLength(3);
    expect(history.entries[0]!.lossByQuartile).toHaveLength(4);
  });

  it('resumes from the checkpoint to the same weights', async () => {
    const before = readFileSync(path.join(model, 'weights.bin'));
    const r = await run('train', '--variant', 'cd-heun', '--target', 'bimodal-1d', '--steps', '60', '--seed', '3', '--out', model, '--resume', ...small);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(model, 'weights.bin')).equals(before)).toBe(true);
  });

  it('evaluates: prints the coupling W2 bound with its interval and an exact boundary', async () => {
    const r = await run('evaluate', '--model', model, '--n', '200', '--seed', '1');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { couplingW2: { value: number; lower: number; upper: number }; boundaryError: number; target: string };
    expect(res.couplingW2.lower).toBeLessThanOrEqual(res.couplingW2.value);
    expect(res.couplingW2.upper).toBeGreaterThanOrEqual(res.couplingW2.value);
    expect(res.boundaryError).toBe(0);
    expect(res.target).toBe('bimodal-1d');
  });

  it('samples one-step and multistep, writing a JSON array of points', async () => {
    const out = path.join(dir, 'samples.json');
    const r = await run('sample', '--model', model, '--n', '7', '--steps', '3', '--seed', '2', '--out', out);
    expect(r.code).toBe(0);
    const pts = JSON.parse(readFileSync(out, 'utf8')) as number[][];
    expect(pts).toHaveLength(7);
    expect(pts[0]).toHaveLength(1);
    expect((JSON.parse(r.out) as { taus: number[] }).taus).toHaveLength(2);
  });

  it('trains the affine class by exact least squares and the note’s flow map', async () => {
    for (const [variant, extra] of [['cd-exact', ['--function-class', 'affine']], ['flowmap', []]] as const) {
      const out = path.join(dir, variant);
      const r = await run('train', '--variant', variant, '--target', 'aniso-gaussian-2d', '--steps', '10', '--out', out, '--grid-size', '6', '--samples-per-node', '200', ...extra);
      expect(r.code).toBe(0);
      const ev = await run('evaluate', '--model', out, '--n', '100');
      const res = JSON.parse(ev.out) as { couplingW2: { value: number }; boundaryError: number };
      // cd-exact on a Gaussian: the affine class is exact, the bound is rounding-level; the CT-paired flow map is Euler, visibly off
      if (variant === 'cd-exact') expect(res.couplingW2.value).toBeLessThan(1e-8);
      else expect(res.couplingW2.value).toBeGreaterThan(1e-3);
      expect(res.boundaryError).toBe(0);
    }
  });

  it('trains LHW sequential CT on the discrete VP schedule with a warm-started MLP', async () => {
    const out = path.join(dir, 'lhw');
    const r = await run('train', '--variant', 'lhw', '--process', '{"kind":"lhw","T":6,"c0":2,"c1":3}', '--target', 'bimodal-1d', '--steps', '25', '--out', out, ...small);
    expect(r.code).toBe(0);
    // (T − 1)·⌊25/(T − 1)⌋ = 25 steps, 5 per stage
    expect(r.out).toMatch(/step 20\/25 /);
    const ev = await run('evaluate', '--model', out, '--n', '50');
    expect((JSON.parse(ev.out) as { boundaryError: number }).boundaryError).toBe(0);
  });

  it('trains a user variant from a module path', async () => {
    const out = path.join(dir, 'user');
    const r = await run('train', '--variant', 'examples/variants/lognormalCt.ts', '--target', 'bimodal-1d', '--steps', '20', '--out', out, ...small);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as { variant: { id: string } }).variant.id).toBe('example-lognormal-ct');
  });

  it('names the flag for bad input', async () => {
    const a = await run('train', '--variant', 'nope', '--target', 'bimodal-1d', '--steps', '5', '--out', path.join(dir, 'x'));
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/--variant: unknown variant 'nope'/);
    const b = await run('evaluate', '--model', path.join(dir, 'missing'));
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/no model.json/);
  });
});

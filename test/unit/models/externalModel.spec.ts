import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRows, pointBatch } from '../../../src/core/pointBatch.ts';
import { ExternalModel, startExternalModel } from '../../../src/models/externalModel.ts';

const SERVER = 'node test/fixtures/externalModelServer.mjs';
/** The fixture's law and process: N(½, 4) on VE with tMin = 0.002. */
const exactF = (x: number, t: number): number => 0.5 + ((x - 0.5) * Math.sqrt(4 + 0.002 ** 2)) / Math.sqrt(4 + t * t);

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/cmbounds.js', ...args], { encoding: 'utf8', timeout: 120_000 });
}

/** The first Python 3 that imports `module` (the PATH one may be a version manager's shim without it). */
function pythonWith(module: string): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0) return python;
  }
  return undefined;
}

describe('external-model protocol: a server that follows the contract', () => {
  it('hello gives dim, process, target and name; f answers batch by batch with per-point times', () => {
    const model = new ExternalModel(`${SERVER} exact`, { batchSize: 7 });
    try {
      expect(model.dim).toBe(1);
      expect(model.id).toBe('test-exact');
      expect(model.process.toSpec()).toMatchObject({ kind: 've', tMin: 0.002, tMax: 80 });
      expect(model.declaredTarget?.dim).toBe(1);
      const n = 25; // four batches of at most 7
      const x = pointBatch(n, 1, Float64Array.from({ length: n }, (_, i) => -6 + 0.5 * i));
      const t = Float64Array.from({ length: n }, (_, i) => 0.002 * 1.5 ** i);
      const f = model.evaluate(x, t);
      for (let i = 0; i < n; i++) expect(f.data[i]).toBe(exactF(x.data[i]!, t[i]!)); // 17 digits each way: bit-exact
    } finally {
      model.close();
    }
  });

  it('evaluate measures couplingW2 = 0 for the exact f* and = |δ| for f* + δ (to float64 accuracy)', () => {
    const exact = cli(['evaluate', '--model', `cmd:${SERVER} exact`, '--n', '400']);
    expect(exact.status, exact.stderr).toBe(0);
    const e = JSON.parse(exact.stdout) as { couplingW2: { value: number }; boundaryError: number; kind: string };
    expect(e.kind).toBe('external');
    expect(e.couplingW2.value).toBeLessThan(1e-14);
    expect(e.boundaryError).toBeLessThan(1e-14);
    const shifted = cli(['evaluate', '--model', `cmd:${SERVER} offset 0.25`, '--n', '400']);
    const s = JSON.parse(shifted.stdout) as { couplingW2: { value: number } };
    expect(Math.abs(s.couplingW2.value - 0.25)).toBeLessThan(1e-12);
    expect(exact.stderr).toContain('[model] serving mode exact'); // the model's own log is passed through
  });
});

describe('external-model protocol: every failure is one line naming the command', () => {
  const cases: [string, RegExp][] = [
    ['bad-json', /model '.* bad-json' answered the f request \(batch 1\) with something that is not JSON: oops, not json/],
    ['rows', /answered batch 1 with 4 rows for 5 points/],
    ['cols', /answered batch 1 with a row of 2 columns at row 0 \(expected 1\)/],
    ['nan', /answered a non-finite value \(NaN or Infinity\) in batch 1, first at row 3/],
    ['die', /exited with code 5 before answering the f request \(batch 1\)/],
  ];
  for (const [mode, message] of cases) {
    it(`${mode}`, () => {
      const model = startExternalModel(`cmd:${SERVER} ${mode}`);
      try {
        expect(() => model.evaluate(pointBatch(5, 1, new Float64Array([0, 1, 2, 3, 4])), 1)).toThrow(message);
      } finally {
        model.close();
      }
    });
  }

  it('a model that exits before hello: its exit code and last error line', () => {
    expect(() => startExternalModel(`cmd:${SERVER} exit`)).toThrow(/^--model: model '.* exit' exited with code 3 before answering the hello; its last error line: boom: cannot load weights$/);
  });

  it('a command that does not start', () => {
    expect(() => startExternalModel('cmd:no-such-model-binary-xyz --serve')).toThrow(/exited with code 127 before answering the hello; its last error line: .*not found/);
    expect(() => startExternalModel('cmd:  ')).toThrow(/^--model: cmd: needs a command/);
  });

  it('a wrong protocol version, a dimension that contradicts the target', () => {
    expect(() => startExternalModel(`cmd:${SERVER} protocol2`)).toThrow(/declares protocol 2; cmbounds speaks protocol 1/);
    expect(() => startExternalModel(`cmd:${SERVER} dim`)).toThrow(/declares dim 2 but its target has dimension 1/);
  });

  it('a model that does not answer within the timeout is stopped', () => {
    const model = startExternalModel(`cmd:${SERVER} sleep`, { timeoutSeconds: 5 });
    try {
      expect(() => model.evaluate(fromRows([[0]]), 1)).toThrow(/did not answer the f request \(batch 1\) within 5 s \(--model-timeout\)/);
    } finally {
      model.close();
    }
  });

  it('through the CLI: no target declared nor given; no partial output file after a failure', () => {
    const none = cli(['evaluate', '--model', `cmd:${SERVER} no-target`]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^error: --target: model '.* no-target' declares no target; pass --target <name\|spec\.json>$/m);
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-external-'));
    const out = join(dir, 'samples.json');
    const failed = cli(['sample', '--model', `cmd:${SERVER} nan`, '--n', '10', '--out', out]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^error: --model: model '.* nan' answered a non-finite value/m);
    expect(existsSync(out)).toBe(false);
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

const python = pythonWith('json');
describe.skipIf(python === undefined)('the stdlib Python adapter (examples/external/cmbounds_protocol.py)', () => {
  it('serves the exact f* of a Gaussian (couplingW2 = 0) and f* + δ (couplingW2 = |δ|)', () => {
    const exact = cli(['evaluate', '--model', `cmd:${python} examples/external/serve_gaussian.py`, '--n', '400']);
    expect(exact.status, exact.stderr).toBe(0);
    expect((JSON.parse(exact.stdout) as { couplingW2: { value: number } }).couplingW2.value).toBeLessThan(1e-14);
    const shifted = cli(['evaluate', '--model', `cmd:${python} examples/external/serve_gaussian.py -0.3`, '--n', '400']);
    expect(Math.abs((JSON.parse(shifted.stdout) as { couplingW2: { value: number } }).couplingW2.value - 0.3)).toBeLessThan(1e-12);
  });
});

const torchPython = pythonWith('torch');
describe.skipIf(torchPython === undefined)('the PyTorch example (skipped: no Python with torch; apt-get install python3-torch)', () => {
  it('trains on `cmbounds data` output and is evaluated through the protocol', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-torch-'));
    const data = cli(['data', '--target', 'bimodal-1d', '--n', '4000', '--seed', '1', '--out', join(dir, 'data.npy')]);
    expect(data.status, data.stderr).toBe(0);
    const trained = spawnSync(torchPython!, ['examples/external/torch_consistency.py', 'train', '--data', join(dir, 'data.npy'), '--out', join(dir, 'cm.pt'), '--steps', '300'], { encoding: 'utf8', timeout: 120_000 });
    expect(trained.status, trained.stderr).toBe(0);
    const r = cli(['evaluate', '--model', `cmd:${torchPython} examples/external/torch_consistency.py serve --model ${join(dir, 'cm.pt')}`, '--target', 'bimodal-1d', '--n', '500']);
    expect(r.status, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as { couplingW2: { value: number }; boundaryError: number; model: string };
    expect(e.model).toBe('torch-ct-example');
    // c_skip(tMin) = 1 and c_out(tMin) = 0 in float32: the boundary holds to float32 rounding of |x| ≲ 4
    expect(e.boundaryError).toBeLessThan(1e-5);
    expect(Number.isFinite(e.couplingW2.value)).toBe(true);
    // torch import, 300 training steps and the protocol: ~30 s alone, minutes on a shared machine
  }, 300_000);
});

describe('cmbounds data', () => {
  it('writes the same draws as .npy (a valid NumPy header) and as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-data-'));
    for (const ext of ['npy', 'json']) expect(cli(['data', '--target', 'ring8-2d', '--n', '7', '--seed', '3', '--out', join(dir, `x.${ext}`)]).status).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as number[][];
    const npy = readFileSync(join(dir, 'x.npy'));
    // the format, read independently: magic, version 1.0, little-endian header length, header dict, float64 data
    expect([...npy.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = npy.readUInt16LE(8);
    const header = npy.subarray(10, 10 + headerLength).toString('latin1');
    expect((10 + headerLength) % 64).toBe(0);
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(7, 2\), \} *\n$/);
    const values = Array.from({ length: 14 }, (_, i) => npy.readDoubleLE(10 + headerLength + 8 * i));
    expect(values).toEqual(rows.flat());
    const again = cli(['data', '--target', 'ring8-2d', '--n', '7', '--out', join(dir, 'x.json')]);
    expect(again.stderr).toMatch(/^error: --out: '.*x\.json' exists and was not written by cmbounds; pass --force/m);
    expect(cli(['data', '--target', 'ring8-2d', '--n', '7', '--out', join(dir, 'x.csv')]).stderr).toMatch(/^error: --out: must end in \.npy or \.json/m);
  });

  const numpyPython = pythonWith('numpy');
  it.skipIf(numpyPython === undefined)('numpy.load reads the .npy exactly (skipped without numpy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-npy-'));
    cli(['data', '--target', 'iso-gmm-3d', '--n', '50', '--out', join(dir, 'x.npy')]);
    cli(['data', '--target', 'iso-gmm-3d', '--n', '50', '--out', join(dir, 'x.json')]);
    const r = spawnSync(numpyPython!, ['-c', `import json, numpy as np; a = np.load('${join(dir, 'x.npy')}'); b = np.array(json.load(open('${join(dir, 'x.json')}'))); print(a.shape, a.dtype, bool((a == b).all()))`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('(50, 3) float64 True');
  });
});

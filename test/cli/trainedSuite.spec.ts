import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import { suites } from '../../suites/index.ts';

const SERVER = 'node test/fixtures/externalModelServer.mjs';

describe('cmbounds run --suite trained --model', () => {
  it('runs the model-level battery on an external model: the exact f* of N(½, 4) holds everywhere, f* + δ does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-trained-'));
    const exact = await runSuite(resolveConfig({ suite: 'trained', model: `cmd:${SERVER} exact`, out: join(dir, 'exact'), cacheDir: join(dir, 'c'), controls: false }), suites, 'run');
    const verdicts = Object.fromEntries(exact.report!.entries.map((e) => [e.statement.id, e.result.evidence?.verdict]));
    expect(verdicts).toEqual({ 'song2023.multistepSampling': 'holds', 'lyu2023.oneStep': 'holds', 'song2023.pdeResidual': 'holds' });
    expect(exact.report!.subject.target).toBe('gaussian'); // the target the model declared
    const shifted = await runSuite(resolveConfig({ suite: 'trained', model: `cmd:${SERVER} offset 0.5`, out: join(dir, 'shifted'), cacheDir: join(dir, 'c'), controls: false }), suites, 'run');
    // f* + ½ breaks the boundary condition f(x, tMin) = x and moves every round's law by ½
    expect(shifted.report!.entries.find((e) => e.statement.id === 'song2023.multistepSampling')?.result.evidence?.verdict).toBe('violated');
  }, 180_000);

  it('runs on a model folder from `cmbounds train`; without --model it says what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-trained-folder-'));
    const train = spawnSync(process.execPath, ['bin/cmbounds.js', 'train', '--variant', 'cd-exact', '--target', 'bimodal-1d', '--steps', '200', '--function-class', 'affine', '--samples-per-node', '512', '--out', join(dir, 'm')], { encoding: 'utf8' });
    expect(train.status, train.stderr).toBe(0);
    const run = spawnSync(process.execPath, ['bin/cmbounds.js', 'run', '--suite', 'trained', '--model', join(dir, 'm'), '--out', join(dir, 'r'), '--no-controls', '--json', '--max-samples', '2000'], { encoding: 'utf8', timeout: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { entries: { statement: { id: string }; result: { evidence?: { verdict: string } } }[]; subject: { target: string; variant: string } };
    expect(report.subject).toMatchObject({ target: 'bimodal-1d', variant: 'cd-exact' });
    expect(report.entries.map((e) => e.statement.id).sort()).toEqual(['lyu2023.oneStep', 'song2023.multistepSampling', 'song2023.pdeResidual']);
    for (const e of report.entries) expect(['holds', 'violated', 'inconclusive']).toContain(e.result.evidence?.verdict);
    const missing = spawnSync(process.execPath, ['bin/cmbounds.js', 'run', '--suite', 'trained', '--out', join(dir, 'r2')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: --model: the trained suite needs a model/m);
    const both = spawnSync(process.execPath, ['bin/cmbounds.js', 'run', '--suite', 'trained', '--model', join(dir, 'm'), '--target', 'ring8-2d', '--out', join(dir, 'r3')], { encoding: 'utf8' });
    expect(both.stderr).toMatch(/^error: --target: only for an external model/m);
    // training, then three checks at ≤ 2,000 draws each in a child process: ~40 s alone on 2 cores
  }, 300_000);
});

describe('cmbounds audit --model: a model trained elsewhere beside the built-ins', () => {
  it('evaluates the external model as it is, trains the built-ins on its target and compares them on paired draws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-audit-model-'));
    const r = spawnSync(process.execPath, ['bin/cmbounds.js', 'audit', '--model', `cmd:${SERVER} exact`, '--function-class', 'affine', '--steps', '200', '--seeds', '1', '--check-samples', '2000', '--no-controls', '--json', '--out', join(dir, 'r')], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { audit: { variant: { id: string }; cells: { variant: string; role: string; target: string; status: string; coupling: { value: number }[] }[]; comparisons: { outcome: string }[] } };
    const mine = report.audit.cells.find((c) => c.role === 'user')!;
    expect(report.audit.variant.id).toBe('model:test-exact');
    expect(mine).toMatchObject({ target: 'gaussian', status: 'trained' });
    // the exact f* against the exact f*: zero to float64 accuracy at every time; every built-in is worse
    for (const c of mine.coupling) expect(c.value).toBeLessThan(1e-14);
    expect(report.audit.cells.filter((c) => c.role === 'built-in').map((c) => c.variant).sort()).toEqual(['cd-exact', 'ct', 'ict']);
    expect(report.audit.comparisons.length).toBeGreaterThan(0);
    expect(report.audit.comparisons.every((c) => c.outcome === 'lower')).toBe(true);
  }, 300_000);

  it('wants exactly one of a variant module and --model', () => {
    const neither = spawnSync(process.execPath, ['bin/cmbounds.js', 'audit'], { encoding: 'utf8' });
    expect(neither.stderr).toMatch(/^error: variant: give a TrainingVariant module to train .* or --model/m);
    const both = spawnSync(process.execPath, ['bin/cmbounds.js', 'audit', 'examples/variants/lognormalCt.ts', '--model', `cmd:${SERVER} exact`], { encoding: 'utf8' });
    expect(both.stderr).toMatch(/^error: --model: give a variant module to train or a model to compare, not both/m);
  });
});

describe('an external model that fails mid-battery', () => {
  it('stops the run with one line naming the command, writes no report, keeps finished checks for --resume', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-model-dies-'));
    const flag = join(dir, 'crash-while-this-exists');
    writeFileSync(flag, '');
    // the same command before and after the "fix" (the flag file), as a user would rerun it
    const args = ['bin/cmbounds.js', 'run', '--suite', 'trained', '--model', `cmd:${SERVER} dieafter 20 ${flag}`, '--out', join(dir, 'r'), '--cache-dir', join(dir, 'c'), '--no-controls'];
    const crashed = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
    expect(crashed.status).toBe(1);
    const errors = crashed.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringMatching(/^error: --model: model '.* dieafter 20 .*' exited with code 7 before answering the f request \(batch 21\)/)]);
    expect(crashed.stderr).toMatch(/song2023\.multistepSampling: holds/); // finished before the crash
    expect(existsSync(join(dir, 'r'))).toBe(false); // no partial report
    rmSync(flag);
    const resumed = spawnSync(process.execPath, [...args, '--resume'], { encoding: 'utf8', timeout: 120_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/song2023\.multistepSampling: holds \(kept from an earlier run\)/);
    expect(existsSync(join(dir, 'r', 'report.md'))).toBe(true);
  }, 240_000);
});

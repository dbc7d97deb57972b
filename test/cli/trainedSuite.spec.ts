import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

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
    // the Lyu–Feng–Chen constants are measured, not decided, on a model that declares none; the bound they imply holds
    // the Li–Huang–Wei chain on f*: the learned maps' stretch is a search lower bound (never `holds`); ε̂_tot = D_T ≪ 1 and
    // ξ_T = 0 hold; W₁ ≈ 0 cannot be resolved below the tiny bound 2D_T ≈ 0.01 at finite n (the plug-in floor)
    expect(verdicts).toEqual({
      'song2023.multistepSampling': 'holds',
      'lyu2023.consistencyError': 'inconclusive',
      'lyu2023.scoreError': 'inconclusive',
      'lyu2023.modelLipschitz': 'inconclusive',
      'lyu2023.multistep': 'holds',
      'lyu2023.oneStep': 'holds',
      'song2023.pdeResidual': 'holds',
      'li2024.assumption1': 'inconclusive',
      'li2024.assumption2': 'holds',
      'li2024.errorRecursion': 'holds',
      'li2024.theorem1': 'inconclusive',
    });
    const evidence = (id: string) => exact.report!.entries.find((e) => e.statement.id === id)!.result.evidence!;
    // one computation per constant: the ε̂_cm and L̂_f the bound uses are the ones the assumption checks report
    expect(evidence('lyu2023.oneStep').estimates['eps_cm']!.value).toBe(evidence('lyu2023.consistencyError').estimates['eps_cm']!.value);
    // f* of N(½, 4) is affine: Lip(f*(·, t)) = √((a_δ²·4 + s_δ²)/(a_t²·4 + s_t²)) on the OU view, largest at T
    const ou = (u: number): number => Math.exp(-2 * u) * 4 - Math.expm1(-2 * u);
    const [uMin, uMax] = [0.5 * Math.log1p(0.002 ** 2), 0.5 * Math.log1p(80 ** 2)];
    expect(Math.abs(evidence('lyu2023.modelLipschitz').estimates['L_f']!.value / Math.sqrt(ou(uMin) / ou(uMax)) - 1)).toBeLessThan(1e-6);
    expect(evidence('lyu2023.scoreError').parts[0]!.reason).toMatch(/not applicable: the variant '.*' declares no teacher score/);
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
    expect(report.entries.map((e) => e.statement.id).sort()).toEqual(['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1', 'lyu2023.consistencyError', 'lyu2023.modelLipschitz', 'lyu2023.multistep', 'lyu2023.oneStep', 'lyu2023.scoreError', 'song2023.multistepSampling', 'song2023.pdeResidual']);
    for (const e of report.entries) expect(['holds', 'violated', 'inconclusive']).toContain(e.result.evidence?.verdict);
    type Est = { value: number; interval: { lower: number; upper: number } };
    const estimates = (id: string) => (report.entries.find((e) => e.statement.id === id)!.result.evidence as unknown as { estimates: Record<string, Est> }).estimates;
    // the chain's constants are one computation each: the bound's ε̂_cm is the assumption's, and its L_f (the value at
    // T of the same search, exact for this affine model) is at most the supremum over t that modelLipschitz reports
    expect(estimates('lyu2023.oneStep')['eps_cm']).toEqual(estimates('lyu2023.consistencyError')['eps_cm']);
    expect(estimates('lyu2023.oneStep')['L_f']!.value).toBeLessThanOrEqual(estimates('lyu2023.modelLipschitz')['L_f']!.value * (1 + 1e-12));
    // cd-exact distils from the exact score: the teacher's score error is exactly 0
    expect(estimates('lyu2023.scoreError')['eps_sc']).toMatchObject({ value: 0, interval: { lower: 0, upper: 0 } });
    // W2_bound = L_f·W₂(prior, p_T) + R + b + W₂(p_δ, p_data), and the tightness is W2_bound / W2_measured
    const one = estimates('lyu2023.oneStep');
    expect(Math.abs(one['W2_bound']!.value - (one['prior']!.value + one['R']!.value + one['b']!.value + one['early_stop']!.value))).toBeLessThan(1e-12 * one['W2_bound']!.value);
    expect(Math.abs(one['tightness']!.value - one['W2_bound']!.value / one['W2_measured']!.value)).toBeLessThan(1e-12 * one['tightness']!.value);
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

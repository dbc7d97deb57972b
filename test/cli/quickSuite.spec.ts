import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import { suites } from '../../suites/index.ts';
import { QUICK_TRAINED, quickSuite } from '../../suites/quick.ts';

describe('quick suite (npm start)', () => {
  it('holds on every statement for a Gaussian, where each has a closed form', async () => {
    // aniso-gaussian-1d = N(½, 4): every applicable statement on f* is decided exactly, so nothing may be violated
    // or left inconclusive — the battery and its controls self-test run end to end (the statements on f* only: the
    // trained model's part is the next test's)
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-quick-'));
    const out = await runSuite(resolveConfig({ suite: 'quick', target: 'aniso-gaussian-1d', out: join(dir, 'r'), cacheDir: join(dir, 'c') }), { quick: quickSuite }, 'run --suite quick');
    expect(out.exitCode).toBe(0);
    const report = out.report!;
    expect(report.entries.length).toBeGreaterThanOrEqual(10);
    const notHolding = report.entries.filter((e) => e.result.evidence?.verdict !== 'holds').map((e) => `${e.statement.id}: ${e.result.evidence?.reason ?? e.result.error}`);
    expect(notHolding).toEqual([]);
    expect(report.findings).toMatch(/statements ran on aniso-gaussian-1d/);
    // the whole quick battery plus its controls: ~40 s alone on 2 cores, more when the machine is shared
  }, 240_000);

  it('trains its small model once, keeps it in the cache folder, and runs the model-level battery on it; a rerun reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-quick-trained-'));
    const id = `lyu2023.oneStep[${QUICK_TRAINED.variant}@bimodal-1d]`;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const config = (out: string) => resolveConfig({ suite: 'quick', target: 'bimodal-1d', out: join(dir, out), cacheDir: join(dir, 'cache'), check: id, controls: false });
      const first = await runSuite(config('first'), suites, 'run --suite quick');
      expect(first.exitCode).toBe(0);
      const report = first.report!;
      expect(report.subject.variant).toMatch(/^exact f\*, and a trained model: cd-exact \(mlp-2x32-silu, 300 steps, seed 1; trained in [\d.]+ s, kept in (.+)\)$/);
      const folder = /kept in (.+)\)$/.exec(report.subject.variant)![1]!;
      expect(existsSync(join(folder, 'model.json'))).toBe(true);
      expect(folder.startsWith(join(dir, 'cache', 'models'))).toBe(true);
      const entry = report.entries.find((e) => e.statement.id === id)!;
      const estimates = entry.result.evidence!.estimates;
      expect(estimates['W2_bound']!.value).toBeGreaterThan(0);
      expect(estimates['W2_measured']!.value).toBeGreaterThan(0);
      // the Findings name the trained model with the theorem's bound against the measured error and their ratio
      expect(report.findings).toContain(`On the trained model cd-exact (mlp-2x32-silu`);
      expect(report.findings).toMatch(/`lyu2023\.oneStep`: one-step bound on \$W_2\$ = [\d.e+-]+, measured \$W_2\$ = [\d.e+-]+, tightness \(\$W_2\$ bound \/ measured\) = [\d.e+-]+/);

      // the rerun loads the kept weights instead of training: the same model, so the same numbers
      const second = await runSuite(config('second'), suites, 'run --suite quick');
      expect(second.report!.subject.variant).toContain(`reused from ${folder}`);
      const again = second.report!.entries.find((e) => e.statement.id === id)!.result.evidence!.estimates;
      expect(again['W2_measured']).toEqual(estimates['W2_measured']);
      expect(again['W2_bound']).toEqual(estimates['W2_bound']);
    } finally {
      stderr.mockRestore();
    }
  }, 240_000);
});

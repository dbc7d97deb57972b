import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import { suites } from '../../suites/index.ts';

describe('quick suite (npm start)', () => {
  it('holds on every statement for a Gaussian, where each has a closed form', async () => {
    // aniso-gaussian-1d = N(½, 4): every applicable statement is decided exactly, so nothing may be violated or
    // left inconclusive — the battery and its controls self-test run end to end.
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-quick-'));
    const out = await runSuite(resolveConfig({ suite: 'quick', target: 'aniso-gaussian-1d', out: join(dir, 'r'), cacheDir: join(dir, 'c') }), suites, 'run --suite quick');
    expect(out.exitCode).toBe(0);
    const report = out.report!;
    expect(report.entries.length).toBeGreaterThanOrEqual(10);
    const notHolding = report.entries.filter((e) => e.result.evidence?.verdict !== 'holds').map((e) => `${e.statement.id}: ${e.result.evidence?.reason ?? e.result.error}`);
    expect(notHolding).toEqual([]);
    expect(report.findings).toMatch(/statements ran on aniso-gaussian-1d/);
    // the whole quick battery plus its controls: ~40 s alone on 2 cores, more when the machine is shared
  }, 240_000);
});

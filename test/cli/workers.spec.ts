// --workers: the reports do not depend on the number of worker threads (only timings and the command line do).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { auditBattery } from '../../suites/audit.ts';
import { suites } from '../../suites/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-cli-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const plugins = { audits: async () => auditBattery, suites: async () => suites };

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await main(['node', 'cmbounds', ...args], plugins), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** Timing fields (and the command line, which names --workers) removed, everything else kept. */
const TIMING = new Set(['durationMs', 'trainingMs', 'startedAt', 'command']);
function withoutTiming(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMING.has(k)).map(([k, v]) => [k, withoutTiming(v)]));
  return value;
}
const reportOf = (out: string): { json: string; md: string } => ({
  json: JSON.stringify(withoutTiming(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')))),
  md: readFileSync(path.join(out, 'report.md'), 'utf8').split('\n').filter((l) => !/^\| (command|started|wall time) \|/.test(l)).join('\n'),
});

describe('--workers', () => {
  it('audit: results.json and report.md with --workers 2 equal --workers 1 (timings aside)', async () => {
    const args = ['audit', 'examples/variants/lognormalCt.ts', '--function-class', 'affine', '--steps', '6', '--samples-per-node', '48', '--n', '64', '--check-samples', '200', '--targets', 'bimodal-1d', '--seed', '3', '--seeds', '2', '--no-controls'];
    const reports = [];
    for (const workers of ['1', '2']) {
      const out = path.join(dir, `audit-${workers}`);
      const r = await run(...args, '--workers', workers, '--out', out, '--cache-dir', path.join(dir, `audit-cache-${workers}`));
      expect(r.code, r.err).toBe(0);
      // one progress line per trained model (4 variants × 2 seeds) either way (in completion order on the pool)
      expect(r.err.match(/^\[model \d\/8 [\d.]+ s\] \S+ on \S+: trained in [\d.]+ s/gm)).toHaveLength(8);
      reports.push(reportOf(out));
    }
    expect(reports[1]!.json).toBe(reports[0]!.json);
    expect(reports[1]!.md).toBe(reports[0]!.md);
    expect(reports[0]!.json).toContain('"status":"trained"');
  }, 240_000);

  it('run: the report with --workers 2 equals --workers 1 (timings aside)', async () => {
    const reports = [];
    for (const workers of ['1', '2']) {
      const out = path.join(dir, `run-${workers}`);
      const r = await run('run', '--check', 'li2024.lemma1', '--target', 'bimodal-1d', '--seed', '2', '--no-controls', '--workers', workers, '--out', out, '--cache-dir', path.join(dir, `run-cache-${workers}`));
      expect(r.code, r.err).toBe(0);
      reports.push(reportOf(out));
    }
    expect(reports[1]!.json).toBe(reports[0]!.json);
    expect(reports[1]!.md).toBe(reports[0]!.md);
  }, 120_000);

  it('refuses a worker count that is not an integer ≥ 1, naming --workers (run, audit, reproduce)', async () => {
    for (const bad of ['0', '1.5', 'two']) {
      for (const command of [['run'], ['audit', 'examples/variants/lognormalCt.ts'], ['reproduce', 'constants']]) {
        const r = await run(...command, '--workers', bad, '--out', path.join(dir, 'never'));
        expect(r.code, `${command[0]} --workers ${bad}`).not.toBe(0);
        expect(r.err, `${command[0]} --workers ${bad}`).toMatch(/--workers/);
      }
    }
  }, 60_000);
});

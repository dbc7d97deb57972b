import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import type { Suite, SuiteBuilder, SuiteRequest } from '../../src/checks/suite.ts';
import { createCheckContext } from '../../src/checks/checkContext.ts';
import type { Verdict } from '../../src/checks/statement.ts';
import { parseWithNonFinite } from '../../src/checks/resultsCache.ts';
import { builtInTarget } from '../../src/distributions/builtInTargets.ts';
import { rngFromSeed } from '../../src/random/rng.ts';
import type { AuditReport } from '../../src/report/auditReport.ts';
import { QUICK_CLAIMS, quickSuite } from '../../suites/quick.ts';

const target = builtInTarget('aniso-gaussian-2d');

function quick(constants: SuiteRequest['constants']): Suite {
  return quickSuite({ target, targetName: 'aniso-gaussian-2d', seed: 1, ...(constants === undefined ? {} : { constants }) });
}

/** Runs one statement of a built suite on its subject (what the battery does, without the rest of it). */
async function verdictOf(suite: Suite, id: string): Promise<Verdict> {
  const check = suite.checks.find((c) => c.id === id)!;
  const ctx = createCheckContext({ rng: rngFromSeed(1).child(id), falseFailRate: 1e-3, checkId: id });
  return (await check.run(suite.subjects[id]!.value, ctx)).verdict;
}

describe('quick suite: the user’s claims reach the statements that use them', () => {
  it('L_f: li2024.assumption1 flips at the exact flow constant 2 = √λ_max of aniso-gaussian-2d', async () => {
    expect(await verdictOf(quick({ claims: { Lf: 2.1 } }), 'li2024.assumption1')).toBe('holds');
    expect(await verdictOf(quick({ claims: { Lf: 1.9 } }), 'li2024.assumption1')).toBe('violated');
    // the same claim reaches the Lyu et al. model-Lipschitz statement
    expect((quick({ claims: { Lf: 1.9 } }).subjects['lyu2023.modelLipschitz']!.value as { claimed: { Lf: number } }).claimed.Lf).toBe(1.9);
  });

  it('L_s: lyu2023.scoreLipschitz flips at the closed-form sup ‖∇²log p_t‖ ≈ 3.953', async () => {
    expect(await verdictOf(quick({ claims: { Ls: 4 } }), 'lyu2023.scoreLipschitz')).toBe('holds');
    expect(await verdictOf(quick({ claims: { Ls: 3.9 } }), 'lyu2023.scoreLipschitz')).toBe('violated');
  });

  it('c4: li2024.typicalSet on the schedule T = 1024 holds well below the realised ĉ₄ ≈ 1.86 and fails well above it', async () => {
    const schedule = { T: 1024, c0: 2, c1: 8 };
    expect(await verdictOf(quick({ schedule, claims: { c3: 2, c4: 1.5 } }), 'li2024.typicalSet')).toBe('holds');
    expect(await verdictOf(quick({ schedule, claims: { c3: 2, c4: 2.5 } }), 'li2024.typicalSet')).toBe('violated');
  });

  it('the schedule reaches the LHW statements, and c0, c1 the T sweeps of the error recursion and Theorem 1', () => {
    const suite = quick({ schedule: { T: 1024, c0: 3, c1: 12 } });
    expect(suite.subjects['li2024.schedule']!.value).toMatchObject({ T: 1024, c0: 3, c1: 12 });
    expect((suite.subjects['li2024.typicalSet']!.value as { schedule: { T: number } }).schedule.T).toBe(1024);
    expect(suite.subjects['li2024.errorRecursion']!.value).toMatchObject({ c0: 3, c1: 12 });
    expect(suite.subjects['li2024.theorem1']!.key).not.toBe(quick(undefined).subjects['li2024.theorem1']!.key);
    expect(suite.subject.process).toBe('Li–Huang–Wei schedule (23): T = 1024, c0 = 3, c1 = 12');
  });

  it('without claims the suite runs on its defaults, all marked as such', () => {
    const suite = quick(undefined);
    expect((suite.subjects['li2024.typicalSet']!.value as { claimed: object }).claimed).toEqual({ c3: QUICK_CLAIMS.c3, c4: QUICK_CLAIMS.c4 });
    expect(suite.constants!.every((c) => c.source === 'suite default')).toBe(true);
    expect(suite.constants!.find((c) => c.name === 'c5')!.usedBy).toEqual(['li2024.lemma1']);
  });

  it('refuses claims outside a statement’s hypotheses before anything runs', () => {
    expect(() => quick({ claims: { c6: 3 } })).toThrow(/^claim: li2024\.lemma1 needs c5 ≥ 2·c6 \+ cR, but c5 = 5 \(suite default\), c6 = 3 \(yours\)/);
    // c1 = 40 builds at every T of the single-Gaussian sweep (40·log 256/256 ≈ 0.87 < 1); c1 = 50 builds at the
    // declared T = 1024 (≈ 0.34) but not at the sweep's T = 256 (≈ 1.08), where the error recursion would fail
    expect(() => quick({ schedule: { T: 1024, c1: 40 } })).not.toThrow();
    expect(() => quick({ schedule: { T: 1024, c1: 50 } })).toThrow(
      /^schedule: c1·log T \/ T = 1\.08\d* must be < 1 for β_t < 1; increase T or lower c1 \(T = 256 \(the T sweep of li2024\.errorRecursion and li2024\.theorem1\), c0 = 2 \(suite default\), c1 = 50 \(yours\)\)/,
    );
  });
});

describe('cmbounds run --claim / --schedule', () => {
  /** The quick suite cut to two cheap statements, so a whole run (report, cache) takes seconds. */
  const cutQuick: SuiteBuilder = (request) => {
    const suite = quickSuite(request);
    return { ...suite, checks: suite.checks.filter((c) => c.id === 'li2024.schedule' || c.id === 'li2024.typicalSet') };
  };
  const suites = { quick: cutQuick };

  it("marks the user's constants in report.md and results.json, and a rerun with other claims does not reuse results", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-claims-'));
    const flags = { suite: 'quick', target: 'aniso-gaussian-2d', cacheDir: join(dir, 'cache'), controls: false, schedule: 'T=1024,c0=2,c1=8' };
    const first = await runSuite(resolveConfig({ ...flags, claim: ['c3=2', 'c4=1.5'], out: join(dir, 'a') }), suites, 'run');
    expect(first.exitCode).toBe(0);
    const markdown = readFileSync(join(dir, 'a', 'report.md'), 'utf8');
    expect(markdown).toContain('## Declared constants');
    expect(markdown).toContain('| `c4` (c₄) | 1.5 | **you** | `li2024.typicalSet` |');
    expect(markdown).toContain('| `T` (T) | 1024 | **you** |');
    expect(markdown).toMatch(/\| `Lf` \(L_f\) \| 10 \| suite default \|/);
    const saved = parseWithNonFinite(readFileSync(join(dir, 'a', 'results.json'), 'utf8')) as AuditReport;
    expect(saved.constants!.filter((c) => c.source === 'user').map((c) => c.name)).toEqual(['T', 'c0', 'c1', 'c3', 'c4']);
    expect(saved.constants!.find((c) => c.name === 'c5')).toMatchObject({ value: 5, source: 'suite default' });
    const typical = (r: AuditReport) => r.entries.find((e) => e.statement.id === 'li2024.typicalSet')!.result;
    expect(typical(first.report!).evidence!.verdict).toBe('holds');

    // --resume with the same claims reuses the finished results; with another c4 it recomputes them
    const same = await runSuite(resolveConfig({ ...flags, claim: ['c4=1.5', 'c3=2'], resume: true, out: join(dir, 'b') }), suites, 'run');
    expect(same.report!.provenance.configHash).toBe(first.report!.provenance.configHash);
    expect(typical(same.report!).status).toBe('cached');
    const other = await runSuite(resolveConfig({ ...flags, claim: ['c3=2', 'c4=2.5'], resume: true, out: join(dir, 'c') }), suites, 'run');
    expect(other.report!.provenance.configHash).not.toBe(first.report!.provenance.configHash);
    expect(typical(other.report!).status).toBe('ran');
    expect(typical(other.report!).evidence!.verdict).toBe('violated');
  });

  it('takes claim (object or list) and schedule (object or string) from --config; flags win per name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-claims-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ claim: { c4: 1.2, Lf: 3 }, schedule: { T: 2048, c1: 6 } }));
    const config = resolveConfig({ config: file, claim: ['c4=1.5'], schedule: 'c0=3' });
    expect(config.claim).toEqual({ c4: 1.5, Lf: 3 });
    expect(config.schedule).toEqual({ T: 2048, c0: 3, c1: 6 });
    writeFileSync(file, JSON.stringify({ claim: ['c3=1', 'Ls=100'], schedule: 'T=512' }));
    expect(resolveConfig({ config: file })).toMatchObject({ claim: { c3: 1, Ls: 100 }, schedule: { T: 512 } });
    expect(resolveConfig({}).claim).toBeUndefined();
  });

  it('names the field of a bad claim in --config and on the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-claims-bad-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ claim: { c8: 1 } }));
    expect(() => resolveConfig({ config: file })).toThrow(/^config\.claim: unknown constant 'c8'; accepted names: c3, c4, c5, c6, cR, Lf, Ls$/);
    writeFileSync(file, JSON.stringify({ schedule: { T: 0 } }));
    expect(() => resolveConfig({ config: file })).toThrow(/^config\.schedule: T must be an integer ≥ 2, got 0/);
    expect(() => resolveConfig({ claim: ['c4'] })).toThrow(/^--claim: malformed 'c4'/);
    expect(() => resolveConfig({ schedule: 'T=1024,c9=1' })).toThrow(/^--schedule: unknown schedule field 'c9'/);
  });

  it('refuses --claim for a suite whose constants are part of its design', async () => {
    const fixed: SuiteBuilder = (request) => {
      const { constants: _constants, ...suite } = quickSuite({ ...request, constants: {} });
      return suite;
    };
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-claims-fixed-'));
    await expect(runSuite(resolveConfig({ suite: 'study', target: 'aniso-gaussian-2d', claim: ['c3=2'], out: join(dir, 'r'), cacheDir: join(dir, 'c') }), { study: fixed }, 'run')).rejects.toThrow(
      /^claim: suite 'study' takes no --claim or --schedule: its constants are part of its design$/,
    );
  });
});

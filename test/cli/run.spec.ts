import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { HARNESS_FAILURE_EXIT, INTERRUPTED_EXIT, resolveConfig, runSuite, type RunConfig } from '../../src/cli/commands/run.ts';
import type { Suite, SuiteBuilder } from '../../src/checks/suite.ts';
import { defineCheck } from '../../src/checks/defineCheck.ts';
import { makeEvidence, provenanceOf } from '../../src/checks/evidence.ts';
import { lhwSchedule } from '../../src/processes/lhwSchedule.ts';
import type { AuditReport } from '../../src/report/auditReport.ts';
import { writeReportAtomically } from '../../src/report/writeReportAtomically.ts';
import { mergeReports } from '../../src/report/mergeReports.ts';
import { mergeShards } from '../../src/cli/commands/merge.ts';
import { parseWithNonFinite } from '../../src/checks/resultsCache.ts';
import { scheduleProperties } from '../../theorems/li2024/schedule.ts';

/** A check whose verdict is `value ≤ 1`, with controls; `onRun` (when set) sees every subject it runs on. */
function thresholdCheck(id: `${string}.${string}`, options: { mislabelled?: boolean; onRun?: (value: number) => void } = {}) {
  return defineCheck<{ value: number }>({
    id,
    kind: 'lemma',
    title: 'a value at most one',
    claim: 'value ≤ 1',
    source: { paper: 'li2024', label: 'test fixture' },
    dependsOn: [],
    constants: [{ symbol: 'v', meaning: 'the value', role: 'estimated' }],
    subject: 'distribution',
    design: { estimand: 'v', decision: 'exact', falseFailRate: 1e-3 },
    controls: [
      { name: 'small', description: 'v = 0.5', expected: 'holds', build: () => ({ value: 0.5 }) },
      { name: 'large', description: 'v = 2', expected: options.mislabelled ? 'holds' : 'violated', build: () => ({ value: 2 }) },
      { name: 'huge', description: 'v = 5', expected: 'violated', build: () => ({ value: 5 }) },
    ],
    async run(subject, ctx) {
      options.onRun?.(subject.value);
      const ok = subject.value <= 1;
      return makeEvidence(id, provenanceOf(ctx.rng), { estimates: { v: { value: subject.value, interval: { lower: subject.value, upper: subject.value, level: 1 }, method: 'exact', n: 1 } }, reason: `v = ${subject.value}` }, ok ? { verdict: 'holds' } : { verdict: 'violated', witness: { description: 'the value', value: subject.value } });
    },
  });
}

function tinySuite(extra: Partial<Suite> = {}): SuiteBuilder {
  return (req) => ({
    name: 'tiny',
    title: `tiny suite on ${req.targetName}`,
    subject: { target: req.targetName, process: 'LHW T=200', variant: 'exact', functionClass: 'f*' },
    checks: [scheduleProperties, thresholdCheck('li2024.fixtureA'), thresholdCheck('li2024.fixtureB')],
    subjects: {
      'li2024.schedule': { value: lhwSchedule({ T: 200 }), key: 'lhw-200' },
      'li2024.fixtureA': { value: { value: 0.25 }, key: 'a' },
      'li2024.fixtureB': { value: { value: 3 }, key: 'b' },
    },
    ...extra,
  });
}

function config(dir: string, over: Partial<RunConfig> = {}): RunConfig {
  return resolveConfig({ suite: 'tiny', target: 'bimodal-1d', out: join(dir, 'report'), cacheDir: join(dir, 'cache'), ...over });
}

describe('cmbounds run', () => {
  it('writes report.md, report.html, results.json and valid SVG plots, atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-run-'));
    const out = await runSuite(config(dir), { tiny: tinySuite() }, 'run --suite tiny');
    expect(out.exitCode).toBe(0);
    const files = readdirSync(out.reportDir!).sort();
    expect(files).toEqual(['.cmbounds-report', 'plots', 'report.html', 'report.md', 'results.json']);
    const md = readFileSync(join(out.reportDir!, 'report.md'), 'utf8');
    const tokens = new MarkdownIt().parse(md, {});
    expect(tokens.filter((t) => t.type === 'heading_open' && t.tag === 'h3')).toHaveLength(3);
    expect(md).toContain('❌ violated');
    expect(md).toContain('Witness: the value — value 3');
    const html = readFileSync(join(out.reportDir!, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    for (const svg of readdirSync(join(out.reportDir!, 'plots'))) {
      const text = readFileSync(join(out.reportDir!, 'plots', svg), 'utf8');
      expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(text.trimEnd()).toMatch(/<\/svg>$/);
    }
    const results = JSON.parse(readFileSync(join(out.reportDir!, 'results.json'), 'utf8')) as AuditReport;
    expect(results.summary.holds).toBe(2);
    expect(results.summary.violated).toBe(1);
    expect(results.provenance.seed).toBe(1);
    expect(existsSync(`${out.reportDir!}.tmp`)).toBe(false);
  });

  it('resumes an interrupted run and finishes with the results of an uninterrupted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-resume-'));
    const full = await runSuite(config(dir, { out: join(dir, 'full'), cacheDir: join(dir, 'cache-full') }), { tiny: tinySuite() }, 'run');
    // interrupt: the second fixture check aborts the run while it executes
    const controller = new AbortController();
    const interrupting = tinySuite({ checks: [scheduleProperties, thresholdCheck('li2024.fixtureA'), thresholdCheck('li2024.fixtureB', { onRun: (v) => (v === 3 ? controller.abort() : undefined) })] });
    const cut = await runSuite(config(dir), { tiny: interrupting }, 'run', controller.signal);
    expect(cut.exitCode).toBe(INTERRUPTED_EXIT);
    expect(existsSync(join(dir, 'report'))).toBe(false);
    let reran = 0;
    const counting = tinySuite({ checks: [scheduleProperties, thresholdCheck('li2024.fixtureA', { onRun: (v) => (v === 0.25 ? reran++ : undefined) }), thresholdCheck('li2024.fixtureB')] });
    const resumed = await runSuite(config(dir, { resume: true }), { tiny: counting }, 'run');
    expect(resumed.exitCode).toBe(0);
    expect(reran).toBe(0); // finished before the interruption: taken from the cache, not recomputed
    const strip = (r: AuditReport) => r.entries.map((e) => e.result.evidence);
    expect(strip(resumed.report!)).toEqual(strip(full.report!));
  });

  it('exits non-zero when a control does not give its declared verdict (a harness failure)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-harness-'));
    const broken = tinySuite({ checks: [thresholdCheck('li2024.fixtureA', { mislabelled: true })], subjects: { 'li2024.fixtureA': { value: { value: 0.25 }, key: 'a' } } });
    const out = await runSuite(config(dir), { tiny: broken }, 'run');
    expect(out.exitCode).toBe(HARNESS_FAILURE_EXIT);
  });

  it('re-renders a saved results.json into the same report.md (nothing recomputed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-rerender-'));
    const out = await runSuite(config(dir), { tiny: tinySuite() }, 'run');
    const saved = parseWithNonFinite(readFileSync(join(out.reportDir!, 'results.json'), 'utf8')) as AuditReport;
    const again = await writeReportAtomically(saved, join(dir, 'again'));
    expect(readFileSync(join(again, 'report.md'), 'utf8')).toBe(readFileSync(join(out.reportDir!, 'report.md'), 'utf8'));
  });

  it('merges shards into exactly the results of an unsharded run, Findings included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-shards-'));
    // a Findings paragraph that depends on the whole battery, as the suites' do
    const findings = (r: AuditReport): string => `${r.entries.length} statements ran on ${r.subject.target}: ${r.summary.holds} hold, ${r.summary.violated} violated.`;
    const suites = { tiny: tinySuite({ findings }) };
    const whole = await runSuite(config(dir, { out: join(dir, 'whole'), cacheDir: join(dir, 'c0') }), suites, 'run');
    const shards: AuditReport[] = [];
    for (const index of [1, 2]) {
      const r = await runSuite(config(dir, { out: join(dir, `s${index}`), cacheDir: join(dir, `c${index}`), shard: `${index}/2` }), suites, 'run');
      expect(r.report!.entries.length).toBeLessThan(whole.report!.entries.length);
      expect(r.report!.findings).not.toBe(whole.report!.findings);
      shards.push(r.report!);
    }
    const { report: merged, findingsOmitted } = await mergeShards([shards[1]!, shards[0]!], 'merge', suites);
    expect(merged.entries.map((e) => e.statement.id)).toEqual(whole.report!.entries.map((e) => e.statement.id));
    expect(merged.entries.map((e) => e.result.evidence)).toEqual(whole.report!.entries.map((e) => e.result.evidence));
    expect(merged.summary).toEqual(whole.report!.summary);
    expect(findingsOmitted).toBeUndefined();
    expect(merged.findings).toBe('3 statements ran on bimodal-1d: 2 hold, 1 violated.');
    expect(merged.findings).toBe(whole.report!.findings);
    // without the suites the Findings cannot be recomputed: none, rather than the first shard's
    const bare = await mergeShards([shards[0]!, shards[1]!], 'merge');
    expect(bare.report.findings).toBeUndefined();
    expect(bare.findingsOmitted).toBe("the suite 'tiny' is not available here");
    expect(() => mergeReports([shards[0]!], 'merge')).toThrow(/^results: got shards 1 of 2; need each of 1\.\.2 exactly once/);
    expect(() => mergeReports([whole.report!], 'merge')).toThrow(/^results\[0\]: is not the result of a sharded run/);
  });

  it('runs only the checks named by `check` (a --config field, or --check, repeatable) and what they depend on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-check-'));
    const whole = await runSuite(config(dir, { out: join(dir, 'whole'), cacheDir: join(dir, 'c0') }), { tiny: tinySuite() }, 'run');
    const dependent = thresholdCheck('li2024.fixtureB');
    const suite = tinySuite({ checks: [scheduleProperties, thresholdCheck('li2024.fixtureA'), { ...dependent, dependsOn: ['li2024.schedule'] }] });
    const one = await runSuite(config(dir, { out: join(dir, 'one'), cacheDir: join(dir, 'c1'), check: 'li2024.fixtureB' }), { tiny: suite }, 'run');
    expect(one.report!.entries.map((e) => e.statement.id)).toEqual(['li2024.schedule', 'li2024.fixtureB']);
    const evidenceOf = (r: AuditReport, id: string) => r.entries.find((e) => e.statement.id === id)!.result.evidence;
    expect(evidenceOf(one.report!, 'li2024.fixtureB')).toEqual(evidenceOf(whole.report!, 'li2024.fixtureB'));
    const two = await runSuite(config(dir, { out: join(dir, 'two'), cacheDir: join(dir, 'c2'), check: ['li2024.fixtureA', 'li2024.schedule'] }), { tiny: tinySuite() }, 'run');
    expect(two.report!.entries.map((e) => e.statement.id)).toEqual(['li2024.schedule', 'li2024.fixtureA']);
    await expect(runSuite(config(dir, { out: join(dir, 'three'), cacheDir: join(dir, 'c3'), check: 'li2024.fixtureC' }), { tiny: tinySuite() }, 'run')).rejects.toThrow(
      /^--check: no check 'li2024\.fixtureC' in the tiny suite on bimodal-1d; did you mean 'li2024\.fixtureA' or 'li2024\.fixtureB'\?$/,
    );
    expect(existsSync(join(dir, 'three'))).toBe(false);
  });

  it('names the field of a bad config', () => {
    expect(() => resolveConfig({ suite: 'tiny', shard: '3/2' })).toThrow(/^--shard: needs 1 ≤ i ≤ n/);
    expect(() => resolveConfig({ suite: 'tiny', seed: -3 })).toThrow(/^--seed: /);
    expect(() => resolveConfig({ suite: 'tiny', falseFailRate: 2 })).toThrow(/^--false-fail-rate: /);
    expect(() => resolveConfig({ suite: 'tiny', sed: 3 })).toThrow(/^config: Unrecognized key.*sed/);
  });
});

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AuditResultsDocument } from '../../src/audit/writeAuditReport.ts';
import { writeReportAtomically } from '../../src/report/writeReportAtomically.ts';
import { parseWithNonFinite } from '../../src/checks/resultsCache.ts';
import { main } from '../../src/cli/main.ts';
import { auditBattery } from '../../suites/audit.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-cli-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const plugins = { audits: async () => auditBattery };

/** Runs the CLI in-process and returns its exit code, stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await main(['node', 'cmbounds', ...args], plugins);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

const VARIANTS = ['example-lognormal-ct', 'ct', 'ict', 'cd-exact'];
/** The model-level checks of suites/audit.ts (sorted). */
const MODEL_CHECKS = ['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1', 'lyu2023.consistencyError', 'lyu2023.modelLipschitz', 'lyu2023.multistep', 'lyu2023.oneStep', 'lyu2023.scoreError', 'song2023.multistepSampling', 'song2023.pdeResidual'];

describe('cmbounds audit', () => {
  it('audits the worked example beside ct, ict and cd-exact (affine class): the report has the comparison table', async () => {
    const out = path.join(dir, 'affine');
    const r = await run('audit', 'examples/variants/lognormalCt.ts', '--function-class', 'affine', '--steps', '6', '--samples-per-node', '48', '--n', '64', '--check-samples', '200', '--targets', 'bimodal-1d,product-2d-sep3-w25', '--seed', '3', '--seeds', '1', '--out', out);
    // stderr is not a terminal here: progress lines only, one per trained model (2 rungs × 4) and one per model check
    expect(r.err.match(/^\[model \d\/8 [\d.]+ s\] \S+ on \S+: trained in [\d.]+ s/gm)).toHaveLength(8);
    expect(r.err.match(/^\[ ?\d+\/\d+ [\d.]+ s\] \S+\[\S+@\S+\]: (holds|violated|inconclusive) in [\d.]+ s$/gm)?.length).toBeGreaterThan(0);
    // no error line and no check ending in error (check ids such as lyu2023.consistencyError contain the word)
    expect(r.err).not.toMatch(/^error|: error\b/im);
    expect(r.code).toBe(0);
    for (const f of ['report.md', 'report.html', 'results.json']) expect(existsSync(path.join(out, f))).toBe(true);
    const plots = readdirSync(path.join(out, 'plots'));
    expect(plots).toEqual(expect.arrayContaining(['audit-comparison-bimodal-1d.svg', 'audit-comparison-product-2d-sep3-w25.svg']));
    for (const p of plots) expect(readFileSync(path.join(out, 'plots', p), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md.indexOf('## Comparison')).toBeGreaterThan(0);
    expect(md.indexOf('## Comparison')).toBeLessThan(md.indexOf('## Summary'));
    const tokens = new MarkdownIt().parse(md, {});
    expect(tokens.filter((t) => t.type === 'table_open').length).toBeGreaterThanOrEqual(4);
    const header = md.split('\n').find((l) => l.startsWith('| variant | target |'))!;
    expect(header).toMatch(/^\| variant \| target \| W₂ bound at t = 80 \| W₂ bound at t = 5 \| W₂ bound at t = 0.5 \| boundary \| `/);
    for (const id of MODEL_CHECKS) expect(header).toContain(`| \`${id}\``);
    for (const target of ['bimodal-1d', 'product-2d-sep3-w25']) {
      for (const v of VARIANTS) {
        const label = v === 'example-lognormal-ct' ? `**${v}** (yours)` : v;
        expect(md).toContain(`| ${label} | \`${target}\` | `);
      }
    }
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<figure><svg');

    const doc = parseWithNonFinite(readFileSync(path.join(out, 'results.json'), 'utf8')) as AuditResultsDocument;
    // `cmbounds report` re-renders the saved results, comparison section included, byte for byte
    const again = await writeReportAtomically(doc, path.join(dir, 'affine-rerendered'));
    expect(readFileSync(path.join(again, 'report.md'), 'utf8')).toBe(md);
    expect(doc.audit.cells.map((c) => `${c.variant}@${c.target}`)).toEqual(['bimodal-1d', 'product-2d-sep3-w25'].flatMap((t) => VARIANTS.map((v) => `${v}@${t}`)));
    for (const c of doc.audit.cells) {
      expect(c.status).toBe('trained');
      // node 0 of the affine grid is the identity: the boundary condition holds exactly
      expect(c.boundaryError).toBe(0);
      expect(c.coupling.map((e) => e.t)).toEqual([80, 5, 0.5]);
      for (const e of c.coupling) expect(e.lower).toBeLessThanOrEqual(e.value), expect(e.upper).toBeGreaterThanOrEqual(e.value);
      expect(c.verdicts.map((v) => v.statement).sort()).toEqual(MODEL_CHECKS);
    }
    // the one-step check decides the measured W₂ against the bound of the measured constants, as its intervals say
    const oneStepEntries = doc.entries.filter((x) => x.statement.id.startsWith('lyu2023.oneStep['));
    expect(oneStepEntries).toHaveLength(8);
    for (const entry of oneStepEntries) {
      const evidence = entry.result.rawEvidence ?? entry.result.evidence!;
      const measured = evidence.estimates['W2_measured']!;
      const bound = evidence.estimates['W2_bound']!;
      expect(measured.interval.lower).toBeLessThanOrEqual(measured.interval.upper);
      const part = evidence.parts.find((p) => p.name === 'one-step W₂ ≤ bound of the measured constants')!;
      const expected = measured.interval.upper <= bound.interval.lower ? 'holds' : measured.interval.lower > bound.interval.upper ? 'violated' : 'inconclusive';
      expect(part.verdict).toBe(expected);
    }
    // 2 rungs × 3 built-ins × 3 times, Bonferroni to a simultaneous 95%
    expect(doc.audit.comparisons).toHaveLength(18);
    expect(doc.entries).toHaveLength(8 * MODEL_CHECKS.length);
    expect(doc.provenance.command).toMatch(/^cmbounds audit examples\/variants\/lognormalCt\.ts/);
    expect(r.out).toMatch(/example-lognormal-ct \* +bimodal-1d/);
    // 8 affine models × 11 model-level checks after the checks' controls
  }, 300_000);

  it('trains tiny MLPs too and prints the results document with --json', async () => {
    const out = path.join(dir, 'mlp');
    const r = await run('audit', 'examples/variants/lognormalCt.ts', '--steps', '10', '--width', '8', '--depth', '1', '--batch-size', '32', '--n', '64', '--check-samples', '200', '--targets', 'bimodal-1d', '--seeds', '1', '--no-controls', '--json', '--out', out);
    expect(r.code).toBe(0);
    const doc = parseWithNonFinite(r.out) as AuditResultsDocument;
    expect(doc.audit.cells.map((c) => c.variant)).toEqual(VARIANTS);
    expect(doc.audit.budget).toMatchObject({ functionClass: 'mlp-1x8-silu', steps: 10, batchSize: 32, seed: 1 });
    // the checks' reasons and plot legends name the variant, with the architecture beside it, never the architecture alone
    let named = 0;
    for (const e of doc.entries) {
      const variant = /\[(.+)@[^@\]]+\]$/.exec(e.statement.id)![1]!;
      const texts = [e.result.evidence?.reason ?? '', ...(e.result.evidence?.plots ?? []).flatMap((p) => p.series.map((x) => x.name))].join('\n');
      expect(texts).not.toMatch(/(^|[^(])mlp-1x8-silu/);
      if (texts.includes(`${variant} (mlp-1x8-silu)`)) named += 1;
    }
    expect(named).toBeGreaterThan(0);
    for (const c of doc.audit.cells) {
      expect(c.status).toBe('trained');
      // c_out(tMin) = 0 exactly: f(x, tMin) = x whatever the weights
      expect(c.boundaryError).toBe(0);
      expect(Number.isFinite(c.finalLoss)).toBe(true);
    }
    expect(doc.provenance.versions['tfjsBackend']).toBeDefined();
  });

  it('trains every variant with each of --seeds 2 seeds: rows, intervals and paired comparisons over the seeds', async () => {
    const out = path.join(dir, 'seeds');
    const r = await run('audit', 'examples/variants/lognormalCt.ts', '--function-class', 'affine', '--steps', '6', '--samples-per-node', '48', '--n', '64', '--check-samples', '200', '--targets', 'bimodal-1d', '--built-ins', 'cd-exact', '--seeds', '2', '--seed', '4', '--no-controls', '--json', '--out', out);
    expect(r.code).toBe(0);
    const doc = parseWithNonFinite(r.out) as AuditResultsDocument;
    const seeds = doc.audit.budget.seeds;
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).toBe(4);
    expect(doc.audit.cells.map((c) => `${c.variant}/${c.seed}`)).toEqual(seeds.flatMap((s) => [`example-lognormal-ct/${s}`, `cd-exact/${s}`]));
    // another seed trains another model: the two seeds' coupling bounds differ
    const user = doc.audit.cells.filter((c) => c.role === 'user');
    expect(user[0]!.coupling[2]!.value).not.toBe(user[1]!.coupling[2]!.value);
    // every model has its own entries, the seed in the id
    expect(doc.entries.map((e) => e.statement.id)).toContain(`lyu2023.oneStep[cd-exact@bimodal-1d#seed=${seeds[1]}]`);
    expect(doc.entries).toHaveLength(4 * MODEL_CHECKS.length);
    // one row per variant: the mean of the seeds' values (independently: from the cells)
    expect(doc.audit.summaries.map((x) => [x.variant, x.trained])).toEqual([['example-lognormal-ct', 2], ['cd-exact', 2]]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(doc.audit.summaries[0]!.coupling[2]!.value).toBeCloseTo(mean(user.map((c) => c.coupling[2]!.value)), 12);
    expect(doc.audit.summaries[0]!.coupling[2]!.n).toBe(2);
    // paired by seed: the mean over seeds of (yours² − built-in²) of each seed's coupling bound
    const builtIn = doc.audit.cells.filter((c) => c.role === 'built-in');
    for (const [tIndex, cmp] of doc.audit.comparisons.entries()) {
      expect(cmp).toMatchObject({ method: 'seeds', seeds: 2, t: doc.audit.times[tIndex] });
      expect(cmp.difference.value).toBeCloseTo(mean([0, 1].map((k) => user[k]!.coupling[tIndex]!.value ** 2 - builtIn[k]!.coupling[tIndex]!.value ** 2)), 10);
      expect(cmp.difference.n).toBe(2);
    }
    // the one-step check's bound and measured W₂ per model, their ratio as the tightness, and the plot of one against the other
    const oneStep = doc.audit.cells[0]!.verdicts.find((v) => v.statement === 'lyu2023.oneStep')!;
    const evidence = doc.entries.find((e) => e.statement.id === oneStep.entry)!.result.evidence!;
    expect(oneStep.estimates!['W2_bound']!.value).toBe(evidence.estimates['W2_bound']!.value);
    expect(oneStep.estimates!['W2_measured']!.value).toBe(evidence.estimates['W2_measured']!.value);
    expect(oneStep.estimates!['W2_tightness']!.value).toBeCloseTo(evidence.estimates['W2_bound']!.value / evidence.estimates['W2_measured']!.value, 10);
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('**Training randomness.** Every variant was trained with 2 seeds');
    expect(md).toContain('### The theorems on the trained models: bound against measured error');
    expect(readFileSync(path.join(out, 'plots', 'audit-bound-vs-measured-W2.svg'), 'utf8')).toMatch(/^<svg[\s\S]*bound = measured[\s\S]*<\/svg>\s*$/);
  }, 120_000);

  it.each([
    ['examples/variants/brokenMissingMakePairs.ts', [['variant.makePairs', 'return {'], ['variant.teacherEmaRate', 'teacherEmaRate: 0.95']]],
    ['examples/variants/brokenLossType.ts', [['variant.loss', "loss: 'squared-l2'"], ['variant.schedule.times', 'schedule: {']]],
    ['examples/variants/brokenCastHidesMissing.ts', [['variant.indexSampler', 'export default {'], ['variant.loss.tensorDistanceAndGradient', 'const loss = {']]],
  ] as const)('names every missing or mistyped member of %s with its line and trains nothing', async (file, members) => {
    const out = path.join(dir, path.basename(file));
    const r = await run('audit', file, '--function-class', 'affine', '--targets', 'bimodal-1d', '--out', out);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^error: ${file.replace(/[./]/g, '\\$&')} does not export a valid TrainingVariant \\(2 problems; nothing was trained\\):\\n`));
    for (const [member, text] of members) expect(r.err).toContain(`\n  ${file}:${lineOf(file, text)}: ${member}: `);
    expect(existsSync(out)).toBe(false);
  });

  it('answers a module that does not exist with one line', async () => {
    const r = await run('audit', 'examples/variants/nope.ts', '--out', path.join(dir, 'nope'));
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: variant: no such module 'examples/variants/nope.ts'\n");
  });
});

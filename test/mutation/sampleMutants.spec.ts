import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { drawIndices, listMutants, sourcesUnder, specsImporting, summarize, type ListedMutant } from '../../mutation/sampleMutants.ts';

describe('the mutant sample (npm run mutate:sample)', () => {
  it('draws distinct sorted indices, the same for the same seed, and a smaller sample is a subset of a larger one', () => {
    const large = drawIndices(1000, 400, 7);
    expect(new Set(large).size).toBe(400);
    expect(large).toEqual([...large].sort((a, b) => a - b));
    expect(large.every((i) => Number.isInteger(i) && i >= 0 && i < 1000)).toBe(true);
    expect(drawIndices(1000, 400, 7)).toEqual(large);
    expect(drawIndices(1000, 400, 8)).not.toEqual(large);
    const small = new Set(drawIndices(1000, 200, 7));
    expect(large.filter((i) => small.has(i)).length).toBe(200);
    expect(drawIndices(5, 10, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  it('is uniform: each index of 0..9 is drawn in a 3-of-10 sample with probability 3/10 (2000 seeds, 4.5 standard errors)', () => {
    const counts = new Array<number>(10).fill(0);
    const seeds = 2000;
    for (let seed = 1; seed <= seeds; seed++) for (const i of drawIndices(10, 3, seed)) counts[i]! += 1;
    const se = Math.sqrt(seeds * 0.3 * 0.7);
    for (const c of counts) expect(Math.abs(c - seeds * 0.3)).toBeLessThan(4.5 * se);
  });

  it("lists the mutants Stryker's instrumenter makes (0-based lines), and the specs that import a theorem file", async () => {
    const files = sourcesUnder('theorems/lyu2023');
    expect(files).toContain('theorems/lyu2023/tvSmoothing.ts');
    expect(files.some((f) => f.endsWith('index.ts') || f.endsWith('.spec.ts'))).toBe(false);
    const mutants = await listMutants(['theorems/lyu2023/tvSmoothing.ts']);
    expect(mutants.length).toBeGreaterThan(10);
    const lines = (await import('node:fs')).readFileSync('theorems/lyu2023/tvSmoothing.ts', 'utf8').split('\n');
    // on the 0-based line and columns, the original text of a one-line comparison is the replacement with its operator swapped
    const comparisons = mutants.filter((x) => x.mutatorName === 'EqualityOperator' && x.location.start.line === x.location.end.line);
    expect(comparisons.length).toBeGreaterThan(0);
    const operator = /\s(===|!==|<=|>=|<|>)\s/;
    for (const m of comparisons) {
      const original = lines[m.location.start.line]!.slice(m.location.start.column, m.location.end.column);
      expect(original.replace(operator, ' · ')).toBe(m.replacement.replace(operator, ' · '));
      expect(original).not.toBe(m.replacement);
    }
    expect(specsImporting('theorems/lyu2023/tvSmoothing.ts')).toEqual(['test/theorems/lyu2023/tvSmoothing.spec.ts', 'test/theorems/lyu2023/tvSmoothingDecisionEdges.spec.ts', 'test/theorems/statementsDoc.spec.ts']);
    expect(specsImporting('src/estimators/meanByClt.ts')).not.toContain('test/theorems/statementsDoc.spec.ts');
    // no spec imports the ODE solver by path: the mirrored folder's specs test it (through referenceFlow)
    expect(specsImporting('src/flows/dormandPrince.ts')).toContain('test/unit/flows/referenceFlow.spec.ts');
    expect(specsImporting('src/flows/solvers/pfOdeStep.ts')).toContain('test/unit/flows/pfOdeStep.spec.ts');
    // --unit-only: a library file's own unit tests, no theorem spec
    expect(specsImporting('src/flows/referenceFlow.ts', true).every((s) => s.startsWith('test/unit/'))).toBe(true);
    expect(specsImporting('src/flows/referenceFlow.ts').some((s) => s.startsWith('test/theorems/'))).toBe(true);
  });

  it('scores killed + timeout over the scored mutants, takes the command runner\'s status for a static survivor, leaves ignored ones out, and gives no score while a file has no report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-mutation-summary-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const file = 'theorems/lyu2023/tvSmoothing.ts';
      const at = (line: number): ListedMutant => ({ fileName: file, location: { start: { line, column: 0 }, end: { line, column: 5 } }, mutatorName: 'ConditionalExpression', replacement: 'false' });
      const mutants = [1, 2, 3, 4, 5, 6].map(at);
      // Stryker's reports are 1-based; the listed mutants 0-based
      const reported = (statuses: Record<number, { status: string; static?: boolean; statusReason?: string }>) => ({
        files: { [file]: { mutants: Object.entries(statuses).map(([line, r]) => ({ mutatorName: 'ConditionalExpression', replacement: 'false', location: { start: { line: Number(line) + 1, column: 1 }, end: { line: Number(line) + 1, column: 6 } }, ...r })) } },
      });
      const slug = file.replace(/[/.]/g, '_');
      writeFileSync(path.join(dir, `${slug}.mutation.json`), JSON.stringify(reported({ 1: { status: 'Killed' }, 2: { status: 'Timeout' }, 3: { status: 'Survived', static: true }, 4: { status: 'Ignored', statusReason: 'an RNG label' }, 5: { status: 'Survived' }, 6: { status: 'NoCoverage' } })));
      writeFileSync(path.join(dir, `${slug}.static.mutation.json`), JSON.stringify(reported({ 3: { status: 'Killed' } })));
      const options = { folder: 'theorems', size: 6, seed: 9, concurrency: 1, planOnly: false, only: undefined, summaryOnly: true };
      summarize(options, 100, 1, [{ file, specs: ['x.spec.ts'], mutants }], dir);
      const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
      // 3 killed (Killed, Timeout, the static survivor the command runner killed) of 5 scored (the Ignored one left
      // out); the 95% Clopper–Pearson interval of 3/5 is [0.1466, 0.9473] (binomial tail equations solved independently)
      expect(summary).toContain('theorems/: 60.0% killed [14.7, 94.7] (95% Clopper–Pearson), 3 of 5 scored sampled mutants, 1 left out as equivalent or invalid (uniform sample of 6 of 100 in 1 files, seed 9)');
      expect(summary).toContain('| theorems/lyu2023/tvSmoothing.ts:5 | ConditionalExpression | Ignored | an RNG label |');
      expect(summary).toContain('## Survivors (2)');
      expect(summary).toMatch(/tvSmoothing\.ts:6 \| ConditionalExpression \| `false` \| Survived/);
      expect(summary).toMatch(/tvSmoothing\.ts:7 \| ConditionalExpression \| `false` \| NoCoverage/);
      // a second file without a report: no folder score, the first file's survivors still listed
      const other = 'theorems/lyu2023/oneStep.ts';
      summarize(options, 100, 2, [{ file, specs: ['x.spec.ts'], mutants }, { file: other, specs: ['y.spec.ts'], mutants: [{ ...at(1), fileName: other }] }], dir);
      const partial = readFileSync(path.join(dir, 'summary.md'), 'utf8');
      expect(partial).toContain('partial: 1 sampled mutants have no result yet (their files not run: theorems/lyu2023/oneStep.ts); no score');
      expect(partial).not.toContain('% killed');
      expect(partial).toContain('## Survivors (2)');
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

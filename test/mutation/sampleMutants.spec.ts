import { describe, expect, it } from 'vitest';
import { drawIndices, listMutants, sourcesUnder, specsImporting } from '../../mutation/sampleMutants.ts';

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
    expect(specsImporting('theorems/lyu2023/tvSmoothing.ts')).toEqual(['test/theorems/lyu2023/tvSmoothing.spec.ts']);
  });
});

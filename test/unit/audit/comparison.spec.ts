import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { comparisonPlots, renderComparisonMarkdown, type AuditComparison } from '../../../src/audit/comparison.ts';

const coupling = (values: number[]) => values.map((v, i) => ({ t: [80, 5][i]!, value: v, lower: v - 0.01, upper: v + 0.01, level: 0.95, n: 100 }));

const comparison: AuditComparison = {
  variant: { file: 'mine.ts', id: 'mine', title: 'my | variant', exportName: 'default', form: 'factory' },
  builtIns: [{ id: 'ct', title: 'CT' }],
  ladder: { name: 'custom', rungs: [{ name: 'bimodal-1d', description: 'd = 1', dim: 1 }] },
  times: [80, 5],
  budget: { functionClass: 'mlp-2x64-silu', steps: 10, batchSize: 8, learningRate: 0.003, seed: 1, evaluationPoints: 100, weights: 'EMA (decay 0.99)' },
  referenceFlow: [{ target: 'bimodal-1d', t: 80, method: 'quantile-map', errorEstimate: 1e-12 }],
  cells: [
    { variant: 'mine', role: 'user', target: 'bimodal-1d', status: 'failed', error: 'step 3: non-finite loss', trainingMs: 1, coupling: [], verdicts: [] },
    {
      variant: 'ct',
      role: 'built-in',
      target: 'bimodal-1d',
      status: 'trained',
      trainingMs: 1,
      coupling: coupling([1.5, 0]),
      boundaryError: 0,
      verdicts: [{ statement: 'song2023.multistepSampling', entry: 'song2023.multistepSampling[ct@bimodal-1d]', verdict: 'violated', summary: 'max D_k = 0.4' }],
    },
  ],
  comparisons: [],
  comparisonFamilyLevel: 0.95,
  staticValidation: { durationMs: 1, notes: [] },
};

describe('renderComparisonMarkdown', () => {
  const md = renderComparisonMarkdown(comparison);
  const table = md.split('\n').filter((l) => l.startsWith('| ') && l.includes('`bimodal-1d`') && !l.startsWith('| `'));

  it('renders one row per cell with as many cells as the header, a failed row saying why', () => {
    const header = md.split('\n').find((l) => l.startsWith('| variant |'))!;
    const columns = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    expect(table).toHaveLength(2);
    for (const row of table) expect(columns(row)).toBe(columns(header));
    expect(table[0]).toContain('| **mine** (yours) | `bimodal-1d` | failed: step 3: non-finite loss |');
    expect(table[1]).toBe('| ct | `bimodal-1d` | 1.5 [1.49, 1.51] | 0 [-0.01, 0.01] | 0 | [❌ violated](#song2023-multistepsampling-ct-bimodal-1d-) (max D_k = 0.4) |');
    expect(md).toContain('my \\| variant');
    // the smallest nonzero bound, not the exact zero, is set against the reference error
    expect(md).toContain('largest estimated error 1.000e-12, against 1.5 for the smallest nonzero bound in the table.');
    expect(new MarkdownIt().render(md)).toContain('<table>');
  });

  it('plots only trained cells, with exact zeros lifted onto the log axis and each bound’s interval as an error bar', () => {
    const [p] = comparisonPlots(comparison);
    expect(p!.path).toBe('plots/audit-comparison-bimodal-1d.svg');
    expect(p!.plot.series).toEqual([{ name: 'ct', x: [5, 80], y: [1e-16, 1.5], lower: [-0.01, 1.49], upper: [0.01, 1.51] }]);
  });
});

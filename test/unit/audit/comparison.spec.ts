import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { boundPlots, comparisonPlots, renderComparisonMarkdown, type AuditCell, type AuditComparison } from '../../../src/audit/comparison.ts';
import { modelEstimatesOf, summarizeOverSeeds } from '../../../src/audit/seedSummary.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';

const estimate = (value: number, lower: number, upper: number) => ({ value, interval: { lower, upper, level: 0.95 }, method: 'clt-mean' as const, n: 10 });
import { plotToVegaLite } from '../../../src/report/plotToVegaLite.ts';

const coupling = (values: number[]) => values.map((v, i) => ({ t: [80, 5][i]!, value: v, lower: v - 0.01, upper: v + 0.01, level: 0.95, n: 100 }));

const base: Omit<AuditComparison, 'summaries'> = {
  variant: { file: 'mine.ts', id: 'mine', title: 'my | variant', exportName: 'default', form: 'factory' },
  builtIns: [{ id: 'ct', title: 'CT' }],
  ladder: { name: 'custom', rungs: [{ name: 'bimodal-1d', description: 'd = 1', dim: 1 }] },
  times: [80, 5],
  budget: { functionClass: 'mlp-2x64-silu', steps: 10, batchSize: 8, learningRate: 0.003, seed: 1, seeds: [1], evaluationPoints: 100, weights: 'EMA (decay 0.99)' },
  referenceFlow: [{ target: 'bimodal-1d', t: 80, method: 'quantile-map', errorEstimate: 1e-12 }],
  cells: [
    { variant: 'mine', role: 'user', target: 'bimodal-1d', seed: 1, status: 'failed', error: 'step 3: non-finite loss', trainingMs: 1, coupling: [], verdicts: [] },
    {
      variant: 'ct',
      role: 'built-in',
      target: 'bimodal-1d',
      seed: 1,
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
const comparison: AuditComparison = { ...base, summaries: summarizeOverSeeds(base.cells, base.times, 0.95) };

describe('renderComparisonMarkdown', () => {
  const md = renderComparisonMarkdown(comparison);
  // the comparison table's rows (the model table below it has rows of its own)
  const table = md.slice(0, md.indexOf('### The theorems')).split('\n').filter((l) => l.startsWith('| ') && l.includes('`bimodal-1d`') && !l.startsWith('| `'));

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

  it('plots the coupling bound of the seeds’ mean per rung and nothing of bound against measured when no check reported both', () => {
    expect(comparisonPlots(comparison).map((p) => p.path)).toEqual(['plots/audit-comparison-bimodal-1d.svg']);
    expect(md).toContain('One training seed');
    // the model table has its row, with "—" for every column no check reported
    expect(md).toContain('| ct | `bimodal-1d` | — | — | — | — | — | — | — | — |');
  });
});

describe('the comparison over several training seeds', () => {
  // two seeds per variant; the one-step check reports its bound and measured W₂ (no tightness: it is derived)
  const oneStep = (variant: string, seed: number, bound: number, measured: number) => ({
    statement: 'lyu2023.oneStep',
    entry: `lyu2023.oneStep[${variant}@bimodal-1d#seed=${seed}]`,
    verdict: (bound > measured ? 'holds' : 'violated') as 'holds' | 'violated',
    // as runAudit stores them: the Evidence's estimates read by the model columns, the tightness derived
    estimates: modelEstimatesOf('lyu2023.oneStep', {
      estimates: { W2_bound: estimate(bound, bound * 0.9, bound * 1.1), W2_measured: estimate(measured, measured * 0.8, measured * 1.2) },
    } as unknown as Evidence)!,
  });
  const cell = (variant: string, role: 'user' | 'built-in', seed: number, w2: number, bound: number, measured: number): AuditCell => ({
    variant,
    role,
    target: 'bimodal-1d',
    seed,
    status: 'trained',
    trainingMs: 1,
    coupling: [{ t: 80, value: w2, lower: w2 - 0.01, upper: w2 + 0.01, level: 0.95, n: 100 }],
    boundaryError: seed === 1 ? 0 : 1e-7,
    verdicts: [oneStep(variant, seed, bound, measured)],
  });
  const cells = [cell('mine', 'user', 1, 1, 2, 0.5), cell('ct', 'built-in', 1, 3, 4, 0.5), cell('mine', 'user', 7, 2, 1, 0.25), cell('ct', 'built-in', 7, 5, 8, 0.5)];
  const multi: AuditComparison = { ...base, times: [80], budget: { ...base.budget, seeds: [1, 7] }, cells, summaries: summarizeOverSeeds(cells, [80], 0.95) };

  it('aggregates each variant over its seeds: mean with the t interval (1 degree of freedom) of the seed values', () => {
    const [mine, ct] = multi.summaries;
    expect(mine).toMatchObject({ variant: 'mine', trained: 2, failed: 0, boundaryError: 1e-7 });
    // values 1 and 2: mean 1.5, s = 1/√2, SE = 1/2, t_{1, 0.975} = 12.7062047361747
    expect(mine!.coupling[0]!.value).toBe(1.5);
    expect(mine!.coupling[0]!.upper).toBeCloseTo(1.5 + 12.7062047361747 * 0.5, 9);
    expect(mine!.coupling[0]!.n).toBe(2);
    // tightness derived per model (2/0.5 = 4 and 1/0.25 = 4), then averaged: 4 with a zero-width interval
    expect(mine!.model['W2_tightness']).toMatchObject({ value: 4, lower: 4, upper: 4, n: 2 });
    // each model's derived tightness interval is [bound.lower / measured.upper, bound.upper / measured.lower]
    expect(cells[0]!.verdicts[0]!.estimates!['W2_tightness']).toEqual({ value: 4, lower: 1.8 / 0.6, upper: 2.2 / 0.4 });
    expect(ct!.model['W2_tightness']!.value).toBe((8 + 16) / 2);
    expect(ct!.model['W2_bound']!.value).toBe(6);
  });

  it('renders one row per variant with every seed’s verdict linked, and states the method', () => {
    const text = renderComparisonMarkdown(multi);
    expect(text).toContain('2 training seeds 1, 7 derived from seed 1');
    expect(text).toContain('Student-t interval at level 0.95 of the 2 seed values');
    expect(text).toContain('| **mine** (yours) | `bimodal-1d` | 1.5 [');
    expect(text).toContain('[✅](#lyu2023-onestep-mine-bimodal-1d-seed-1-) [✅](#lyu2023-onestep-mine-bimodal-1d-seed-7-)');
    expect(text).toContain('**Tightness ≥ 1 means the bound holds on this model**');
    expect(text).toContain('![One-step bound (Lyu–Feng–Chen) on W₂ against measured W₂](plots/audit-bound-vs-measured-W2.svg)');
  });

  it('plots bound against measured, one point per model, with the diagonal across the data range', () => {
    const plots = boundPlots(multi);
    expect(plots.map((p) => p.path)).toEqual(['plots/audit-bound-vs-measured-W2.svg']);
    const plot = plots[0]!.plot;
    expect(plot.series).toEqual([
      { name: 'mine (yours)', x: [0.5, 0.25], y: [2, 1], lower: [1.8, 0.9], upper: [2.2, 1.1] },
      { name: 'ct', x: [0.5, 0.5], y: [4, 8], lower: [3.6, 7.2], upper: [4.4, 8.8] },
    ]);
    const layers = plotToVegaLite(plot)['layer'] as { data: { values: { series: string; x: number; y: number }[] } }[];
    const diagonal = layers.at(-1)!.data.values;
    expect(diagonal).toEqual([
      { series: 'bound = measured', x: 0.25, y: 0.25 },
      { series: 'bound = measured', x: 8, y: 8 },
    ]);
  });
});

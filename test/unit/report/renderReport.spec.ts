import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { PlotSpec } from '../../../src/checks/evidence.ts';
import type { AuditReport } from '../../../src/report/auditReport.ts';
import { mathAsPlainText } from '../../../src/report/plainMath.ts';
import { plainText, plotToVegaLite } from '../../../src/report/plotToVegaLite.ts';
import { renderHtml } from '../../../src/report/renderHtml.ts';
import { readingGuide, renderMarkdown } from '../../../src/report/renderMarkdown.ts';

function report(command: string, reason = 'A witnessed lower bound $L̂_f ≥ 66.8$ at $Φ_{1000→1}$ exceeds the declared $L_f = 10$.'): AuditReport {
  return {
    title: 'a battery',
    subject: { target: 'ring8-2d', process: 'VE', variant: 'exact', functionClass: 'f*' },
    entries: [
      {
        statement: { id: 'li2024.assumption1', kind: 'assumption', title: 'the flow maps $Φ_{t→k}$ are Lipschitz', claim: '$‖Φ_{t→k}(x) − Φ_{t→k}(y)‖ ≤ L_f‖x − y‖$', source: { paper: 'li2024', label: 'Assumption 1' }, dependsOn: [] },
        result: {
          checkId: 'li2024.assumption1',
          status: 'ran',
          subjectHash: 'h',
          durationMs: 1,
          evidence: {
            checkId: 'li2024.assumption1', verdict: 'violated', reason, estimates: {}, thresholds: [], parts: [], diagnostics: [], plots: [],
            provenance: { seed: 7, rngPath: ['li2024.assumption1'] },
          },
        },
      },
    ],
    summary: { holds: 0, violated: 1, inconclusive: 0, skipped: 0, error: 0, aborted: 0 },
    falseFailRate: 1e-3,
    provenance: { command, seed: 7, configHash: 'c', versions: {}, startedAt: '2026-01-01T00:00:00Z', durationMs: 1, machine: 'm' },
  } as unknown as AuditReport;
}

describe('renderMarkdown: how to read the report', () => {
  it('opens, before the findings, with three lines: the verdicts, violated as a finding, and the replay command of a run', () => {
    const md = renderMarkdown(report('cmbounds run --suite quick --target ring8-2d --seed 7'));
    const guide = readingGuide(report('cmbounds run --suite quick --target ring8-2d --seed 7'));
    expect(guide).toHaveLength(3);
    expect(guide[0]).toMatch(/\*holds\*.*\*violated\*.*\*inconclusive\*/);
    expect(guide[1]).toMatch(/finding about the target or the model .* not a bug/);
    expect(guide[2]).toContain('`cmbounds run --check <id> --seed 7 --target ring8-2d`');
    expect(md.indexOf('How to read this report.')).toBeLessThan(md.indexOf('## Summary'));
    // the three lines render as one paragraph with hard breaks, not as a run-on sentence
    expect(new MarkdownIt().render(guide.join('\n')).match(/<br>/g)).toHaveLength(2);
  });

  it('gives each statement of a run its own replay command, with its id, seed and the target', () => {
    const md = renderMarkdown(report('cmbounds run --suite quick --target ring8-2d --seed 7'));
    expect(md).toContain('replay: seed 7, stream li2024.assumption1 — `cmbounds run --check li2024.assumption1 --seed 7 --target ring8-2d`');
  });

  it('names the suite in the replay command when it is not the default quick suite', () => {
    expect(readingGuide(report('cmbounds run --suite constants --target bimodal-1d --seed 3'))[2]).toContain('`cmbounds run --suite constants --check <id> --seed 7 --target bimodal-1d`');
  });

  it('does not offer `run --check` as the replay of an audit or a study, but names the provenance command', () => {
    const md = renderMarkdown(report('cmbounds audit --variant my.ts'));
    expect(md).toContain('the statements of this report replay with the command under Provenance');
    expect(md).not.toContain('`cmbounds run --check li2024.assumption1');
  });
});

describe('renderHtml', () => {
  it('typesets $…$ as MathML with no TeX left in the text, and needs no stylesheet or font files', () => {
    const html = renderHtml(renderMarkdown(report('cmbounds run --target ring8-2d')), 'the maps $Φ_{t→k}$', new Map());
    expect(html).toContain('<math');
    expect(html).toMatch(/<msub><mi mathvariant="normal">Φ<\/mi><mrow><mn>1000<\/mn><mo>→<\/mo><mn>1<\/mn><\/mrow><\/msub>/);
    const text = html.split('<body>')[1]!.replace(/<annotation[^>]*>[^<]*<\/annotation>/g, '').replace(/<[^>]+>/g, '');
    expect(text).not.toMatch(/[_^]\{/);
    expect(text).not.toMatch(/\$[^$\s]/);
    expect(html).not.toMatch(/<link|@font-face|url\(/);
    expect(html).toContain('<title>the maps Φ_{t→k}</title>');
  });

  it('replaces emoji verdict marks with CSS-styled text', () => {
    const html = renderHtml('| v |\n| --- |\n| ✅ holds |\n| ❌ violated |\n| ❔ inconclusive |\n', 't', new Map());
    expect(html).not.toMatch(/[✅❌❔]/u);
    for (const v of ['holds', 'violated', 'inconclusive']) expect(html).toContain(`<span class="verdict verdict-${v}">${v}</span>`);
    expect(html).toMatch(/\.verdict-violated\{color:#b71c1c/);
  });

  it('keeps a pipe inside a formula in a table cell a bar (not ‖) and captions plots with typeset math', () => {
    const md = renderMarkdown(report('cmbounds run --target ring8-2d', 'mean $E[X_{t−1} | x]$ is off'));
    expect(md).toContain('$E[X_{t−1} ∣ x]$');
    const html = renderHtml('![$Φ_{1→0}$ against t](plots/a.svg)\n', 't', new Map([['plots/a.svg', '<svg></svg>']]));
    expect(html).toMatch(/<figure><svg><\/svg><figcaption><span class="katex"><math/);
  });
});

describe('plots', () => {
  const plot: PlotSpec = {
    id: 'p',
    title: '$(1−ᾱ_t)E‖s_t‖²/d$ against t (bound 1)',
    mark: 'line',
    x: { label: 't', scale: 'log' },
    y: { label: 'q', scale: 'linear' },
    series: [{ name: 'a-user-variant-with-a-long-name-v2 (yours)', x: [1, 2], y: [0.5, 0.9], lower: [0.4, 0.8], upper: [0.6, 1] }],
    bounds: [{ name: 'bound 1', y: 1 }],
  };

  it('draws the bound as a rule, the intervals as error bars, and never truncates a legend label', async () => {
    const spec = plotToVegaLite(plot) as { title: string; layer: { mark: { type: string; strokeDash?: number[] }; data: { values: unknown[] } }[] };
    expect(spec.title).toBe('(1−ᾱₜ)E‖sₜ‖²/d against t (bound 1)');
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['line', 'rule', 'rule']);
    expect(spec.layer[1]!.data.values).toEqual([
      { series: plot.series[0]!.name, x: 1, y: 0.5, lower: 0.4, upper: 0.6 },
      { series: plot.series[0]!.name, x: 2, y: 0.9, lower: 0.8, upper: 1 },
    ]);
    expect(spec.layer[2]!.mark.strokeDash).toBeDefined();
    const view = new vega.View(vega.parse(vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    expect(svg).toContain('a-user-variant-with-a-long-name-v2 (yours)');
    expect(svg).toContain('bound 1');
    expect(svg).not.toContain('…');
  });

  it('leaves out error bars a log axis cannot show', () => {
    const spec = plotToVegaLite({ ...plot, y: { label: 'q', scale: 'log' }, series: [{ ...plot.series[0]!, lower: [0, 0.8] }] }) as { layer: { data: { values: unknown[] } }[] };
    expect(spec.layer[1]!.data.values).toHaveLength(1);
  });

  it('writes plot text as plain Unicode', () => {
    expect(plainText('$t_{n+1}$ and x^2, c_skip, $\\log_{10} T^{−c₄d}$')).toBe('tₙ₊₁ and x², c_skip, log₁₀ T^{−c₄d}');
    expect(mathAsPlainText('$E_t = \\{x : −\\log p(x) ≤ c\\,d\\}$')).toBe('E_t = {x : −log p(x) ≤ c d}');
  });
});

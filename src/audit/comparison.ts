import type { PlotSpec } from '../checks/evidence.ts';
import type { Verdict } from '../checks/statement.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { formatTableNumber } from '../core/formatNumber.ts';
import type { PairedOutcome } from './evaluateModel.ts';

/** The coupling bound at one time, as stored in results.json. */
export interface CouplingEntry {
  readonly t: number;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly n: number;
}

/** One model-level check's outcome for one cell. */
export interface CellVerdict {
  /** The statement id ('song2023.multistepSampling'). */
  readonly statement: string;
  /** The id of its entry in the report ('song2023.multistepSampling[ct@bimodal-1d]'). */
  readonly entry: string;
  readonly verdict: Verdict | 'skipped' | 'error' | 'aborted';
  /** The check's headline number (e.g. `max D_k = 0.23`). */
  readonly summary?: string;
}

/** One (variant, rung) of the audit. */
export interface AuditCell {
  readonly variant: string;
  readonly role: 'user' | 'built-in';
  readonly target: string;
  readonly status: 'trained' | 'failed';
  /** Why training or evaluation failed (a non-finite loss names the step and time). */
  readonly error?: string;
  readonly trainingMs: number;
  /** Mean weighted loss of the last logged window (MLP class). */
  readonly finalLoss?: number;
  readonly coupling: readonly CouplingEntry[];
  readonly boundaryError?: number;
  readonly verdicts: readonly CellVerdict[];
}

/** The user's variant against one built-in, at one time on one rung (paired squared errors). */
export interface AuditPairedComparison {
  readonly target: string;
  readonly t: number;
  readonly builtIn: string;
  /** Mean of ‖f_user − f*‖² − ‖f_builtIn − f*‖² over the shared draws, with its interval. */
  readonly difference: Estimate;
  /** 'lower': the user's coupling cost is significantly smaller than the built-in's. */
  readonly outcome: PairedOutcome;
}

/** What `cmbounds audit` adds to the results document (the `audit` field of results.json). */
export interface AuditComparison {
  readonly variant: {
    readonly file: string;
    readonly id: string;
    readonly title: string;
    readonly exportName: string;
    readonly form: 'object' | 'factory';
  };
  readonly builtIns: readonly { readonly id: string; readonly title: string }[];
  readonly ladder: { readonly name: string; readonly rungs: readonly { readonly name: string; readonly description: string; readonly dim: number }[] };
  /** Times at which the coupling bound is measured. */
  readonly times: readonly number[];
  readonly budget: {
    readonly functionClass: string;
    readonly steps: number;
    readonly batchSize?: number;
    readonly learningRate?: number;
    readonly emaDecay?: number;
    readonly samplesPerNode?: number;
    readonly seed: number;
    readonly evaluationPoints: number;
    /** Which weights were evaluated ('ema' for the MLP class). */
    readonly weights: string;
  };
  readonly referenceFlow: readonly { readonly target: string; readonly t: number; readonly method: string; readonly errorEstimate?: number }[];
  readonly cells: readonly AuditCell[];
  readonly comparisons: readonly AuditPairedComparison[];
  /** Simultaneous level of all paired comparisons (Bonferroni). */
  readonly comparisonFamilyLevel: number;
  readonly staticValidation: { readonly durationMs: number; readonly notes: readonly string[] };
}

const BADGE: Record<string, string> = { holds: '✅ holds', violated: '❌ violated', inconclusive: '❔ inconclusive' };

/**
 * The audit's headline as Markdown: the setup, the side-by-side comparison table (variant × target → coupling W₂
 * bound with its interval at each time, boundary error, verdicts of the model-level checks) and the paired
 * comparisons of the user's variant against each built-in. Pure: renders stored values, computes no statistics.
 */
export function renderComparisonMarkdown(c: AuditComparison): string {
  const out: string[] = [];
  out.push('## Comparison', '');
  const b = c.budget;
  const budget = [
    `function class ${b.functionClass}`,
    `${b.steps} steps`,
    b.batchSize === undefined ? undefined : `batch ${b.batchSize}`,
    b.learningRate === undefined ? undefined : `Adam lr ${b.learningRate}`,
    b.samplesPerNode === undefined ? undefined : `${b.samplesPerNode} least-squares samples per grid node`,
    `seed ${b.seed}`,
  ].filter((s) => s !== undefined);
  out.push(
    `The user's variant \`${c.variant.id}\` (${cellText(c.variant.title)}; from \`${c.variant.file}\`, export \`${c.variant.exportName}\`, ${c.variant.form}) and the built-ins ${c.builtIns.map((v) => `\`${v.id}\``).join(', ')} ` +
      `were trained with the same budget (${budget.join(', ')}) on every rung of the \`${c.ladder.name}\` ladder, then evaluated with the exact oracle (${b.weights} weights).`,
    '',
  );
  out.push('| rung | d | what it varies |', '| --- | --- | --- |');
  for (const r of c.ladder.rungs) out.push(`| \`${r.name}\` | ${r.dim} | ${cellText(r.description)} |`);
  out.push('');
  out.push(
    `**W₂ bound at t** = $(E‖f(X_t, t) − f*(X_t, t)‖²)^{1/2}$ over ${b.evaluationPoints} draws $X_t ∼ p_t$ (synchronous coupling with the exact consistency function $f* = Φ_{t→t_{Min}}$): ` +
      `an upper bound on W₂ between the model's one-step samples from time t and p_tMin; [interval] at level ${formatTableNumber(c.cells.find((x) => x.coupling.length > 0)?.coupling[0]?.level ?? 0.95)} — its upper end is an upper confidence bound on W₂, its lower end is not a lower bound. ` +
      '**boundary** = $\\max |f(x, t_{Min}) − x|$ over draws of $p_{t_{Min}}$ (0 exactly for a valid parameterisation).',
    '',
  );
  const checkIds = [...new Set(c.cells.flatMap((x) => x.verdicts.map((v) => v.statement)))];
  const header = ['variant', 'target', ...c.times.map((t) => `W₂ bound at t = ${formatTableNumber(t)}`), 'boundary', ...checkIds.map((id) => `\`${id}\``)];
  out.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  const targets = c.ladder.rungs.map((r) => r.name);
  for (const target of targets) {
    for (const cell of c.cells.filter((x) => x.target === target)) {
      const name = cell.role === 'user' ? `**${cell.variant}** (yours)` : cell.variant;
      if (cell.status === 'failed') {
        out.push(`| ${name} | \`${target}\` | ${cellText(`failed: ${cell.error ?? 'unknown error'}`)} |${' |'.repeat(c.times.length + checkIds.length)}`);
        continue;
      }
      const coupling = c.times.map((t) => {
        const e = cell.coupling.find((x) => x.t === t);
        return e === undefined ? '—' : `${formatTableNumber(e.value)} [${formatTableNumber(e.lower)}, ${formatTableNumber(e.upper)}]`;
      });
      const verdicts = checkIds.map((id) => {
        const v = cell.verdicts.find((x) => x.statement === id);
        return v === undefined ? '—' : `[${BADGE[v.verdict] ?? v.verdict}](#${anchor(v.entry)})${v.summary === undefined ? '' : ` (${v.summary})`}`;
      });
      out.push(`| ${name} | \`${target}\` | ${coupling.join(' | ')} | ${cell.boundaryError === undefined ? '—' : formatTableNumber(cell.boundaryError)} | ${verdicts.join(' | ')} |`);
    }
  }
  out.push('');
  if (c.comparisons.length > 0) {
    out.push('### Your variant against each built-in', '');
    out.push(
      `Paired on the same draws: the mean of ‖f_yours − f*‖² − ‖f_built-in − f*‖² with its interval (Bonferroni over all ${c.comparisons.length} comparisons, simultaneous level ${formatTableNumber(c.comparisonFamilyLevel)}). ` +
        '*lower* means your variant’s coupling cost is significantly smaller.',
      '',
    );
    const builtIns = c.builtIns.map((v) => v.id);
    out.push(`| target | t | ${builtIns.map((id) => `vs \`${id}\``).join(' | ')} |`, `| --- | --- | ${builtIns.map(() => '---').join(' | ')} |`);
    for (const target of targets) {
      for (const t of c.times) {
        const row = builtIns.map((id) => {
          const cmp = c.comparisons.find((x) => x.target === target && x.t === t && x.builtIn === id);
          if (cmp === undefined) return '—';
          const d = cmp.difference;
          return `${cmp.outcome === 'lower' ? '**lower**' : cmp.outcome === 'higher' ? '*higher*' : 'no significant difference'} (${formatTableNumber(d.value)} [${formatTableNumber(d.interval.lower)}, ${formatTableNumber(d.interval.upper)}])`;
        });
        if (row.every((r) => r === '—')) continue;
        out.push(`| \`${target}\` | ${formatTableNumber(t)} | ${row.join(' | ')} |`);
      }
    }
    out.push('');
  }
  const worst = c.referenceFlow.reduce((m, r) => Math.max(m, r.errorEstimate ?? 0), 0);
  const methods = [...new Set(c.referenceFlow.map((r) => r.method))].join(', ');
  const smallest = Math.min(...c.cells.flatMap((x) => x.coupling.map((e) => e.value)).filter((v) => v > 0));
  out.push(
    `Reference f* (${methods}): largest estimated error ${formatTableNumber(worst)}` +
      (Number.isFinite(smallest) ? `, against ${formatTableNumber(smallest)} for the smallest nonzero bound in the table.` : '.'),
    '',
  );
  for (const target of targets) out.push(`![W₂ coupling bound against t on ${target}](${comparisonPlotPath(target)})`, '');
  if (c.staticValidation.notes.length > 0) {
    out.push('Static validation notes:', '');
    for (const n of c.staticValidation.notes) out.push(`- ${cellText(n)}`);
    out.push('');
  }
  return out.join('\n');
}

/** One plot per rung: the coupling bound against t (log–log), one series per variant. */
export function comparisonPlots(c: AuditComparison): { readonly path: string; readonly plot: PlotSpec }[] {
  return c.ladder.rungs.map((r) => ({
    path: comparisonPlotPath(r.name),
    plot: {
      id: `comparison-${r.name}`,
      title: `W₂ coupling bound against t on ${r.name}`,
      mark: 'line' as const,
      x: { label: 't', scale: 'log' as const },
      y: { label: 'W₂ coupling bound', scale: 'log' as const },
      series: c.cells
        .filter((x) => x.target === r.name && x.status === 'trained')
        .map((x) => {
          // a log axis cannot show 0: an exact-zero bound is drawn at 1e-16
          const pts = [...x.coupling].sort((a, b) => a.t - b.t);
          return { name: x.role === 'user' ? `${x.variant} (yours)` : x.variant, x: pts.map((p) => p.t), y: pts.map((p) => Math.max(p.value, 1e-16)), lower: pts.map((p) => p.lower), upper: pts.map((p) => p.upper) };
        }),
    },
  }));
}

export function comparisonPlotPath(target: string): string {
  return `plots/audit-comparison-${target}.svg`.replace(/[^A-Za-z0-9_./-]/g, '_');
}

/** The anchor renderMarkdown gives a statement id. */
function anchor(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '-').toLowerCase();
}

function cellText(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

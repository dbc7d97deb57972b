import type { PlotSpec } from '../checks/evidence.ts';
import type { Verdict } from '../checks/statement.ts';
import type { Estimate } from '../estimators/estimate.ts';
import { formatTableNumber } from '../core/formatNumber.ts';
import type { PairedMethod, PairedOutcome } from './evaluateModel.ts';
import { MODEL_COLUMNS, summarizeOverSeeds } from './seedSummary.ts';

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
  /** The estimates the comparison's model columns read (`MODEL_COLUMNS`), keyed by column. */
  readonly estimates?: Readonly<Record<string, CellEstimate>>;
}

/** A number of one model with its interval, as the comparison stores it. */
export interface CellEstimate {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

/** One (variant, rung, training seed) of the audit: one trained model. */
export interface AuditCell {
  readonly variant: string;
  readonly role: 'user' | 'built-in';
  readonly target: string;
  /** The training seed (the first of an audit's seeds is `--seed` itself). */
  readonly seed: number;
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
  /** 'seeds': t interval over the per-seed paired means (covers training randomness); 'draws': one seed, CLT over its draws. */
  readonly method: PairedMethod;
  /** Seeds where both variants trained (the pairs). */
  readonly seeds: number;
}

/**
 * One (variant, rung) over its training seeds: each number is the mean over the seeds with the Student-t interval
 * of the seed values (n − 1 degrees of freedom; `n` = seeds that produced it), or, from a single model, that
 * model's own interval (`n` = 1).
 */
export interface AuditVariantSummary {
  readonly variant: string;
  readonly role: 'user' | 'built-in';
  readonly target: string;
  /** Seeds whose model trained, and those whose training failed. */
  readonly trained: number;
  readonly failed: number;
  /** The first failure's message, when every seed failed. */
  readonly error?: string;
  readonly coupling: readonly CouplingEntry[];
  /** Largest boundary error over the seeds. */
  readonly boundaryError?: number;
  /** The model columns (`MODEL_COLUMNS` keys) that some seed's check reported. */
  readonly model: Readonly<Record<string, SummaryEstimate>>;
  /** Per statement, each seed's verdict with its report entry. */
  readonly verdicts: readonly { readonly statement: string; readonly bySeed: readonly (CellVerdict & { readonly seed: number })[] }[];
}

/** A summary number: the mean over n seeds with its t interval at `level` (n = 1: the one model's interval). */
export interface SummaryEstimate extends CellEstimate {
  readonly n: number;
  readonly level: number;
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
    /** The training seeds of every variant (the first is `seed`). */
    readonly seeds: readonly number[];
    readonly evaluationPoints: number;
    /** Which weights were evaluated ('ema' for the MLP class). */
    readonly weights: string;
  };
  readonly referenceFlow: readonly { readonly target: string; readonly t: number; readonly method: string; readonly errorEstimate?: number }[];
  readonly cells: readonly AuditCell[];
  /** One row per (variant, rung): the cells aggregated over the training seeds. */
  readonly summaries: readonly AuditVariantSummary[];
  readonly comparisons: readonly AuditPairedComparison[];
  /** Simultaneous level of all paired comparisons (Bonferroni). */
  readonly comparisonFamilyLevel: number;
  readonly staticValidation: { readonly durationMs: number; readonly notes: readonly string[] };
}

const BADGE: Record<string, string> = { holds: '✅ holds', violated: '❌ violated', inconclusive: '❔ inconclusive' };
const MARK: Record<string, string> = { holds: '✅', violated: '❌', inconclusive: '❔' };

/**
 * The audit's headline as Markdown: the setup, the side-by-side comparison table (variant × target → coupling W₂
 * bound with its interval at each time, boundary error, verdicts of the model-level checks; one row per variant and
 * rung, over its training seeds), the theorems' bounds against the measured errors with their tightness, and the
 * paired comparisons of the user's variant against each built-in. Pure: renders stored values (a results document
 * written before the seeds existed has no `summaries`; they are rebuilt from its cells).
 */
export function renderComparisonMarkdown(c: AuditComparison): string {
  const out: string[] = [];
  out.push('## Comparison', '');
  const b = c.budget;
  const seeds = b.seeds ?? [b.seed];
  const budget = [
    `function class ${b.functionClass}`,
    `${b.steps} steps`,
    b.batchSize === undefined ? undefined : `batch ${b.batchSize}`,
    b.learningRate === undefined ? undefined : `Adam lr ${b.learningRate}`,
    b.samplesPerNode === undefined ? undefined : `${b.samplesPerNode} least-squares samples per grid node`,
    seeds.length === 1 ? `seed ${b.seed}` : `${seeds.length} training seeds ${seeds.join(', ')} derived from seed ${b.seed}`,
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
      `an upper bound on W₂ between the model's one-step samples from time t and p_tMin. ` +
      '**boundary** = $\\max |f(x, t_{Min}) − x|$ over draws of $p_{t_{Min}}$ (0 exactly for a valid parameterisation; the largest over the seeds).',
    '',
  );
  const level = c.cells.find((x) => x.coupling.length > 0)?.coupling[0]?.level ?? 0.95;
  out.push(
    seeds.length === 1
      ? `**One training seed** (\`--seeds 1\`): each row is one model, and each [interval] at level ${formatTableNumber(level)} is that model's over its evaluation draws — its upper end is an upper confidence bound on the model's W₂, its lower end is not a lower bound. ` +
          'It does not cover training randomness: another seed trains another model. Run with `--seeds 3` (the default) or more for intervals that do.'
      : `**Training randomness.** Every variant was trained with ${seeds.length} seeds, each with its own evaluation draws. Each number is the mean over the seeds, and each [interval] is the Student-t interval at level 0.95 of the ${seeds.length} seed values ` +
          `(mean ± $t_{n−1}\\, s/\\sqrt{n}$, n = seeds): the per-seed values are independent replicates, so the interval covers the between-seed variance of training and the evaluation draws together. ` +
          'It is an interval for the variant’s average over training seeds, not a bound on any one model’s W₂. A verdict column shows each seed’s verdict (✅ holds, ❌ violated, ❔ inconclusive), linked to its entry.',
    '',
  );
  const summaries = c.summaries ?? summarizeOverSeeds(c.cells, c.times, 0.95);
  const checkIds = [...new Set(c.cells.flatMap((x) => x.verdicts.map((v) => v.statement)))];
  const header = ['variant', 'target', ...c.times.map((t) => `W₂ bound at t = ${formatTableNumber(t)}`), 'boundary', ...checkIds.map((id) => `\`${id}\``)];
  out.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  const targets = c.ladder.rungs.map((r) => r.name);
  for (const target of targets) {
    for (const row of summaries.filter((x) => x.target === target)) {
      const name = variantLabel(row);
      if (row.trained === 0) {
        out.push(`| ${name} | \`${target}\` | ${cellText(`failed: ${row.error ?? 'unknown error'}`)} |${' |'.repeat(c.times.length + checkIds.length)}`);
        continue;
      }
      const coupling = c.times.map((t) => {
        const e = row.coupling.find((x) => x.t === t);
        return e === undefined ? '—' : `${formatTableNumber(e.value)} [${formatTableNumber(e.lower)}, ${formatTableNumber(e.upper)}]`;
      });
      const verdicts = checkIds.map((id) => {
        const bySeed = row.verdicts.find((x) => x.statement === id)?.bySeed ?? [];
        if (bySeed.length === 0) return '—';
        if (bySeed.length === 1) {
          const v = bySeed[0]!;
          return `[${BADGE[v.verdict] ?? v.verdict}](#${anchor(v.entry)})${v.summary === undefined ? '' : ` (${v.summary})`}`;
        }
        return bySeed.map((v) => `[${MARK[v.verdict] ?? v.verdict}](#${anchor(v.entry)})`).join(' ');
      });
      out.push(`| ${name} | \`${target}\` | ${coupling.join(' | ')} | ${row.boundaryError === undefined ? '—' : formatTableNumber(row.boundaryError)} | ${verdicts.join(' | ')} |`);
    }
  }
  out.push('');
  out.push(...boundsMarkdown(c, summaries, targets, seeds.length));
  if (c.comparisons.length > 0) {
    out.push('### Your variant against each built-in', '');
    const overSeeds = c.comparisons.some((x) => x.method === 'seeds');
    out.push(
      (overSeeds
        ? `Paired by seed and by draw: for each training seed, the mean over that seed's draws of $‖f_{yours} − f*‖² − ‖f_{built-in} − f*‖²$ (both models trained with that seed, evaluated on the same draws); the value is the mean of these per-seed differences and the interval the Student-t interval of the seed values ` +
          `(n − 1 degrees of freedom), so it covers the between-seed variance of both variants' training. `
        : `Paired on the same draws of one training seed: the mean of $‖f_{yours} − f*‖² − ‖f_{built-in} − f*‖²$ with its CLT interval over the draws (one model per variant: training randomness is not covered). `) +
        `Bonferroni over all ${c.comparisons.length} comparisons, simultaneous level ${formatTableNumber(c.comparisonFamilyLevel)}. ` +
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

/** The theorems' bounds against the measured errors: one row per (variant, rung), "—" where a check did not run. */
function boundsMarkdown(c: AuditComparison, summaries: readonly AuditVariantSummary[], targets: readonly string[], seedCount: number): string[] {
  const out: string[] = ['### The theorems on the trained models: bound against measured error', ''];
  out.push(
    'Each model-level theorem is evaluated with the constants measured on the model itself, which turns it into a statement about that model: ' +
      '$\\hat{\\varepsilon}_{\\mathrm{tot}}$ is the total per-step error of `li2024.assumption2` and $\\hat{L}_f$ the Lipschitz constant witnessed by `li2024.assumption1`; ' +
      'the **Theorem 1 bound on $W_1$** (`li2024.theorem1`) is what Li–Huang–Wei’s Theorem 1 implies from them, set against the **measured $W_1$** between the model’s one-step samples and $p_{data}$; ' +
      'the **one-step bound on $W_2$** (`lyu2023.oneStep`) is what Lyu–Feng–Chen imply from the model’s consistency error, the teacher’s score error and $\\hat{L}_f$, set against the **measured $W_2$**.',
    '',
    '**Tightness** = bound / measured error. **Tightness ≥ 1 means the bound holds on this model**, and its size says how loose it is: 1 is a bound that is attained, 10 a bound ten times the error it guarantees, 10⁶ a bound that says little about this model. ' +
      'Tightness < 1 means the measured error exceeds the bound: the check then reports `violated` (when the intervals separate), and its entry says whether the theorem, our reconstruction of it or an estimate is at fault. ' +
      (seedCount === 1 ? 'Each number is one model’s, with its interval.' : `Each number is the mean over the ${seedCount} training seeds with the t interval of the seed values (as above); the plots show every model.`),
    '',
  );
  const columns = MODEL_COLUMNS;
  const header = ['variant', 'target', ...columns.map((x) => x.header)];
  out.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  for (const target of targets) {
    for (const row of summaries.filter((x) => x.target === target)) {
      if (row.trained === 0) continue;
      const values = columns.map((col) => {
        const e = row.model[col.key];
        return e === undefined ? '—' : `${formatTableNumber(e.value)} [${formatTableNumber(e.lower)}, ${formatTableNumber(e.upper)}]`;
      });
      out.push(`| ${variantLabel(row)} | \`${target}\` | ${values.join(' | ')} |`);
    }
  }
  out.push('');
  for (const p of boundPlots(c)) out.push(`![${p.plot.title}](${p.path})`, '');
  return out;
}

function variantLabel(row: Pick<AuditVariantSummary, 'role' | 'variant' | 'trained' | 'failed'>): string {
  const name = row.role === 'user' ? `**${row.variant}** (yours)` : row.variant;
  return row.trained > 0 && row.failed > 0 ? `${name} (${row.failed} of ${row.trained + row.failed} seeds failed)` : name;
}

/** Every plot of the comparison: the coupling bound against t per rung, and bound against measured error per theorem. */
export function comparisonPlots(c: AuditComparison): { readonly path: string; readonly plot: PlotSpec }[] {
  return [...couplingPlots(c), ...boundPlots(c)];
}

/** One plot per rung: the coupling bound against t (log–log), one series per variant (its mean over the seeds). */
function couplingPlots(c: AuditComparison): { readonly path: string; readonly plot: PlotSpec }[] {
  const summaries = c.summaries ?? summarizeOverSeeds(c.cells, c.times, 0.95);
  return c.ladder.rungs.map((r) => ({
    path: comparisonPlotPath(r.name),
    plot: {
      id: `comparison-${r.name}`,
      title: `W₂ coupling bound against t on ${r.name}`,
      mark: 'line' as const,
      x: { label: 't', scale: 'log' as const },
      y: { label: 'W₂ coupling bound', scale: 'log' as const },
      series: summaries
        .filter((x) => x.target === r.name && x.trained > 0)
        .map((x) => {
          // a log axis cannot show 0: an exact-zero bound is drawn at 1e-16
          const pts = [...x.coupling].sort((a, b) => a.t - b.t);
          return { name: x.role === 'user' ? `${x.variant} (yours)` : x.variant, x: pts.map((p) => p.t), y: pts.map((p) => Math.max(p.value, 1e-16)), lower: pts.map((p) => p.lower), upper: pts.map((p) => p.upper) };
        }),
    },
  }));
}

/**
 * Bound against measured error, one plot per theorem that reported both on some model (log–log): one point per
 * trained model (every rung and seed), one series per variant, the bound's interval as an error bar, and the
 * diagonal bound = measured. A point above the diagonal is a bound that holds; its height above it is the tightness.
 */
export function boundPlots(c: AuditComparison): { readonly path: string; readonly plot: PlotSpec }[] {
  const kinds = [
    { id: 'W1', statement: 'li2024.theorem1', bound: 'W1_bound', measured: 'W1_measured', title: 'Theorem 1 (Li–Huang–Wei): bound on W₁ against measured W₁', label: 'W₁' },
    { id: 'W2', statement: 'lyu2023.oneStep', bound: 'W2_bound', measured: 'W2_measured', title: 'One-step bound (Lyu–Feng–Chen) on W₂ against measured W₂', label: 'W₂' },
  ];
  const out: { path: string; plot: PlotSpec }[] = [];
  for (const kind of kinds) {
    const bySeries = new Map<string, { x: number[]; y: number[]; lower: number[]; upper: number[] }>();
    for (const cell of c.cells) {
      for (const v of cell.verdicts) {
        if (v.statement !== kind.statement) continue;
        const bound = v.estimates?.[kind.bound];
        const measured = v.estimates?.[kind.measured];
        // a log axis shows positive finite numbers only
        if (bound === undefined || measured === undefined || !(bound.value > 0 && measured.value > 0) || !Number.isFinite(bound.value) || !Number.isFinite(measured.value)) continue;
        const name = cell.role === 'user' ? `${cell.variant} (yours)` : cell.variant;
        const series = bySeries.get(name) ?? { x: [], y: [], lower: [], upper: [] };
        series.x.push(measured.value);
        series.y.push(bound.value);
        series.lower.push(bound.lower);
        series.upper.push(bound.upper);
        bySeries.set(name, series);
      }
    }
    if (bySeries.size === 0) continue;
    out.push({
      path: `plots/audit-bound-vs-measured-${kind.id}.svg`,
      plot: {
        id: `bound-vs-measured-${kind.id}`,
        title: kind.title,
        mark: 'point',
        x: { label: `measured ${kind.label}`, scale: 'log' },
        y: { label: `bound on ${kind.label}`, scale: 'log' },
        series: [...bySeries].map(([name, s]) => ({ name, ...s })),
        diagonal: { name: 'bound = measured' },
      },
    });
  }
  return out;
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

import type { Evidence } from '../checks/evidence.ts';
import { estimateMeanByClt } from '../estimators/meanByClt.ts';
import type { AuditCell, AuditVariantSummary, CellEstimate, CellVerdict, CouplingEntry, SummaryEstimate } from './comparison.ts';

/**
 * The model columns of the audit's comparison: which statement's Evidence estimate each reads. A column stays
 * empty ("—") for a model whose check did not run. A tightness column is the check's `tightness` estimate when it
 * reports one, else `ratio` of two of its estimates (bound / measured).
 */
export const MODEL_COLUMNS: readonly {
  readonly key: string;
  readonly statement: string;
  readonly estimate: string;
  readonly ratio?: readonly [string, string];
  /** Table header (Markdown, maths in `$…$`). */
  readonly header: string;
  /** Terminal header (plain text). */
  readonly plain: string;
}[] = [
  { key: 'eps_tot', statement: 'li2024.assumption2', estimate: 'eps_tot', header: '$\\hat{\\varepsilon}_{\\mathrm{tot}}$', plain: 'eps_tot' },
  { key: 'L_f', statement: 'li2024.assumption1', estimate: 'L_f', header: '$\\hat{L}_f$', plain: 'L_f' },
  { key: 'W1_bound', statement: 'li2024.theorem1', estimate: 'W1_bound', header: 'Theorem 1 bound on $W_1$', plain: 'Thm1 W1 bound' },
  { key: 'W1_measured', statement: 'li2024.theorem1', estimate: 'W1_measured', header: 'measured $W_1$', plain: 'W1 measured' },
  { key: 'W1_tightness', statement: 'li2024.theorem1', estimate: 'tightness', ratio: ['W1_bound', 'W1_measured'], header: 'tightness ($W_1$ bound / measured)', plain: 'W1 tightness' },
  { key: 'W2_bound', statement: 'lyu2023.oneStep', estimate: 'W2_bound', header: 'one-step bound on $W_2$', plain: 'W2 bound' },
  { key: 'W2_measured', statement: 'lyu2023.oneStep', estimate: 'W2_measured', header: 'measured $W_2$', plain: 'W2 measured' },
  { key: 'W2_tightness', statement: 'lyu2023.oneStep', estimate: 'tightness', ratio: ['W2_bound', 'W2_measured'], header: 'tightness ($W_2$ bound / measured)', plain: 'W2 tightness' },
];

/**
 * The model-column numbers one statement's Evidence carries, keyed by column; undefined when it carries none.
 * A derived tightness bound/measured has the interval [bound.lower / measured.upper, bound.upper / measured.lower]
 * (infinite upper end when the measured interval reaches 0): it holds whenever both intervals do.
 */
export function modelEstimatesOf(statement: string, evidence: Evidence): Record<string, CellEstimate> | undefined {
  const out: Record<string, CellEstimate> = {};
  for (const column of MODEL_COLUMNS) {
    if (column.statement !== statement) continue;
    const direct = evidence.estimates[column.estimate];
    if (direct !== undefined) {
      out[column.key] = { value: direct.value, lower: direct.interval.lower, upper: direct.interval.upper };
      continue;
    }
    if (column.ratio === undefined) continue;
    const bound = evidence.estimates[column.ratio[0]];
    const measured = evidence.estimates[column.ratio[1]];
    if (bound === undefined || measured === undefined || !(measured.value > 0)) continue;
    out[column.key] = {
      value: bound.value / measured.value,
      lower: measured.interval.upper > 0 ? bound.interval.lower / measured.interval.upper : 0,
      upper: measured.interval.lower > 0 ? bound.interval.upper / measured.interval.lower : Number.POSITIVE_INFINITY,
    };
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Numbers of the same quantity from n models (one per training seed): n ≥ 2 → their mean with the Student-t interval
 * at `level` over the seed values (the between-seed variance; each seed has its own training and evaluation draws,
 * so the values are independent replicates); n = 1 → that model's own interval.
 */
export function overSeeds(values: readonly CellEstimate[], level: number): SummaryEstimate | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1) return { ...values[0]!, n: 1, level };
  const mean = estimateMeanByClt(values.map((v) => v.value), { level });
  return { value: mean.value, lower: mean.interval.lower, upper: mean.interval.upper, n: values.length, level };
}

/** One row per (variant, rung), in the order the cells first name them, aggregated over the training seeds. */
export function summarizeOverSeeds(cells: readonly AuditCell[], times: readonly number[], level: number): AuditVariantSummary[] {
  const groups = new Map<string, AuditCell[]>();
  for (const c of cells) {
    const key = `${c.variant}\u0000${c.target}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const trained = group.filter((c) => c.status === 'trained');
    const coupling: CouplingEntry[] = [];
    for (const t of times) {
      const entries = trained.flatMap((c) => c.coupling.filter((e) => e.t === t));
      const summary = overSeeds(entries, level);
      if (summary === undefined) continue;
      coupling.push({ t, value: summary.value, lower: summary.lower, upper: summary.upper, level: entries.length === 1 ? entries[0]!.level : level, n: entries.length === 1 ? entries[0]!.n : entries.length });
    }
    const boundaries = trained.flatMap((c) => (c.boundaryError === undefined ? [] : [c.boundaryError]));
    const model: Record<string, SummaryEstimate> = {};
    for (const column of MODEL_COLUMNS) {
      const values = trained.flatMap((c) => c.verdicts.filter((v) => v.statement === column.statement).flatMap((v) => (v.estimates?.[column.key] === undefined ? [] : [v.estimates[column.key]!])));
      const summary = overSeeds(values, level);
      if (summary !== undefined) model[column.key] = summary;
    }
    const statements = [...new Set(group.flatMap((c) => c.verdicts.map((v) => v.statement)))];
    const verdicts = statements.map((statement) => ({
      statement,
      bySeed: group.flatMap((c) => c.verdicts.filter((v) => v.statement === statement).map((v): CellVerdict & { seed: number } => ({ ...v, seed: c.seed }))),
    }));
    const failedCells = group.filter((c) => c.status === 'failed');
    return {
      variant: first.variant,
      role: first.role,
      target: first.target,
      trained: trained.length,
      failed: failedCells.length,
      ...(trained.length === 0 && failedCells[0]?.error !== undefined ? { error: failedCells[0].error } : {}),
      coupling,
      ...(boundaries.length === 0 ? {} : { boundaryError: Math.max(...boundaries) }),
      model,
      verdicts,
    };
  });
}

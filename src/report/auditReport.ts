import type { PlotSpec } from '../checks/evidence.ts';
import type { BatteryCheckResult } from '../checks/runBattery.ts';
import type { StatementMeta, Verdict } from '../checks/statement.ts';

/** Everything a reader needs to rerun a report: command, seed, config hash, code and library versions. */
export interface ReportProvenance {
  readonly command: string;
  readonly seed: number;
  readonly configHash: string;
  readonly gitRevision?: string;
  /** cmbounds, node, and (when a model was trained) the tfjs backend. */
  readonly versions: Readonly<Record<string, string>>;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: string;
}

/** One statement of the battery: its metadata and what running it produced. */
export interface ReportEntry {
  readonly statement: Pick<StatementMeta, 'id' | 'kind' | 'title' | 'claim' | 'source' | 'dependsOn'>;
  readonly result: BatteryCheckResult;
}

/**
 * A section a producer adds before the battery summary (e.g. the audit's side-by-side comparison), stored as
 * rendered Markdown plus the plots it references, so `cmbounds report` re-renders it without the producer's code.
 */
export interface ReportSection {
  /** Markdown including its own `## ` heading; images as `![title](<path>)`. */
  readonly markdown: string;
  readonly plots: readonly { readonly path: string; readonly plot: PlotSpec }[];
}

/** A constant the statements were tested against, and whether the user declared it or the suite defaulted it. */
export interface ReportConstant {
  /** As in THEORY.md and `--claim NAME=VALUE` (e.g. `c4`, `Lf`, `T`). */
  readonly name: string;
  readonly symbol: string;
  readonly value: number;
  readonly source: 'user' | 'suite default';
  readonly meaning: string;
  /** Statement ids of this run that received it. */
  readonly usedBy: readonly string[];
}

/** The results document (`results.json`) and the input of every renderer. */
export interface AuditReport {
  readonly title: string;
  readonly subject: { readonly target: string; readonly process: string; readonly variant: string; readonly functionClass: string };
  /** A short paragraph stating what was measured, in numbers, and where it agrees or disagrees with the papers. */
  readonly findings?: string;
  /** Producer-specific sections, rendered after the findings and before the summary. */
  readonly sections?: readonly ReportSection[];
  /** The declared constants (claims and schedule) of a suite that takes them, marked user or suite default. */
  readonly constants?: readonly ReportConstant[];
  /** In dependency order: assumptions → lemmas → theorems. */
  readonly entries: readonly ReportEntry[];
  readonly summary: Readonly<Record<Verdict | 'skipped' | 'error' | 'aborted', number>>;
  /** Family-wise false-fail rate of the battery (Holm). */
  readonly falseFailRate: number;
  readonly provenance: ReportProvenance;
  /**
   * Present on the results of one shard of a sharded run (`--shard index/count`): its verdicts used Holm over the
   * shard only and are provisional until `cmbounds merge` re-applies Holm across all shards. `order` is the whole
   * battery's dependency order, so merged entries come out in it. `suite`, `target` and `targetName` let `merge`
   * rebuild the suite and recompute the Findings from the merged results.
   */
  readonly shard?: {
    readonly index: number;
    readonly count: number;
    readonly order: readonly string[];
    /** The suite, its target (a built-in name or a TargetSpec) and the target's name: what `merge` rebuilds the suite from to recompute the Findings. */
    readonly suite?: string;
    readonly target?: unknown;
    readonly targetName?: string;
  };
}

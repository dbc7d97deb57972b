import type { Estimate } from '../estimators/estimate.ts';
import type { StatementId, Verdict } from './statement.ts';

/** A bound a quantity is compared with: `side: 'upper'` means the statement asks quantity ≤ value. */
export interface Threshold {
  readonly symbol: string;
  readonly value: number;
  readonly side: 'upper' | 'lower';
}

/** The concrete point where a statement fails (Lipschitz ratio, spike in a schedule, …). */
export interface Witness {
  readonly description: string;
  /** Coordinates of the point (plain array so that Evidence is JSON). */
  readonly point?: readonly number[];
  /** Step or time where it fails. */
  readonly time?: number;
  readonly value: number;
}

/** The kinds of diagnostic a check may attach (the report groups notes by kind). */
export const DIAGNOSTIC_KINDS = [
  'reference-flow-error',
  'monte-carlo-error',
  'budget-exhausted',
  'assumption-slack',
  'outside-typical-set',
  'reconstructed-statement',
  'numerical',
  'note',
] as const;
export type DiagnosticKind = (typeof DIAGNOSTIC_KINDS)[number];

/** Anything a reader needs to trust (or distrust) the verdict. */
export interface Diagnostic {
  readonly kind: DiagnosticKind;
  readonly message: string;
  readonly value?: number;
}

/** A plot as plain data (rendered by the report layer, never computed there). */
export interface PlotSpec {
  readonly id: string;
  readonly title: string;
  readonly mark: 'line' | 'point';
  readonly x: { readonly label: string; readonly scale: 'linear' | 'log' };
  readonly y: { readonly label: string; readonly scale: 'linear' | 'log' };
  /** `lower`/`upper`, where present, are the ends of each point's interval, drawn as error bars. */
  readonly series: readonly { readonly name: string; readonly x: readonly number[]; readonly y: readonly number[]; readonly lower?: readonly number[]; readonly upper?: readonly number[] }[];
  /** Constant bounds drawn as dashed horizontal rules (the bound a title names, e.g. `{ name: 'bound 1', y: 1 }`). */
  readonly bounds?: readonly { readonly name: string; readonly y: number }[];
  /** The diagonal y = x across the data's range, dashed and named in the legend (e.g. bound = measured). */
  readonly diagonal?: { readonly name: string };
}

/** What replays the Evidence: the seed and the labelled stream path the check drew from. */
export interface EvidenceProvenance {
  readonly seed: number;
  readonly rngPath: readonly string[];
}

/** A sub-claim with its own verdict (e.g. (27a), (27b), (27c) of the schedule). */
export interface EvidencePart {
  readonly name: string;
  readonly verdict: Verdict;
  readonly reason: string;
}

interface EvidenceCommon {
  readonly checkId: StatementId;
  /** Keyed by `ConstantSpec.symbol` (and a few named quantities, e.g. `slope(C_1)`). */
  readonly estimates: Readonly<Record<string, Estimate>>;
  readonly thresholds: readonly Threshold[];
  /** One sentence: why this verdict. */
  readonly reason: string;
  readonly parts: readonly EvidencePart[];
  readonly diagnostics: readonly Diagnostic[];
  readonly provenance: EvidenceProvenance;
  readonly plots: readonly PlotSpec[];
  /**
   * p-value of the test of "the statement holds on this subject" (small = evidence of violation), used by
   * the battery's Holm step. Absent when the verdict comes from exact arithmetic (no false-fail risk).
   */
  readonly pValue?: number;
}

/** The outcome of a check: a union discriminated on `verdict` (STYLE rule 5). */
export type Evidence =
  | (EvidenceCommon & { readonly verdict: 'holds' })
  | (EvidenceCommon & { readonly verdict: 'violated'; readonly witness?: Witness })
  | (EvidenceCommon & { readonly verdict: 'inconclusive'; readonly samplesNeeded?: number });

/** The fields every Evidence has, before the verdict is attached. */
export type EvidenceBody = Omit<EvidenceCommon, 'checkId' | 'provenance' | 'thresholds' | 'parts' | 'diagnostics' | 'plots'> &
  Partial<Pick<EvidenceCommon, 'thresholds' | 'parts' | 'diagnostics' | 'plots'>>;

/** Verdict-specific extras. */
export type VerdictExtras =
  | { readonly verdict: 'holds' }
  | { readonly verdict: 'violated'; readonly witness?: Witness }
  | { readonly verdict: 'inconclusive'; readonly samplesNeeded?: number };

/**
 * Assembles an Evidence value, filling defaults (empty thresholds, parts, diagnostics, plots) and dropping
 * undefined optional fields so that Evidence round-trips through JSON unchanged.
 */
export function makeEvidence(checkId: StatementId, provenance: EvidenceProvenance, body: EvidenceBody, extras: VerdictExtras): Evidence {
  const common: EvidenceCommon = {
    checkId,
    estimates: body.estimates,
    thresholds: body.thresholds ?? [],
    reason: body.reason,
    parts: body.parts ?? [],
    diagnostics: body.diagnostics ?? [],
    provenance,
    plots: body.plots ?? [],
    ...(body.pValue === undefined ? {} : { pValue: body.pValue }),
  };
  switch (extras.verdict) {
    case 'holds':
      return { ...common, verdict: 'holds' };
    case 'violated':
      return extras.witness === undefined ? { ...common, verdict: 'violated' } : { ...common, verdict: 'violated', witness: extras.witness };
    case 'inconclusive':
      return extras.samplesNeeded === undefined
        ? { ...common, verdict: 'inconclusive' }
        : { ...common, verdict: 'inconclusive', samplesNeeded: extras.samplesNeeded };
  }
}

/**
 * Combines part verdicts: violated if any part is violated, else inconclusive if any is, else holds.
 */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('violated')) return 'violated';
  if (verdicts.includes('inconclusive')) return 'inconclusive';
  return 'holds';
}

/** Provenance of a stream: its seed and label path. */
export function provenanceOf(rng: { readonly seed: number; readonly path: readonly string[] }): EvidenceProvenance {
  return { seed: rng.seed, rngPath: [...rng.path] };
}

/**
 * Statement metadata: what a check claims, where the claim comes from, which constants it involves
 * (STYLE C2, rule 3). Pure data; validated by `defineCheck` at module load and by the catalog lint statically.
 */

/** Verdict of a check: three-valued by design (THEORY §6.0). */
export type Verdict = 'holds' | 'violated' | 'inconclusive';

export const VERDICTS = ['holds', 'violated', 'inconclusive'] as const satisfies readonly Verdict[];

export type StatementKind = 'assumption' | 'lemma' | 'theorem' | 'corollary' | 'identity';

export const STATEMENT_KINDS = ['assumption', 'lemma', 'theorem', 'corollary', 'identity'] as const satisfies readonly StatementKind[];

/** `<paperKey>.<name>`, e.g. `li2024.assumption1`. */
export type StatementId = `${string}.${string}`;

/** A lower-case key of letters and digits (the paper key), a dot, an identifier-like name. */
export const STATEMENT_ID_PATTERN = /^[a-z][a-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/;

/** A bibliography key of `theorems/papers.ts` (checked by the catalog lint; `src/` never imports `theorems/`). */
export type PaperKey = string;

export const PAPER_KEY_PATTERN = /^[a-z][a-z0-9]*$/;

/** Where in the literature a statement comes from. */
export interface SourceRef {
  readonly paper: PaperKey;
  /** 'Lemma 3', 'Assumption 1', 'Theorem 1'. */
  readonly label: string;
  /** '(24)'; several numberings may be given ('(34) report / (26) arXiv v1'). */
  readonly equation?: string;
  readonly page?: number;
}

/** A constant of the statement, with its paper symbol (as in THEORY.md) and its role in the check. */
export interface ConstantSpec {
  /** 'L_f', 'c_2', 'C_1', 'eps_F'. Evidence estimates are keyed by these symbols. */
  readonly symbol: string;
  readonly meaning: string;
  /**
   * 'estimated': measured by the check (an empirical constant, never asserted as a fixed number);
   * 'assumed': a value the subject declares and the check tests; 'bound': a threshold computed from others.
   */
  readonly role: 'estimated' | 'assumed' | 'bound';
}

export interface StatementMeta {
  readonly id: StatementId;
  readonly kind: StatementKind;
  /** 'Second moment of the score'. */
  readonly title: string;
  /** The precise statement (Markdown + LaTeX); statements THEORY.md marks [R] say "reconstructed" here. */
  readonly claim: string;
  readonly source: SourceRef;
  readonly dependsOn: readonly StatementId[];
  readonly constants: readonly ConstantSpec[];
  readonly tags?: readonly string[];
}

/** What a check is run on. */
export type SubjectKind = 'distribution' | 'process' | 'model' | 'training-run' | 'schedule';

export const SUBJECT_KINDS = ['distribution', 'process', 'model', 'training-run', 'schedule'] as const satisfies readonly SubjectKind[];

/** Experiment design in the TFP sense: what is estimated, how the verdict is decided, at what error rates. */
export interface CheckDesign {
  readonly estimand: string;
  readonly decision: 'upper-bound' | 'lower-bound' | 'equality' | 'slope' | 'exact';
  /** P(verdict 'violated' | statement true) for the whole check, after multiplicity control inside it. */
  readonly falseFailRate: number;
  /** Smallest violation resolved at `falsePassRate` with the default budget. */
  readonly detectableDiscrepancy?: number;
  readonly falsePassRate?: number;
}

export const DECISIONS = ['upper-bound', 'lower-bound', 'equality', 'slope', 'exact'] as const satisfies readonly CheckDesign['decision'][];

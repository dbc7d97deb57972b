/**
 * What a suite is: a named battery of checks with subjects built for a requested target, and the recipes of the
 * empirical constants `cmbounds estimate` measures. Suites are composed outside src/ (suites/, studies/) and
 * handed to the CLI by the composition root (bin/cmbounds.js).
 */
import type { AnyCheck } from './defineCheck.ts';
import type { BatterySubjects } from './runBattery.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { UserConstants } from '../config/claims.ts';
import type { ConsistencyFunction } from '../models/consistencyFunction.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { AuditReport, ReportConstant } from '../report/auditReport.ts';

/** What a suite needs from the command line. */
export interface SuiteRequest {
  readonly target: ExactTarget;
  /** Name (built-in) or 'custom' (from a spec file). */
  readonly targetName: string;
  readonly seed: number;
  /** Constants the user declared (`--claim`, `--schedule`); a suite that takes none leaves `Suite.constants` unset. */
  readonly constants?: UserConstants;
  /** The trained model of `run --model` (folder or `cmd:`), for suites of model-level checks. */
  readonly model?: SuiteModel;
  /** The cache folder of `run` (`--cache-dir`): where a suite keeps models it trains, so that a rerun reuses them. */
  readonly cacheDir?: string;
  /** The `--check` selection, when there is one: a suite may skip work (e.g. training) that no selected check needs. */
  readonly checkIds?: readonly string[];
}

/** A trained consistency model as a suite sees it (loaded by `run --model`). */
export interface SuiteModel {
  readonly model: ConsistencyFunction;
  readonly process: ForwardProcess;
  /** What the `--model` value was (folder or `cmd:…`). */
  readonly spec: string;
  /** The variant that trained it ('cd-exact', …; the name an external model declares). */
  readonly variantId: string;
  /** Stable text naming the parameters (a hash of the weight files; the command of an external model). */
  readonly modelKey: string;
}

/** A named battery: the checks, their subjects built for the requested target, and how to describe them. */
export interface Suite {
  readonly name: string;
  readonly title: string;
  readonly subject: { readonly target: string; readonly process: string; readonly variant: string; readonly functionClass: string };
  readonly checks: readonly AnyCheck[];
  readonly subjects: BatterySubjects;
  /** Per-check sample caps that keep the suite within its advertised wall time. */
  readonly maxSamples?: number;
  /**
   * The constants the statements were tested against, each marked as the user's or the suite's default. A suite
   * without it takes no `--claim` / `--schedule` (its constants are part of its design).
   */
  readonly constants?: readonly ReportConstant[];
  /** Writes the report's opening "Findings" paragraph from the finished report (numbers, agreement with papers). */
  readonly findings?: (report: AuditReport) => string;
}

export type SuiteBuilder = (request: SuiteRequest) => Suite | Promise<Suite>;

/** One point of an `estimate` sweep. */
export interface SweepPoint {
  readonly target: ExactTarget;
  readonly targetName: string;
  /** Number of steps of the Li–Huang–Wei schedule. */
  readonly T: number;
}

/** How to measure one empirical constant: which check, on what subject, and which of its estimates to read. */
export interface ConstantRecipe {
  readonly symbol: string;
  readonly meaning: string;
  readonly check: AnyCheck;
  /** Key of the Evidence estimate that holds the constant. */
  readonly estimateKey: string;
  subject(point: SweepPoint): { readonly value: unknown; readonly key: string };
}

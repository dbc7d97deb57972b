import type { AnyCheck } from '../checks/defineCheck.ts';
import type { Evidence } from '../checks/evidence.ts';
import type { BatterySubject } from '../checks/runBattery.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ConsistencyFunction } from '../models/consistencyFunction.ts';
import type { ResolvedConstants } from '../config/claims.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';

/** One trained model of an audit, as the model-level checks see it. */
export interface AuditModelRequest {
  readonly target: ExactTarget;
  readonly targetName: string;
  readonly process: ForwardProcess;
  readonly model: ConsistencyFunction;
  /** The variant's id ('ct', 'example-lognormal-ct', …). */
  readonly variantId: string;
  /**
   * Stable text naming the model's parameters (a hash of its weights): part of every subject key, so the results
   * cache never serves a check run on other weights.
   */
  readonly modelKey: string;
  /** Monte Carlo draws per estimate the audit can afford. */
  readonly samples: number;
  /**
   * The constants declared for the model-level statements (`run --suite trained --claim/--schedule`), each marked as
   * the user's or the suite's default; without them a statement uses its own defaults.
   */
  readonly constants?: ResolvedConstants;
}

/** A model-level check with its subject for one trained model. */
export interface AuditCheckCase {
  readonly check: AnyCheck;
  readonly subject: BatterySubject;
  /** The check's headline number for the comparison table, e.g. `max D_k = 0.23`. */
  readonly summarize?: (evidence: Evidence) => string | undefined;
}

/**
 * What the composition root hands `cmbounds audit` (src/ never imports theorems/): for a trained model, the
 * model-level theorem checks whose subjects can be built from it, with those subjects.
 */
export interface AuditBattery {
  /** Checks that take a trained model (their controls are self-tested once per audit). */
  readonly checks: readonly AnyCheck[];
  casesFor(request: AuditModelRequest): readonly AuditCheckCase[];
}

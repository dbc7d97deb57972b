/**
 * Typed errors. Every error carries a stable `code` (tests match codes, not prose) and, where the problem is
 * in an input, the `field` path that names it (e.g. `target.covariances[1]`).
 */
export type ErrorCode =
  | 'E_INVALID_INPUT'
  | 'E_NOT_SPD'
  | 'E_NOT_SYMMETRIC'
  | 'E_WEIGHTS'
  | 'E_DIMENSION'
  | 'E_NON_FINITE'
  | 'E_TIME_RANGE'
  | 'E_UNKNOWN_TARGET'
  | 'E_BAD_JSON'
  | 'E_MAX_STEPS'
  | 'E_STEP_UNDERFLOW'
  | 'E_NON_FINITE_STATE'
  | 'E_UNSUPPORTED'
  | 'E_OUTSIDE_HYPOTHESES'
  // training
  | 'E_NON_FINITE_LOSS'
  | 'E_NON_FINITE_GRADIENT'
  | 'E_NON_FINITE_OUTPUT'
  | 'E_CHECKPOINT'
  | 'E_EVIDENCE_CONTRACT';

export class CmboundsError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.field = field;
  }
}

/**
 * An input that every remaining check depends on has failed for good (an external model that exited, timed out or
 * answered garbage): a battery stops at once and the command fails with this one message; finished checks stay in
 * the results cache, so `--resume` continues once the input is fixed.
 */
export class FatalInputError extends CmboundsError {}

/** An input (distribution, spec, argument) that violates a stated constraint. */
export class ValidationError extends CmboundsError {}

/**
 * A claim outside the hypotheses of the statement it is tested against (e.g. c₅ < 2c₆ + c_R for Lemma 1): such a
 * claim refutes nothing, so the check refuses it instead of deciding. `field` names the claimed constant.
 */
export class HypothesisError extends ValidationError {
  constructor(message: string, field: string) {
    super('E_OUTSIDE_HYPOTHESES', message, field);
  }
}

/** A configuration file or CLI flag that cannot be parsed or is out of range. */
export class ConfigError extends CmboundsError {}

/** A non-finite or otherwise impossible number appeared inside a computation. Never clamped. */
export class NumericalError extends CmboundsError {}

/** An ODE solve that could not reach its end point (step limit, step-size underflow, non-finite state). */
export class SolverError extends CmboundsError {}

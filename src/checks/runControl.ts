import { ValidationError } from '../core/errors.ts';
import { rngFromSeed } from '../random/rng.ts';
import { createCheckContext, type ProgressSink, type SampleBudget } from './checkContext.ts';
import type { Check } from './defineCheck.ts';
import type { Evidence } from './evidence.ts';

export interface RunControlOptions {
  /** @defaultValue 0 */
  readonly seed?: number;
  /** @defaultValue the check's `design.falseFailRate` */
  readonly falseFailRate?: number;
  readonly budget?: Partial<SampleBudget>;
  readonly onProgress?: ProgressSink;
}

/**
 * Builds one of a check's controls and runs the check on it. The control draws its subject from
 * `rngFromSeed(seed).child(checkId).child(name).child('build')` and the check runs on `….child('run')`, so
 * the Evidence is a pure function of (check, control, seed).
 * @throws ValidationError E_INVALID_INPUT when the check has no control of that name.
 */
export async function runControl<S>(check: Check<S>, name: string, options: RunControlOptions = {}): Promise<Evidence> {
  const control = check.controls.find((c) => c.name === name);
  if (!control) {
    throw new ValidationError('E_INVALID_INPUT', `${check.id} has no control '${name}' (known: ${check.controls.map((c) => c.name).join(', ')})`, 'control');
  }
  const base = rngFromSeed(options.seed ?? 0).child(check.id).child(name);
  const subject = await control.build(base.child('build'));
  const ctx = createCheckContext({
    rng: base.child('run'),
    falseFailRate: options.falseFailRate ?? check.design.falseFailRate,
    checkId: check.id,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return check.run(subject, ctx);
}

import { ValidationError } from '../core/errors.ts';

/** Throws unless `level` is a confidence level strictly between 0 and 1. */
export function assertLevel(level: number, field = 'level'): void {
  if (!(level > 0 && level < 1)) throw new ValidationError('E_INVALID_INPUT', `must be strictly between 0 and 1, got ${level}`, field);
}

/** Throws unless `rate` is an error rate strictly between 0 and 1/2 (a rate ≥ 1/2 is no better than a coin). */
export function assertRate(rate: number, field: string): void {
  if (!(rate > 0 && rate < 0.5)) throw new ValidationError('E_INVALID_INPUT', `must be strictly between 0 and 0.5, got ${rate}`, field);
}

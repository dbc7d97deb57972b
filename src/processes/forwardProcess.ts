import { ValidationError } from '../core/errors.ts';

/**
 * Forward noising X_t = a_t·X₀ + s_t·Z, Z ~ N(0, I) (THEORY §0.2), on a clock [tMin, tMax] on which noise
 * increases with t. Every such process maps to variance exploding with σ = s_t/a_t, and its probability-flow
 * maps are Φ_{t→u}(x) = a_u·Φ^{VE}_{σ_t→σ_u}(x/a_t); one flow engine therefore serves all of them.
 */
export interface ForwardProcess {
  readonly kind: 've' | 'vp-ou' | 'lhw';
  readonly tMin: number;
  readonly tMax: number;
  /** a_t */
  signalScale(t: number): number;
  /** s_t */
  noiseScale(t: number): number;
  /** σ_t = s_t / a_t, the equivalent VE noise level. */
  sigma(t: number): number;
  /** JSON description for reports and the `exact` command. */
  toSpec(): Record<string, number | string>;
}

/** Throws a ValidationError naming `field` when t is not a finite time in [tMin, tMax]. */
export function assertTimeInRange(process: ForwardProcess, t: number, field: string): void {
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new ValidationError('E_NON_FINITE', `must be a finite time, got ${String(t)}`, field);
  }
  // A relative slack of a few ulps so that grids computed in float64 (e.g. Karras) can hit the end points.
  const slack = 4 * Number.EPSILON * Math.max(Math.abs(process.tMin), Math.abs(process.tMax));
  if (t < process.tMin - slack || t > process.tMax + slack) {
    throw new ValidationError('E_TIME_RANGE', `t=${t} is outside [tMin, tMax] = [${process.tMin}, ${process.tMax}] of the ${process.kind} process`, field);
  }
}

export function validateClock(tMin: number, tMax: number, field: string, minTMin = 0): void {
  if (!Number.isFinite(tMin) || !(tMin > minTMin)) {
    throw new ValidationError('E_TIME_RANGE', `tMin must be finite and > ${minTMin}, got ${tMin}`, `${field}.tMin`);
  }
  if (!Number.isFinite(tMax) || !(tMax > tMin)) {
    throw new ValidationError('E_TIME_RANGE', `tMax must be finite and > tMin = ${tMin}, got ${tMax}`, `${field}.tMax`);
  }
}

import { ValidationError } from '../core/errors.ts';
import type { Estimate, Verdict } from './estimate.ts';

/**
 * # Decisions: from an interval and a threshold to a three-valued verdict (THEORY §6.0)
 *
 * For a claim A ≤ B with B known and an interval [A_lo, A_hi] for A: `holds` if A_hi ≤ B, `violated` if A_lo > B,
 * otherwise `inconclusive`. With a two-sided interval at level 1 − 2δ the false-fail rate is δ (each end is a
 * one-sided 1 − δ bound). The other rules are the same idea on the other side, on a band, or on a fitted slope.
 *
 * When the verdict is inconclusive and the estimate carries a standard error, `samplesNeeded` predicts how many
 * samples (in the units of `estimate.n`) would put the whole interval on one side, assuming the value stays where
 * it is and the interval's half-widths shrink like 1/√n: n′ = ⌈n · (h / g)²⌉ with h the half-width on the side that
 * must clear the threshold and g the distance from the value to the threshold. It is a design hint, not a promise
 * (the t quantile shrinks too, and the value moves).
 *
 * @module
 */

/** A verdict with its one-sentence reason and, when inconclusive, the predicted sample size that would resolve it. */
export interface Decision {
  readonly verdict: Verdict;
  /** One sentence with the numbers that decided it. */
  readonly reason: string;
  /** Only when inconclusive and predictable (the estimate has a standard error and the value is off the threshold). */
  readonly samplesNeeded?: number;
}

/**
 * Decides A ≤ bound: `holds` iff upper ≤ bound; `violated` iff lower > bound; else `inconclusive`.
 *
 * @remarks A sup lower bound (`supLowerBound`, interval [max, ∞)) can only give `violated` or `inconclusive`.
 * @param estimate - the estimate of A with its interval.
 * @param bound - B, finite.
 * @throws ValidationError for a non-finite bound or a malformed interval (NaN, lower > upper).
 */
export function decideUpperBound(estimate: Estimate, bound: number): Decision {
  checkInputs(estimate, bound, 'bound');
  const { lower, upper } = estimate.interval;
  const fmt = formatterFor([lower, upper, estimate.value, bound]);
  const interval = describeInterval(estimate, fmt);
  if (upper <= bound) {
    return { verdict: 'holds', reason: `${interval} lies at or below the bound ${fmt(bound)}, so A ≤ ${fmt(bound)} holds.` };
  }
  if (lower > bound) {
    // A sup lower bound carries its witness (the sample index attaining the maximum): name it so it can be replayed.
    const witness = 'argmax' in estimate && typeof estimate.argmax === 'number' ? ` (witness: sample ${estimate.argmax})` : '';
    return {
      verdict: 'violated',
      reason: `${interval} lies entirely above the bound ${fmt(bound)}${witness}, so A ≤ ${fmt(bound)} is violated.`,
    };
  }
  if (estimate.supLowerBound === true) {
    return {
      verdict: 'inconclusive',
      reason: `The maximum ${fmt(estimate.value)} over ${estimate.n} samples is only a lower bound on the supremum and does not exceed ${fmt(bound)}; a maximum can show violation, never validity.`,
    };
  }
  // Leaning `holds` (value ≤ bound): the upper half-width must shrink below the gap; leaning `violated`: the lower.
  // Stryker disable next-line EqualityOperator: at a tie (value = bound) both arms pass gap 0, and samplesToClear returns undefined for gap 0, so '<' and '<=' give the same verdict and reason
  const needed = estimate.value <= bound
    ? samplesToClear(estimate, upper - estimate.value, bound - estimate.value)
    : samplesToClear(estimate, estimate.value - lower, estimate.value - bound);
  return inconclusive(`${interval} contains the bound ${fmt(bound)}`, estimate, needed);
}

/**
 * Decides A ≥ bound: `holds` iff lower ≥ bound; `violated` iff upper < bound; else `inconclusive`.
 *
 * @param estimate - the estimate of A with its interval.
 * @param bound - B, finite.
 * @throws ValidationError for a non-finite bound or a malformed interval.
 */
export function decideLowerBound(estimate: Estimate, bound: number): Decision {
  checkInputs(estimate, bound, 'bound');
  const { lower, upper } = estimate.interval;
  const fmt = formatterFor([lower, upper, estimate.value, bound]);
  const interval = describeInterval(estimate, fmt);
  if (lower >= bound) {
    return { verdict: 'holds', reason: `${interval} lies at or above the bound ${fmt(bound)}, so A ≥ ${fmt(bound)} holds.` };
  }
  if (upper < bound) {
    return { verdict: 'violated', reason: `${interval} lies entirely below the bound ${fmt(bound)}, so A ≥ ${fmt(bound)} is violated.` };
  }
  // Stryker disable next-line EqualityOperator: at a tie (value = bound) both arms pass gap 0, and samplesToClear returns undefined for gap 0, so '>' and '>=' give the same verdict and reason
  const needed = estimate.value >= bound
    ? samplesToClear(estimate, estimate.value - lower, estimate.value - bound)
    : samplesToClear(estimate, upper - estimate.value, bound - estimate.value);
  return inconclusive(`${interval} contains the bound ${fmt(bound)}`, estimate, needed);
}

/**
 * Decides |A − value| ≤ tolerance: `holds` iff the interval lies inside [value − tolerance, value + tolerance];
 * `violated` iff it lies entirely outside that band (on one side); else `inconclusive`.
 *
 * @param estimate - the estimate of A.
 * @param value - the claimed value, finite.
 * @param tolerance - the allowed deviation, finite and ≥ 0.
 * @throws ValidationError for non-finite value/tolerance, a negative tolerance or a malformed interval.
 */
export function decideEquality(estimate: Estimate, value: number, tolerance: number): Decision {
  checkInputs(estimate, value, 'value');
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new ValidationError('E_INVALID_INPUT', `must be a finite number ≥ 0, got ${tolerance}`, 'tolerance');
  }
  const { lower, upper } = estimate.interval;
  const low = value - tolerance;
  const high = value + tolerance;
  const fmt = formatterFor([lower, upper, estimate.value, low, high, value, tolerance]);
  const interval = describeInterval(estimate, fmt);
  const band = `[${fmt(low)}, ${fmt(high)}] (${fmt(value)} ± ${fmt(tolerance)})`;
  if (lower >= low && upper <= high) {
    return { verdict: 'holds', reason: `${interval} lies inside the band ${band}, so the equality holds within tolerance.` };
  }
  if (lower > high || upper < low) {
    return { verdict: 'violated', reason: `${interval} lies entirely outside the band ${band}, so the equality is violated.` };
  }
  const v = estimate.value;
  let needed: number | undefined;
  if (v > high) needed = samplesToClear(estimate, v - lower, v - high);
  else if (v < low) needed = samplesToClear(estimate, upper - v, low - v);
  else {
    const left = samplesToClear(estimate, v - lower, v - low);
    const right = samplesToClear(estimate, upper - v, high - v);
    needed = left === undefined || right === undefined ? undefined : Math.max(left, right);
  }
  return inconclusive(`${interval} overlaps the edge of the band ${band}`, estimate, needed);
}

/**
 * Decides a rate claim from a fitted log–log slope (THEORY §6.0): `holds` iff the slope's upper end ≤ maxSlope
 * (the ratio A/rate does not grow faster than allowed); `violated` iff its lower end > maxSlope (the ratio grows,
 * so no constant can work for large T); else `inconclusive`. `samplesNeeded` counts sweep points (or repetitions),
 * the `n` of the slope estimate.
 *
 * @param slopeEstimate - typically from `estimateLogLogSlope`.
 * @param maxSlope - the allowed slope (the tolerance +tol of THEORY §6.0), finite.
 * @throws ValidationError for a non-finite maxSlope or a malformed interval.
 */
export function decideSlope(slopeEstimate: Estimate, maxSlope: number): Decision {
  checkInputs(slopeEstimate, maxSlope, 'maxSlope');
  const { lower, upper } = slopeEstimate.interval;
  const fmt = formatterFor([lower, upper, slopeEstimate.value, maxSlope]);
  const what = `The fitted log–log slope ${fmt(slopeEstimate.value)} has ${levelText(slopeEstimate)} interval [${fmt(lower)}, ${fmt(upper)}]`;
  if (upper <= maxSlope) {
    return { verdict: 'holds', reason: `${what}, at or below the allowed slope ${fmt(maxSlope)}, so the rate holds.` };
  }
  if (lower > maxSlope) {
    return {
      verdict: 'violated',
      reason: `${what}, entirely above the allowed slope ${fmt(maxSlope)}, so the ratio grows and the rate is violated.`,
    };
  }
  // Stryker disable next-line EqualityOperator: at a tie (value = maxSlope) both arms pass gap 0, and samplesToClear returns undefined for gap 0, so '<' and '<=' give the same verdict and reason
  const needed = slopeEstimate.value <= maxSlope
    ? samplesToClear(slopeEstimate, upper - slopeEstimate.value, maxSlope - slopeEstimate.value)
    : samplesToClear(slopeEstimate, slopeEstimate.value - lower, slopeEstimate.value - maxSlope);
  return inconclusive(`${what}, which contains the allowed slope ${fmt(maxSlope)}`, slopeEstimate, needed, 'sweep points');
}

function inconclusive(what: string, estimate: Estimate, needed: number | undefined, unit = 'samples'): Decision {
  if (needed === undefined) {
    return { verdict: 'inconclusive', reason: `${what}, so the verdict is inconclusive.` };
  }
  return {
    verdict: 'inconclusive',
    reason: `${what}; about ${needed} ${unit} (now ${estimate.n}) would resolve it if the interval shrinks like 1/√n.`,
    samplesNeeded: needed,
  };
}

/** n·(halfWidth/gap)², or undefined when it cannot be predicted (no standard error, zero gap, infinite width). */
function samplesToClear(estimate: Estimate, halfWidth: number, gap: number): number | undefined {
  const se = estimate.standardError;
  // Stryker disable next-line EqualityOperator: callers pass gap ≥ 0 only, and gap = 0 gives n·(h/0)² = ∞ (or NaN when h = 0), which is not a safe integer, so '>= 0' also returns undefined
  if (se === undefined || !(se > 0) || !(estimate.n >= 1) || !(gap > 0) || !Number.isFinite(halfWidth)) return undefined;
  // The relative slack keeps an exact ratio (e.g. 25 computed as 25.000000000000004) from rounding up by one.
  const needed = Math.ceil(estimate.n * (halfWidth / gap) ** 2 * (1 - 1e-12));
  return Number.isSafeInteger(needed) ? Math.max(needed, estimate.n + 1) : undefined;
}

function checkInputs(estimate: Estimate, threshold: number, field: string): void {
  if (!Number.isFinite(threshold)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number, got ${threshold}`, field);
  const { lower, upper } = estimate.interval;
  if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
    throw new ValidationError('E_INVALID_INPUT', `must satisfy lower ≤ upper, got [${lower}, ${upper}]`, 'estimate.interval');
  }
  if (Number.isNaN(estimate.value)) throw new ValidationError('E_NON_FINITE', 'is NaN', 'estimate.value');
}

function describeInterval(estimate: Estimate, fmt: (x: number) => string): string {
  const { lower, upper } = estimate.interval;
  return `The ${levelText(estimate)} interval [${fmt(lower)}, ${fmt(upper)}] for the estimate ${fmt(estimate.value)} (${estimate.method}, n = ${estimate.n})`;
}

function levelText(estimate: Estimate): string {
  const level = estimate.interval.level;
  return level === 1 ? 'sure' : `${Number((level * 100).toPrecision(6))}%`;
}

/**
 * A number formatter for one sentence: the fewest significant digits (at least 4) that keep distinct numbers
 * distinct, so an interval end just above a bound never prints equal to it. Trailing zeros dropped; ±∞ as symbols.
 */
function formatterFor(values: readonly number[]): (x: number) => string {
  const finite = values.filter((x) => Number.isFinite(x));
  let digits = 4;
  for (; digits < 17; digits++) {
    const printed = new Map<string, number>();
    let clash = false;
    for (const x of finite) {
      const key = String(Number(x.toPrecision(digits)));
      const seen = printed.get(key);
      if (seen !== undefined && seen !== x) clash = true;
      printed.set(key, x);
    }
    if (!clash) break;
  }
  return (x: number): string => {
    if (x === Number.POSITIVE_INFINITY) return '∞';
    if (x === Number.NEGATIVE_INFINITY) return '−∞';
    return String(Number(x.toPrecision(digits)));
  };
}

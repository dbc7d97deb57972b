/**
 * Batched compass (coordinate pattern) search for a local maximum, run from several starts in lockstep.
 *
 * Each round evaluates x ± h·e_j (j < d) for every start that has not converged, in one call of the objective (so a
 * batched objective such as an ODE solve over many points pays its overhead once per round), moves to the best
 * trial point when it improves the value and doubles h, and halves h otherwise. A start stops when h < `minStep`.
 * Derivative-free: only comparisons of values are used, so any monotone transform of the objective gives the same
 * path. NaN values count as worse than any number.
 */
export interface CompassSearchOptions {
  /** Initial step h, per start or one for all. */
  readonly initialStep: number | readonly number[];
  /** A start stops when its step falls below this. */
  readonly minStep: number | readonly number[];
  /** Rounds at most (each round is one objective call). @defaultValue 60 */
  readonly maxRounds?: number;
  /** Called before each round (budget checks). */
  readonly beforeRound?: () => void;
}

export interface CompassSearchResult {
  /** Final points, n·d row-major. */
  readonly points: Float64Array;
  readonly values: Float64Array;
  /** Objective evaluations (points) spent, the starts' own values not counted. */
  readonly evaluations: number;
  readonly rounds: number;
}

const better = (a: number, b: number): boolean => a > b || (Number.isNaN(b) && !Number.isNaN(a));

/**
 * @param objective - values at `count` points stored row-major in `points`.
 * @param starts - n·d start coordinates; `startValues` their objective values.
 */
export function compassSearchMaximum(
  objective: (points: Float64Array, count: number) => Float64Array,
  starts: Float64Array,
  startValues: Float64Array,
  d: number,
  options: CompassSearchOptions,
): CompassSearchResult {
  const n = startValues.length;
  const points = Float64Array.from(starts);
  const values = Float64Array.from(startValues);
  const pick = (v: number | readonly number[], i: number): number => (typeof v === 'number' ? v : v[i]!);
  const steps = Float64Array.from({ length: n }, (_, i) => pick(options.initialStep, i));
  const minSteps = Float64Array.from({ length: n }, (_, i) => pick(options.minStep, i));
  const maxRounds = options.maxRounds ?? 60;
  let evaluations = 0;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (steps[i]! >= minSteps[i]!) active.push(i);
    if (active.length === 0) break;
    options.beforeRound?.();
    const trials = new Float64Array(active.length * 2 * d * d);
    active.forEach((i, a) => {
      for (let j = 0; j < 2 * d; j++) {
        const off = (a * 2 * d + j) * d;
        for (let c = 0; c < d; c++) trials[off + c] = points[i * d + c]!;
        trials[off + (j >> 1)] = trials[off + (j >> 1)]! + (j & 1 ? -1 : 1) * steps[i]!;
      }
    });
    const trialValues = objective(trials, active.length * 2 * d);
    evaluations += active.length * 2 * d;
    active.forEach((i, a) => {
      let best = -1;
      for (let j = 0; j < 2 * d; j++) {
        const v = trialValues[a * 2 * d + j]!;
        if (better(v, best < 0 ? values[i]! : trialValues[a * 2 * d + best]!)) best = j;
      }
      if (best >= 0) {
        for (let c = 0; c < d; c++) points[i * d + c] = trials[(a * 2 * d + best) * d + c]!;
        values[i] = trialValues[a * 2 * d + best]!;
        steps[i] = 2 * steps[i]!;
      } else {
        steps[i] = steps[i]! / 2;
      }
    });
  }
  return { points, values, evaluations, rounds };
}

import { NumericalError } from '../core/errors.ts';

/** Options for {@link integrateAdaptive}. */
export interface IntegrateAdaptiveOptions {
  /** Relative tolerance on the integral. @defaultValue 1e-12 */
  readonly rtol?: number;
  /** Absolute tolerance on the integral. @defaultValue 1e-300 (effectively relative only) */
  readonly atol?: number;
  /** Maximum number of subintervals before giving up with the current estimate. @defaultValue 2000 */
  readonly maxIntervals?: number;
  /** Initial number of equal pieces (helps find narrow features). @defaultValue 1 */
  readonly initialPieces?: number;
}

/** An integral with its estimated absolute error. */
export interface IntegralEstimate {
  readonly value: number;
  readonly errorEstimate: number;
  readonly intervals: number;
}

// Gauss–Kronrod 7–15 nodes and weights (QUADPACK qk15). Index 7 is the centre; odd indices are the Gauss nodes.
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

/**
 * ∫_a^b f(u) du by globally adaptive Gauss–Kronrod (7–15) bisection, in the style of QUADPACK's QAG.
 *
 * @remarks
 * The 15-point Kronrod rule never evaluates the endpoints, so integrands with integrable endpoint singularities
 * (a Gaussian quantile function near 0 and 1, whose square grows like 2·log(1/u)) are handled by repeated
 * bisection towards the endpoint. The error estimate is |K15 − G7| per subinterval, which is conservative for
 * smooth integrands. Subintervals narrower than 64 ulps of their midpoint are not split further (the arguments
 * could no longer be distinguished), and their estimate is accepted.
 *
 * Complexity: 15 evaluations per subinterval; at most `maxIntervals` subintervals.
 *
 * @throws NumericalError (`E_NON_FINITE`) when f returns a non-finite value at a node.
 */
export function integrateAdaptive(f: (u: number) => number, a: number, b: number, options: IntegrateAdaptiveOptions = {}): IntegralEstimate {
  const rtol = options.rtol ?? 1e-12;
  const atol = options.atol ?? 1e-300;
  const maxIntervals = options.maxIntervals ?? 2000;
  const pieces = Math.max(1, Math.floor(options.initialPieces ?? 1));
  if (a === b) return { value: 0, errorEstimate: 0, intervals: 0 };
  const lows: number[] = [];
  const highs: number[] = [];
  const values: number[] = [];
  const errors: number[] = [];
  const splittable: boolean[] = [];
  const push = (lo: number, hi: number): void => {
    const [value, error] = kronrod15(f, lo, hi);
    lows.push(lo);
    highs.push(hi);
    values.push(value);
    errors.push(error);
    const mid = 0.5 * (lo + hi);
    splittable.push(hi - lo > 64 * Number.EPSILON * Math.max(Math.abs(mid), Number.MIN_VALUE));
  };
  for (let k = 0; k < pieces; k++) push(a + ((b - a) * k) / pieces, k === pieces - 1 ? b : a + ((b - a) * (k + 1)) / pieces);
  for (;;) {
    let total = 0;
    let totalError = 0;
    let worst = -1;
    let worstError = -1;
    for (let k = 0; k < values.length; k++) {
      total += values[k]!;
      totalError += errors[k]!;
      if (splittable[k] === true && errors[k]! > worstError) {
        worstError = errors[k]!;
        worst = k;
      }
    }
    if (totalError <= Math.max(atol, rtol * Math.abs(total)) || worst < 0 || values.length >= maxIntervals) {
      return { value: total, errorEstimate: totalError, intervals: values.length };
    }
    const lo = lows[worst]!;
    const hi = highs[worst]!;
    const mid = 0.5 * (lo + hi);
    // Replace the worst interval by its left half and append the right half.
    const last = values.length - 1;
    lows[worst] = lows[last]!;
    highs[worst] = highs[last]!;
    values[worst] = values[last]!;
    errors[worst] = errors[last]!;
    splittable[worst] = splittable[last]!;
    lows.pop();
    highs.pop();
    values.pop();
    errors.pop();
    splittable.pop();
    push(lo, mid);
    push(mid, hi);
  }
}

function kronrod15(f: (u: number) => number, lo: number, hi: number): [number, number] {
  const centre = 0.5 * (lo + hi);
  const half = 0.5 * (hi - lo);
  let kronrod = 0;
  let gauss = 0;
  for (let k = 0; k < 8; k++) {
    const x = XGK[k]!;
    const fx = k === 7 ? evaluate(f, centre) : evaluate(f, centre - half * x) + evaluate(f, centre + half * x);
    kronrod += WGK[k]! * fx;
    if (k % 2 === 1) gauss += WG[(k - 1) / 2]! * fx; // k = 1, 3, 5, 7 are the Gauss nodes (7 is the centre)
  }
  return [kronrod * half, Math.abs((kronrod - gauss) * half)];
}

function evaluate(f: (u: number) => number, u: number): number {
  const value = f(u);
  if (!Number.isFinite(value)) throw new NumericalError('E_NON_FINITE', `integrand is ${value} at u = ${u}`);
  return value;
}

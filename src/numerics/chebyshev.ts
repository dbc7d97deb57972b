/**
 * Polynomial interpolation at Chebyshev–Lobatto points: the representation of smooth 1-D functions on an interval
 * used by the idealised recursions (values at the nodes, barycentric evaluation).
 */

/** A function on [a, b] given by its values at the n Chebyshev–Lobatto points, evaluated by barycentric interpolation. */
export interface ChebyshevFunction {
  readonly a: number;
  readonly b: number;
  readonly nodes: Float64Array;
  readonly values: Float64Array;
}

/** The n Chebyshev–Lobatto points on [a, b], increasing. */
export function chebyshevNodes(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => 0.5 * (a + b) - 0.5 * (b - a) * Math.cos((Math.PI * j) / (n - 1)));
}

/**
 * Barycentric interpolation at Chebyshev–Lobatto points (weights (−1)^j, halved at the ends; Berrut & Trefethen
 * 2004): stable and spectrally accurate for smooth f; outside [a, b] the function is continued linearly from the
 * end slope (the checks only go there with probability < 1e-14).
 */
export function evaluateChebyshev(f: ChebyshevFunction, x: number): number {
  const { a, b, nodes, values } = f;
  const n = nodes.length;
  if (x < a || x > b) {
    const edge = x < a ? 0 : n - 1;
    const inner = x < a ? 1 : n - 2;
    const slope = (values[edge]! - values[inner]!) / (nodes[edge]! - nodes[inner]!);
    return values[edge]! + slope * (x - nodes[edge]!);
  }
  let num = 0;
  let den = 0;
  for (let j = 0; j < n; j++) {
    const diff = x - nodes[j]!;
    if (diff === 0) return values[j]!;
    let w = j % 2 === 0 ? 1 : -1;
    if (j === 0 || j === n - 1) w *= 0.5;
    const c = w / diff;
    num += c * values[j]!;
    den += c;
  }
  return num / den;
}

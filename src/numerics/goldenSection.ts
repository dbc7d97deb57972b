/**
 * Golden-section search for an extremum of f on [a, b]: each iteration shrinks the bracket by (√5 − 1)/2 and costs
 * one evaluation, so `iterations` = 40 leaves a bracket of (b − a)·0.618⁴⁰ ≈ 4e-9·(b − a). Finds the extremum of a
 * unimodal function; for any other function, a local extremum inside the bracket.
 *
 * @param goal - 'maximum' or 'minimum'.
 * @returns the better of the two interior points evaluated last and its value (the end points are never evaluated).
 */
export function goldenSectionSearch(f: (x: number) => number, a: number, b: number, goal: 'maximum' | 'minimum', iterations = 40): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  const better = goal === 'maximum' ? (u: number, v: number): boolean => u > v : (u: number, v: number): boolean => u < v;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (better(fc, fd)) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return better(fc, fd) ? { x: c, value: fc } : { x: d, value: fd };
}

import { expect } from 'vitest';

export interface Tolerance {
  readonly rtol?: number;
  readonly atol?: number;
}

/**
 * Element-wise |a − e| ≤ atol + rtol·|e| (numpy's allclose), failing with the worst index, both values, Δ and
 * the tolerance, so a failure says by how much.
 */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label = 'value'): void {
  const rtol = tol.rtol ?? 0;
  const atol = tol.atol ?? 0;
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const a = actual[worst]!;
    const e = expected[worst]!;
    expect.fail(`${label}[${worst}]: got ${a}, expected ${e}, Δ=${Math.abs(a - e)} > tol=${atol + rtol * Math.abs(e)} (rtol=${rtol}, atol=${atol})`);
  }
}

/** |estimate − exact| ≤ k·standardError, with k and its false-fail rate stated by the caller. */
export function expectWithinStandardErrors(estimate: number, exact: number, standardError: number, k: number, label = 'estimate'): void {
  const z = Math.abs(estimate - exact) / standardError;
  expect(z, `${label}: ${estimate} vs exact ${exact}, SE ${standardError} (|z| must be ≤ ${k})`).toBeLessThanOrEqual(k);
}

export function flatten(rows: readonly (readonly unknown[])[] | readonly unknown[]): number[] {
  return (rows as unknown[]).flat(3) as number[];
}

import { describe, expect, it } from 'vitest';
import { chebyshevNodes, evaluateChebyshev } from '../../../src/numerics/chebyshev.ts';

describe('evaluateChebyshev', () => {
  it('interpolates a smooth function spectrally (sin on [−3, 3] with 33 points: 1e-12)', () => {
    const nodes = chebyshevNodes(-3, 3, 33);
    const f = { a: -3, b: 3, nodes, values: nodes.map(Math.sin) };
    for (const x of [-2.9, -1.234, 0, 0.5, 2.71]) expect(Math.abs(evaluateChebyshev(f, x) - Math.sin(x))).toBeLessThanOrEqual(1e-12);
  });
});

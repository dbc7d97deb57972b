// lyu2023.modelLipschitz beyond its controls: the exact flow's constant is reported by default (and only then), and
// the reason's comparison sign follows the verdict on both sides of the declared L_f.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { modelLipschitzAssumption } from '../../../theorems/lyu2023/modelLipschitz.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-12 });
const target = gaussian([0], [2]);
const process = ornsteinUhlenbeck();
const gain = (g: number): ConsistencyFunction => ({ id: `${g}x`, precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map((v) => g * v) }) });

describe('lyu2023.modelLipschitz edges (f = g·x on N(0, 2), OU on [0.002, 8])', () => {
  it('reports the exact flow’s constant by default: the OU gain √((e^{−2δ}λ + 1 − e^{−2δ})/(e^{−2T}λ + 1 − e^{−2T})), λ = 2', async () => {
    const e = await modelLipschitzAssumption.run({ target, process, model: gain(2), claimed: { Lf: 1.5 } }, context());
    const v = (t: number): number => Math.exp(-2 * t) * 2 + 1 - Math.exp(-2 * t);
    expect(Math.abs(e.estimates['L_f_exact_flow']!.value - Math.sqrt(v(0.002) / v(8)))).toBeLessThan(1e-12);
    expect(e.estimates['L_f']!.value).toBeCloseTo(2, 12);
    expect(e.verdict).toBe('violated');
    expect(e.reason).toContain('> L_f = 1.5');
    const without = await modelLipschitzAssumption.run({ target, process, model: gain(2), claimed: { Lf: 1.5 }, exactFlowReference: false }, context());
    expect(without.estimates['L_f_exact_flow']).toBeUndefined();
  });

  it('a declared L_f above the exact constant of an affine model holds, and the reason says ≤', async () => {
    const e = await modelLipschitzAssumption.run({ target, process, model: gain(0.5), claimed: { Lf: 0.5 }, exactFlowReference: false }, context());
    expect(e.verdict).toBe('holds');
    expect(e.reason).toContain('= 0.5');
    expect(e.reason).toContain('≤ L_f = 0.5');
  });
});

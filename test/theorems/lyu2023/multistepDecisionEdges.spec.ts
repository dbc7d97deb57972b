// The refusals of lyu2023.multistep: a re-noise time above the trained range and a model that is not affine are
// inconclusive (nothing extrapolated, no closed form), and the declared constant is still reported.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { multistepContraction } from '../../../theorems/lyu2023/multistep.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-12 });
const target = gaussian([0], [2]);
const process = ornsteinUhlenbeck({ tMax: 2 });
const halfGain: ConsistencyFunction = { id: '0.5x', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map((v) => 0.5 * v) }) };

describe('lyu2023.multistep refusals', () => {
  it('τ above the trained range (τ = T + 0.5) is not checked: inconclusive, naming the range', async () => {
    const e = await multistepContraction.run({ target, process, model: halfGain, tau: 2.5, claimed: { Lf: 1 } }, context(1));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts.map((p) => p.name)).toEqual(['re-noise time']);
    expect(e.parts[0]!.reason).toContain('(0.002, 2]');
    // τ = T itself is inside the range and is checked
    const atT = await multistepContraction.run({ target, process, model: halfGain, tau: 2, claimed: { Lf: 1 } }, context(1));
    expect(atT.parts.map((p) => p.name)).toContain('geometric envelope');
  });

  it('a model that is not affine in x (tanh) has no closed form: inconclusive, the declared L_f still reported', async () => {
    const tanh: ConsistencyFunction = { id: 'tanh', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map(Math.tanh) }) };
    const e = await multistepContraction.run({ target, process, model: tanh, tau: 1, claimed: { Lf: 1 } }, context(2));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts.map((p) => p.name)).toEqual(['closed form']);
    expect(e.estimates['L_f']!.value).toBe(1);
  });
});

// lyu2023.modelLipschitz beyond its controls: the exact flow's constant is reported by default (and only then), and
// the reason's comparison sign follows the verdict on both sides of the declared L_f.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber } from '../../../src/core/formatNumber.ts';
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
    // the whole reason: exact (affine) value, its time, the sign, and the exact flow's constant (exact: no '≥')
    const time = /at t = (\S+)\)/.exec(e.reason)![1]!;
    expect(e.reason).toBe(`2x: sup_t Lip(f(·, t)) = 2 (at t = ${time}) > L_f = 1.5; the exact flow's constant is ${formatNumber(e.estimates['L_f_exact_flow']!.value)}.`);
    expect(e.parts[0]!.reason).toBe(`exact (affine model) 2 at t = ${time} vs declared L_f = 1.5`);
    const without = await modelLipschitzAssumption.run({ target, process, model: gain(2), claimed: { Lf: 1.5 }, exactFlowReference: false }, context());
    expect(without.estimates['L_f_exact_flow']).toBeUndefined();
  });

  it('a declared L_f above the exact constant of an affine model holds, and the reason says ≤', async () => {
    const e = await modelLipschitzAssumption.run({ target, process, model: gain(0.5), claimed: { Lf: 0.5 }, exactFlowReference: false }, context());
    expect(e.verdict).toBe('holds');
    expect(e.reason).toContain('= 0.5');
    expect(e.reason).toContain('≤ L_f = 0.5');
    expect(e.reason).toMatch(/^0\.5x: sup_t Lip\(f\(·, t\)\) = 0\.5 \(at t = \S+\) ≤ L_f = 0\.5\.$/);
  });

  /** A non-affine model, f(x, t) = x + 0.1·sin x (Lipschitz constant 1.1 at x = 0): only a witness search, a lower bound. */
  const wiggle: ConsistencyFunction = { id: 'x + 0.1 sin x', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map((v) => v + 0.1 * Math.sin(v)) }) };

  it('a lower bound below the declared L_f cannot certify it: inconclusive, and the reason says why', async () => {
    const e = await modelLipschitzAssumption.run({ target, process, model: wiggle, claimed: { Lf: 2 }, exactFlowReference: false, gridSize: 4 }, context());
    expect(e.verdict).toBe('inconclusive');
    const found = e.estimates['L_f']!;
    expect(found.method).not.toBe('exact');
    expect(found.value).toBeLessThanOrEqual(1.1 + 1e-6);
    expect(e.reason).toMatch(new RegExp(`^x \\+ 0\\.1 sin x: sup_t Lip\\(f\\(·, t\\)\\) ≥ ${formatNumber(found.value).replace('.', '\\.')} \\(at t = \\S+, a lower bound from the witness search\\) vs L_f = 2 \\(a lower bound cannot certify the claim\\)\\.$`));
    expect(e.parts[0]!.reason).toMatch(/^sup lower bound \(.+\) \S+ at t = \S+ vs declared L_f = 2$/);
  });

  it('without a declared L_f: inconclusive, no threshold, and no claim to certify', async () => {
    const e = await modelLipschitzAssumption.run({ target, process, model: wiggle, exactFlowReference: false, gridSize: 4 }, context());
    expect(e.verdict).toBe('inconclusive');
    expect(e.thresholds).toEqual([]);
    expect(e.estimates['L_f_declared']).toBeUndefined();
    expect(e.reason).toMatch(/^x \+ 0\.1 sin x: sup_t Lip\(f\(·, t\)\) ≥ \S+ \(at t = \S+, a lower bound from the witness search\), no L_f declared\.$/);
    expect(e.parts[0]!.reason).toMatch(/^no L_f declared: a lower bound on the supremum \(.+\) \S+ at t = \S+; the one-step bound of lyu2023\.oneStep uses its value at T$/);
  });
});

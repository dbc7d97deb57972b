// The refusals of lyu2023.multistep: a re-noise time above the trained range and a model that is not affine are
// inconclusive (nothing extrapolated, no closed form), and the declared constant is still reported.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { gaussian, GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { formatNumber } from '../../../src/core/formatNumber.ts';
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
    expect(e.parts[0]!.reason).toBe('tanh is not affine in x at τ or at the start times: no closed form');
    expect(e.reason).toBe('tanh is not affine: not checked.');
  });

  it('the affine probe spans the widest direction of the data: a model bent only beyond |x| = 5 is not affine for sd 10', async () => {
    // N(0, diag(0.01, 100)): standard deviations 0.1 and 10; probing at the smallest (0.1 + 1) would never leave |x| ≤ 5
    const wide = gaussian([0, 0], [0.01, 0, 0, 100]);
    const bend = (v: number): number => 0.5 * v + (Math.abs(v) > 5 ? 0.1 * Math.sign(v) * (Math.abs(v) - 5) ** 2 : 0);
    const bent: ConsistencyFunction = { id: 'bent beyond 5', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map(bend) }) };
    const e = await multistepContraction.run({ target: wide, process, model: bent, tau: 1, claimed: { Lf: 1 } }, context(3));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts.map((p) => p.name)).toEqual(['closed form']);
  });

  it('τ at δ itself is outside (δ, T]: not checked', async () => {
    const e = await multistepContraction.run({ target, process, model: halfGain, tau: process.tMin, claimed: { Lf: 1 } }, context(1));
    expect(e.parts.map((p) => p.name)).toEqual(['re-noise time']);
  });

  it('a target that is not a single Gaussian has no closed form: inconclusive, and the reason says so', async () => {
    const mixture = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const e = await multistepContraction.run({ target: mixture, process, model: halfGain, tau: 1, claimed: { Lf: 1 } }, context(1));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts.map((p) => [p.name, p.reason])).toEqual([['closed form', 'the multistep check propagates Gaussian laws exactly; this target is not a single Gaussian']]);
    expect(e.reason).toBe('No closed form for this target: not checked.');
  });
});

describe('lyu2023.multistep reasons (f = 0.5x on N(0, 2), OU on [0.002, 2], τ = 1)', () => {
  it('holds without a declaration: L_f is the exact Lip, the reason and the threshold are the envelope’s limit, 30 rounds by default', async () => {
    const e = await multistepContraction.run({ target, process, model: halfGain, tau: 1 }, context(4));
    expect(e.verdict, e.reason).toBe('holds');
    const v = (key: string): number => e.estimates[key]!.value;
    expect(v('L_f')).toBeCloseTo(0.5, 12);
    expect(Math.abs(v('rho') - 0.5 * Math.exp(-(1 - 0.002)))).toBeLessThanOrEqual(1e-12);
    const limit = v('E(tau)') / (1 - v('rho'));
    expect(e.reason).toBe(
      `With τ = 1 and L_f = ${formatNumber(v('L_f'))} (exact, affine model) (ρ = ${formatNumber(v('rho'))}), the W₂ error contracts to ${formatNumber(v('e_K'))} ≤ E/(1 − ρ) = ${formatNumber(limit)} within the geometric envelope, and the limit does not depend on T (spread ${formatNumber(v('T_spread'))}).`,
    );
    expect(e.thresholds.map((t) => t.symbol)).toEqual(['e_K']);
    // the envelope's limit E/(1 − ρ) plus its 1e-9 absolute slack
    expect(Math.abs(e.thresholds[0]!.value - limit - 1e-9)).toBeLessThanOrEqual(1e-12);
    expect(e.parts.find((p) => p.name === 'T-independent limit')!.reason.startsWith('after 30 rounds ')).toBe(true);
  });

  it('a declared L_f below the exact Lip fails, and the reason says the declaration predicted a contraction', async () => {
    const e = await multistepContraction.run({ target, process, model: halfGain, tau: 1, claimed: { Lf: 0.3 }, rounds: 5 }, context(5));
    expect(e.verdict).toBe('violated');
    const v = (key: string): number => e.estimates[key]!.value;
    expect(e.reason).toBe(
      `L_f = 0.3 (declared) predicts contraction (ρ = ${formatNumber(v('rho'))}), but declared L_f ≥ Lip(f(·, τ)) fail: e_K = ${formatNumber(v('e_K'))} after 5 rounds, and f(·, τ) has Lipschitz constant ${formatNumber(v('Lip'))} (ρ_true = ${formatNumber(v('Lip') * Math.exp(-(1 - 0.002)))}).`,
    );
  });

  it('a declared L_f with ρ ≥ 1 predicts no contraction: the envelope is undecided and no threshold is set', async () => {
    const e = await multistepContraction.run({ target, process, model: halfGain, tau: 1, claimed: { Lf: 100 }, rounds: 5 }, context(6));
    expect(e.verdict).toBe('inconclusive');
    const envelope = e.parts.find((p) => p.name === 'geometric envelope')!;
    expect(envelope.verdict).toBe('inconclusive');
    expect(envelope.reason).toBe(`$ρ = L_f e^{−(τ−δ)}$ = ${formatNumber(e.estimates['rho']!.value)} ≥ 1: the claim predicts no contraction`);
    expect(e.reason).toBe('Not decided: geometric envelope.');
    expect(e.thresholds).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { estimateConstant, parseSweep } from '../../src/cli/commands/estimate.ts';
import { lhwSchedule } from '../../src/processes/lhwSchedule.ts';
import { constants } from '../../suites/constants.ts';
import fixtures from '../reference/fixtures/oracleFixtures.json' with { type: 'json' };

describe('cmbounds estimate', () => {
  it('measures L_f of the anisotropic Gaussians as √λ_max = 2 in every d, with a flat exponent (THEORY §4.4)', async () => {
    const out = await estimateConstant({ symbol: 'L_f', target: 'aniso-gaussian-2d', family: 'aniso-gaussian', sweeps: { d: [1, 2, 4], T: undefined }, T: 1000, seed: 1 }, constants);
    // L_f = max_{k<t} max_i √(g_i(ᾱ_k)/g_i(ᾱ_t)), g = ᾱλ + 1 − ᾱ: with ᾱ_1 = 1 − 1e-6 and ᾱ_T ≈ 1.5e-19 it is
    // √(4(1 − 1e-6) + 1e-6)/√(1 + ~1e-19·3) = 2·(1 − 3.75e-7) to first order.
    for (const row of out.rows) expect(Math.abs(row.estimate.value - 2 * (1 - 3.75e-7))).toBeLessThan(1e-9);
    expect(out.exponent?.variable).toBe('d');
    expect(Math.abs(out.exponent!.estimate.value)).toBeLessThan(1e-9);
  });

  it('reads ĉ₂ of schedule (23) equal to the independent numpy value', async () => {
    const out = await estimateConstant({ symbol: 'c_2', target: 'bimodal-1d', family: 'iso-gmm', sweeps: { d: undefined, T: [100, 1000, 10000] }, T: 1000, seed: 1 }, constants);
    const expected = [100, 1000, 10000].map((T) => fixtures.schedules.find((f) => f.T === T && f.c0 === 2 && f.indexing === 'report')!.c2);
    out.rows.forEach((r, i) => expect(Math.abs(r.estimate.value - expected[i]!)).toBeLessThan(1e-10 * expected[i]!));
    expect(out.exponent!.estimate.value).toBeLessThan(0); // ĉ₂ decreases towards c1 − c0 = 6 as T grows
  });

  it('reads ĉ₄ as the minimum over every step (exact for a Gaussian) and as a sure lower bound [ĉ₄, ∞) for a mixture', async () => {
    const gaussianRow = (await estimateConstant({ symbol: 'c_4', target: 'aniso-gaussian-2d', family: 'aniso-gaussian', sweeps: { d: undefined, T: [1024] }, T: 1024, seed: 1 }, constants)).rows[0]!;
    // brute force over t = 1..1024 (eigenvalues 4, ¼; χ²₂ tail e^{−x/2}): min at the interior step t = 255
    const schedule = lhwSchedule({ T: 1024, c0: 2, c1: 8 });
    let min = Infinity;
    for (let t = 1; t <= 1024; t++) {
      const ab = schedule.alphaBars[t]!;
      const om = schedule.oneMinusAlphaBars[t]!;
      const logP = -4 * Math.log(1024) + Math.log(2 * Math.PI) + 0.5 * (Math.log(4 * ab + om) + Math.log(0.25 * ab + om));
      min = Math.min(min, -logP / (2 * Math.log(1024)));
    }
    expect(Math.abs(gaussianRow.estimate.value - min)).toBeLessThan(1e-12 * min);
    expect(gaussianRow.estimate.interval.upper).toBe(gaussianRow.estimate.value);
    const mixtureRow = (await estimateConstant({ symbol: 'c_4', target: 'bimodal-1d', family: 'iso-gmm', sweeps: { d: undefined, T: [256] }, T: 256, seed: 1 }, constants)).rows[0]!;
    expect(mixtureRow.estimate.interval.lower).toBe(mixtureRow.estimate.value);
    expect(mixtureRow.estimate.interval.upper).toBe(Infinity);
  });

  it('reports for ring8-2d the witnessed stretch of Φ_{1000→1} at the centre, 1.4392e10 in closed form, as a lower bound with its point', async () => {
    const out = await estimateConstant({ symbol: 'L_f', target: 'ring8-2d', family: 'iso-gmm', sweeps: { d: undefined, T: undefined }, T: 1000, seed: 1 }, constants);
    const row = out.rows[0]!;
    // ‖∂Φ_{1000→1}(0)‖ = √(g_1/g_1000)·exp(ᾱ_1/g_1 − ᾱ_1000/g_1000), g = 0.04ᾱ + 1 − ᾱ (test/unit/flows/lipschitzWitness.spec.ts).
    const s = lhwSchedule({ T: 1000, c0: 2, c1: 8 });
    const h = (t: number): number => {
      const g = 0.04 * s.alphaBars[t]! + s.oneMinusAlphaBars[t]!;
      return 0.5 * Math.log(g) + s.alphaBars[t]! / g;
    };
    const centre = Math.exp(h(1) - h(1000));
    expect(centre).toBeGreaterThan(1.4e10);
    expect(row.estimate.supLowerBound).toBe(true);
    expect(row.estimate.value).toBeGreaterThanOrEqual(centre * (1 - 1e-5));
    expect(row.witness).toMatch(/Φ_\{1000→1\}.* at x = \(/);
  });

  it('labels ĉ₄ of a mixture as a lower bound (never exact) and its exponent fit as a fit of lower bounds', async () => {
    const mixture = await estimateConstant({ symbol: 'c_4', target: 'ring8-2d', family: 'iso-gmm', sweeps: { d: undefined, T: [100, 200, 400] }, T: 1000, seed: 1 }, constants);
    for (const row of mixture.rows) {
      expect(row.estimate.method).toBe('lower-bound');
      expect(row.estimate.interval).toEqual({ lower: row.estimate.value, upper: Infinity, level: 1 });
    }
    expect(mixture.exponent?.fittedTo).toBe('lower-bounds');
    expect(mixture.exponent?.warning).toMatch(/^fitted to lower bounds of c_4, not to c_4 itself/);
    // a single Gaussian's ĉ₄ is computed exactly, so its fit is a fit of values
    const gaussian = await estimateConstant({ symbol: 'c_4', target: 'aniso-gaussian-2d', family: 'iso-gmm', sweeps: { d: undefined, T: [100, 200, 400] }, T: 1000, seed: 1 }, constants);
    for (const row of gaussian.rows) expect(row.estimate.method).toBe('exact');
    expect(gaussian.exponent?.fittedTo).toBe('values');
    expect(gaussian.exponent?.warning).toBeUndefined();
  });

  it('names the problem for a bad sweep or an unknown constant', async () => {
    expect(() => parseSweep('k=1,2')).toThrow(/^--sweep: must look like d=1,2,4/);
    expect(() => parseSweep('d=0,2')).toThrow(/^--sweep d: must be an integer in \[1, 1024\], got '0'$/);
    // a range problem is named as one, with the value (not as a format problem)
    expect(() => parseSweep('T=0,-5')).toThrow(/^--sweep T: must be an integer in \[2, 1000000\], got '0'$/);
    expect(() => parseSweep('T=256,abc')).toThrow(/^--sweep T: must be an integer, got 'abc'$/);
    await expect(estimateConstant({ symbol: 'C_9', target: 'bimodal-1d', family: 'iso-gmm', sweeps: { d: undefined, T: undefined }, T: 100, seed: 1 }, constants)).rejects.toThrow(/^symbol: unknown constant 'C_9'; known: L_f/);
  });
});

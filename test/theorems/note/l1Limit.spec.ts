import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';
import { l1Limit } from '../../../theorems/note/l1Limit.ts';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber, mixtureMedian, posterior } from '../../../src/index.ts';
import { describeControls } from '../controlHarness.ts';

const MIX = { w: [0.2, 0.8], m: [-2, 1], v: [0.05, 0.2] };

describeControls(l1Limit, {
  determinism: ['l1Skewed'],
  inspect: {
    l2Skewed: (e) => {
      expect(Math.abs(e.estimates['mass']!.value - e.estimates['mass_true']!.value)).toBeLessThan(1e-8);
      // the ℓ₂ velocity is the posterior mean, in closed form (no bisection)
      expect(e.diagnostics.map((d) => d.kind)).toEqual(['numerical', 'note']);
      expect(e.diagnostics[0]!.message).toContain('posterior means in closed form');
      const [mass, truth] = [e.estimates['mass']!.value, e.estimates['mass_true']!.value];
      expect(e.reason).toBe(`With the l2 metric the continuum limit keeps the mode masses: ${formatNumber(mass)} left of -0.5 versus ${formatNumber(truth)} in p_ε.`);
      expect(e.parts[0]!.reason).toBe(`the l2 limit flow sends the mass ${formatNumber(mass)} of p_T to the left of -0.5; p_ε has ${formatNumber(truth)} there`);
    },
    l1Skewed: (e) => {
      // THEORY v7 reports 0.095 from 400 Monte Carlo trajectories (SE ≈ √(0.1·0.9/400) = 0.015); the exact value must lie
      // within 3 SE of it, and clearly below the true 0.20.
      expect(Math.abs(e.estimates['mass']!.value - 0.095)).toBeLessThan(3 * 0.015);
      expect(e.estimates['mass']!.value).toBeLessThan(0.15);
      // the mass is compared with the true mode weight F_ε(threshold), the upper side the flow falls short of
      expect(e.thresholds).toEqual([{ symbol: 'mass', value: e.estimates['mass_true']!.value, side: 'upper' }]);
      expect(e.diagnostics[0]!.message).toContain('posterior medians by bisection');
      const [mass, truth] = [e.estimates['mass']!.value, e.estimates['mass_true']!.value];
      expect(e.reason).toBe(`With the l1 metric the continuum limit puts ${formatNumber(mass)} of the mass left of -0.5, whose true weight under p_ε is ${formatNumber(truth)}: l1-CT transports to the wrong law.`);
      if (e.verdict !== 'violated') throw new Error('expected violated');
      expect(e.witness!.time).toBe(5);
      expect(e.witness!.value).toBe(mass);
      expect(e.witness!.description).toBe(`the l1 continuum limit maps x_T = ${formatNumber(e.witness!.point![0]!)} to the threshold -0.5, so ${formatNumber(mass)} of the mass lands on the left mode instead of ${formatNumber(truth)}`);
    },
  },
});

describe('note.l1Limit', () => {
  it('splits the mass at x*_T: forward RK4 trajectories (t: T → ε, median velocity) from x*_T ∓ 0.01 end on either side of the threshold', async () => {
    // The ℓ₁ field jumps where the posterior median changes mode; forward in sampling time (t decreasing) the
    // trajectories separate there, so x*_T (the check integrates from (c, ε) up to T) is the separatrix at T.
    const e = await runControl(l1Limit, 'l1Skewed');
    if (e.verdict !== 'violated') throw new Error('expected violated');
    const xT = e.witness!.point![0]!;
    const v = (xx: number, t: number): number => (xx - mixtureMedian(posterior(MIX, xx, t * t))) / t;
    const run = (x0: number): number => {
      let x = x0;
      const steps = 4000;
      const h = (0.01 - 5) / steps;
      for (let k = 0; k < steps; k++) {
        const t = 5 + k * h;
        const k1 = v(x, t);
        const k2 = v(x + 0.5 * h * k1, t + 0.5 * h);
        const k3 = v(x + 0.5 * h * k2, t + 0.5 * h);
        const k4 = v(x + h * k3, t + h);
        x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      }
      return x;
    };
    expect(run(xT - 0.01)).toBeLessThan(-0.5);
    expect(run(xT + 0.01)).toBeGreaterThan(-0.5);
    // so the separatrix is within 0.01 of x*_T and the mass within p_T·0.01 ≤ 8e-4: the stated accuracy of `mass`
    const pT = (x: number): number => (0.2 * Math.exp(-((x + 2) ** 2) / 50.1)) / Math.sqrt(2 * Math.PI * 25.05) + (0.8 * Math.exp(-((x - 1) ** 2) / 50.4)) / Math.sqrt(2 * Math.PI * 25.2);
    expect(0.01 * Math.max(pT(xT - 0.01), pT(xT + 0.01))).toBeLessThanOrEqual(e.estimates['mass']!.interval.upper - e.estimates['mass']!.value);
    expect(e.estimates['mass']!.method).toBe('numerical');
    // The reported mass is F_T(x*_T) for p_T = 0.2N(−2, 0.05 + 25) + 0.8N(1, 0.2 + 25).
    const FT = 0.2 * normalCdf((xT + 2) / Math.sqrt(25.05)) + 0.8 * normalCdf((xT - 1) / Math.sqrt(25.2));
    expect(Math.abs(e.estimates['mass']!.value - FT)).toBeLessThan(1e-14);
  });

  it('a threshold in the right tail (c = 2): the ℓ₁ gap ≈ 4e-4 lies between the match tolerance 1e-6 and the mismatch level 0.01: inconclusive, and the summary says so', async () => {
    const target = new GaussianMixture(MIX.w, MIX.m.map((m) => [m]), MIX.v.map((v) => [v]));
    const e = await l1Limit.run({ target, process: varianceExploding({ tMin: 0.01, tMax: 5 }), metric: 'l1', threshold: 2 }, createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 }));
    const [mass, truth] = [e.estimates['mass']!.value, e.estimates['mass_true']!.value];
    // F_ε(2) for p_ε = 0.2N(−2, 0.05 + 10⁻⁴) + 0.8N(1, 0.2 + 10⁻⁴), independently
    expect(truth).toBeCloseTo(0.2 * normalCdf(4 / Math.sqrt(0.0501)) + 0.8 * normalCdf(1 / Math.sqrt(0.2001)), 12);
    expect(Math.abs(mass - truth)).toBeGreaterThan(1e-6);
    expect(Math.abs(mass - truth)).toBeLessThan(0.01);
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toBe(`With the l1 metric the continuum limit puts ${formatNumber(mass)} of the mass left of 2 versus ${formatNumber(truth)} in p_ε: a gap of ${formatNumber(Math.abs(mass - truth))}, between the match tolerance 0.000001 and the mismatch level 0.01, is undecided.`);
  }, 30_000);
});

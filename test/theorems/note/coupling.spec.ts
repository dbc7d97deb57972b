import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { couplingOrders } from '../../../theorems/note/coupling.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(couplingOrders, {
  determinism: ['bimodalCouplings'],
  inspect: {
    bimodalCouplings: (e) => {
      // THEORY §5.2 orders, within the ±0.25 band the check uses.
      expect(Math.abs(e.estimates['mean_order[ct]']!.value - 2)).toBeLessThan(0.25);
      expect(Math.abs(e.estimates['spread_order[markov]']!.value - 0.5)).toBeLessThan(0.25);
      expect(e.reason).toMatch(/right in conditional mean to second order/);
      // the mean error and spread average over Monte Carlo draws of y: estimates with intervals, never 'exact'
      for (const key of ['mean_error[ct]', 'spread[markov]']) {
        const est = e.estimates[key]!;
        expect(est.method).toBe('clt-power-mean');
        expect(est.interval.upper).toBeGreaterThan(est.interval.lower);
        expect(est.n).toBe(2000);
      }
      // every constant the statement declares is reported, once per coupling (the catalog describes what it measures)
      expect(couplingOrders.constants.length).toBeGreaterThan(0);
      for (const { symbol } of couplingOrders.constants) for (const kind of ['ct', 'markov', 'independent']) expect(e.estimates[`${symbol}[${kind}]`], `${symbol}[${kind}]`).toBeDefined();
      // one mean-error and one spread curve per coupling in the plot, named by the coupling
      expect(e.plots[0]!.series.map((s) => s.name)).toEqual(['ct: mean error', 'ct: spread', 'markov: mean error', 'markov: spread', 'independent: mean error', 'independent: spread']);
    },
    markovLabelledCt: (e) => {
      // no CT pair declared: the reason lists the couplings and says which declared orders the measurement contradicts
      expect(e.reason).toContain('CT (noise redrawn): mean error order');
      expect(e.reason).toContain('contradict the declared orders');
    },
  },
});

describe('note.coupling', () => {
  // aniso-gaussian-2d: eigenvalues 4 and ¼; t = 1, smallest h = 1/256, s = t − h.
  const lambdas = [4, 0.25];
  const t = 1;
  const h = 1 / 256;
  const s = t - h;

  it('reports the Gaussian CT spread h·√Σ λ/(λ + t²) and Markov spread √Σ (v − v²/(λ + t²)) exactly', async () => {
    const e = await runControl(couplingOrders, 'gaussianCouplings');
    const ct = h * Math.sqrt(lambdas.reduce((a, l) => a + l / (l + t * t), 0));
    const v = t * t - s * s;
    const markov = Math.sqrt(lambdas.reduce((a, l) => a + v - (v * v) / (l + t * t), 0));
    // The Gaussian posterior covariance and Hessian do not depend on y: no Monte Carlo error, rounding only.
    expect(Math.abs(e.estimates['spread[ct]']!.value / ct - 1)).toBeLessThan(1e-10);
    expect(Math.abs(e.estimates['spread[markov]']!.value / markov - 1)).toBeLessThan(1e-10);
  });

  it('reports the Gaussian CT mean error near its population value √Σ (g_CT − g*)²(λ + t²) (n = 2000)', async () => {
    const e = await runControl(couplingOrders, 'gaussianCouplings');
    const pop = Math.sqrt(lambdas.reduce((a, l) => a + ((l + s * t) / (l + t * t) - Math.sqrt((l + s * s) / (l + t * t))) ** 2 * (l + t * t), 0));
    // RMS over 2000 draws of a Gaussian quadratic form: relative SD ≈ √(2/2000)/2 ≈ 1.6%; 10% is > 6 SE (false-fail < 1e-9).
    expect(Math.abs(e.estimates['mean_error[ct]']!.value / pop - 1)).toBeLessThan(0.1);
  });
});

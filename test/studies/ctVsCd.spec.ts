import { describe, expect, it } from 'vitest';
import { createCheckContext, gaussian, rngFromSeed } from '../../src/index.ts';
import { conditionalMedian, lossRecursion, weightAccuracy } from '../../studies/_lossRecursion.ts';
import { normalCdf } from '../../src/numerics/normalDistribution.ts';
import { posterior } from '../../src/index.ts';
import { l2MinimiserByNestedQuadrature } from '../reference/idealisedCtL2Nested.ts';
import { ctTrainedBudget, trainedBudgetSubject } from '../../studies/_ctTrained.ts';
import { ctLossModeWeight, ctVsCdSuite } from '../../studies/ctVsCd.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('studies/_lossRecursion', () => {
  it('on Gaussian data every loss gives the same minimiser (symmetric posteriors: mean = median) and the right weight below the mean', () => {
    // N(0, 1): the posterior of X_{t_n} given y is Gaussian, so ℓ2, ℓ1 and pseudo-Huber minimisers coincide and the
    // idealised CT output is N(0, Π²(1 + T²)) ⊗ …: symmetric about 0, so P(f_N(X_T) < 0) = ½ exactly for every loss
    const mix = { w: [1], m: [0], v: [1] };
    for (const loss of [{ kind: 'l2' as const }, { kind: 'l1' as const }, { kind: 'pseudo-huber' as const, c: 0.01 }]) {
      const r = lossRecursion(mix, loss, 20, 0);
      expect(r.targetWeight).toBeCloseTo(0.5, 12);
      // tolerance: interpolation and root finding at ~1e-9, far below any bias the study reports (1e-3)
      expect(Math.abs(r.weight - 0.5)).toBeLessThan(1e-6);
    }
  });

  it('ℓ1 by composed medians: a huge c reproduces ℓ2, and the grid with c → 0 (and ℓ1 on the grid) stays within the stated error of the exact medians', () => {
    const mix = { w: [0.2, 0.8], m: [-1.5, 1], v: [0.1, 0.3] };
    const l2 = lossRecursion(mix, { kind: 'l2' }, 20, -0.5).weight;
    const huge = lossRecursion(mix, { kind: 'pseudo-huber', c: 1e6 }, 20, -0.5).weight;
    // c = 1e6 differs from the mean by O(spread²/c²)
    expect(Math.abs(huge - l2)).toBeLessThan(1e-6);
    // the stated grid accuracy (weightAccuracy: ≤ 5e-3 at N ≤ 40, ≤ 1e-3 above), measured in the c → 0 limit (the
    // sharpest ψ) against the exact composed medians; the old claim (≤ 5e-4 everywhere) fails at N = 40
    for (const N of [20, 40, 80]) {
      const tolerance = weightAccuracy({ kind: 'pseudo-huber', c: 1e-9 }, N);
      const exact = lossRecursion(mix, { kind: 'l1' }, N, -0.5).weight;
      const tiny = lossRecursion(mix, { kind: 'pseudo-huber', c: 1e-9 }, N, -0.5).weight;
      if (N === 20) {
        // c = 1e-9 differs from the median by O(c) in each minimiser, on the same grid
        const l1Grid = lossRecursion(mix, { kind: 'l1' }, N, -0.5, { l1OnGrid: true }).weight;
        expect(Math.abs(tiny - l1Grid)).toBeLessThan(1e-6);
      }
      expect(Math.abs(tiny - exact)).toBeLessThan(tolerance);
      if (N === 40) expect(Math.abs(tiny - exact)).toBeGreaterThan(5e-4);
    }
    expect(l2 - lossRecursion(mix, { kind: 'l1' }, 20, -0.5).weight).toBeGreaterThan(0.05); // the median-velocity bias (THEORY §5.3) at N = 20
  });

  it('the conditional median solves P(X_{t_n} ≤ m | y) = ½, and the composed medians are increasing', () => {
    const mix = { w: [0.2, 0.8], m: [-1.5, 1], v: [0.1, 0.3] };
    for (const y of [-40, -3, -0.7, 0, 0.4, 2, 60]) {
      const [tn, tn1] = [0.3, 0.9];
      const m = conditionalMedian(mix, y, tn, tn1);
      const post = posterior(mix, y, tn1 * tn1);
      const rho = tn / tn1;
      const below = post.w.reduce((a, w, k) => a + w * normalCdf((m - (1 - rho) * post.m[k]! - rho * y) / ((1 - rho) * Math.sqrt(post.v[k]!))), 0);
      expect(Math.abs(below - 0.5)).toBeLessThan(1e-12);
    }
    const model = lossRecursion(mix, { kind: 'l1' }, 12, -0.5, { keepAll: true }).model!;
    const ys = Array.from({ length: 200 }, (_, i) => -300 + 3 * i);
    const values = ys.map((y) => model(11, y));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
  });

  it('ℓ2 on the grid agrees with nested Gauss–Hermite quadrature (no grid) to the stated 1e-4 in the weight at N = 4', () => {
    const mix = { w: [0.2, 0.8], m: [-1.5, 1], v: [0.1, 0.3] };
    const N = 4;
    const grid = lossRecursion(mix, { kind: 'l2' }, N, -0.5);
    const weightOf = (nodes: number): number => {
      const f = l2MinimiserByNestedQuadrature(mix, grid.times, nodes);
      let lo = -2000;
      let hi = 100;
      for (let it = 0; it < 45; it++) {
        const mid = 0.5 * (lo + hi);
        if (f(N - 1, mid) < -0.5) lo = mid;
        else hi = mid;
      }
      const pT = { w: mix.w, m: mix.m, v: mix.v.map((v) => v + 80 * 80) };
      return pT.w.reduce((a, w, k) => a + w * normalCdf((0.5 * (lo + hi) - pT.m[k]!) / Math.sqrt(pT.v[k]!)), 0);
    };
    const reference = weightOf(24);
    // the reference's own error: 24 against 32 nodes per component (measured ≈ 1e-6)
    expect(Math.abs(reference - weightOf(32))).toBeLessThan(1e-5);
    expect(Math.abs(grid.weight - reference)).toBeLessThan(weightAccuracy({ kind: 'l2' }, N));
  });
});

describe('ct-vs-cd suite', () => {
  it('composes the note and Song et al. checks with the two study checks', async () => {
    const suite = await ctVsCdSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['note.coupling', 'note.ctBias', 'song2023.theorem2', 'studies.ctLossModeWeight', 'studies.ctTrainedBudget']);
    for (const c of suite.checks) expect(suite.subjects[c.id]).toBeDefined();
  });
});

describe('studies.ctTrainedBudget over several training seeds', () => {
  it('averages the per-seed bounds with a t interval over the seeds and pairs the comparison by seed', async () => {
    const subject = { ...trainedBudgetSubject(false), seeds: [1, 2], n: 200, comparisons: [{ label: 'CD-exact 20 not worse than CD-exact 10', a: { variant: 'cd-exact' as const, steps: 20 }, b: { variant: 'cd-exact' as const, steps: 10 } }] };
    const evidence = await ctTrainedBudget.run(subject, createCheckContext({ rng: rngFromSeed(1).child('studies.ctTrainedBudget'), falseFailRate: 1e-3, checkId: 'studies.ctTrainedBudget' }));
    const e = evidence.estimates;
    const perSeed = (arm: string, seed: number) => e[`${arm}.W2_up@t=80.seed${seed}`]!.value;
    const [a, b] = ['cd-exact (20 steps)', 'cd-exact (10 steps)'];
    // independently from the per-seed bounds: the mean of the two seeds' bounds, and of the per-seed differences of their squares
    expect(e[`${a}.W2_up@t=80`]!.value).toBeCloseTo((perSeed(a!, 1) + perSeed(a!, 2)) / 2, 12);
    expect(e[`${a}.W2_up@t=80`]!.n).toBe(2);
    const difference = e['CD-exact 20 not worse than CD-exact 10.difference']!;
    expect(difference.n).toBe(2);
    expect(difference.value).toBeCloseTo(((perSeed(a!, 1) ** 2 - perSeed(b!, 1) ** 2) + (perSeed(a!, 2) ** 2 - perSeed(b!, 2) ** 2)) / 2, 10);
    // the two seeds were evaluated on different draws: their bounds differ
    expect(perSeed(a!, 1)).not.toBe(perSeed(a!, 2));
  }, 120_000);
});

// determinism is re-checked on the cheaper control of each (the two controls share all code paths)
describeControls(ctLossModeWeight, { determinism: ['absoluteLoss'] });
describeControls(ctTrainedBudget, {
  determinism: ['fewerStepsHurts'],
  inspect: {
    fewerStepsHurts: (e) => {
      // the pooled W₂ bounds are Monte Carlo estimates over the evaluation draws: intervals, never 'exact'
      const pooled = Object.entries(e.estimates).filter(([k]) => /W2_up@t=[^.]*$/.test(k) && !k.includes('seed'));
      expect(pooled.length).toBeGreaterThan(0);
      for (const [, est] of pooled) {
        expect(est.method).toBe('clt-power-mean');
        expect(est.interval.upper).toBeGreaterThan(est.interval.lower);
      }
    },
  },
});

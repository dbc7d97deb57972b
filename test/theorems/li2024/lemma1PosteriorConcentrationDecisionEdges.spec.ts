// The decision of li2024.lemma1 beyond its controls' verdicts: the mixture branch's Chernoff tail bound against an
// independent minimisation, the reasons of the violated and inconclusive branches, the count of steps whose typical set
// is empty, and the targets it refuses. These tests kill mutants that survived the check's controls (docs/testing.md,
// mutation testing).
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { GaussianMixture, gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { ProductMixture } from '../../../src/distributions/productMixture.ts';
import { LOG_2PI } from '../../../src/numerics/normalDistribution.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { lemma1PosteriorConcentration } from '../../../theorems/li2024/lemma1PosteriorConcentration.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-12 });

describe('li2024.lemma1 on a mixture', () => {
  it('bounds the tail at a typical point by the Chernoff bound inf_θ log E[e^{θ‖Z‖²} | x] − θR of the exact posterior', async () => {
    // ½N(±1, ½), T = 100, step 27 (ᾱ ≈ ½), one probe x = 0.3 inside E_t and no draws: the posterior of Z is a two-piece
    // Gaussian mixture, Z | x, k ~ N(ν_k, σ_k²), and E[e^{θZ²}] = (1 − 2θσ²)^{−1/2} exp(θν²/(1 − 2θσ²)) per piece.
    const target = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const schedule = lhwSchedule({ T: 100, c0: 2, c1: 8 });
    const t = 27;
    const x = 0.3;
    const claimed = { c5: 4, c6: 2 };
    const e = await lemma1PosteriorConcentration.run({ target, schedule, claimed, steps: [t], probes: [{ t, x: [x] }], samples: 0 }, context());
    const a = Math.sqrt(schedule.alphaBars[t]!);
    const s2 = schedule.oneMinusAlphaBars[t]!;
    const pieces = [-1, 1].map((m) => {
      const v = 0.5;
      const c = a * a * v + s2;
      const logWeight = Math.log(0.5) - 0.5 * Math.log(2 * Math.PI * c) - (x - a * m) ** 2 / (2 * c);
      const mean = m + (a * v * (x - a * m)) / c;
      const variance = (v * s2) / c;
      return { logWeight, nu: (x - a * mean) / Math.sqrt(s2), sigma2: (a * a * variance) / s2 };
    });
    const logNorm = Math.log(pieces.reduce((acc, p) => acc + Math.exp(p.logWeight), 0));
    const R = 25 * claimed.c5 * Math.log(100);
    const objective = (theta: number): number =>
      Math.log(pieces.reduce((acc, p) => {
        const q = 1 - 2 * theta * p.sigma2;
        return acc + Math.exp(p.logWeight - logNorm - 0.5 * Math.log(q) + (theta * p.nu ** 2) / q);
      }, 0)) - theta * R;
    const thetaMax = 1 / (2 * Math.max(...pieces.map((p) => p.sigma2)));
    let grid = 0;
    for (let i = 0; i < 20000; i++) grid = Math.min(grid, objective((thetaMax * i) / 20000));
    const bound = e.estimates[`tail_bound_${t}`]!.value;
    expect(grid).toBeLessThan(-5);
    // the grid's minimum is above the true infimum by at most its spacing's second-order error
    expect(bound).toBeLessThanOrEqual(grid + 1e-9);
    expect(bound).toBeGreaterThanOrEqual(grid - 1e-6 * Math.abs(grid));
    // no probe outside E_t: the inconclusive reason does not claim any was flagged
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^No violation at the examined typical points/);
    expect(e.reason).not.toContain('flagged');
  }, 60_000);

  it('says in its reason that a probe outside E_t was flagged and not counted', async () => {
    const e = await runControl(lemma1PosteriorConcentration, 'midpointProbe');
    expect(e.reason).toContain('; probes outside E_t were flagged and not counted');
  }, 60_000);

  it('refuses a target that is not a Gaussian mixture, naming the target', async () => {
    const product = new ProductMixture([{ weights: [1], means: [0], variances: [1] }, { weights: [0.5, 0.5], means: [-1, 1], variances: [0.5, 0.5] }]);
    const run = lemma1PosteriorConcentration.run({ target: product as never, schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { c5: 5, c6: 2 } }, context());
    await expect(run).rejects.toThrow(ValidationError);
    await expect(run).rejects.toThrow(/^target: li2024\.lemma1 needs a GaussianMixture target/);
  });
});

describe('li2024.lemma1 on a single Gaussian', () => {
  /** Steps t = 1..T whose typical ellipsoid {−log p_t ≤ ½c₆ d log T} is empty: ½c₆ d log T < ½(d log 2π + Σ log c_i). */
  const emptySteps = (lambdas: readonly number[], c6: number, T: number): number => {
    const s = lhwSchedule({ T, c0: 2, c1: 8 });
    let count = 0;
    for (let t = 1; t <= T; t++) {
      const logDet = lambdas.reduce((acc, l) => acc + Math.log(s.alphaBars[t]! * l + s.oneMinusAlphaBars[t]!), 0);
      if (0.5 * c6 * lambdas.length * Math.log(T) < 0.5 * (lambdas.length * LOG_2PI + logDet)) count++;
    }
    return count;
  };

  it('counts the steps with an empty typical set, and flags none when every step has one', async () => {
    const small = await runControl(lemma1PosteriorConcentration, 'smallC6Moment');
    const count = emptySteps([1e-12], 0.001, 200);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(200);
    expect(small.diagnostics.filter((d) => d.kind === 'outside-typical-set').map((d) => d.message)).toEqual([
      `the typical set {−log p ≤ ½c₆ d log T} is empty at ${count} of 200 steps: nothing to check there`,
    ]);

    const lemma = await runControl(lemma1PosteriorConcentration, 'gaussianLemma');
    expect(emptySteps([4, 0.25], 2, 200)).toBe(0);
    expect(lemma.diagnostics.filter((d) => d.kind === 'outside-typical-set')).toEqual([]);
  }, 60_000);

  it('a violated verdict names the failing part and the constants that meet the hypotheses', async () => {
    const e = await runControl(lemma1PosteriorConcentration, 'smallC6Moment');
    expect(e.verdict).toBe('violated');
    expect(e.reason).toMatch(/^Lemma 1 fails inside the typical set for \(c₅, c₆, c_R\) = \(0\.003, 0\.001, 0\.001\), which meet its hypotheses: moment, t = 1\.\.200/);
  }, 60_000);
});

// The decision of li2024.lemma1 beyond its controls' verdicts: the mixture branch's Chernoff tail bound against an
// independent minimisation, the reasons of the violated and inconclusive branches, the count of steps whose typical set
// is empty, and the targets it refuses. These tests kill mutants that survived the check's controls (docs/testing.md,
// mutation testing).
import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { GaussianMixture, gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { ProductMixture } from '../../../src/distributions/productMixture.ts';
import { LOG_2PI } from '../../../src/numerics/normalDistribution.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { geometricSteps } from '../../../src/index.ts';
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

describe('li2024.lemma1: the tail between its bounds, and a mixture that breaks the moment bound', () => {
  it('a single Gaussian whose moment bound holds and whose tail lies between its exact lower and Chernoff upper bounds is inconclusive, and says so', async () => {
    // N(0, 10⁻⁶), T = 40, (c₅, c₆) = (0.06, 0.01): the allowed log tail −c₅ log T ≈ −0.221 lies between the largest
    // exact lower bound (≈ −1.07) and the largest Chernoff bound (≈ −0.077) over t = 1..40.
    const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
    const [v, c5, c6] = [1e-6, 0.06, 0.01];
    const e = await lemma1PosteriorConcentration.run({ target: gaussian([0], [v]), schedule, claimed: { c5, c6 } }, context());
    expect(e.parts.map((p) => p.verdict)).toEqual(['holds', 'inconclusive']);
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toBe('The moment bound holds at every step, but the tail lies between its lower and upper bounds at some step for (c₅, c₆, c_R) = (0.06, 0.01, 0).');
    // the lower bound, written out: at the point of the typical set farthest along the axis, Z | x ~ N(ν, σ²) with
    // ν = √(2ρ(1−ᾱ)/c), σ² = ᾱv/c, c = ᾱv + 1 − ᾱ, ρ = ½c₆ log T − ½ log(2πc); log P(Z² > 25c₅ log T)
    const allowed = -c5 * Math.log(40);
    let lower = -Infinity;
    for (let t = 1; t <= 40; t++) {
      const [a, s2] = [schedule.alphaBars[t]!, schedule.oneMinusAlphaBars[t]!];
      const c = a * v + s2;
      const rho = 0.5 * c6 * Math.log(40) - 0.5 * Math.log(2 * Math.PI * c);
      if (rho < 0) continue;
      const nu = Math.sqrt((2 * rho * s2) / c);
      const sd = Math.sqrt((a * v) / c);
      const r = Math.sqrt(25 * c5 * Math.log(40));
      lower = Math.max(lower, Math.log(0.5 * erfc((r - nu) / (sd * Math.SQRT2)) + 0.5 * erfc((r + nu) / (sd * Math.SQRT2))));
    }
    const lowerBound = e.estimates['tail_lower_bound']!.value;
    expect(Math.abs(lowerBound - lower)).toBeLessThanOrEqual(1e-9 * Math.abs(lower));
    const upper = e.estimates['tail_bound']!.value;
    expect(lowerBound).toBeLessThan(allowed);
    expect(upper).toBeGreaterThan(allowed);
    expect(e.parts[1]!.reason).toMatch(new RegExp(`^max_t log sup_E P\\(‖Z‖² > 25c₅d log T \\| x\\) ∈ \\[${lowerBound.toPrecision(4)} \\(t = \\d+\\), ${upper.toPrecision(4)} \\(t = \\d+\\)\\] vs −c₅d log T = ${allowed.toPrecision(4)}$`));
    expect('witness' in e).toBe(false);
  }, 60_000);

  it('a mixture of two near point masses breaks the moment bound at t = 1: violated, the witness a draw whose E[‖Z‖²|x] is read back', async () => {
    // ½N(±10⁻⁶, 10⁻¹²), T = 40, (c₅, c₆, c_R) = (0.003, 0.001, 0.001): Z | x is ≈ the point (x − √ᾱ₁X₀)/√(1−ᾱ₁), so
    // E[‖Z‖²|x] = x²/(1−ᾱ₁) to ≈ 1e-3 relative; the typical set reaches x²/(1−ᾱ₁) ≈ 8.8 while 144c₅ log T ≈ 1.59.
    const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
    const target = new GaussianMixture([0.5, 0.5], [[-1e-6], [1e-6]], [[1e-12], [1e-12]]);
    const e = await lemma1PosteriorConcentration.run({ target, schedule, claimed: { c5: 0.003, c6: 0.001, cR: 0.001 }, steps: [1], samples: 16 }, context());
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    const sup = e.estimates['E|Z|^2_sup_1']!.value;
    const bound = 144 * 0.003 * Math.log(40);
    expect(sup).toBeGreaterThan(bound);
    const x = e.witness.point![0]!;
    expect(Math.abs(sup - (x * x) / schedule.oneMinusAlphaBars[1]!)).toBeLessThanOrEqual(1e-3 * sup);
    expect(e.witness.value).toBe(sup);
    expect(e.witness.time).toBe(1);
    expect(e.witness.description).toBe(`E[‖Z‖² | X_1 = x] = ${sup.toPrecision(4)} > 144c₅d log T = ${bound.toPrecision(4)} with −log p_t(x) ≤ ½c₆ d log T`);
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([['t=1', 'violated']]);
    expect(e.parts[0]!.reason).toMatch(new RegExp(`^sup E\\[‖Z‖²\\|x\\] ≥ ${sup.toPrecision(4)} vs 144c₅d log T = ${bound.toPrecision(4)}; log tail ≤ `));
    expect(e.parts[0]!.reason).toContain('(at 16 draws; a sup over points is a lower bound)');
    const c5Hat = sup / Math.log(40);
    expect(e.estimates['c_5_hat']!.value).toBe(c5Hat);
    expect(e.reason).toBe(`Lemma 1 fails inside the typical set for (c₅, c₆, c_R) = (0.003, 0.001, 0.001), which meet its hypotheses: t=1 (ĉ₅ ≥ ${c5Hat.toPrecision(4)}).`);
  }, 60_000);

  it('the near-point-mass controls name their target', async () => {
    for (const name of ['smallC6Moment', 'smallC6Tail']) {
      const subject = await lemma1PosteriorConcentration.controls.find((c) => c.name === name)!.build(rngFromSeed(1));
      expect((subject.target as GaussianMixture).name, name).toBe('near-point-mass-1d');
    }
  });
});

describe('li2024.lemma1 on a single Gaussian: the witnesses of each part', () => {
  const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
  const target = gaussian([0], [1e-12]);
  const logT = Math.log(40);

  it('the moment part’s witness lies on the boundary −log p_t = ½c₆ log T and carries the exact sup; the reported steps are 1 and 5 geometric steps', async () => {
    const [c5, c6] = [0.003, 0.001];
    const e = await lemma1PosteriorConcentration.run({ target, schedule, claimed: { c5, c6, cR: 0.001 } }, context());
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    const sup = e.estimates['E|Z|^2_sup']!.value;
    const t = e.estimates['t_moment_worst']!.value;
    const bound = 144 * c5 * logT;
    expect(e.witness.time).toBe(t);
    expect(e.witness.value).toBe(sup);
    expect(e.witness.description).toBe(`E[‖Z‖² | X_${t} = x] = ${sup.toPrecision(6)} > 144c₅d log T = ${bound.toPrecision(6)} with −log p_t(x) = ½c₆ d log T`);
    // −log p_t(x) of N(0, c) at the witness, written out: ½ log(2πc) + x²/(2c) = ½c₆ log T
    const c = schedule.alphaBars[t]! * 1e-12 + schedule.oneMinusAlphaBars[t]!;
    const x = e.witness.point![0]!;
    expect(Math.abs(0.5 * Math.log(2 * Math.PI * c) + (x * x) / (2 * c) - 0.5 * c6 * logT)).toBeLessThanOrEqual(1e-9);
    expect(e.parts[0]!.reason).toBe(`max_t sup_E E[‖Z‖²|x] = ${sup.toPrecision(6)} (exact, t = ${t}) vs 144c₅d log T = ${bound.toPrecision(6)}`);
    const reported = Object.keys(e.estimates).filter((k) => /^E\|Z\|\^2_sup_\d+$/.test(k)).map((k) => Number(k.split('_').pop())).sort((a, b) => a - b);
    // step 1 and 5 geometric steps, less those whose typical set is empty (½c₆ log T < ½ log(2πc_s))
    const nonEmpty = (s: number): boolean => c6 * logT >= Math.log(2 * Math.PI * (schedule.alphaBars[s]! * 1e-12 + schedule.oneMinusAlphaBars[s]!));
    const expected = [...new Set([1, ...geometricSteps(40, 5)])].filter(nonEmpty).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(1);
    expect(reported).toEqual(expected);
    for (const s of reported) expect(Object.keys(e.estimates)).toContain(`tail_bound_${s}`);
  }, 60_000);

  it('a tail part that alone fails: its witness is the exact lower bound e^{…} at a point of the typical set', async () => {
    const [c5, c6] = [0.03, 0.01];
    const e = await lemma1PosteriorConcentration.run({ target, schedule, claimed: { c5, c6, cR: 0.01 } }, context());
    expect(e.parts.map((p) => p.verdict)).toEqual(['holds', 'violated']);
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    const lower = e.estimates['tail_lower_bound']!.value;
    const allowed = -c5 * logT;
    expect(lower).toBeGreaterThan(allowed);
    expect(e.witness.value).toBe(Math.exp(lower));
    expect(e.witness.description).toBe(`P(‖Z‖² > 25c₅d log T | X_${e.witness.time} = x) ≥ e^{${lower.toPrecision(4)}} > e^{−c₅d log T} = e^{${allowed.toPrecision(4)}} with −log p_t(x) = ½c₆ d log T`);
    expect(e.reason).toBe(`Lemma 1 fails inside the typical set for (c₅, c₆, c_R) = (0.03, 0.01, 0.01), which meet its hypotheses: tail, t = 1..40 (ĉ₅ = ${(e.estimates['E|Z|^2_sup']!.value / logT).toPrecision(4)}).`);
  }, 60_000);
});

// The decision logic of li2024.typicalSet near its edges: the claim at the realised ĉ₄ itself and just above it, the
// last step t = T, the parts and witness of each branch, the mixture's p-value, and the input it refuses. These
// tests kill the mutants that survived the check's controls (docs/testing.md, mutation table).
import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { gaussian, GaussianMixture, type NoisedMixture } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { subjectKey, typicalSet } from '../../../theorems/li2024/typicalSet.ts';

const T = 200;
const schedule = lhwSchedule({ T, c0: 2, c1: 8 });
/**
 * N(0, ¼): C_t = 1 − ¾ᾱ_t grows with t, so P_t grows with t; from t ≈ 185 on, ᾱ_t < 1e-14 and C_t = 1 to float64,
 * so the last steps tie for the worst, and a claim just above ĉ₄ is exceeded on a band of steps that ends at t = T.
 */
const narrow = gaussian([0], [0.25]);
const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
const runNarrow = (c4: number): Promise<Evidence> => typicalSet.run({ target: narrow, schedule, claimed: { c3: 1, c4 }, monteCarloSteps: [T], samples: 1000 }, context(3));
const mcSteps = (e: Evidence): number[] => e.parts.filter((p) => p.name.startsWith('Monte Carlo t=')).map((p) => Number(p.name.slice('Monte Carlo t='.length)));

describe('li2024.typicalSet at its threshold (single Gaussian, worst step t = T)', () => {
  it('holds at c₄ = the realised ĉ₄ (within the 1e-12 slack of exact logs) and is violated at ĉ₄·(1 + 1e-9), on a band of steps ending at t = T', async () => {
    const first = await runNarrow(1);
    const worst = first.estimates['t_worst']!.value;
    expect(worst).toBeGreaterThan(150);
    const c4Hat = first.estimates['c_4_hat']!.value;
    expect(c4Hat).toBeGreaterThan(1);

    const atHat = await runNarrow(c4Hat);
    expect(atHat.verdict, atHat.reason).toBe('holds');
    expect(atHat.parts[0]!.reason).not.toContain('exceeded');
    expect(atHat.reason).toBe(`The exact tail P(X_t ∉ E_t) is ≤ $T^{−c₄d}$ at every step t = 1..200 for (c₃, c₄) = (1, ${c4Hat}); realised ĉ₄ = ${c4Hat.toPrecision(6)} (worst step t = ${worst}).`);

    const above = await runNarrow(c4Hat * (1 + 1e-9));
    expect(above.verdict, above.reason).toBe('violated');
    // the steps that tie with the worst exceed T^{−c₄d}, up to and including t = T (the loop covers t = 1..T)
    const band = /exceeded at (\d+) of 200 steps \(t = (\d+)\.\.(\d+)\)/.exec(above.parts[0]!.reason)!;
    expect(band, above.parts[0]!.reason).not.toBeNull();
    expect(Number(band[2])).toBeLessThanOrEqual(worst);
    expect(Number(band[3])).toBe(T);
    expect(Number(band[1])).toBe(T - Number(band[2]) + 1);
    if (above.verdict !== 'violated') throw new Error('unreachable');
    expect(above.witness?.time).toBe(worst);
    const tau = Math.exp(-c4Hat * (1 + 1e-9) * Math.log(T));
    const pWorst = above.estimates['P_worst']!.value;
    expect(above.witness?.description).toBe(`P(X_${worst} ∉ E_${worst}) = ${pWorst.toPrecision(6)} > $T^{−c₄d}$ = ${tau.toPrecision(6)} at step ${worst} (exact χ² tail; ĉ₄ = ${c4Hat.toPrecision(6)} < c₄ = ${c4Hat * (1 + 1e-9)})`);
    expect(above.reason).toBe(`P(X_t ∉ E_t) exceeds $T^{−c₄d}$ = ${tau.toPrecision(4)} for (c₃, c₄) = (1, ${c4Hat * (1 + 1e-9)}): exactly, at ${band[1]} of 200 steps (worst t = ${worst}, ĉ₄ = ${c4Hat.toPrecision(6)}).`);
  }, 60_000);

  it('a single Gaussian is decided by the exact tails alone: one part, no p-value, Monte Carlo only as a cross-check', async () => {
    const e = await runControl(typicalSet, 'gaussianClaim');
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([[`t = 1..${T}`, 'holds']]);
    expect(e.parts[0]!.reason).not.toContain('exceeded');
    expect(e.pValue).toBeUndefined();
    expect(e.estimates['P_worst']).toBeDefined();
    expect(e.estimates['c_3']!.value).toBe(2);
    expect(e.estimates['c_4']!.value).toBe(1);
    expect(e.diagnostics.every((d) => typeof d.kind === 'string')).toBe(true);
    expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
  }, 60_000);
});

/** P(Bin(n, τ) ≥ k) from the Monte Carlo estimate, combined over the m examined steps as m·min (Bonferroni). */
function expectedPValue(e: Evidence, tau: number): number {
  const n = Number(/(\d+) draws per step/.exec(e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message)![1]);
  const steps = mcSteps(e);
  const p = steps.map((t) => {
    const outside = Math.round(e.estimates[`P_${t}_mc`]!.value * n);
    return outside === 0 ? 1 : 1 - jStat.binomial.cdf(outside - 1, n, tau);
  });
  return Math.min(1, steps.length * Math.min(...p));
}

describe('li2024.typicalSet on mixtures (the bound, then Monte Carlo)', () => {
  it('ring8Claim: the bound part and every Monte Carlo step hold, in increasing t with the worst step; p-value 1; no harness error', async () => {
    const e = await runControl(typicalSet, 'ring8Claim');
    expect(e.parts[0]!.verdict).toBe('holds');
    const steps = mcSteps(e);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toContain(e.estimates['t_worst']!.value);
    expect(e.parts.slice(1).every((p) => p.verdict === 'holds')).toBe(true);
    // a mixture's ĉ₄ comes from an upper bound on the tail: a sure lower bound on the realised ĉ₄ ('≥')
    expect(e.reason).toMatch(/^The upper-bound tail P\(X_t ∉ E_t\) is ≤ \$T\^\{−c₄d\}\$ at every step t = 1\.\.\d+ for \(c₃, c₄\) = \(\S+, \S+\); realised ĉ₄ ≥ (\S+) \(worst step t = (\d+)\)\.$/);
    expect(e.reason).toContain(`realised ĉ₄ ≥ ${e.estimates['c_4_hat']!.value.toPrecision(6)} (worst step t = ${e.estimates['t_worst']!.value}).`);
    expect(e.estimates['P_worst_bound']).toBeDefined();
    expect(e.pValue).toBe(expectedPValue(e, 200 ** -2));
    expect(e.diagnostics.every((d) => typeof d.kind === 'string')).toBe(true);
    expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
  }, 60_000);

  it('lowLevelBimodal and hugeScaleMixture: the witness is the first violated Monte Carlo step (its Clopper–Pearson lower end above τ); the p-value is P(Bin(n, τ) ≥ k), Bonferroni over the steps', async () => {
    for (const [name, tau] of [['lowLevelBimodal', 200 ** -0.1], ['hugeScaleMixture', 200 ** -1]] as const) {
      const e = await runControl(typicalSet, name);
      if (e.verdict !== 'violated') throw new Error(`${name}: expected violated, got ${e.verdict}: ${e.reason}`);
      const firstViolated = e.parts.find((p) => p.name.startsWith('Monte Carlo') && p.verdict === 'violated')!;
      expect(e.witness?.time, name).toBe(Number(firstViolated.name.slice('Monte Carlo t='.length)));
      expect(e.witness?.description).toContain('Clopper–Pearson lower end');
      expect(e.witness!.value).toBeGreaterThan(tau);
      expect(e.witness!.value).toBe(e.estimates[`P_${e.witness!.time}_mc`]!.interval.lower);
      // 1e-12 relative: the same float64 formula, summed in the same order
      const expected = expectedPValue(e, tau);
      expect(Math.abs(e.pValue! - expected), name).toBeLessThanOrEqual(1e-12 * expected);
      expect(e.pValue).toBeLessThan(1e-3);
      expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
    }
  }, 120_000);
});

describe('li2024.typicalSet refuses what it cannot decide', () => {
  it('Monte Carlo steps outside 1..T or not integers, naming monteCarloSteps; a target that is not a GaussianMixture', async () => {
    for (const steps of [[0], [2.5], [T + 1]]) {
      await expect(typicalSet.run({ target: narrow, schedule, claimed: { c3: 1, c4: 1 }, monteCarloSteps: steps, samples: 100 }, context(1))).rejects.toThrow(/steps must be integers in \[1, 200\]/);
    }
    await expect(typicalSet.run({ target: { dim: 1 } as never, schedule, claimed: { c3: 1, c4: 1 } }, context(1))).rejects.toThrow(/needs a GaussianMixture target/);
    await expect(typicalSet.run({ target: { dim: 1 } as never, schedule, claimed: { c3: 1, c4: 1 } }, context(1))).rejects.toMatchObject({ field: 'target' });
    await expect(typicalSet.run({ target: narrow, schedule, claimed: { c3: 1, c4: 1 }, monteCarloSteps: [0], samples: 100 }, context(1))).rejects.toMatchObject({ field: 'monteCarloSteps' });
  });
});

describe('li2024.typicalSet: what a mixture verdict says', () => {
  it('lowLevelBimodal: the reason names the Monte Carlo steps that show the violation', async () => {
    const e = await runControl(typicalSet, 'lowLevelBimodal');
    expect(e.verdict).toBe('violated');
    const violated = e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name.replace('Monte Carlo ', ''));
    expect(violated.length).toBeGreaterThan(0);
    expect(e.reason).toContain(`by Monte Carlo (Clopper–Pearson lower end above $T^{−c₄d}$) at ${violated.join(', ')}`);
  }, 60_000);

  it('ring8-2d with c₄ = 5: the mixture bound is exceeded and 200 draws cannot show P_t > 200^{−10}: inconclusive, and the reason says why', async () => {
    const e = await typicalSet.run({ target: builtInTarget('ring8-2d'), schedule, claimed: { c3: 2, c4: 5 }, monteCarloSteps: [1, T], samples: 200 }, context(4));
    expect(e.verdict, e.reason).toBe('inconclusive');
    expect(e.parts[0]!.verdict).toBe('inconclusive');
    const exceeded = Number(/exceeded at (\d+) of 200 steps/.exec(e.parts[0]!.reason)![1]);
    expect(exceeded).toBeGreaterThan(0);
    const steps = mcSteps(e);
    expect(e.reason).toContain(`exceeds $T^{−c₄d}$ at ${exceeded} of ${T} steps and Monte Carlo at ${steps.length} steps cannot show a violation`);
  }, 60_000);

  it('subjectKey tells subjects apart by their claims, steps and samples, and is stable', () => {
    const base = { target: narrow, schedule, claimed: { c3: 1, c4: 1 } };
    const key = subjectKey(base);
    expect(subjectKey({ ...base, claimed: { c3: 1, c4: 1 } })).toBe(key);
    const others = [{ ...base, claimed: { c3: 1, c4: 2 } }, { ...base, claimed: { c3: 2, c4: 1 } }, { ...base, monteCarloSteps: [5] }, { ...base, samples: 10 }, { ...base, target: gaussian([0], [0.5]) }];
    const keys = new Set([key, ...others.map(subjectKey)]);
    expect(keys.size).toBe(others.length + 1);
  });
});

describe('li2024.typicalSet harness guard', () => {
  it('a mixture whose sampler draws from a wider law than its bound describes: Monte Carlo exceeds the sure bound and a numerical diagnostic says so', async () => {
    /** bimodal-1d whose noised marginals have 1000× the noise scale: the χ² bound is of the true law, the draws are not. */
    class WrongSampler extends GaussianMixture {
      override noised(signal: number, noise: number): NoisedMixture {
        return super.noised(signal, 1000 * noise);
      }
    }
    const target = new WrongSampler([0.5, 0.5], [[-2], [2]], [[0.25], [0.25]]);
    // at t = T the true marginal is ≈ N(0, 1): P(−log p > log 200) ≈ 1e-3 (|x| > 2.9); the wide law has −log p ≈ 7.8 > 5.3 everywhere
    const e = await typicalSet.run({ target, schedule, claimed: { c3: 1, c4: 1 }, monteCarloSteps: [T], samples: 500 }, context(6));
    const numerical = e.diagnostics.filter((d) => d.kind === 'numerical');
    expect(numerical.length).toBeGreaterThan(0);
    // at every examined step (t = T and the bound's worst step): the draws are almost all outside E_t
    expect(numerical.map((d) => Number(/^t=(\d+): Monte Carlo lower end \S+ exceeds the sure upper bound/.exec(d.message)?.[1]))).toEqual(mcSteps(e));
  });
});

describe('li2024.typicalSet: the edge of E_t', () => {
  it('a draw with −log p exactly γ = c₃d log T lies in E_t = {−log p ≤ γ} and is not counted outside', async () => {
    const gamma = Math.log(T); // c₃ = 1, d = 1
    /** bimodal-1d whose marginals report −log p = γ at every draw: every draw sits on the boundary of E_t. */
    class OnTheBoundary extends GaussianMixture {
      override noised(signal: number, noise: number): NoisedMixture {
        const marginal = super.noised(signal, noise);
        return Object.assign(Object.create(marginal) as NoisedMixture, { logDensity: (x: { n: number }) => new Float64Array(x.n).fill(-gamma) });
      }
    }
    const target = new OnTheBoundary([0.5, 0.5], [[-2], [2]], [[0.25], [0.25]]);
    const events: { fraction: number; message?: string }[] = [];
    const ctx = createCheckContext({ rng: rngFromSeed(9).child('edges'), falseFailRate: 1e-3, onProgress: (event) => { if (event.type === 'check-progress') events.push({ fraction: event.fraction, ...(event.message === undefined ? {} : { message: event.message }) }); } });
    const e = await typicalSet.run({ target, schedule, claimed: { c3: 1, c4: 1 }, monteCarloSteps: [T], samples: 200 }, ctx);
    const monteCarlo = e.parts.filter((p) => p.name.startsWith('Monte Carlo t='));
    expect(monteCarlo.length).toBeGreaterThan(0);
    const steps = mcSteps(e);
    const tau = 1 / T; // T^{−c₄d} with c₄ = d = 1
    for (const [k, part] of monteCarlo.entries()) {
      const mc = e.estimates[`P_${steps[k]}_mc`]!;
      expect(part.reason).toBe(`0/200 outside E_t, Clopper–Pearson [${mc.interval.lower.toPrecision(4)}, ${mc.interval.upper.toPrecision(4)}] vs $T^{−c₄d}$ = ${tau.toPrecision(4)}; bound ${e.estimates[`P_${steps[k]}_bound`]!.value.toPrecision(4)}`);
    }
    // one progress event per Monte Carlo step, naming it, at fractions k/m
    expect(events).toEqual(steps.map((t, k) => ({ fraction: k / steps.length, message: `Monte Carlo t = ${t}` })));
  });
});

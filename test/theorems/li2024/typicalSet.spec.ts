import { describe, expect, it } from 'vitest';
import { geometricSteps } from '../../../src/checks/lhw/lhwSetting.ts';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { HypothesisError } from '../../../src/core/errors.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { typicalSet } from '../../../theorems/li2024/typicalSet.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(typicalSet, {
  inspect: {
    hugeScaleData: (e) => {
      // At t = T the noise dominates (C_T ≈ 1 + ᾱ_T σ²) and the tail drops below T^{−c₄d}: only small t fail.
      const tau = 200 ** -1;
      expect(e.estimates['P_200']!.value).toBeLessThan(tau);
      expect(e.estimates['P_1']!.value).toBeGreaterThan(tau);
    },
    lowLevelBimodal: (e) => {
      // the Monte Carlo steps include the worst step of the bound, and only there is the violation visible
      const worst = e.estimates['t_worst']!.value;
      expect(e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual([`Monte Carlo t=${worst}`]);
    },
    hugeScaleMixture: (e) => {
      // decided by the Monte Carlo branch: the bound part alone is inconclusive
      expect(e.parts.find((p) => p.name === 't = 1..200')!.verdict).toBe('inconclusive');
      expect(e.parts.some((p) => p.name.startsWith('Monte Carlo') && p.verdict === 'violated')).toBe(true);
      expect(e.estimates['c_4_hat']!.interval.upper).toBe(Infinity);
    },
  },
});

/**
 * Independent brute force for aniso-gaussian-2d (eigenvalues 4 and ¼): −log p_t(X_t) = log 2π + ½ log det C_t + ½χ²₂
 * and P(χ²₂ > x) = e^{−x/2}, so log P_t = −γ + log 2π + ½ log det C_t with γ = c₃·2·log T; ĉ₄(t) = −log P_t/(2 log T).
 */
function anisoC4(T: number, c3: number): { c4: number[]; min: number; argmin: number } {
  const schedule = lhwSchedule({ T, c0: 2, c1: 8 });
  const gamma = c3 * 2 * Math.log(T);
  const c4 = [Number.NaN];
  let min = Infinity;
  let argmin = 0;
  for (let t = 1; t <= T; t++) {
    const ab = schedule.alphaBars[t]!;
    const om = schedule.oneMinusAlphaBars[t]!;
    const logP = -gamma + Math.log(2 * Math.PI) + 0.5 * (Math.log(4 * ab + om) + Math.log(0.25 * ab + om));
    c4.push(-logP / (2 * Math.log(T)));
    if (c4[t]! < min) [min, argmin] = [c4[t]!, t];
  }
  return { c4, min, argmin };
}

describe('li2024.typicalSet estimates', () => {
  it('reports the exact χ²₂ tails and the realised ĉ₄ = min over every t = 1..T (brute force) for the Gaussian control', async () => {
    const e = await runControl(typicalSet, 'gaussianClaim');
    const { c4, min, argmin } = anisoC4(200, 2);
    for (const t of geometricSteps(200, 6, 1)) {
      const logP = -c4[t]! * 2 * Math.log(200);
      expect(Math.abs(Math.log(e.estimates[`P_${t}`]!.value) - logP)).toBeLessThanOrEqual(1e-12 * Math.abs(logP));
    }
    expect(Math.abs(e.estimates['c_4_hat']!.value - min)).toBeLessThanOrEqual(1e-12 * min);
    expect(e.estimates['t_worst']!.value).toBe(argmin);
  });

  it('decides every step: the worst step of aniso-gaussian-2d at T = 1024 is interior, between the geometric steps', async () => {
    const { c4, min, argmin } = anisoC4(1024, 2);
    // The constants of the interior-step controls straddle the true minimum 1.85133 (t = 255, ᾱ ≈ ½) …
    expect(min).toBeGreaterThan(1.85);
    expect(min).toBeLessThan(1.857);
    expect(argmin).toBe(255);
    // … and 6 geometric steps (what the check examined before) would have missed it: their minimum is above 1.857.
    expect(Math.min(...geometricSteps(1024, 6).map((t) => c4[t]!))).toBeGreaterThan(1.857);
    const e = await runControl(typicalSet, 'interiorStepAboveMinimum');
    if (e.verdict !== 'violated') throw new Error(`expected violated, got ${e.verdict}: ${e.reason}`);
    expect(e.witness?.time).toBe(argmin);
    expect(Math.abs(e.estimates['c_4_hat']!.value - min)).toBeLessThanOrEqual(1e-12 * min);
  });

  it('gives the example `--target aniso-gaussian-2d --schedule T=1024,c0=2,c1=8 --claim c3=2 --claim c4=1.857` the verdict violated', async () => {
    const subject = { target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 1024, c0: 2, c1: 8 }), claimed: { c3: 2, c4: 1.857 }, samples: 2000 };
    const ctx = createCheckContext({ rng: rngFromSeed(7).child('example'), falseFailRate: 1e-3 });
    const e = await typicalSet.run(subject, ctx);
    expect(e.verdict).toBe('violated');
    // exceeded exactly on a contiguous band of interior steps around t = 255 (log det C_t is concave in ᾱ_t)
    const { c4 } = anisoC4(1024, 2);
    const band = c4.map((v, t) => (v < 1.857 ? t : -1)).filter((t) => t > 0);
    expect(e.parts[0]!.reason).toContain(`exceeded at ${band.length} of 1024 steps (t = ${band[0]}..${band[band.length - 1]})`);
    expect(band.length).toBe(band[band.length - 1]! - band[0]! + 1);
  });

  it('refuses claims outside the statement (c₃, c₄ must be positive) with a named error', async () => {
    const ctx = createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 });
    const base = { target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 64, c0: 2, c1: 8 }) };
    await expect(typicalSet.run({ ...base, claimed: { c3: 2, c4: 0 } }, ctx)).rejects.toThrow(HypothesisError);
    await expect(typicalSet.run({ ...base, claimed: { c3: -1, c4: 1 } }, ctx)).rejects.toThrow(/claimed\.c3/);
  });

  it('agrees with Monte Carlo where the tail is visible (hugeScaleData, t = T: within the Clopper–Pearson interval)', async () => {
    const e = await runControl(typicalSet, 'hugeScaleData');
    const exact = e.estimates['P_200']!.value;
    const mc = e.estimates['P_200_mc']!;
    // Clopper–Pearson at level 1 − 2·1e-3/m (m ≤ 7 steps): misses the truth with probability ≤ 3e-4 (fixed seed).
    expect(exact).toBeGreaterThanOrEqual(mc.interval.lower);
    expect(exact).toBeLessThanOrEqual(mc.interval.upper);
    expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
  });
});

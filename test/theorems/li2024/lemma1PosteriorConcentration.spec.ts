import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { HypothesisError } from '../../../src/core/errors.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import type { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { LOG_2PI } from '../../../src/numerics/normalDistribution.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { lemma1PosteriorConcentration } from '../../../theorems/li2024/lemma1PosteriorConcentration.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(lemma1PosteriorConcentration, {
  inspect: {
    midpointProbe: (e) => {
      // The probe is flagged, and counting it would have violated the moment bound 144c₅ d log T (c₅ = 5, T = 100).
      const flagged = e.diagnostics.filter((d) => d.kind === 'outside-typical-set');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]!.value! * Math.log(100)).toBeGreaterThan(144 * 5 * Math.log(100));
    },
  },
});

describe('li2024.lemma1 estimates', () => {
  it('reports the exact sup of E[‖Z‖²|x] over the Gaussian typical ellipsoid, matching a search over its boundary', async () => {
    const e = await runControl(lemma1PosteriorConcentration, 'gaussianLemma');
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const schedule = lhwSchedule({ T: 200, c0: 2, c1: 8 });
    const t = 63;
    const ab = schedule.alphaBars[t]!;
    const om = schedule.oneMinusAlphaBars[t]!;
    const marginal = target.noised(Math.sqrt(ab), Math.sqrt(om));
    // Ellipsoid {x : −log p_t(x) ≤ ½c₆ d log T} with c₆ = 2, d = 2, parametrised by angle through C^{1/2}.
    const { values, vectors: U } = target.eigen[0]!;
    const c = Array.from(values, (l) => ab * l + om);
    const rho = 0.5 * 2 * 2 * Math.log(200) - 0.5 * (2 * LOG_2PI + Math.log(c[0]!) + Math.log(c[1]!));
    const m = Array.from(target.means[0]!, (v) => Math.sqrt(ab) * v);
    let best = 0;
    const n = 3600;
    const x = pointBatch(n, 2);
    for (let i = 0; i < n; i++) {
      const th = (2 * Math.PI * i) / n;
      const y = [Math.sqrt(2 * rho * c[0]!) * Math.cos(th), Math.sqrt(2 * rho * c[1]!) * Math.sin(th)];
      for (let a = 0; a < 2; a++) x.data[i * 2 + a] = m[a]! + U[a * 2 + 0]! * y[0]! + U[a * 2 + 1]! * y[1]!;
    }
    // E[‖Z‖²|x] = (‖x − √ᾱ x̂₀‖² + ᾱ tr Cov(X₀|x))/(1−ᾱ), from the oracle's posterior moments.
    const mean = marginal.posteriorMean(x);
    const cov = marginal.posteriorCovariance(x);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let a = 0; a < 2; a++) v += (x.data[i * 2 + a]! - Math.sqrt(ab) * mean.data[i * 2 + a]!) ** 2;
      v = (v + ab * (cov[i * 4]! + cov[i * 4 + 3]!)) / om;
      best = Math.max(best, v);
    }
    const sup = e.estimates[`E|Z|^2_sup_${t}`]!.value;
    // The search lies on the boundary, at most a (2π/3600)²-relative angle error below the sup; never above it.
    expect(best).toBeLessThanOrEqual(sup * (1 + 1e-12));
    expect(best).toBeGreaterThanOrEqual(sup * (1 - 1e-5));
  });
});

describe('li2024.lemma1 hypotheses', () => {
  const base = { target: builtInTarget('aniso-gaussian-2d'), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }) };
  const ctx = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-12 });

  it('refuses claims with c₅ < 2c₆ + c_R (the former violated control c₅ = 0.005, c₆ = 2 among them) with a named error', async () => {
    await expect(lemma1PosteriorConcentration.run({ ...base, claimed: { c5: 0.005, c6: 2 } }, ctx())).rejects.toThrow(HypothesisError);
    await expect(lemma1PosteriorConcentration.run({ ...base, claimed: { c5: 4.5, c6: 2, cR: 1 } }, ctx())).rejects.toThrow(/^claimed\.c5: Lemma 1 assumes c₅ ≥ 2c₆ \+ c_R = 5/);
    await expect(lemma1PosteriorConcentration.run({ ...base, claimed: { c5: 1, c6: 0 } }, ctx())).rejects.toThrow(/^claimed\.c6/);
    await expect(lemma1PosteriorConcentration.run({ ...base, claimed: { c5: 1, c6: 0.1, cR: -1 } }, ctx())).rejects.toThrow(/^claimed\.cR/);
  });

  it('every violated control meets the hypotheses c₅ ≥ 2c₆ + c_R', async () => {
    for (const control of lemma1PosteriorConcentration.controls) {
      const subject = await control.build(rngFromSeed(0));
      const { c5, c6, cR } = subject.claimed;
      expect(c5, control.name).toBeGreaterThanOrEqual(2 * c6 + (cR ?? 0));
    }
  });

  it('decides the near-point-mass controls from independent closed forms at t = 1 (the worst step)', async () => {
    // Z | x is (x/√(1−ᾱ₁)) up to a spread √(ᾱλ/c) ≈ 2e-4; on the boundary −log p = ½c₆ log T:
    // with c = ᾱ₁λ + 1 − ᾱ₁ the ellipsoid's radius² is 2ρ = c₆ log T − log 2π − log c and the posterior mean of Z at
    // its edge is √(2ρ(1−ᾱ₁)/c), so E[‖Z‖²|x] = 2ρ(1−ᾱ₁)/c + σ² with σ² = ᾱ₁λ/c.
    const schedule = lhwSchedule({ T: 200, c0: 2, c1: 8 });
    const ab = schedule.alphaBars[1]!;
    const c = ab * 1e-12 + schedule.oneMinusAlphaBars[1]!;
    const logT = Math.log(200);
    for (const [name, c5, c6] of [['smallC6Moment', 0.003, 0.001], ['smallC6Tail', 0.03, 0.01]] as const) {
      const e = await runControl(lemma1PosteriorConcentration, name);
      const sup = ((c6 * logT - Math.log(2 * Math.PI) - Math.log(c)) * schedule.oneMinusAlphaBars[1]!) / c + (ab * 1e-12) / c;
      expect(e.estimates['t_moment_worst']!.value).toBe(1);
      expect(Math.abs(e.estimates['E|Z|^2_sup']!.value - sup)).toBeLessThanOrEqual(1e-9 * sup);
      if (name === 'smallC6Moment') expect(sup).toBeGreaterThan(144 * c5 * logT);
      else {
        expect(sup).toBeLessThan(144 * c5 * logT); // the moment part holds …
        expect(e.parts.find((p) => p.name.startsWith('moment'))!.verdict).toBe('holds');
        expect(e.parts.find((p) => p.name.startsWith('tail'))!.verdict).toBe('violated'); // … the tail does not
        expect(sup).toBeGreaterThan(25 * c5 * logT + 1); // ‖Z‖² exceeds the radius² by > 5000 posterior sds
      }
    }
  });

  it('the tail part of a Gaussian is decided both ways near the radius where it flips', async () => {
    const near = { target: gaussian([0], [1e-12]), schedule: lhwSchedule({ T: 200, c0: 2, c1: 8 }) };
    // c₆ = 0.01: ‖Z‖² ≈ 8.8 at t = 1; radius² 25c₅ log T crosses it at c₅ ≈ 0.0666
    const at = async (c5: number) => (await lemma1PosteriorConcentration.run({ ...near, claimed: { c5, c6: 0.01, cR: 0.01 } }, ctx())).parts.find((p) => p.name.startsWith('tail'))!.verdict;
    expect(await at(0.06)).toBe('violated');
    expect(await at(0.2)).toBe('holds');
  });
});

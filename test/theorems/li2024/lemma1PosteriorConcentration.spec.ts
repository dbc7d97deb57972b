import { describe, expect, it } from 'vitest';
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

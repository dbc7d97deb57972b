import { describe, expect, it } from 'vitest';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { ReclockedModel, timeAtSigma } from '../../../src/models/reclockedModel.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import type { ForwardProcess } from '../../../src/processes/forwardProcess.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

/** f* of `process` as a model (certified reference flow to the process's own tMin), per point's time. */
function exactModel(target: ReturnType<typeof builtInTarget>, process: ForwardProcess): ConsistencyFunction {
  const flow = referenceFlow(target, process, { rtol: 1e-11, atol: 1e-11 });
  return {
    id: `exact-${process.kind}`,
    precision: 'float64',
    evaluate: (x, t) => {
      const times = typeof t === 'number' ? new Float64Array(x.n).fill(t) : t;
      const out = new Float64Array(x.n * x.d);
      for (let i = 0; i < x.n; i++) out.set(flow.consistency(pointBatch(1, x.d, x.data.slice(i * x.d, (i + 1) * x.d)), times[i]!).data, i * x.d);
      return pointBatch(x.n, x.d, out);
    },
  };
}

describe('timeAtSigma inverts every clock', () => {
  it('σ(timeAtSigma(σ)) = σ on VE, VP/OU and the Li–Huang–Wei clock', () => {
    const processes = [varianceExploding({ tMin: 0.002, tMax: 80 }), ornsteinUhlenbeck({ tMin: 1e-4, tMax: 10 }), lhwSchedule({ T: 200 }).process()];
    for (const p of processes) for (const sigma of [1e-3, 0.1, 1, 7, 60]) expect(p.sigma(timeAtSigma(p, sigma)) / sigma - 1).toBeLessThan(1e-13);
  });
});

describe('ReclockedModel: the exact consistency function of one clock is the other’s', () => {
  it('VE f* viewed on the VP/OU clock equals the OU f* (solver accuracy), with matching boundaries', () => {
    const target = builtInTarget('ring8-2d');
    const ou = ornsteinUhlenbeck({ tMin: 0.002, tMax: 3 });
    // the VE boundary at the same noise level as OU's: σ = √(e^{2·0.002} − 1)
    const ve = varianceExploding({ tMin: ou.sigma(ou.tMin), tMax: 80 });
    const viewed = new ReclockedModel(exactModel(target, ve), ve, ou, { boundaryTolerance: 1e-12 });
    const direct = exactModel(target, ou);
    const rng = rngFromSeed(3).child('reclock');
    for (const u of [0.01, 0.3, 1.2, 2.9]) {
      const x = target.noised(ou.signalScale(u), ou.noiseScale(u)).sample(6, rng.child(`u${u}`));
      const a = viewed.evaluate(x, u).data;
      const b = direct.evaluate(x, u).data;
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-7);
    }
    expect(viewed.boundarySigmaMismatch).toBeLessThan(1e-12);
  });

  it('the Li–Huang–Wei sequence f_t from a VE model: x_VE = x_VP/√ᾱ_t at σ_t² = (1 − ᾱ_t)/ᾱ_t, equal to the lhw f*', () => {
    const target = builtInTarget('bimodal-1d');
    const schedule = lhwSchedule({ T: 100 });
    const lhw = schedule.process();
    // the VE model must cover the schedule's whole noise range (σ_T ≈ 2.4e7 at T = 100 with c₁ = 8)
    const ve = varianceExploding({ tMin: lhw.sigma(lhw.tMin), tMax: 1.001 * lhw.sigma(lhw.tMax) });
    const viewed = new ReclockedModel(exactModel(target, ve), ve, lhw, { boundaryTolerance: 1e-12 });
    const direct = exactModel(target, lhw);
    for (const step of [2, 30, 100]) {
      const u = schedule.timeOfStep(step);
      const sigma2 = schedule.oneMinusAlphaBars[step]! / schedule.alphaBars[step]!;
      expect(viewed.modelTime(u) ** 2 / sigma2 - 1).toBeLessThan(1e-12);
      const x = pointBatch(4, 1, new Float64Array([-2.5, -0.3, 0.1, 1.9]));
      const a = viewed.evaluate(x, u).data;
      const b = direct.evaluate(x, u).data;
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-7);
    }
  });

  it('refuses times outside the range the model was trained on, and reports a boundary mismatch', () => {
    const target = builtInTarget('bimodal-1d');
    const ve = varianceExploding({ tMin: 0.002, tMax: 5 });
    const ou = ornsteinUhlenbeck({ tMin: 0.002, tMax: 8 });
    const viewed = new ReclockedModel(exactModel(target, ve), ve, ou);
    expect(viewed.boundarySigmaMismatch).toBeGreaterThan(0);
    // OU time 8 is σ = √(e^16 − 1) ≈ 2981 on VE: far beyond the model's tMax = 5
    expect(() => viewed.evaluate(pointBatch(1, 1, new Float64Array([0])), 8)).toThrow(/outside the range it was trained on \[0\.002, 5\]/);
    expect(() => new ReclockedModel(exactModel(target, ve), ve, ou, { boundaryTolerance: 1e-6 })).toThrow(/boundary σ\(tMin\)/);
  });
});

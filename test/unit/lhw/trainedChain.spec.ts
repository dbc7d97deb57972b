import { describe, expect, it } from 'vitest';
import {
  builtInTarget,
  compareWithBound,
  describeStepsOutsideRange,
  exactConsistencyFunction,
  exactEstimate,
  flowSequence,
  GaussianMixture,
  lhwSchedule,
  lhwScheduleForModelRange,
  lhwSequenceOfModel,
  masterBound,
  ornsteinUhlenbeck,
  referenceFlow,
  rngFromSeed,
  stepsOutsideModelRange,
  varianceExploding,
  viewTrainedChain,
  exactModelAsTrained,
  type Estimate,
} from '../../../src/index.ts';

describe('schedule (23) fitted to a model’s trained range', () => {
  for (const process of [varianceExploding(), ornsteinUhlenbeck()]) {
    it(`${process.kind}: σ₁ = σ(tMin) and σ_T = σ(tMax) (relative 1e-10), every step inside the range`, () => {
      const constants = lhwScheduleForModelRange(process, 1000);
      const schedule = lhwSchedule(constants);
      const lhw = schedule.process();
      const sigma = (t: number): number => lhw.sigma(schedule.timeOfStep(t));
      expect(Math.abs(sigma(1) / process.sigma(process.tMin) - 1)).toBeLessThanOrEqual(1e-10);
      expect(sigma(1000)).toBeLessThanOrEqual(process.sigma(process.tMax));
      expect(sigma(1000) / process.sigma(process.tMax)).toBeGreaterThanOrEqual(1 - 1e-10);
      expect(stepsOutsideModelRange(process, schedule)).toEqual({ below: [], above: [] });
    });
  }

  it('a declared schedule beyond the range is named, step by step, and not evaluated', () => {
    const ve = varianceExploding();
    const schedule = lhwSchedule({ T: 1000, c0: 2, c1: 8 });
    const outside = stepsOutsideModelRange(ve, schedule);
    // β₁ = T^{−2} ⇒ σ₁ = 1e-3 < 0.002; u_T ≈ (c₁ − c₀)log T ≫ log(1 + 80²)
    expect(outside.below[0]).toBe(2);
    expect(outside.above[outside.above.length - 1]).toBe(1000);
    expect(describeStepsOutsideRange(ve, schedule)).toMatch(/leaves the range the model was trained on .* not extrapolated/);
    const subject = { ...exactModelAsTrained(builtInTarget('bimodal-1d') as GaussianMixture, ve, 1000), schedule: { T: 1000, c0: 2, c1: 8 } };
    const view = viewTrainedChain(subject);
    expect(view.ok).toBe(false);
  });
});

describe('a trained model viewed as the Li–Huang–Wei sequence', () => {
  it('the VE f* of ring8-2d on the fitted schedule is the flow sequence Φ_t of the ᾱ-clock (solver accuracy)', () => {
    const target = builtInTarget('ring8-2d') as GaussianMixture;
    const ve = varianceExploding();
    const schedule = lhwSchedule(lhwScheduleForModelRange(ve, 200));
    const sequence = lhwSequenceOfModel(exactConsistencyFunction(referenceFlow(target, ve)), ve, schedule);
    const flows = flowSequence({ target, schedule });
    for (const t of [2, 50, 200]) {
      const x = target.noised(Math.sqrt(schedule.alphaBars[t]!), Math.sqrt(schedule.oneMinusAlphaBars[t]!)).sample(16, rngFromSeed(t));
      const a = sequence.evaluate(t, x).data;
      const b = flows.evaluate(t, x).data;
      // two ODE solves at rtol 1e-10 on different clocks (σ and ᾱ) of the same flow
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-7);
    }
  });
});

describe('the bound against the measured error', () => {
  const clt = (value: number, half: number): Estimate => ({ value, interval: { lower: value - half, upper: value + half, level: 0.99 }, method: 'clt-mean', n: 10, standardError: half / 2.58 });

  it('adds a declared ε exactly and a measured ε̂_tot in quadrature', () => {
    const D = clt(0.1, 0.02);
    expect(masterBound(0.5, D, 0.99)).toMatchObject({ value: 0.6, interval: { lower: 0.58, upper: 0.62 } });
    const sum = masterBound(clt(0.5, 0.03), D, 0.99);
    expect(sum.value).toBeCloseTo(0.6, 12);
    expect(sum.interval.upper - sum.value).toBeCloseTo(Math.hypot(0.03, 0.02), 3);
  });

  it('holds only with the whole measured interval below the bound’s, violated only above, tightness = bound/measured', () => {
    const bound = clt(1, 0.1);
    expect(compareWithBound(clt(0.5, 0.1), bound).verdict).toBe('holds');
    expect(compareWithBound(clt(0.85, 0.1), bound).verdict).toBe('inconclusive');
    expect(compareWithBound(clt(1.5, 0.1), bound).verdict).toBe('violated');
    const t = compareWithBound(clt(0.5, 0.1), bound).tightness;
    expect(t.value).toBeCloseTo(2, 12);
    expect(t.interval.lower).toBeCloseTo(0.9 / 0.6, 12);
    expect(t.interval.upper).toBeCloseTo(1.1 / 0.4, 12);
    expect(compareWithBound(exactEstimate(0), bound).tightness.value).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('D̂_T on the estimator path', () => {
  it('a Gaussian written as a two-component mixture: the stratified, quadrature estimate covers the closed-form D_T', async () => {
    const { idealisedDiscretisation, gaussianIdealisedErrors } = await import('../../../src/index.ts');
    const twin = new GaussianMixture([0.5, 0.5], [[0.3], [0.3]], [[0.5], [0.5]]);
    const schedule = lhwSchedule({ T: 400, c0: 2, c1: 8 });
    const exact = gaussianIdealisedErrors([0.5], schedule, 'ct', 'mean').D;
    const options = { points: 64, nodes: 3, strata: 16, perStratum: 2, level: 0.999 };
    const D = idealisedDiscretisation({ target: twin, schedule }, options).estimate;
    expect(D.method).toBe('clt-sum');
    expect(D.interval.lower).toBeLessThanOrEqual(exact);
    expect(D.interval.upper).toBeGreaterThanOrEqual(exact);
    // informative at level 0.999 with 33 measured steps: the upper end within a factor 3 of D_T (measured: value 0.00986
    // vs 0.00997, upper 0.0266; the between-step spread inside a stratum dominates the width)
    expect(D.interval.upper).toBeLessThan(3 * exact);
  });

  it('a flow target of another law is not served the cached D̂_T of the setting\'s own target', async () => {
    const { idealisedDiscretisation } = await import('../../../src/index.ts');
    const twin = new GaussianMixture([0.5, 0.5], [[0.3], [0.3]], [[0.5], [0.5]]);
    const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
    const options = { points: 16, nodes: 3, strata: 4, perStratum: 2, level: 0.99 };
    const own = idealisedDiscretisation({ target: twin, schedule }, options);
    expect(idealisedDiscretisation({ target: twin, schedule }, options)).toBe(own);
    // the flows of N(0.3, 2) against the posterior of N(0.3, ½): Δ_t no longer telescopes, D̂_T is another number
    const other = idealisedDiscretisation({ target: twin, schedule }, options, new GaussianMixture([0.5, 0.5], [[0.3], [0.3]], [[2], [2]]));
    expect(other).not.toBe(own);
    expect(Math.abs(other.estimate.value - own.estimate.value)).toBeGreaterThan(10 * own.estimate.value);
  });
});

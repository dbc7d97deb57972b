import { describe, expect, it } from 'vitest';
import { pointBatch, type PointBatch } from '../../../src/core/pointBatch.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { constantOffset, droppedTMinBoundaryScalings, inflatedScore, missingSqrtCIn } from '../../../src/models/brokenModels.ts';
import { denoiserAsConsistencyFunction, exactConsistencyFunction, markovCoupledCtSolution } from '../../../src/models/exactConsistency.ts';
import { boundaryError, flowResidual, rmsDistance } from '../../../src/models/modelDiagnostics.ts';
import { droppedTMinParameterization, edmParameterization, missingSqrtCInParameterization, parameterizationDefects } from '../../../src/models/parameterization.ts';
import { idealNetwork, parameterizedConsistency, randomFeatureNetwork } from '../../../src/models/parameterizedConsistency.ts';

// 1-D Gaussian N(μ, λ) under VE σ = t: f*(x, t) = μ + √((λ+ε²)/(λ+t²))·(x − μ) (THEORY §4.4).
const mu = 0.3;
const lambda = 0.25;
const process = varianceExploding(); // ε = 0.002, T = 80
const eps = process.tMin;
const target = gaussian([mu], [lambda]);
const closedForm = (x: number, t: number): number => mu + Math.sqrt((lambda + eps * eps) / (lambda + t * t)) * (x - mu);

function gridPoints(n: number, scale: number): PointBatch {
  const x = pointBatch(n, 1);
  for (let i = 0; i < n; i++) x.data[i] = mu + scale * (-3 + (6 * i) / (n - 1));
  return x;
}

describe('edmParameterization', () => {
  it('has c_skip(tMin) = 1 and c_out(tMin) = 0 exactly for VE, OU and the LHW clock', () => {
    for (const p of [varianceExploding(), ornsteinUhlenbeck(), lhwSchedule({ T: 200 }).process()]) {
      const param = edmParameterization(p);
      expect(param.cSkip(p.tMin)).toBe(1);
      expect(param.cOut(p.tMin)).toBe(0);
    }
  });

  it('reduces to the paper scalings for VE (THEORY §3.2)', () => {
    const param = edmParameterization(process);
    const sd = 0.5;
    for (const t of [0.002, 0.01, 0.5, 3, 80]) {
      // float64 rounding of a handful of operations: 8 ulps relative
      const tol = 8 * Number.EPSILON;
      expect(Math.abs(param.cSkip(t) - sd ** 2 / ((t - eps) ** 2 + sd ** 2))).toBeLessThanOrEqual(tol);
      expect(Math.abs(param.cOut(t) - (sd * (t - eps)) / Math.sqrt(sd ** 2 + t ** 2))).toBeLessThanOrEqual(tol * Math.max(1, t));
      expect(Math.abs(param.cIn(t) * Math.sqrt(t * t + sd * sd) - 1)).toBeLessThanOrEqual(tol);
    }
  });

  it('passes the conformance identities, and the two diffusers defects fail them', () => {
    const times = [0.002, 0.1, 1, 10, 80];
    const good = parameterizationDefects(edmParameterization(process), process, times);
    expect(good.cSkipAtTMin).toBe(0);
    expect(good.cOutAtTMin).toBe(0);
    expect(good.inputScale).toBeLessThanOrEqual(4 * Number.EPSILON);
    const dropped = parameterizationDefects(droppedTMinParameterization(process), process, times);
    // c_skip(ε) = σd²/(ε²+σd²) → |c_skip − 1| = ε²/(ε²+σd²) ≈ 1.6e-5; c_out(ε) = εσd/√(σd²+ε²) ≈ 2e-3
    // 1 − c_skip cancels: absolute error up to ~1 ulp of 1
    expect(Math.abs(dropped.cSkipAtTMin - eps ** 2 / (eps ** 2 + 0.25))).toBeLessThan(2 * Number.EPSILON);
    expect(dropped.cOutAtTMin).toBeGreaterThan(1.9e-3);
    const noSqrt = parameterizationDefects(missingSqrtCInParameterization(process), process, times);
    // at t = 80: c_in·√(t²+σd²) − 1 = 1/√(t²+σd²) − 1 ≈ −0.9875
    expect(noSqrt.inputScale).toBeGreaterThan(0.98);
  });
});

describe('parameterizedConsistency', () => {
  it('meets the boundary condition bit for bit around a random network (VE, OU, LHW)', () => {
    for (const p of [varianceExploding(), ornsteinUhlenbeck(), lhwSchedule({ T: 200 }).process()]) {
      const f = parameterizedConsistency(edmParameterization(p), randomFeatureNetwork(3, rngFromSeed(1).child('F')));
      const x = pointBatch(50, 3, rngFromSeed(2).fillNormal(new Float64Array(150)));
      // ≤ 1e-12 is the contract; the construction gives exactly 0 (c_skip = 1, c_out = 0 in float64)
      expect(boundaryError(f, x, p.tMin)).toBe(0);
    }
  });

  it('reproduces f* with the ideal network of the correct scalings', () => {
    const exact = exactConsistencyFunction(referenceFlow(target, process));
    const param = edmParameterization(process);
    const f = parameterizedConsistency(param, idealNetwork(exact, param));
    const x = gridPoints(21, 5);
    // cancellation (f* − c_skip x)/c_out·c_out loses at most a few ulps of max(|f*|, |x|) ≤ 20
    expect(rmsDistance(f, exact, x, 7)).toBeLessThan(1e-13);
  });
});

describe('exactConsistencyFunction', () => {
  it('equals the closed form f* of a 1-D Gaussian to 1e-12', () => {
    const f = exactConsistencyFunction(referenceFlow(target, process));
    for (const t of [0.01, 0.7, 80]) {
      const x = gridPoints(11, Math.sqrt(lambda + t * t));
      const y = f.evaluate(x, t);
      for (let i = 0; i < x.n; i++) expect(Math.abs(y.data[i]! - closedForm(x.data[i]!, t))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x.data[i]!)));
    }
  });

  it('returns x at tMin and accepts one time per point', () => {
    const f = exactConsistencyFunction(referenceFlow(target, process));
    const x = gridPoints(4, 1);
    expect(boundaryError(f, x, eps)).toBe(0);
    const y = f.evaluate(x, Float64Array.from([eps, 1, 80, 1]));
    expect(y.data[0]).toBe(x.data[0]);
    expect(Math.abs(y.data[2]! - closedForm(x.data[2]!, 80))).toBeLessThan(1e-12);
    expect(Math.abs(y.data[3]! - closedForm(x.data[3]!, 1))).toBeLessThan(1e-12);
  });
});

describe('broken models (negative controls)', () => {
  const exact = exactConsistencyFunction(referenceFlow(target, process));
  const flow = referenceFlow(target, process);
  const flowMap = (x: PointBatch, from: number, to: number): PointBatch => flow.map(x, from, to).y;
  const xT = gridPoints(21, Math.sqrt(lambda + 80 * 80));
  const xBoundary = gridPoints(21, 1);
  // Detection thresholds: a valid float64 model has boundary error 0 (≤ 1e-12 allowed) and RMS distance to f*
  // at the ODE tolerance (~1e-10); every control must exceed 1e-6 on at least one of the two.
  const DETECT = 1e-6;

  it('droppedTMinBoundaryScalings misses the boundary by (ε²/(ε²+σd²))|x| + c_out(ε)|F|', () => {
    const F = randomFeatureNetwork(1, rngFromSeed(3).child('F'));
    const f = droppedTMinBoundaryScalings(process, F);
    const bad = droppedTMinParameterization(process);
    const err = boundaryError(f, xBoundary, eps);
    expect(err).toBeGreaterThan(DETECT);
    let predicted = 0;
    const u = { n: xBoundary.n, d: 1, data: xBoundary.data.map((v) => bad.cIn(eps) * v) };
    const Fv = F(u, eps);
    for (let i = 0; i < xBoundary.n; i++) predicted = Math.max(predicted, Math.abs((bad.cSkip(eps) - 1) * xBoundary.data[i]! + bad.cOut(eps) * Fv.data[i]!));
    expect(Math.abs(err - predicted)).toBeLessThan(1e-15);
  });

  it('missingSqrtCIn keeps the boundary but is far from f* at large t', () => {
    const f = missingSqrtCIn(process, exact);
    expect(boundaryError(f, xBoundary, eps)).toBe(0);
    // it evaluates f* at x/√(t²+σd²): RMS error ≈ gain·RMS|x − μ − (x−μ)/80| ≈ 0.5·(80·1.8)/80 = O(1)
    expect(rmsDistance(f, exact, xT, 80)).toBeGreaterThan(0.1);
  });

  it('constantOffset misses the boundary by exactly ‖b‖∞', () => {
    const f = constantOffset(exact, [0.01]);
    expect(Math.abs(boundaryError(f, xBoundary, eps) - 0.01)).toBeLessThan(1e-15);
  });

  it('the denoiser misses the boundary by the posterior shrinkage and has a flow residual', () => {
    const f = denoiserAsConsistencyFunction(target, process);
    // D(x, ε) − x = −(ε²/(λ+ε²))(x − μ) exactly (THEORY §4.4)
    const err = boundaryError(f, xBoundary, eps);
    let predicted = 0;
    for (const v of xBoundary.data) predicted = Math.max(predicted, ((eps * eps) / (lambda + eps * eps)) * Math.abs(v - mu));
    expect(Math.abs(err - predicted)).toBeLessThan(1e-15);
    expect(err).toBeGreaterThan(DETECT);
    expect(flowResidual(f, flowMap, xT, 80, 1)).toBeGreaterThan(0.1);
    expect(flowResidual(exact, flowMap, xT, 80, 1)).toBeLessThan(1e-9);
  });

  it('the Markov-coupled CT solution keeps the boundary but squares the exact gain (collapse)', () => {
    const f = markovCoupledCtSolution(target, process);
    expect(boundaryError(f, xBoundary, eps)).toBe(0);
    // E[X_ε | X_t = x] = μ + ((λ+ε²)/(λ+t²))(x − μ): the square of f*'s gain (THEORY §5.3)
    const y = f.evaluate(xT, 80);
    for (let i = 0; i < xT.n; i++) {
      const expected = mu + ((lambda + eps * eps) / (lambda + 6400)) * (xT.data[i]! - mu);
      expect(Math.abs(y.data[i]! - expected)).toBeLessThan(1e-12);
    }
    expect(rmsDistance(f, exact, xT, 80)).toBeGreaterThan(0.1);
  });

  it('inflatedScore(1) is f* up to the RK4 error, inflatedScore(2) has the squared gain', () => {
    const one = inflatedScore(target, process, 1);
    const two = inflatedScore(target, process, 2);
    // RK4 with h = log(80/0.002)/400 ≈ 0.026: local error O(h⁵), global ≲ 1e-7 here
    expect(rmsDistance(one, exact, xT, 80)).toBeLessThan(1e-7);
    const y = two.evaluate(xT, 80);
    for (let i = 0; i < xT.n; i++) {
      const expected = mu + ((lambda + eps * eps) / (lambda + 6400)) * (xT.data[i]! - mu);
      expect(Math.abs(y.data[i]! - expected)).toBeLessThan(1e-7 * Math.max(1, Math.abs(xT.data[i]!)));
    }
    expect(rmsDistance(two, exact, xT, 80)).toBeGreaterThan(0.1);
  });
});

import { describe, expect, it } from 'vitest';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { multistepConsistencySampling } from '../../../src/models/multistepSampling.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const lambda = 0.25;
const mu = 0.3;
const target = gaussian([mu], [lambda]);
const n = 200_000;

const variance = (data: Float64Array): number => {
  let m = 0;
  for (const v of data) m += v;
  m /= data.length;
  let s = 0;
  for (const v of data) s += (v - m) ** 2;
  return s / (data.length - 1);
};
// SE of a Gaussian sample variance: v·√(2/(n−1)). 5 SE two-sided: false-fail rate 6e-7 per assertion (fixed seeds).
const se = (v: number): number => v * Math.sqrt(2 / (n - 1));

describe('multistepConsistencySampling', () => {
  // ε = 0.1 as in THEORY §6.3 CM-MS, so the naive re-noise error (λ+ε²)·ε²/(λ+τ²) is resolvable
  const ve = varianceExploding({ tMin: 0.1, tMax: 80 });
  const exactVe = exactConsistencyFunction(referenceFlow(target, ve));
  const eps2 = 0.01;
  const taus = [2, 0.5, 0.3];

  it('with f* returns p_ε in law after every round (VE, re-noise √(τ² − ε²))', () => {
    const one = multistepConsistencySampling(exactVe, ve, { n, rng: rngFromSeed(1), start: 'exact-marginal', target });
    const many = multistepConsistencySampling(exactVe, ve, { n, rng: rngFromSeed(1), start: 'exact-marginal', target, taus });
    for (const out of [one, many]) expect(Math.abs(variance(out.data) - (lambda + eps2))).toBeLessThan(5 * se(lambda + eps2));
  });

  it('with the naive τ·z re-noise inflates the variance as the closed-form recursion predicts (negative control)', () => {
    const naive = multistepConsistencySampling(exactVe, ve, { n, rng: rngFromSeed(1), start: 'exact-marginal', target, taus, renoise: 'naive-tau' });
    // per round v ← K(τ)²(v + τ²), K(τ)² = (λ+ε²)/(λ+τ²), from v = λ+ε² (THEORY §6.3: (λ+ε²)(1 + ε²/(λ+τ²)) after one round)
    let v = lambda + eps2;
    for (const tau of taus) v = ((lambda + eps2) / (lambda + tau * tau)) * (v + tau * tau);
    expect(Math.abs(variance(naive.data) - v)).toBeLessThan(5 * se(v));
    expect(v - (lambda + eps2)).toBeGreaterThan(10 * se(v));
  });

  it('with f* on OU returns the law of X_δ = e^{−δ}X₀ + √(1−e^{−2δ})Z (the VP counterpart)', () => {
    const ou = ornsteinUhlenbeck({ tMin: 0.1, tMax: 6 });
    const f = exactConsistencyFunction(referenceFlow(target, ou));
    const out = multistepConsistencySampling(f, ou, { n, rng: rngFromSeed(2), start: 'exact-marginal', target, taus: [3, 1, 0.4] });
    const a = Math.exp(-0.1);
    const want = a * a * lambda + (1 - a * a);
    expect(Math.abs(variance(out.data) - want)).toBeLessThan(5 * se(want));
  });

  it('refuses re-noise times that do not strictly decrease, naming the entry', () => {
    expect(() => multistepConsistencySampling(exactVe, ve, { n: 4, rng: rngFromSeed(3), target, taus: [0.5, 2] })).toThrow(/taus\[1\]: re-noise times must strictly decrease/);
    expect(() => multistepConsistencySampling(exactVe, ve, { n: 4, rng: rngFromSeed(3), target, taus: [0.1] })).toThrow(/taus\[0\]/);
  });
});

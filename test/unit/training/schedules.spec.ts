import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { ctCurriculumSchedule, ictDoublingSchedule } from '../../../src/training/schedules/ctCurriculumSchedule.ts';
import { sampleIndices } from '../../../src/training/schedules/discretizationSchedule.ts';
import { lognormalIndexSampler, uniformIndexSampler } from '../../../src/training/schedules/indexSamplers.ts';
import { karrasSchedule, karrasTimes } from '../../../src/training/schedules/karrasSchedule.ts';
import { inverseStepWeighting, pseudoHuberLoss, squaredL2Loss } from '../../../src/training/losses/consistencyLoss.ts';

const isNonDecreasing = (f: (k: number) => number, K: number): boolean => {
  for (let k = 1; k <= K; k++) if (f(k) < f(k - 1)) return false;
  return true;
};

describe('karrasTimes', () => {
  it('is increasing with exact end points and the ρ = 7 interior', () => {
    const t = karrasTimes(18);
    expect(t[0]).toBe(0.002);
    expect(t[17]).toBe(80);
    for (let i = 1; i < 18; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    const a = 0.002 ** (1 / 7);
    const b = 80 ** (1 / 7);
    // same arithmetic in a different order: a few ulps of relative difference
    for (let i = 1; i < 17; i++) expect(Math.abs(t[i]! / (a + (i / 17) * (b - a)) ** 7 - 1)).toBeLessThan(1e-14);
    expect(karrasSchedule({ N: 18 }).stageAt(12345)).toBe(18);
  });
});

describe('ctCurriculumSchedule', () => {
  const K = 1000;
  it('has N(0) = s0, N(K) = s1 + 1 and never decreases', () => {
    const s = ctCurriculumSchedule({ totalSteps: K, s0: 2, s1: 150 });
    expect(s.stageAt(0)).toBe(2);
    expect(s.stageAt(K)).toBe(151);
    expect(isNonDecreasing((k) => s.stageAt(k), K)).toBe(true);
    // negative control: the same curriculum run backwards is caught by the monotonicity predicate
    expect(isNonDecreasing((k) => s.stageAt(K - k), K)).toBe(false);
  });

  it('gives μ(0) = μ0 in the paper form and μ0^{s0/(s0−1)} in the code form', () => {
    const paper = ctCurriculumSchedule({ totalSteps: K, s0: 2, mu0: 0.9 });
    const code = ctCurriculumSchedule({ totalSteps: K, s0: 2, mu0: 0.9, emaForm: 'code-off-by-one' });
    expect(Math.abs(paper.emaRate(0) - 0.9)).toBeLessThan(4 * Number.EPSILON);
    expect(Math.abs(code.emaRate(0) - 0.81)).toBeLessThan(4 * Number.EPSILON);
    // at the end: exp(2 log 0.9 / 151) vs exp(2 log 0.9 / 150)
    expect(Math.abs(paper.emaRate(K) - Math.exp((2 * Math.log(0.9)) / 151))).toBeLessThan(4 * Number.EPSILON);
    expect(code.id).toBe('ct-curriculum-code-off-by-one');
  });
});

describe('ictDoublingSchedule', () => {
  it('takes exactly the values 11, 21, 41, …, 1281 for (s0, s1) = (10, 1280)', () => {
    const K = 8000;
    const s = ictDoublingSchedule({ totalSteps: K });
    const seen = new Set<number>();
    for (let k = 0; k < K; k++) seen.add(s.stageAt(k));
    expect([...seen].sort((a, b) => a - b)).toEqual([11, 21, 41, 81, 161, 321, 641, 1281]);
    expect(isNonDecreasing((k) => s.stageAt(k), K)).toBe(true);
  });
});

describe('lognormalIndexSampler', () => {
  const times = karrasTimes(41);
  const p = lognormalIndexSampler().probabilities(times, 0);

  it('gives positive probabilities summing to 1 that equal the lognormal mass of each interval', () => {
    let sum = 0;
    for (const v of p) {
      expect(v).toBeGreaterThan(0);
      sum += v;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-14);
    // independent computation: composite Simpson (2000 panels) of the N(−1.1, 2²) density of log σ over
    // each interval, normalised by the telescoped total; Simpson's error here is < 1e-12 relative
    const density = (y: number): number => Math.exp(-0.5 * ((y + 1.1) / 2) ** 2) / (2 * Math.sqrt(2 * Math.PI));
    const mass = (lo: number, hi: number): number => {
      const m = 2000;
      const h = (hi - lo) / m;
      let s = density(lo) + density(hi);
      for (let j = 1; j < m; j++) s += (j % 2 === 1 ? 4 : 2) * density(lo + j * h);
      return (s * h) / 3;
    };
    const masses = Array.from({ length: 40 }, (_, i) => mass(Math.log(times[i]!), Math.log(times[i + 1]!)));
    const total = masses.reduce((a, b) => a + b, 0);
    masses.forEach((m, i) => expect(Math.abs(p[i]! - m / total)).toBeLessThan(1e-10 * Math.max(p[i]!, 1e-3)));
  });

  it('differs from uniform indices (negative control) and from the flipped-sign mean by TV > 0.1', () => {
    const u = uniformIndexSampler().probabilities(times, 0);
    const flipped = lognormalIndexSampler({ pMean: 1.1 }).probabilities(times, 0);
    const tv = (a: Float64Array, b: Float64Array): number => 0.5 * a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);
    expect(tv(p, u)).toBeGreaterThan(0.1);
    expect(tv(p, flipped)).toBeGreaterThan(0.1);
  });

  it('is sampled by inverse CDF, with frequencies within 4 standard errors', () => {
    // 4 SE per cell over 40 cells: false-fail rate ≈ 40 × 6e-5 = 2.5e-3 (fixed seed: deterministic)
    const n = 20000;
    const idx = sampleIndices(p, n, rngFromSeed(11));
    const counts = new Float64Array(40);
    for (const i of idx) counts[i] = counts[i]! + 1;
    p.forEach((pi, i) => expect(Math.abs(counts[i]! / n - pi)).toBeLessThan(4 * Math.sqrt((pi * (1 - pi)) / n) + 1 / n));
  });
});

describe('losses', () => {
  it('pseudo-Huber uses c = 0.00054·√d and equals √(s + c²) − c', () => {
    const loss = pseudoHuberLoss({ dim: 3072 });
    const c = 0.00054 * Math.sqrt(3072);
    expect(loss.id).toBe(`pseudo-huber(c=${c})`);
    const a = pointBatch(2, 2, Float64Array.from([0, 0, 1, 1]));
    const b = pointBatch(2, 2, Float64Array.from([3, 4, 1, 1 + 1e-6]));
    const dist = loss.distance(a, b);
    expect(Math.abs(dist[0]! - (Math.sqrt(25 + c * c) - c))).toBeLessThan(1e-14);
    // tiny difference: d ≈ s/(2c), computed without cancellation
    expect(Math.abs(dist[1]! / (1e-12 / (2 * c)) - 1)).toBeLessThan(1e-6);
    expect(loss.weighting.id).toBe('inverse-step');
  });

  it('squared-ℓ2 and pseudo-Huber agree between float64 and the tfjs tensor form (value and gradient) to float32 precision', async () => {
    await tf.setBackend('cpu');
    const diff = tf.tensor2d([0.3, -0.4, 1e-3, 2e-3, 5, 1], [3, 2]);
    const a = pointBatch(3, 2, Float64Array.from([0.3, -0.4, 1e-3, 2e-3, 5, 1]));
    const zero = pointBatch(3, 2);
    for (const loss of [squaredL2Loss(), pseudoHuberLoss({ dim: 2 })]) {
      const { distance: t, gradient } = loss.tensorDistanceAndGradient(diff);
      const got = await t.data();
      // gradient against a central difference of the float64 distance in coordinate 0 of each row
      const g = await gradient.data();
      for (let i = 0; i < 3; i++) {
        const h = 1e-6;
        const plus = pointBatch(1, 2, Float64Array.from([a.data[2 * i]! + h, a.data[2 * i + 1]!]));
        const minus = pointBatch(1, 2, Float64Array.from([a.data[2 * i]! - h, a.data[2 * i + 1]!]));
        const fd = (loss.distance(plus, pointBatch(1, 2))[0]! - loss.distance(minus, pointBatch(1, 2))[0]!) / (2 * h);
        // FD truncation O(h²·d''') plus float32 rounding of g: 1e-5 relative
        expect(Math.abs(g[2 * i]! - fd)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fd)));
      }
      gradient.dispose();
      const want = loss.distance(a, zero);
      // float32: relative error ≲ 1e-6 for these well-conditioned inputs
      want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(w), 1e-6)));
      t.dispose();
    }
    diff.dispose();
  });

  it('weights 1/(σ_{i+1} − σ_i) and rejects an empty interval', () => {
    expect(inverseStepWeighting().weight(1, 1.25)).toBe(4);
    expect(() => inverseStepWeighting().weight(1, 1)).toThrow(/tHigh > tLow/);
  });
});

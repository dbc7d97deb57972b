import { describe, expect, it } from 'vitest';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { fitAffineSequential } from '../../../src/training/affineTraining.ts';
import { consistencyDistillationVariant } from '../../../src/training/variants/consistencyDistillation.ts';
import { consistencyTrainingVariant } from '../../../src/training/variants/consistencyTraining.ts';
import { improvedConsistencyTrainingVariant } from '../../../src/training/variants/improvedConsistencyTraining.ts';
import { lhwSequentialTrainingVariant } from '../../../src/training/variants/lhwSequentialTraining.ts';

const lambda = 0.25;
const mu = 0.3;
const target = gaussian([mu], [lambda]);
const ve = varianceExploding();

describe('variants: pairs', () => {
  it('CT (VE and OU) uses one shared z for student and teacher', () => {
    for (const p of [ve, ornsteinUhlenbeck()]) {
      const v = consistencyTrainingVariant(p, { totalSteps: 10, s0: 6, s1: 5 });
      const times = v.schedule.times(6);
      const x0 = target.sample(50, rngFromSeed(1));
      const idx = Int32Array.from({ length: 50 }, (_, i) => i % 5);
      const pairs = v.makePairs(x0, times, idx, { target, process: p, step: 0 }, rngFromSeed(2));
      for (let i = 0; i < 50; i++) {
        const lo = times[idx[i]!]!;
        const hi = times[idx[i]! + 1]!;
        const zs = (pairs.studentX.data[i]! - p.signalScale(hi) * x0.data[i]!) / p.noiseScale(hi);
        const zt = (pairs.teacherX.data[i]! - p.signalScale(lo) * x0.data[i]!) / p.noiseScale(lo);
        expect(Math.abs(zs - zt)).toBeLessThan(1e-9 * Math.max(1, Math.abs(zs)) / p.noiseScale(lo));
        expect(pairs.studentT[i]).toBe(hi);
        expect(pairs.teacherT[i]).toBe(lo);
      }
    }
  });

  it('CD-exact steps with the reference flow; CD-Euler with gain (λ + t_n t_{n+1})/(λ + t_{n+1}²)', () => {
    const x0 = target.sample(20, rngFromSeed(3));
    const idx = new Int32Array(20).fill(7);
    const exact = consistencyDistillationVariant(ve, { solver: 'exact', N: 18 });
    const times = exact.schedule.times(18);
    const lo = times[7]!;
    const hi = times[8]!;
    const pe = exact.makePairs(x0, times, idx, { target, process: ve, step: 0 }, rngFromSeed(4));
    const flowed = referenceFlow(target, ve).map(pe.studentX, hi, lo).y;
    expect(Array.from(pe.teacherX.data)).toEqual(Array.from(flowed.data));
    const euler = consistencyDistillationVariant(ve, { solver: 'euler', N: 18 }).makePairs(x0, times, idx, { target, process: ve, step: 0 }, rngFromSeed(4));
    const gain = (lambda + lo * hi) / (lambda + hi * hi);
    for (let i = 0; i < 20; i++) expect(Math.abs(euler.teacherX.data[i]! - (mu + gain * (euler.studentX.data[i]! - mu)))).toBeLessThan(1e-12 * Math.max(1, Math.abs(euler.studentX.data[i]!)));
  });

  it('iCT has a stop-gradient teacher, pseudo-Huber with c = 0.00054√d and 1/Δσ weights', () => {
    const v = improvedConsistencyTrainingVariant(ve, { totalSteps: 100, dim: 4 });
    expect(v.teacherEmaRate(0)).toBe(0);
    expect(v.loss.id).toBe(`pseudo-huber(c=${0.00054 * 2})`);
    const times = v.schedule.times(v.schedule.stageAt(0));
    const pairs = v.makePairs(target.sample(3, rngFromSeed(5)), times, Int32Array.from([0, 1, 2]), { target, process: ve, step: 0 }, rngFromSeed(6));
    for (let i = 0; i < 3; i++) expect(pairs.weights[i]).toBe(1 / (times[i + 1]! - times[i]!));
  });

  it('LHW trains one stage at a time on the discrete VP grid and refreshes the teacher at stage ends', () => {
    const lhw = lhwSchedule({ T: 6, c0: 2, c1: 3 });
    const v = lhwSequentialTrainingVariant(lhw, { stepsPerStage: 3 });
    expect(v.totalSteps).toBe(15);
    const grid = v.schedule.times(6);
    expect(Array.from(grid)).toEqual(Array.from({ length: 6 }, (_, i) => lhw.timeOfStep(i + 1)));
    expect(v.schedule.tMin).toBe(lhw.process().tMin);
    expect(Array.from({ length: 15 }, (_, k) => v.indexSampler.probabilities(grid, k).indexOf(1))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(Array.from({ length: 6 }, (_, k) => v.teacherEmaRate(k))).toEqual([1, 1, 0, 1, 1, 0]);
  });
});

describe('CD with the note’s step missing the factor t_{n+1} (negative control, THEORY §6.3 CM-THM1)', () => {
  it('does not converge as the grid is refined, while Euler (first order) and Heun (second order) do', () => {
    // affine class, exact least squares: the fitted gain at T against the exact gain, for N = 40 and N = 160
    const error = (solver: 'euler' | 'heun' | 'euler-missing-t-factor', N: number): number => {
      const model = fitAffineSequential(consistencyDistillationVariant(ve, { solver, N }), target, ve, { samplesPerNode: 32, rng: rngFromSeed(7) });
      const exactGain = Math.sqrt((lambda + 4e-6) / (lambda + 6400));
      return Math.abs(model.matrix(N - 1)[0]! - exactGain) / exactGain;
    };
    // 4× more steps: Euler's error ∝ 1/N → ratio ≈ 4 (measured 3.97; > 2.5 required), Heun's ∝ 1/N² → ≈ 16
    // (measured 17; > 8 required); the inconsistent step does not improve (measured 1.10; < 1.5 required) and its
    // error stays O(1) (measured 6.2)
    expect(error('euler', 40) / error('euler', 160)).toBeGreaterThan(2.5);
    expect(error('heun', 40) / error('heun', 160)).toBeGreaterThan(8);
    expect(error('euler-missing-t-factor', 40) / error('euler-missing-t-factor', 160)).toBeLessThan(1.5);
    expect(error('euler-missing-t-factor', 160)).toBeGreaterThan(0.5);
  });
});

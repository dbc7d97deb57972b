import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { MlpConsistency, mlpFunctionClass, resolveMlpArchitecture } from '../../../src/models/mlpConsistency.ts';
import { edmParameterization } from '../../../src/models/parameterization.ts';
import { float64ToColumn, float64ToTensor2D, initTfjsBackend, tensorsToFlatFloat32 } from '../../../src/models/tfjsBoundary.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { pseudoHuberLoss } from '../../../src/training/losses/consistencyLoss.ts';
import { ParallelGradients } from '../../../src/training/parallelGradients.ts';
import { trainConsistencyModel } from '../../../src/training/trainLoop.ts';
import { consistencyTrainingVariant } from '../../../src/training/variants/consistencyTraining.ts';

const process = varianceExploding();
let backend: 'wasm' | 'cpu' | 'tensorflow' = 'wasm';
beforeAll(async () => {
  backend = (await initTfjsBackend()).name;
});

describe('ParallelGradients (main thread + one worker thread)', () => {
  it('gives the one-thread loss and gradients up to float32 summation order', async () => {
    const model = new MlpConsistency(edmParameterization(process), resolveMlpArchitecture(3, { width: 32, depth: 2 }), rngFromSeed(1));
    const loss = pseudoHuberLoss({ dim: 3, c: 0.1 });
    const B = 101; // odd: shares of 51 and 50
    const W = 3 + 17;
    const rng = rngFromSeed(2);
    const input = rng.child('in').fillNormal(new Float64Array(B * W));
    const r = rng.child('r').fillNormal(new Float64Array(B * 3));
    const cOut = Float64Array.from({ length: B }, (_, i) => 0.1 + i / B);
    const weights = Float64Array.from({ length: B }, (_, i) => 1 + (i % 3));
    const tensors = [float64ToTensor2D(input, B, W), float64ToTensor2D(r, B, 3), float64ToColumn(cOut), float64ToColumn(weights)] as const;
    const one = model.lossAndGradients(tensors[0], tensors[1], tensors[2], tensors[3], loss.tensorDistanceAndGradient);
    const g1 = tensorsToFlatFloat32(one.gradients);
    const l1 = tensorsToFlatFloat32([one.loss])[0]!;
    const parallel = new ParallelGradients(model, loss, backend);
    const two = await parallel.lossAndGradients(model, input, r, cOut, weights, W, loss);
    const g2 = tensorsToFlatFloat32(two.gradients);
    // float32 sums of ~100 terms in a different grouping: a few ulps of the largest gradient (≈1e-7·max)
    const scale = g1.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < g1.length; i++) expect(Math.abs(g2[i]! - g1[i]!)).toBeLessThan(1e-5 * scale);
    expect(Math.abs(two.loss - l1)).toBeLessThan(1e-5 * l1);
    expect(two.perPoint).toHaveLength(B);
    tf.dispose([...tensors, one.loss, one.perPoint, ...one.gradients, ...two.gradients]);
    await parallel.dispose();
    model.dispose();
  });

  it('trains deterministically with threads: 2, close to the one-thread run', async () => {
    const target = builtInTarget('bimodal-1d');
    const base = {
      target,
      process,
      functionClass: mlpFunctionClass(edmParameterization(process), { width: 16, depth: 2 }),
      steps: 8,
      seed: 4,
      batchSize: 64,
      logEvery: 4,
    };
    const variant = () => consistencyTrainingVariant(process, { totalSteps: 8, s0: 4, s1: 3 });
    const a = await trainConsistencyModel({ ...base, variant: variant(), threads: 2 });
    const b = await trainConsistencyModel({ ...base, variant: variant(), threads: 2 });
    const c = await trainConsistencyModel({ ...base, variant: variant() });
    expect(a.model.snapshot()).toEqual(b.model.snapshot());
    // 8 Adam steps (step size 1e-3 each) from gradients that differ by float32 rounding: weights within 1e-4
    const wa = a.model.snapshot().entries.flatMap((e) => Array.from(e.values));
    const wc = c.model.snapshot().entries.flatMap((e) => Array.from(e.values));
    for (let i = 0; i < wa.length; i++) expect(Math.abs(wa[i]! - wc[i]!)).toBeLessThan(1e-4);
    for (const r of [a, b, c]) {
      r.model.dispose();
      r.ema.dispose();
    }
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { MlpConsistency, mlpFunctionClass, resolveMlpArchitecture, type MlpActivation } from '../../../src/models/mlpConsistency.ts';
import { boundaryError } from '../../../src/models/modelDiagnostics.ts';
import { edmParameterization } from '../../../src/models/parameterization.ts';
import { float64ToColumn, float64ToTensor2D, initTfjsBackend, tensorToFloat64 } from '../../../src/models/tfjsBoundary.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { pseudoHuberLoss, squaredL2Loss } from '../../../src/training/losses/consistencyLoss.ts';

const process = varianceExploding();
const param = edmParameterization(process);

/** Independent float64 forward pass of the same MLP from a snapshot (plain loops, no tfjs). */
function forward64(model: MlpConsistency, values: Float64Array[], input: Float64Array, n: number): Float64Array {
  const a = model.architecture;
  let h = input;
  let width = a.dim + 1 + a.embeddingSize;
  for (let l = 0; l <= a.depth; l++) {
    const W = values[2 * l]!;
    const b = values[2 * l + 1]!;
    const out = b.length;
    const z = new Float64Array(n * out);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < out; j++) {
        let s = b[j]!;
        for (let k = 0; k < width; k++) s += h[i * width + k]! * W[k * out + j]!;
        z[i * out + j] = l < a.depth ? act(s, a.activation) : s;
      }
    }
    h = z;
    width = out;
  }
  return h;
}
const act = (s: number, kind: MlpActivation): number => (kind === 'relu' ? Math.max(s, 0) : kind === 'tanh' ? Math.tanh(s) : s / (1 + Math.exp(-s)));

beforeAll(async () => {
  await initTfjsBackend();
});

describe('MlpConsistency', () => {
  it('meets the boundary condition exactly (float64 skip connection) on VE and OU', () => {
    for (const p of [varianceExploding(), ornsteinUhlenbeck()]) {
      const m = mlpFunctionClass(edmParameterization(p), { width: 16, depth: 2 }).instantiate(3, rngFromSeed(1));
      const x = pointBatch(40, 3, rngFromSeed(2).fillNormal(new Float64Array(120)).map((v) => 5 * v));
      // f(x, tMin) = 1·x + 0·F: exactly x, whatever float32 F is (the stated float32 tolerance applies to F only)
      expect(boundaryError(m, x, p.tMin)).toBe(0);
      m.dispose();
    }
  });

  it('evaluates like an independent float64 forward pass to float32 accuracy', () => {
    const m = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 8, depth: 2, activation: 'silu' }), rngFromSeed(3));
    const x = pointBatch(10, 2, rngFromSeed(4).fillNormal(new Float64Array(20)));
    const times = Float64Array.from({ length: 10 }, (_, i) => 0.01 * 2 ** i);
    const y = m.evaluate(x, times);
    const { input, cSkip, cOut } = m.networkInputs(x, times);
    const F = forward64(m, m.snapshot().entries.map((e) => e.values), input, 10);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 2; j++) {
        const want = cSkip[i]! * x.data[i * 2 + j]! + cOut[i]! * F[i * 2 + j]!;
        // float32 network: |ΔF| ≲ 1e-6·(Σ|terms|) with O(1) terms and depth 3 → 1e-5 absolute on c_out·F (c_out ≤ 0.5)
        expect(Math.abs(y.data[i * 2 + j]! - want)).toBeLessThan(1e-5);
      }
    }
    m.dispose();
  });

  for (const activation of ['silu', 'tanh', 'relu'] as const) {
    it(`back-propagates the exact gradient (${activation}; checked by float64 central differences)`, () => {
      const m = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 6, depth: 2, activation, embeddingSize: 4 }), rngFromSeed(5));
      const n = 7;
      const rng = rngFromSeed(6);
      const input = rng.child('in').fillNormal(new Float64Array(n * 7));
      const r = rng.child('r').fillNormal(new Float64Array(n * 2));
      const cOut = Float64Array.from({ length: n }, (_, i) => 0.1 + 0.1 * i);
      const w = Float64Array.from({ length: n }, (_, i) => 1 + i);
      for (const loss of [squaredL2Loss(), pseudoHuberLoss({ dim: 2, c: 0.3 })]) {
        const tensors = [float64ToTensor2D(input, n, 7), float64ToTensor2D(r, n, 2), float64ToColumn(cOut), float64ToColumn(w)] as const;
        const out = m.lossAndGradients(tensors[0], tensors[1], tensors[2], tensors[3], loss.tensorDistanceAndGradient);
        const grads = out.gradients.map(tensorToFloat64);
        const values = m.snapshot().entries.map((e) => Float64Array.from(e.values));
        const loss64 = (): number => {
          const F = forward64(m, values, input, n);
          const diff = pointBatch(n, 2, F.map((v, k) => cOut[Math.floor(k / 2)]! * v - r[k]!));
          const dist = loss.distance(diff, pointBatch(n, 2));
          return dist.reduce((s, v, i) => s + w[i]! * v, 0) / n;
        };
        expect(Math.abs(tensorToFloat64(out.loss)[0]! - loss64())).toBeLessThan(1e-5 * Math.max(1, loss64()));
        // a handful of parameters in every layer; FD in float64 with h = 1e-6 (error ~1e-10), tfjs gradient in float32
        for (let p = 0; p < values.length; p++) {
          for (const k of [0, values[p]!.length - 1]) {
            const old = values[p]![k]!;
            values[p]![k] = old + 1e-6;
            const up = loss64();
            values[p]![k] = old - 1e-6;
            const down = loss64();
            values[p]![k] = old;
            const fd = (up - down) / 2e-6;
            if (activation === 'relu' && Math.abs(fd) < 1e-9) continue; // a dead unit: both 0 (kink ignored)
            expect(Math.abs(grads[p]![k]! - fd)).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd)));
          }
        }
        tf.dispose([...tensors, out.loss, out.perPoint, ...out.gradients]);
      }
      m.dispose();
    });
  }

  it('round-trips a snapshot exactly and leaks no tensors across evaluations', () => {
    const a = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 8, depth: 2 }), rngFromSeed(7));
    const b = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 8, depth: 2 }), rngFromSeed(8));
    b.restore(a.snapshot());
    const x = pointBatch(5, 2, rngFromSeed(9).fillNormal(new Float64Array(10)));
    expect(Array.from(b.evaluate(x, 3).data)).toEqual(Array.from(a.evaluate(x, 3).data));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) a.evaluate(x, 1 + i);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('is seeded: the same seed gives the same parameters', () => {
    const a = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 8, depth: 2 }), rngFromSeed(10));
    const b = new MlpConsistency(param, resolveMlpArchitecture(2, { width: 8, depth: 2 }), rngFromSeed(10));
    expect(a.snapshot()).toEqual(b.snapshot());
    a.dispose();
    b.dispose();
  });

  it('names the field for a bad architecture', () => {
    expect(() => resolveMlpArchitecture(2, { width: 0 })).toThrow(/width/);
    expect(() => resolveMlpArchitecture(2, { embeddingSize: 3 })).toThrow(/embeddingSize/);
    expect(() => resolveMlpArchitecture(2, { activation: 'gelu' as MlpActivation })).toThrow(/activation/);
  });
});

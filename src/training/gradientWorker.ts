// Worker-thread entry of `ParallelGradients`: holds a replica of the MLP and computes the loss and gradients of its
// share of each batch. Started by parallelGradients.ts (which registers tsx in the worker first). Messages:
//   in:  { params: Float32Array (all variables, flat, in order), input, residual, cOut, weights: Float32Array, n }
//   out: { loss: number (mean over the share), perPoint: Float32Array, gradients: Float32Array (flat) } | { error }
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { MlpConsistency, type MlpArchitecture } from '../models/mlpConsistency.ts';
import { edmParameterization } from '../models/parameterization.ts';
import { float32ToTensor, initTfjsBackend, tensorsToFlatFloat32, type TfjsBackendName } from '../models/tfjsBoundary.ts';
import { varianceExploding } from '../processes/varianceExploding.ts';
import { lossFromSpec, type LossSpec } from './losses/consistencyLoss.ts';

interface WorkerSetup {
  readonly architecture: MlpArchitecture;
  readonly backend: TfjsBackendName;
  readonly loss: LossSpec;
}

interface StepMessage {
  readonly params: Float32Array;
  readonly input: Float32Array;
  readonly residual: Float32Array;
  readonly cOut: Float32Array;
  readonly weights: Float32Array;
  readonly n: number;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
await initTfjsBackend(setup.backend);
// lossAndGradients uses only the network; the parameterisation is a placeholder (scalings arrive precomputed)
const model = new MlpConsistency(edmParameterization(varianceExploding()), setup.architecture, [], true, true);
const loss = lossFromSpec(setup.loss);
const shapes = model.variables.map((v) => v.shape);

port.on('message', (msg: StepMessage) => {
  try {
    let off = 0;
    model.variables.forEach((v, i) => {
      const size = v.size;
      const t = float32ToTensor(msg.params.subarray(off, off + size), shapes[i]!);
      v.assign(t);
      t.dispose();
      off += size;
    });
    const w = setup.architecture.dim + 1 + setup.architecture.embeddingSize;
    const d = setup.architecture.dim;
    const inputs = [
      float32ToTensor(msg.input, [msg.n, w]),
      float32ToTensor(msg.residual, [msg.n, d]),
      float32ToTensor(msg.cOut, [msg.n, 1]),
      float32ToTensor(msg.weights, [msg.n, 1]),
    ] as tf.Tensor2D[];
    const out = model.lossAndGradients(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!, loss.tensorDistanceAndGradient);
    const gradients = tensorsToFlatFloat32(out.gradients);
    const perPoint = tensorsToFlatFloat32([out.perPoint]);
    const lossValue = tensorsToFlatFloat32([out.loss])[0]!;
    tf.dispose([...inputs, out.loss, out.perPoint, ...out.gradients]);
    port.postMessage({ loss: lossValue, perPoint, gradients }, [perPoint.buffer as ArrayBuffer, gradients.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ error: (e as Error).message });
  }
});
port.postMessage({ ready: true });

// Training throughput of the tfjs MLP consistency function (issue 4): steps/s and GFLOP/s for the three sizes of the
// issue, the backward-layout ratio (explicit transposes vs transposed operands), and, when /usr/bin/python3 has torch,
// the same MLP/batch/Adam step in PyTorch on one and on two CPU threads (against tfjs on one and two workers), measured in the same run. Run: `npx tsx bench/training.bench.ts`.
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { MlpConsistency, resolveMlpArchitecture, type LinearGradient } from '../src/models/mlpConsistency.ts';
import { edmParameterization } from '../src/models/parameterization.ts';
import { initTfjsBackend } from '../src/models/tfjsBoundary.ts';
import { varianceExploding } from '../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../src/random/rng.ts';
import { Adam } from '../src/training/adam.ts';
import { squaredL2Loss } from '../src/training/losses/consistencyLoss.ts';
import { ParallelGradients } from '../src/training/parallelGradients.ts';

interface Size {
  readonly d: number;
  readonly width: number;
  readonly depth: number;
  readonly batch: number;
}
const SIZES: readonly Size[] = [
  { d: 2, width: 128, depth: 3, batch: 512 },
  { d: 8, width: 256, depth: 3, batch: 1024 },
  { d: 32, width: 512, depth: 4, batch: 2048 },
];
const EMBEDDING = 16;

export interface TrainingBenchRow {
  readonly size: Size;
  readonly layout: LinearGradient;
  readonly stepsPerSecond: number;
  readonly gflops: number;
}

/** Steps/s of one full training step (forward, hand-written backward, Adam) on fixed random inputs. */
async function tfjsStepsPerSecond(size: Size, layout: LinearGradient, seconds: number): Promise<TrainingBenchRow> {
  const process = varianceExploding();
  const model = new MlpConsistency(edmParameterization(process), resolveMlpArchitecture(size.d, { width: size.width, depth: size.depth, linearGradient: layout, embeddingSize: EMBEDDING }), rngFromSeed(1));
  const adam = new Adam(model.variables, { learningRate: 1e-4 });
  const loss = squaredL2Loss();
  const B = size.batch;
  const input = tf.randomNormal([B, size.d + 1 + EMBEDDING], 0, 1, 'float32', 1) as tf.Tensor2D;
  const residual = tf.randomNormal([B, size.d], 0, 1, 'float32', 2) as tf.Tensor2D;
  const cOut = tf.fill([B, 1], 0.5) as tf.Tensor2D;
  const weights = tf.ones([B, 1]) as tf.Tensor2D;
  const step = (): void => {
    const out = model.lossAndGradients(input, residual, cOut, weights, loss.tensorDistanceAndGradient);
    out.loss.dataSync(); // the loop reads the loss every step (health gate)
    adam.apply(model.variables, out.gradients);
    tf.dispose([out.loss, out.perPoint, ...out.gradients]);
  };
  for (let i = 0; i < 3; i++) step();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    step();
    n++;
  }
  const dt = (performance.now() - t0) / 1000;
  const flopsPerStep = 6 * B * model.parameterCount();
  tf.dispose([input, residual, cOut, weights]);
  adam.dispose();
  model.dispose();
  return { size, layout, stepsPerSecond: n / dt, gflops: (flopsPerStep * n) / dt / 1e9 };
}

const TORCH_SCRIPT = String.raw`
import sys, time, json
import torch
d, w, L, B, E, seconds, threads = [float(v) if i == 5 else int(v) for i, v in enumerate(sys.argv[1:8])]
torch.set_num_threads(threads)
torch.manual_seed(0)
layers = []
fan = d + 1 + E
for _ in range(L):
    layers += [torch.nn.Linear(fan, w), torch.nn.SiLU()]
    fan = w
layers.append(torch.nn.Linear(fan, d))
net = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
x = torch.randn(B, d + 1 + E); r = torch.randn(B, d)
def step():
    opt.zero_grad()
    loss = ((0.5 * net(x) - r) ** 2).sum(1).mean()
    loss.backward()
    opt.step()
    return loss.item()
for _ in range(3): step()
n = 0; t0 = time.perf_counter()
while time.perf_counter() - t0 < seconds or n < 3:
    step(); n += 1
print(json.dumps({"stepsPerSecond": n / (time.perf_counter() - t0)}))
`;

/** The same step with the batch split between the main thread and a worker thread (tfjs-wasm is single-threaded). */
async function tfjsTwoThreadStepsPerSecond(size: Size, seconds: number, backend: 'tensorflow' | 'wasm' | 'cpu'): Promise<number> {
  const process = varianceExploding();
  const model = new MlpConsistency(edmParameterization(process), resolveMlpArchitecture(size.d, { width: size.width, depth: size.depth, embeddingSize: EMBEDDING }), rngFromSeed(1));
  const adam = new Adam(model.variables, { learningRate: 1e-4 });
  const loss = squaredL2Loss();
  const B = size.batch;
  const W = size.d + 1 + EMBEDDING;
  const rng = rngFromSeed(2);
  const input = rng.child('input').fillNormal(new Float64Array(B * W));
  const residual = rng.child('residual').fillNormal(new Float64Array(B * size.d));
  const cOut = new Float64Array(B).fill(0.5);
  const weights = new Float64Array(B).fill(1);
  const parallel = new ParallelGradients(model, loss, backend);
  const step = async (): Promise<void> => {
    const out = await parallel.lossAndGradients(model, input, residual, cOut, weights, W, loss);
    adam.apply(model.variables, out.gradients);
    tf.dispose(out.gradients);
  };
  for (let i = 0; i < 3; i++) await step();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    await step();
    n++;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  await parallel.dispose();
  adam.dispose();
  model.dispose();
  return rate;
}

/** PyTorch CPU steps/s on `threads` threads, or the reason it was skipped. */
function torchStepsPerSecond(size: Size, seconds: number, threads: 1 | 2): { stepsPerSecond: number } | { skipped: string } {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skipped: '/usr/bin/python3 has no torch (Debian python3-torch with libopenblas0)' };
  // torch.set_num_threads does not bind OpenBLAS's own pthread pool: pin every BLAS/OpenMP pool to the same count
  const count = String(threads);
  const env = { ...process.env, OMP_NUM_THREADS: count, OPENBLAS_NUM_THREADS: count, MKL_NUM_THREADS: count };
  const r = spawnSync('/usr/bin/python3', ['-c', TORCH_SCRIPT, String(size.d), String(size.width), String(size.depth), String(size.batch), String(EMBEDDING), String(seconds), count], { encoding: 'utf8', env });
  if (r.status !== 0) return { skipped: `torch run failed: ${r.stderr.split('\n').filter(Boolean).at(-1) ?? ''}` };
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { stepsPerSecond: number };
}

export async function benchTraining(seconds = 3): Promise<void> {
  const backend = await initTfjsBackend();
  console.log(`\n## training throughput (tfjs backend: ${backend.name}; ${backend.reason})`);
  console.log('| d | MLP | batch | tfjs 1 worker steps/s | GFLOP/s | vs transposed-operand layout | tfjs 2 workers steps/s | PyTorch 1 thread steps/s | PyTorch 2 threads steps/s | tfjs / PyTorch, 1 vs 1 | tfjs / PyTorch, 2 vs 2 | 2 workers / 1 worker |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const size of SIZES) {
    const slowSeconds = size.d === 32 ? Math.min(seconds, 2) : seconds;
    const fast = await tfjsStepsPerSecond(size, 'explicit-transpose', seconds);
    const slow = await tfjsStepsPerSecond(size, 'transposed-operand', slowSeconds);
    const two = await tfjsTwoThreadStepsPerSecond(size, seconds, backend.name);
    const torch1 = torchStepsPerSecond(size, seconds, 1);
    const torch2 = torchStepsPerSecond(size, seconds, 2);
    const cell = (t: { stepsPerSecond: number } | { skipped: string }): string => ('skipped' in t ? `skipped: ${t.skipped}` : t.stepsPerSecond.toFixed(1));
    const ratio = (ours: number, t: { stepsPerSecond: number } | { skipped: string }): string => ('skipped' in t ? '—' : `${(ours / t.stepsPerSecond).toFixed(2)}×`);
    console.log(
      `| ${size.d} | ${size.depth}×${size.width} | ${size.batch} | ${fast.stepsPerSecond.toFixed(1)} | ${fast.gflops.toFixed(1)} | ${(fast.stepsPerSecond / slow.stepsPerSecond).toFixed(1)}× | ${two.toFixed(1)} | ${cell(torch1)} | ${cell(torch2)} | ${ratio(fast.stepsPerSecond, torch1)} | ${ratio(two, torch2)} | ${(two / fast.stepsPerSecond).toFixed(2)}× |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchTraining(Number(process.argv[2] ?? 3));
}

import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { FlowTask, FlowTaskResult } from './flowWorker.ts';
import { referenceFlow, type FlowResult, type ReferenceFlowOptions } from './referenceFlow.ts';

export interface ParallelFlowOptions extends ReferenceFlowOptions {
  /** Worker threads. @defaultValue os.availableParallelism() */
  readonly threads?: number;
}

/**
 * Φ_{from→to}(x) like `referenceFlow(...).map`, with the points split over worker threads (a tinypool pool).
 * Chunks are whole multiples of the solver's block size, and blocks are integrated independently, so the result
 * is bit-identical to the single-threaded map. Targets and processes cross the thread boundary as their specs:
 * a process without one (e.g. an LHW schedule with edited β's) or a single thread falls back to `map`.
 */
export async function mapInParallel(target: ExactTarget, process: ForwardProcess, x: PointBatch, from: number, to: number, options: ParallelFlowOptions = {}): Promise<FlowResult> {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const { threads: _t, ...flowOptions } = options;
  const flow = referenceFlow(target, process, flowOptions);
  const processSpec = specOf(process);
  if (threads === 1 || flow.method !== 'ode' || processSpec === undefined || x.n < 2) return flow.map(x, from, to);
  flow.map(pointBatch(1, x.d, x.data.slice(0, x.d)), from, to); // validates times and dimensions up front
  const block = Math.max(1, Math.floor(options.blockSize ?? 64));
  const perChunk = Math.max(block, Math.ceil(x.n / threads / block) * block);
  const pool = new Tinypool({ filename: new URL('./flowWorkerEntry.mjs', import.meta.url).href, minThreads: 0, maxThreads: threads });
  try {
    const tasks: Promise<FlowTaskResult>[] = [];
    for (let start = 0; start < x.n; start += perChunk) {
      const n = Math.min(perChunk, x.n - start);
      const task: FlowTask = { target: target.toSpec(), process: processSpec, options: { ...flowOptions, method: 'ode' }, from, to, n, d: x.d, data: x.data.slice(start * x.d, (start + n) * x.d) };
      tasks.push(pool.run(task) as Promise<FlowTaskResult>);
    }
    const results = await Promise.all(tasks);
    const y = pointBatch(x.n, x.d);
    let offset = 0;
    let evaluations = 0, steps = 0, rejectedSteps = 0;
    for (const r of results) {
      y.data.set(r.y, offset);
      offset += r.y.length;
      evaluations += r.evaluations;
      steps += r.steps;
      rejectedSteps += r.rejectedSteps;
    }
    return { y, method: 'ode', stats: { steps, rejectedSteps, evaluationsPerPoint: evaluations / x.n } };
  } finally {
    await pool.destroy();
  }
}

/** The spec a worker can rebuild the process from (VE and OU; LHW only as schedule (23) itself). */
function specOf(process: ForwardProcess): Record<string, number | string> | undefined {
  const spec = process.toSpec();
  if (spec['kind'] === 've' || spec['kind'] === 'vp-ou') return spec;
  return undefined;
}

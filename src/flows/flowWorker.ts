import { processFromSpec } from '../config/processSpec.ts';
import { targetFromSpec } from '../config/targetSpec.ts';
import { pointBatch } from '../core/pointBatch.ts';
import { referenceFlow, type ReferenceFlowOptions } from './referenceFlow.ts';

/** One chunk of a parallel flow solve, as plain data (what crosses the thread boundary). */
export interface FlowTask {
  readonly target: unknown;
  readonly process: unknown;
  readonly options: ReferenceFlowOptions;
  readonly from: number;
  readonly to: number;
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

export interface FlowTaskResult {
  readonly y: Float64Array;
  readonly evaluations: number;
  readonly steps: number;
  readonly rejectedSteps: number;
}

/** Runs in a worker thread: rebuilds target, process and flow from their specs and maps the chunk. */
export default function solveFlowTask(task: FlowTask): FlowTaskResult {
  const flow = referenceFlow(targetFromSpec(task.target), processFromSpec(task.process), task.options);
  const r = flow.map(pointBatch(task.n, task.d, task.data), task.from, task.to);
  const s = r.stats;
  return { y: r.y.data, evaluations: (s?.evaluationsPerPoint ?? 0) * task.n, steps: s?.steps ?? 0, rejectedSteps: s?.rejectedSteps ?? 0 };
}

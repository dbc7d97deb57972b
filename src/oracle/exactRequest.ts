import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { fromRows, toRows, type PointBatch } from '../core/pointBatch.ts';
import { parseWithSchema } from '../config/formatIssuePath.ts';
import { processFromSpec } from '../config/processSpec.ts';
import { targetFromSpec } from '../config/targetSpec.ts';
import { referenceFlow } from '../flows/referenceFlow.ts';
import { assertTimeInRange } from '../processes/forwardProcess.ts';

const points = z.array(z.array(z.unknown())).min(1, 'must contain at least one point');
const pointOps = z.enum(['logDensity', 'score', 'scoreHessian', 'posteriorMean', 'posteriorCovariance']);
const flowOps = z.enum(['flow', 'flowJacobian']);
const pointQuerySchema = z.object({ op: pointOps, t: z.unknown(), x: points }).strict();
const flowQuerySchema = z.object({ op: flowOps, from: z.unknown(), to: z.unknown(), x: points, certify: z.boolean().optional() }).strict();
const ALL_OPS = [...pointOps.options, ...flowOps.options];
const requestSchema = z
  .object({
    target: z.unknown().refine((v) => v !== undefined, 'is required'),
    process: z.unknown().optional(),
    queries: z.array(z.unknown()).min(1, 'must contain at least one query'),
    flow: z.object({ rtol: z.number().positive().optional(), atol: z.number().positive().optional(), method: z.enum(['auto', 'ode', 'closed-form', 'quantile-map']).optional() }).strict().optional(),
  })
  .strict();

export type ExactValue = number | number[] | number[][] | number[][][];
export interface ExactResult {
  readonly op: string;
  readonly value: ExactValue;
  readonly errorEstimate?: number;
}
export interface ExactResponse {
  readonly results: ExactResult[];
}

/**
 * The `cmbounds exact` contract (DESIGN §4): validates a request and answers each query in order.
 * Point ops return one value per point (logDensity: number; score/posteriorMean: vector; scoreHessian /
 * posteriorCovariance: d×d); `flow` returns Φ_{from→to}(x) per point and `flowJacobian` ∂Φ/∂x per point.
 * Extensions beyond the contract (opt-in, so the contract's output is unchanged): ops posteriorMean and
 * posteriorCovariance, `certify: true` on a flow query (adds `errorEstimate`, an a-posteriori estimate, not a bound), and a top-level `flow` block
 * with solver tolerances.
 * @throws ConfigError / ValidationError with the offending field, e.g. `queries[1].t`.
 */
export function answerExactRequest(request: unknown): ExactResponse {
  const req = parseWithSchema(requestSchema, request);
  const target = targetFromSpec(req.target, 'target');
  const process = processFromSpec(req.process, 'process');
  const flowOptions = req.flow ?? {};
  const flow = referenceFlow(target, process, {
    // every point with its own adaptive steps (blocks of one): a point's answer is a function of the point alone,
    // bit-identical whatever else the request asks (a shared step moves the 12th digit with the batch)
    blockSize: 1,
    ...(flowOptions.rtol === undefined ? {} : { rtol: flowOptions.rtol }),
    ...(flowOptions.atol === undefined ? {} : { atol: flowOptions.atol }),
    ...(flowOptions.method === undefined ? {} : { method: flowOptions.method }),
  });
  const results = req.queries.map((raw, queryIndex): ExactResult => {
    const field = `queries[${queryIndex}]`;
    const op = raw !== null && typeof raw === 'object' ? (raw as { op?: unknown }).op : undefined;
    const isFlow = op === 'flow' || op === 'flowJacobian';
    if (!isFlow && !(pointOps.options as readonly unknown[]).includes(op)) {
      throw new ValidationError('E_INVALID_INPUT', `must be one of ${ALL_OPS.join(', ')}, got ${JSON.stringify(op) ?? 'nothing'}`, `${field}.op`);
    }
    const checkPoints = (rows: unknown[][]): PointBatch => {
      const x = fromRows(rows as number[][], `${field}.x`);
      if (x.d !== target.dim) {
        throw new ValidationError('E_DIMENSION', `points have dimension ${x.d}, the target has dimension ${target.dim}`, `${field}.x`);
      }
      return x;
    };
    if (isFlow) {
      const q = parseWithSchema(flowQuerySchema, raw, field);
      const x = checkPoints(q.x);
      const from = time(q.from, `${field}.from`);
      const to = time(q.to, `${field}.to`);
      assertTimeInRange(process, from, `${field}.from`);
      assertTimeInRange(process, to, `${field}.to`);
      const certify = q.certify ?? false;
      if (q.op === 'flow') {
        const r = flow.map(x, from, to, { certify });
        return withErrorEstimate({ op: q.op, value: toRows(r.y) }, certify ? r.errorEstimate : undefined);
      }
      const r = flow.jacobian(x, from, to, { certify });
      return withErrorEstimate({ op: q.op, value: matrices(r.jacobian, x) }, certify ? r.errorEstimate : undefined);
    }
    const q = parseWithSchema(pointQuerySchema, raw, field);
    const x = checkPoints(q.x);
    const t = time(q.t, `${field}.t`);
    assertTimeInRange(process, t, `${field}.t`);
    const marginal = target.noised(process.signalScale(t), process.noiseScale(t));
    switch (q.op) {
      case 'logDensity':
        return { op: q.op, value: Array.from(marginal.logDensity(x)) };
      case 'score':
        return { op: q.op, value: toRows(marginal.score(x)) };
      case 'posteriorMean':
        return { op: q.op, value: toRows(marginal.posteriorMean(x)) };
      case 'scoreHessian':
        return { op: q.op, value: matrices(marginal.scoreHessian(x), x) };
      case 'posteriorCovariance':
        return { op: q.op, value: matrices(marginal.posteriorCovariance(x), x) };
    }
  });
  return { results };
}

function time(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError('E_NON_FINITE', `must be a finite number, got ${JSON.stringify(v) ?? String(v)}`, field);
  return v;
}

function withErrorEstimate(r: ExactResult, estimate: number | undefined): ExactResult {
  return estimate === undefined ? r : { ...r, errorEstimate: estimate };
}

function matrices(flat: Float64Array, x: PointBatch): number[][][] {
  const d = x.d;
  return Array.from({ length: x.n }, (_, i) => Array.from({ length: d }, (_, a) => Array.from(flat.subarray(i * d * d + a * d, i * d * d + (a + 1) * d))));
}

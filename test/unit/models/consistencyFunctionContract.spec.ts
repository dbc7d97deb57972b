import { beforeAll, describe, expect, it } from 'vitest';
import { pointBatch } from '../../../src/core/pointBatch.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { AffineGridConsistency } from '../../../src/models/affineConsistency.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { exactConsistencyFunction, markovCoupledCtSolution } from '../../../src/models/exactConsistency.ts';
import { mlpFunctionClass } from '../../../src/models/mlpConsistency.ts';
import { boundaryError } from '../../../src/models/modelDiagnostics.ts';
import { edmParameterization } from '../../../src/models/parameterization.ts';
import { parameterizedConsistency, randomFeatureNetwork } from '../../../src/models/parameterizedConsistency.ts';
import { initTfjsBackend } from '../../../src/models/tfjsBoundary.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

// The contract every valid ConsistencyFunction meets (STYLE C5): f(x, tMin) = x (≤ 1e-12; all of these give exactly 0),
// an n×d float64 result, the same answer for one shared time and for per-point times, and determinism.
const process = varianceExploding();
const target = builtInTarget('ring8-2d');
const makers: [string, () => ConsistencyFunction][] = [
  ['exact (ODE reference flow)', () => exactConsistencyFunction(referenceFlow(target, process))],
  ['parameterized around a random network', () => parameterizedConsistency(edmParameterization(process), randomFeatureNetwork(2, rngFromSeed(1)))],
  ['affine grid', () => {
    const a = new AffineGridConsistency(2, { times: [0.002, 1, 80] });
    a.setNode(1, [0.5, 0.1, -0.2, 0.7], [0.3, -0.1]);
    a.setNode(2, [0.01, 0, 0, 0.02], [0, 0.4]);
    return a;
  }],
  ['tfjs MLP', () => mlpFunctionClass(edmParameterization(process), { width: 16, depth: 2 }).instantiate(2, rngFromSeed(2))],
  ['Markov-coupled CT solution (a control that keeps the boundary)', () => markovCoupledCtSolution(target, process)],
];

beforeAll(async () => {
  await initTfjsBackend();
});

describe.each(makers)('ConsistencyFunction contract: %s', (_name, make) => {
  const x = pointBatch(12, 2, rngFromSeed(3).fillNormal(new Float64Array(24)).map((v) => 3 * v));

  it('returns x at tMin (boundary condition)', () => {
    expect(boundaryError(make(), x, process.tMin)).toBeLessThanOrEqual(1e-12);
  });

  it('returns an n×d finite batch, the same for a shared time and per-point times, deterministically', () => {
    const f = make();
    const before = Array.from(x.data);
    const shared = f.evaluate(x, 1);
    expect([shared.n, shared.d]).toEqual([12, 2]);
    expect(shared.data.every(Number.isFinite)).toBe(true);
    const perPoint = f.evaluate(x, new Float64Array(12).fill(1));
    expect(Array.from(perPoint.data)).toEqual(Array.from(shared.data));
    expect(Array.from(make().evaluate(x, 1).data)).toEqual(Array.from(shared.data));
    expect(Array.from(x.data)).toEqual(before); // the input batch is not modified
  });
});

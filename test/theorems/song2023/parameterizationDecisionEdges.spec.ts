// song2023.parameterization's boundary error f(x, ε) = x: the maximum over the test points, against an independent evaluation on the inputs the network saw (a quadratic network, so that the points' errors
// differ); and the summary of a violated subject lists only the parts that fail. These tests kill the mutants that
// survived the check's controls (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { droppedTMinParameterization } from '../../../src/models/parameterization.ts';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { parameterizationBoundary } from '../../../theorems/song2023/parameterization.ts';

describe('song2023.parameterization boundary error', () => {
  it('is the maximum over the points of ‖f(x, ε) − x‖/max(1, ‖x‖)', async () => {
    const process = varianceExploding();
    const param = droppedTMinParameterization(process);
    const eps = process.tMin;
    const seen: number[][] = [];
    // F(u) = u ⊙ u, recording the inputs u = c_in(ε)·x it is given at t = ε
    const network = (u: PointBatch, t: number): PointBatch => {
      if (t === eps) for (let i = 0; i < u.n; i++) seen.push(Array.from(u.data.subarray(i * u.d, (i + 1) * u.d)));
      return { n: u.n, d: u.d, data: u.data.map((v) => v * v) };
    };
    const e = await parameterizationBoundary.run({ process, parameterization: param, network, dim: 2, points: 16 }, createCheckContext({ rng: rngFromSeed(10), falseFailRate: 1e-12 }));
    expect(seen).toHaveLength(16);
    // independent: x = u/c_in(ε), f = c_skip(ε)x + c_out(ε)F(u)
    const [cSkip, cOut, cIn] = [param.cSkip(eps), param.cOut(eps), param.cIn(eps)];
    const errors = seen.map((u) => {
      const x = u.map((v) => v / cIn);
      const diff = x.map((xi, j) => cSkip * xi + cOut * u[j]! * u[j]! - xi);
      return Math.hypot(...diff) / Math.max(1, Math.hypot(...x));
    });
    expect(new Set(errors).size).toBe(16);
    // the largest error is not at the last point, so a maximum and a last value differ
    expect(errors.indexOf(Math.max(...errors))).toBeLessThan(15);
    expect(Math.abs(e.estimates['boundary_error']!.value / Math.max(...errors) - 1)).toBeLessThan(1e-9);
    expect(e.verdict).toBe('violated');
    const boundaryPart = e.parts.find((p) => p.name === 'f(x, ε) = x')!;
    expect(boundaryPart.verdict).toBe('violated');
    expect(e.reason).toContain(`f(x, ε) = x fails (max relative boundary error ${e.estimates['boundary_error']!.value.toExponential(3)} over 16 points)`);
    // the summary lists the failing parts only: c_in is at unit scale for these scalings
    expect(e.parts.find((p) => p.name === 'input scale c_in')!.verdict).toBe('holds');
    expect(e.reason).toContain('boundary scalings fails (');
    expect(e.reason).not.toContain('input scale c_in fails');
  });
});

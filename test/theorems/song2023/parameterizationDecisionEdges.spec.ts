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

describe('song2023.parameterization texts, read back from the Evidence', () => {
  const runControlSubject = async (name: string) => {
    const control = parameterizationBoundary.controls.find((c) => c.name === name)!;
    const subject = await control.build(rngFromSeed(2));
    return { subject, e: await parameterizationBoundary.run(subject, createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-12 })) };
  };

  it.each([
    ['edmScalingsVe', 've', 'VE: compared with the paper formulas'],
    ['edmScalingsOu', 'ou', 'non-VE: scalings read on σ_t = s_t/a_t, paper formulas not applicable'],
  ])('%s holds: every part reason, the summary and the note (%s)', async (name, kind, note) => {
    const { subject, e } = await runControlSubject(name);
    expect(subject.process.kind.endsWith(kind)).toBe(true);
    expect(e.verdict).toBe('holds');
    const est = (k: string) => e.estimates[k]!.value;
    const reasons = [
      `|c_skip(ε) − 1| = ${est('c_skip_defect').toExponential(3)}, |c_out(ε)| = ${est('c_out_defect').toExponential(3)} (tolerance 1e-12)`,
      `max relative boundary error ${est('boundary_error').toExponential(3)} over 64 points`,
      `max_t |c_in·a_t·√(σ_t² + σ_d²) − 1| = ${est('c_in_defect').toExponential(3)} on the 18-point Karras grid`,
      ...(kind === 've' ? [`max relative deviation of c_skip, c_out from Eq. (5): ${est('formula_defect').toExponential(3)}`] : []),
    ];
    expect(e.parts.map((p) => p.reason)).toEqual(reasons);
    expect(e.estimates['formula_defect'] === undefined).toBe(kind !== 've');
    const top = Math.max(est('boundary_error'), est('c_skip_defect'), est('c_out_defect'));
    expect(e.reason).toBe(`${subject.parameterization.id} on ${subject.process.kind}: c_skip(ε) = 1, c_out(ε) = 0 and f(x, ε) = x to ${top.toExponential(1)}, c_in at unit scale to ${est('c_in_defect').toExponential(1)}.`);
    expect(e.diagnostics.map((d) => d.message)).toEqual([`tolerance 1e-12 (≈ 5000 ulps); ${note}`]);
  });

  it('missingSqrtCIn: only the input scale fails, and the summary quotes its reason', async () => {
    const { subject, e } = await runControlSubject('missingSqrtCIn');
    expect(e.verdict).toBe('violated');
    const failing = e.parts.filter((p) => p.verdict === 'violated');
    // c_skip and c_out are the paper's: only c_in is off
    expect(failing.map((p) => p.name)).toEqual(['input scale c_in']);
    expect(e.reason).toBe(`${subject.parameterization.id} on ve: ${failing.map((p) => `${p.name} fails (${p.reason})`).join('; ')}.`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    // c_in·√(t² + σ_d²) = 1/√(t² + σ_d²): its defect |1/√(t² + ¼) − 1| is largest at t = ε (≈ 1, vs 0.9875 at T = 80)
    const defect = Math.abs(1 / Math.sqrt(0.002 ** 2 + 0.25) - 1);
    expect(e.estimates['c_in_defect']!.value).toBeCloseTo(defect, 12);
    expect(e.witness?.time).toBe(0.002);
    expect(e.witness?.description).toBe(`c_in(t)·a_t·√(σ_t² + σ_d²) = ${(1 + defect).toPrecision(6)} (or 1 − that defect) at t = 0.002`);
  });
});

// song2023.multistepSampling's closed-form branch on a process whose signal scale is not 1 (OU, ε = 0.5: a_ε = e^{−0.5}):
// a correct round re-noises x·a_τ/a_ε with variance s_τ² − (a_τ s_ε/a_ε)², and returns p_ε exactly. A test on VE
// (a ≡ 1) cannot tell a_τ s_ε/a_ε from a_τ s_ε a_ε. These tests kill the mutants that survived the check's controls
// (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { multistepSampling } from '../../../theorems/song2023/multistepSampling.ts';

describe('song2023.multistepSampling on OU (a_t = e^{−t})', () => {
  it('returns p_ε after every round with the exact f* and the correct re-noise (closed form)', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const process = ornsteinUhlenbeck({ tMin: 0.5 });
    expect(process.signalScale(0.5)).toBeCloseTo(Math.exp(-0.5), 12);
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const e = await multistepSampling.run({ target, process, model, taus: [2, 1] }, createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-3 }));
    expect(e.verdict, e.reason).toBe('holds');
    expect(e.parts.map((p) => p.name)).toEqual(['round 0 (T)', 'round 1 (τ=2)', 'round 2 (τ=1)']);
    for (const k of [0, 1, 2]) expect(e.estimates[`W2_${k}`]!.value).toBeLessThan(1e-6);
    // the closed form is used because f* is affine for Gaussian data: the probe fits it to rounding
    const note = /largest probe residual (\S+)\)/.exec(e.diagnostics.find((d) => d.kind === 'note')!.message);
    expect(Number(note![1])).toBeLessThan(1e-9);
  });
});

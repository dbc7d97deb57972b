import { describe, expect, it } from 'vitest';
import { createCheckContext, gaussian, rngFromSeed } from '../../src/index.ts';
import { bestTimesSubject, multistepBestTimes, multistepSuite } from '../../studies/multistep.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('multistep study', () => {
  it('with the exact consistency function every round is exact (e₁ = e₂ = 0 up to the quantile discretisation)', async () => {
    // f* pushes p_T to p_ε and Algorithm 1's re-noise x + √(τ² − ε²)ξ maps p_ε to p_τ, so every round returns p_ε
    // (song2023.multistepSampling's claim); the quantile representation carries this to ~1e-3 (M = 300 atoms, a grid CDF)
    const subject = { ...bestTimesSubject(false, ['offset']), models: [{ kind: 'exactPlusOffset' as const, label: 'f*', N: 6, offset: 0 }] };
    const ev = await multistepBestTimes.run(subject, createCheckContext({ rng: rngFromSeed(5), falseFailRate: 1e-3 }));
    expect(ev.estimates['f*.e_1']!.value).toBeLessThan(1e-9);
    expect(ev.estimates['f*.e_2_best']!.value).toBeLessThan(2e-3);
    expect(ev.verdict).toBe('inconclusive'); // nothing to reduce: neither "reduces" nor "never reduces" by 1e-3
  });

  it('builds lyu2023.multistep and the best-times check with subjects', async () => {
    const suite = await multistepSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['lyu2023.multistep', 'studies.multistepBestTimes']);
    for (const c of suite.checks) expect(suite.subjects[c.id]).toBeDefined();
  });
});

describeControls(multistepBestTimes, { determinism: ['offsetAwayFromT'] });

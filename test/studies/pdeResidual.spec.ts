import { describe, expect, it } from 'vitest';
import { gaussian, runControl } from '../../src/index.ts';
import { pdeBoundTrained, pdeResidualSuite } from '../../studies/pdeResidual.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('pde-residual study', () => {
  it('the denoiser on N(½, 4) nearly attains the bound (THEORY §5.5: in 1-D R keeps its sign along characteristics)', async () => {
    const ev = await runControl(pdeBoundTrained, 'denoiserKappaHalf', { seed: 2 });
    const ratio = ev.estimates['denoiser.tightness@t=2']!.value;
    // e and ∫r are Monte Carlo estimates with 300 draws (relative SE ≈ 5% each, so ≈ 7% for the ratio): the band
    // ±0.3 is ≈ 4 SE, a false-fail rate of ≈ 6e-5 over seeds (the test is seeded, so it is deterministic)
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.3);
    // a ratio of Monte Carlo estimates, reported with its interval (never as exact); the bound e ≤ b + ∫r is attained
    const tightness = ev.estimates['denoiser.tightness@t=2']!;
    expect(tightness.method).toBe('interval-ratio');
    expect(tightness.interval.lower).toBeLessThanOrEqual(ratio);
    expect(tightness.interval.upper).toBeGreaterThanOrEqual(ratio);
    expect(tightness.interval.upper - tightness.interval.lower).toBeGreaterThan(0.05);
  });

  it('builds its check with a subject', async () => {
    const suite = await pdeResidualSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['studies.pdeBoundTrained']);
    expect(suite.subjects['studies.pdeBoundTrained']).toBeDefined();
  });
});

describeControls(pdeBoundTrained);

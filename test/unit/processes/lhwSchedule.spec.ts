import { describe, expect, it } from 'vitest';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { expectAllClose } from '../../helpers/allClose.ts';

describe('lhwSchedule', () => {
  it('reproduces the independent numpy computation of schedule (23) and its realised constants', async () => {
    const fixtures = (await import('../../reference/fixtures/oracleFixtures.json', { with: { type: 'json' } })).default.schedules;
    for (const f of fixtures) {
      const s = lhwSchedule({ T: f.T, c0: f.c0, c1: f.c1, indexing: f.indexing as 'report' | 'li2023' });
      const r = s.realisedConstants();
      const label = `T=${f.T} c0=${f.c0} ${f.indexing}`;
      // numpy's cumprod of (1 − β) vs our exp(Σ log1p(−β)): ~T·ε relative apart, ≤ 1e-11 for T ≤ 1e4
      const tol = { rtol: 1e-10 };
      expectAllClose([r.betaRatio, r.betaOverNoiseRatio, r.noiseGrowthMin, r.c2, s.alphaBars[f.T]!], [f.betaRatio, f.betaOverNoiseRatio, f.noiseGrowthMin, f.c2, f.alphaBarT], tol, label);
      expectAllClose([1, 2, Math.floor(f.T / 2), f.T].map((t) => s.betas[t]!), f.beta, { rtol: 1e-12 }, `${label} β`);
    }
  });

  it('meets (27a) with equality, (27b) with room, and realises c₂ far below 1000 (THEORY §1.2)', () => {
    const r = lhwSchedule({ T: 1000, c0: 2, c1: 8 }).realisedConstants();
    expect(r.betaRatio).toBeCloseTo(1, 12);
    expect(r.betaOverNoiseRatio).toBeLessThan(4);
    expect(r.noiseGrowthMin).toBeGreaterThanOrEqual(1);
    expect(r.c2).toBeLessThan(1000);
    expect(r.beta1Scaled).toBeCloseTo(1, 12);
  });

  it('puts the steps on the clock u = −log ᾱ of its continuous process', () => {
    const s = lhwSchedule({ T: 50 });
    const p = s.process();
    for (const t of [1, 7, 50]) {
      const u = s.timeOfStep(t);
      expect(p.signalScale(u) ** 2).toBeCloseTo(s.alphaBars[t]!, 14);
      expect(p.noiseScale(u) ** 2).toBeCloseTo(s.oneMinusAlphaBars[t]!, 14);
    }
    expect(p.tMin).toBe(s.timeOfStep(1));
    expect(p.tMax).toBe(s.timeOfStep(50));
  });

  it('shows a spike β = 0.5 in its realised constants', () => {
    const s = lhwSchedule({ T: 1000, c0: 2, c1: 8 }).withBetas({ 500: 0.5 });
    const r = s.realisedConstants();
    expect(r.betaRatio).toBeGreaterThan(9); // 0.5 / (8 log 1000 / 1000) ≈ 9.0
  });

  it('names the field for invalid parameters', () => {
    expect(() => lhwSchedule({ T: 1 })).toThrow(/^schedule\.T: /);
    expect(() => lhwSchedule({ T: 10, c1: 100 })).toThrow(/^schedule\.c1: /);
    expect(() => lhwSchedule({ T: 100, c0: -1 })).toThrow(/^schedule\.c0: /);
  });
});

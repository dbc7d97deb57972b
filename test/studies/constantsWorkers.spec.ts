import { describe, expect, it } from 'vitest';
import { builtInTarget, createCheckContext, gaussian, rngFromSeed } from '../../src/index.ts';
import { stringifyWithNonFinite } from '../../src/checks/resultsCache.ts';
import { constantsInT, type ConstantsSubject } from '../../studies/constants.ts';

/** A small sweep with every kind of constant: exact (Gaussian), quadrature and sure bounds (1-D mixture), trained replicates. */
const subject: ConstantsSubject = {
  Ts: [64, 128],
  rows: [
    { label: 'aniso-gaussian-2d', target: builtInTarget('aniso-gaussian-2d'), symbols: ['L_f', 'c_2', 'c_4', 'C_1'] },
    { label: 'bimodal-1d', target: builtInTarget('bimodal-1d'), symbols: ['c_4', 'C_1'], nodes: 64 },
    { label: 'N(½, ½)', target: gaussian([0.5], [0.5]), symbols: ['eps_tot', 'eps_F'] },
  ],
  samplesPerStep: 16,
  draws: 16,
  tolerance: 0.1,
  replicates: 2,
};

describe('constants study on a worker pool', () => {
  it('gives Evidence identical byte for byte to the in-process sweep (--workers 2 against 1)', async () => {
    const evidenceWith = async (workers: number): Promise<string> => {
      const progress: number[] = [];
      const ctx = createCheckContext({ rng: rngFromSeed(4).child('studies.constantsInT'), falseFailRate: 1e-3, workers, onProgress: (e) => e.type === 'check-progress' && progress.push(e.fraction) });
      const evidence = await constantsInT.run(subject, ctx);
      expect(progress.at(-1)).toBe(1);
      return stringifyWithNonFinite(evidence);
    };
    const inProcess = await evidenceWith(1);
    const pooled = await evidenceWith(2);
    expect(pooled).toBe(inProcess);
    // the sweep measured what it should (not an empty Evidence on both sides)
    expect(inProcess).toContain('N(½, ½).eps_tot@T=128');
    expect(inProcess).toContain('bimodal-1d.C_1@T=64');
  }, 180_000);
});

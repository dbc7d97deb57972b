import { describe, expect, it } from 'vitest';
import { gaussian, runControl } from '../../src/index.ts';
import type { AuditReport } from '../../src/report/auditReport.ts';
import { constantsFindings, constantsInT, constantsSuite, halfOctaves } from '../../studies/constants.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('constants study', () => {
  it('sweeps T in half octaves', () => {
    expect(halfOctaves(256, 1024)).toEqual([256, 362, 512, 724, 1024]);
  });

  it('the offset control measures ε̂_tot = ‖δ‖·(T − 1) exactly (the idealised sequence has no other error)', async () => {
    const ev = await runControl(constantsInT, 'offsetPerStep', { seed: 3 });
    for (const T of halfOctaves(32, 256)) {
      // Gauss–Hermite is exact for the affine idealised sequence, so every per-step error is exactly |δ| = 0.01
      expect(ev.estimates[`N(½, ½) + δ per step.eps_tot@T=${T}`]!.value).toBeCloseTo(0.01 * (T - 1), 10);
    }
  });

  it('writes the findings table from the Evidence (missing rows render as dashes)', async () => {
    const evidence = await runControl(constantsInT, 'scheduleAndGaussian', { seed: 3 });
    const report = { entries: [{ statement: { id: 'studies.constantsInT' }, result: { evidence } }] } as unknown as AuditReport;
    const text = constantsFindings(report);
    expect(text).toContain('| target | L̂_f | ĉ₂ | ĉ₄ | Ĉ₁ |');
    expect(text).toContain('| bimodal-1d |');
    expect(text).toContain(`Verdict: ${evidence.verdict}`);
  });

  it('builds one check with its subject', async () => {
    const suite = await constantsSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['studies.constantsInT']);
    expect(suite.subjects['studies.constantsInT']).toBeDefined();
  });
});

// determinism re-checked on the cheaper control (the holds control trains 28 affine models)
describeControls(constantsInT, { determinism: ['offsetPerStep'] });

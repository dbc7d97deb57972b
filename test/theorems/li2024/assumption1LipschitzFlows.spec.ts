import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { assumption1LipschitzFlows } from '../../../theorems/li2024/assumption1LipschitzFlows.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(assumption1LipschitzFlows);

/** ½N(−2a, v) + ½N(2a, v) with v = a²/4 + s²: CDF and density, written out independently of the oracle. */
function bimodal(a: number, s: number): { cdf: (x: number) => number; pdf: (x: number) => number } {
  const v = (a * a) / 4 + s * s;
  const sd = Math.sqrt(v);
  const Phi = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);
  const phi = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return {
    cdf: (x) => 0.5 * Phi((x + 2 * a) / sd) + 0.5 * Phi((x - 2 * a) / sd),
    pdf: (x) => (0.5 * phi((x + 2 * a) / sd) + 0.5 * phi((x - 2 * a) / sd)) / sd,
  };
}

describe('li2024.assumption1 estimates', () => {
  it('gives the Gaussian closed form √((1 + 3ᾱ₁)/(1 + 3ᾱ_T)) for λ_max = 4', async () => {
    const e = await runControl(assumption1LipschitzFlows, 'gaussianAtSqrtLambdaMax');
    const s = lhwSchedule({ T: 200, c0: 2, c1: 8 });
    const exact = Math.sqrt((1 + 3 * s.alphaBars[1]!) / (1 + 3 * s.alphaBars[200]!));
    expect(Math.abs(e.estimates['L_f_hat']!.value - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
  });

  it("reports a bimodal witness whose Φ′ = p_t(x)/p_k(Φ(x)) an independent bisection reproduces", async () => {
    const e = await runControl(assumption1LipschitzFlows, 'bimodalUnderstated');
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    const s = lhwSchedule({ T: 100, c0: 2, c1: 8 });
    const t = e.witness.time!;
    const k = Number(/→(\d+)/.exec(e.witness.description)![1]);
    const x = e.witness.point![0]!;
    const pt = bimodal(Math.sqrt(s.alphaBars[t]!), Math.sqrt(s.oneMinusAlphaBars[t]!));
    const pk = bimodal(Math.sqrt(s.alphaBars[k]!), Math.sqrt(s.oneMinusAlphaBars[k]!));
    const target = pt.cdf(x);
    let lo = -10;
    let hi = 10;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (pk.cdf(mid) < target) lo = mid;
      else hi = mid;
    }
    const derivative = pt.pdf(x) / pk.pdf((lo + hi) / 2);
    // Both sides invert a CDF near 1/2 at a point where p_k is small (≈ 1e-3): relative agreement 1e-6 is what
    // a 1e-14 root tolerance amplified by p_k′/p_k allows.
    expect(Math.abs(derivative - e.witness.value) / derivative).toBeLessThanOrEqual(1e-6);
    expect(e.witness.value).toBeGreaterThan(10);
  });
});

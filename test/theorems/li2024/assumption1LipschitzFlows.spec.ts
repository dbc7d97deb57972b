import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget, flowJacobianNorm } from '../../../src/index.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { assumption1LipschitzFlows } from '../../../theorems/li2024/assumption1LipschitzFlows.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(assumption1LipschitzFlows, {
  determinism: ['gaussianUnderstated', 'bimodalUnderstated'],
  inspect: {
    ring8Understated: (e) => {
      if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
      // The centre of the ring is a fixed point of every flow; its stretch in closed form (see
      // test/unit/flows/lipschitzWitness.spec.ts): √(g_1/g_100)·exp(ᾱ_1/g_1 − ᾱ_100/g_100), g = 0.04ᾱ + 1 − ᾱ, ≈ 1.35e10.
      // The former search (3 pairs, 16 draws, hill climb) reported 70.1 here.
      const s = lhwSchedule({ T: 100, c0: 2, c1: 8 });
      const h = (t: number): number => {
        const g = 0.04 * s.alphaBars[t]! + s.oneMinusAlphaBars[t]!;
        return 0.5 * Math.log(g) + s.alphaBars[t]! / g;
      };
      const centre = Math.exp(h(1) - h(100));
      const estimate = e.estimates['L_f_hat']!;
      expect(estimate.supLowerBound).toBe(true);
      expect(estimate.interval.lower).toBeLessThanOrEqual(centre);
      expect(estimate.value).toBeGreaterThanOrEqual(estimate.interval.lower);
      // the ODE's estimated relative error (rtol 1e-13 against 1e-12), named in the method note, is taken off the lower end
      const relative = /relative error ≲ ([0-9.e+-]+) \(difference from rtol 1e-12\)/.exec(e.diagnostics.map((d) => d.message).join('\n'));
      expect(relative).not.toBeNull();
      expect(estimate.interval.lower).toBeLessThan(estimate.value);
      expect(Math.abs(1 - estimate.interval.lower / estimate.value - Number(relative![1]))).toBeLessThanOrEqual(0.05 * Number(relative![1]));
      expect(estimate.value).toBeGreaterThanOrEqual(centre * (1 - 1e-5));
      // The witness as printed in the reason (and by the report renderer) reproduces the value when re-evaluated.
      const printed = /at x = \(([^)]*)\)/.exec(e.reason)![1]!.split(', ').map(Number);
      expect(printed).toEqual(e.witness.point);
      const pair = /Φ_\{(\d+)→(\d+)\}/.exec(e.witness.description)!;
      expect(flowJacobianNorm(builtInTarget('ring8-2d'), s.process(), printed, s.timeOfStep(Number(pair[1])), s.timeOfStep(Number(pair[2])))).toBe(e.witness.value);
    },
  },
});

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

import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';
import { stochasticFlow } from '../../../theorems/note/stochasticFlow.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(stochasticFlow, {
  determinism: ['skewedMixture'],
  inspect: {
    gaussianData: (e) => {
      expect(e.estimates['W1_marginal']!.value).toBeLessThan(1e-12);
      expect(e.estimates['W1_CK']!.value).toBeLessThan(1e-12);
      // 0 mathematically (Gaussian data); rounding of the library's Gauss–Hermite nodes leaves ≈ 1e-16
      expect(e.estimates['W1_irreducible']!.value).toBeLessThan(1e-14);
    },
    skewedMixture: (e) => {
      expect(e.estimates['W1_marginal']!.value).toBeGreaterThan(0.1);
      expect(e.estimates['W1_CK']!.value).toBeGreaterThan(0.1);
      // both properties fail, each against its own tolerance (10× the quadrature difference, at least 1e-9)
      expect(e.parts.map((p) => p.verdict)).toEqual(['violated', 'violated']);
    },
  },
});

describe('note.stochasticFlow', () => {
  it('matches an independent trapezoid-in-x evaluation of W₁(∫p_t K_{t→0}, p₀) for the skewed mixture', async () => {
    // p₀ = 0.2N(−2, 0.05) + 0.8N(1, 0.2), t = 1: posterior of X₀ given x in closed form per component.
    const w = [0.2, 0.8];
    const m = [-2, 1];
    const v = [0.05, 0.2];
    const t2 = 1;
    const pdf = (x: number, mean: number, varr: number): number => Math.exp(-((x - mean) ** 2) / (2 * varr)) / Math.sqrt(2 * Math.PI * varr);
    const xs: number[] = [];
    const px: number[] = [];
    const F: number[] = [];
    const G: number[] = [];
    const nx = 2000;
    const hx = 16 / (nx - 1);
    for (let i = 0; i < nx; i++) {
      const x = -8 + i * hx;
      const comps = w.map((wk, k) => wk * pdf(x, m[k]!, v[k]! + t2));
      const p = comps.reduce((a, b) => a + b, 0);
      const r = comps.map((c) => c / p);
      const pm = m.map((mk, k) => mk + (v[k]! / (v[k]! + t2)) * (x - mk));
      const pv = v.map((vk) => (vk * t2) / (vk + t2));
      const mean = r.reduce((a, rk, k) => a + rk * pm[k]!, 0);
      const second = r.reduce((a, rk, k) => a + rk * (pv[k]! + pm[k]! ** 2), 0);
      xs.push(x);
      px.push(p * (i === 0 || i === nx - 1 ? 0.5 : 1) * hx);
      F.push(mean);
      G.push(Math.sqrt(second - mean * mean));
    }
    const ny = 800;
    const hy = 24 / (ny - 1);
    let w1 = 0;
    for (let j = 0; j < ny; j++) {
      const y = -12 + j * hy;
      let push = 0;
      for (let i = 0; i < nx; i++) push += px[i]! * normalCdf((y - F[i]!) / G[i]!);
      const f0 = w.reduce((a, wk, k) => a + wk * normalCdf((y - m[k]!) / Math.sqrt(v[k]!)), 0);
      w1 += (j === 0 || j === ny - 1 ? 0.5 : 1) * Math.abs(push - f0) * hy;
    }
    const e = await runControl(stochasticFlow, 'skewedMixture');
    // Trapezoid in x (h = 0.008) and y (h = 0.03) on smooth integrands except the kink of |·|: error ≲ 3e-4.
    expect(Math.abs(e.estimates['W1_marginal']!.value - w1)).toBeLessThan(1e-3);
  });
});

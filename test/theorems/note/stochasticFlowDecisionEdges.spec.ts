// The three-way decision of note.stochasticFlow between its tolerance and ten times it: a mixture of two nearly equal
// Gaussians, whose posteriors are Gaussian to within W₁ ≈ 5e-9 (the defect grows like the separation⁴), lies between
// the floor 1e-9 and 1e-8 on both parts: inconclusive, neither holds nor violated.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber } from '../../../src/index.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';
import { stochasticFlow } from '../../../theorems/note/stochasticFlow.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-12 });
const nearlyGaussian = (separation: number) => new GaussianMixture([0.5, 0.5], [[0], [separation]], [[0.5], [0.5]]);

describe('note.stochasticFlow between the tolerance and ten times it', () => {
  it('½N(0, ½) + ½N(0.025, ½): both defects in (1e-9, 1e-8], both parts inconclusive; at separation 0.01 they hold', async () => {
    const e = await stochasticFlow.run({ target: nearlyGaussian(0.025), process: varianceExploding() }, context());
    // the tolerances are the floor 1e-9: the 100-node and 60-node quadratures agree to far below it
    expect(e.estimates['quadrature_error']!.value).toBeLessThan(1e-11);
    for (const symbol of ['W1_marginal', 'W1_CK']) {
      expect(e.estimates[symbol]!.value).toBeGreaterThan(1e-9);
      expect(e.estimates[symbol]!.value).toBeLessThanOrEqual(1e-8);
    }
    expect(e.parts.map((p) => p.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(e.verdict).toBe('inconclusive');
    // the Chapman–Kolmogorov reason names the point of the largest defect, one of x ∈ {−1, 0, 1}
    expect(e.parts[1]!.reason).toMatch(/at x = (-1|0|1) \(s = 0\.5/);

    const closer = await stochasticFlow.run({ target: nearlyGaussian(0.01), process: varianceExploding() }, context());
    expect(closer.estimates['W1_marginal']!.value).toBeLessThan(1e-9);
    expect(closer.verdict).toBe('holds');
  }, 30_000);
});

/** Posterior of X given X + N(0, noise) = x for the 1-D mixture (w, m, v): per-component closed form. */
function posteriorMixture(w: number[], m: number[], v: number[], noise: number, x: number): { w: number[]; m: number[]; v: number[] } {
  const pdf = (y: number, mean: number, variance: number): number => Math.exp(-((y - mean) ** 2) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
  const joint = w.map((wk, k) => wk * pdf(x, m[k]!, v[k]! + noise));
  const total = joint.reduce((a, b) => a + b, 0);
  return { w: joint.map((j) => j / total), m: m.map((mk, k) => mk + (v[k]! / (v[k]! + noise)) * (x - mk)), v: v.map((vk) => (vk * noise) / (vk + noise)) };
}
function momentsOf(p: { w: number[]; m: number[]; v: number[] }): [number, number] {
  const mean = p.w.reduce((a, wk, k) => a + wk * p.m[k]!, 0);
  const second = p.w.reduce((a, wk, k) => a + wk * (p.v[k]! + p.m[k]! ** 2), 0);
  return [mean, second - mean * mean];
}
/** Trapezoid ∫|F − G| over [lo, hi]. */
function w1Trapezoid(F: (y: number) => number, G: (y: number) => number, lo: number, hi: number, points: number): number {
  const h = (hi - lo) / (points - 1);
  let sum = 0;
  for (let j = 0; j < points; j++) sum += (j === 0 || j === points - 1 ? 0.5 : 1) * Math.abs(F(lo + j * h) - G(lo + j * h)) * h;
  return sum;
}

describe('note.stochasticFlow away from t = 1 (where t² = t/t would hide a wrong posterior variance)', () => {
  const context12 = () => createCheckContext({ rng: rngFromSeed(2), falseFailRate: 1e-12 });

  it('Gaussian data at t = 2, s = 0.7: all three defects vanish (the posterior noise variances are t², s², t² − s²)', async () => {
    const e = await stochasticFlow.run({ target: new GaussianMixture([1], [[0.5]], [[0.5]]), process: varianceExploding(), t: 2, s: 0.7 }, context12());
    expect(e.verdict, e.reason).toBe('holds');
    for (const symbol of ['W1_marginal', 'W1_CK', 'W1_irreducible']) expect(e.estimates[symbol]!.value).toBeLessThan(1e-12);
    expect(e.parts[1]!.reason).toContain(`(s = 0.7, tolerance ${formatNumber(1e-9)})`);
    expect(e.reason).toBe(
      `For Gaussian data the Gaussian posterior-sampler ansatz is exact: W₁(∫p_t K, p₀) = ${formatNumber(e.estimates['W1_marginal']!.value)} and the Chapman–Kolmogorov defect is ${formatNumber(e.estimates['W1_CK']!.value)} (quadrature level).`,
    );
  }, 30_000);

  it('skewed mixture at t = 2, s = 0.7: W1_CK and W1_irreducible match an independent trapezoid computation, and the reason names them', async () => {
    const w = [0.2, 0.8];
    const m = [-2, 1];
    const v = [0.05, 0.2];
    const [t, s] = [2, 0.7];
    const e = await stochasticFlow.run({ target: new GaussianMixture(w, m.map((x) => [x]), v.map((x) => [x])), process: varianceExploding(), t, s }, context12());
    const normal = (z: number): number => normalCdf(z);
    let ck = 0;
    let ckAt = Number.NaN;
    let irreducible = 0;
    for (const x of [-1, 0, 1]) {
      const direct = posteriorMixture(w, m, v, t * t, x);
      const [directMean, directVar] = momentsOf(direct);
      const directCdf = (y: number): number => normal((y - directMean) / Math.sqrt(directVar));
      // K_{t→s}(x): the moment-matched posterior of X_s (p_s = p₀ ∗ N(0, s²)) given X_s + N(0, t² − s²) = x
      const [midMean, midVar] = momentsOf(posteriorMixture(w, m, v.map((vk) => vk + s * s), t * t - s * s, x));
      // ∫ N(u; midMean, midVar) Φ((y − F_s(u))/G_s(u)) du by the trapezoid in u over ±9 sd (800 points)
      const us = Array.from({ length: 800 }, (_, i) => midMean + Math.sqrt(midVar) * (-9 + (18 * i) / 799));
      const hu = (18 * Math.sqrt(midVar)) / 799;
      const weights = us.map((u, i) => ((i === 0 || i === 799 ? 0.5 : 1) * hu * Math.exp(-((u - midMean) ** 2) / (2 * midVar))) / Math.sqrt(2 * Math.PI * midVar));
      const kernels = us.map((u) => momentsOf(posteriorMixture(w, m, v, s * s, u)));
      const chainedCdf = (y: number): number => kernels.reduce((a, [km, kv], i) => a + weights[i]! * normal((y - km) / Math.sqrt(kv)), 0);
      const ckHere = w1Trapezoid(chainedCdf, directCdf, -10, 10, 800);
      if (ckHere > ck) [ck, ckAt] = [ckHere, x];
      const exact = (y: number): number => direct.w.reduce((a, wk, k) => a + wk * normal((y - direct.m[k]!) / Math.sqrt(direct.v[k]!)), 0);
      irreducible = Math.max(irreducible, w1Trapezoid(exact, directCdf, -10, 10, 4000));
    }
    // trapezoid errors (h ≈ 0.025 in y on smooth CDF differences, ≈ 0.02 sd in u) are ≲ 1e-4; the check's quadrature differs by its quadrature_error
    expect(ck).toBeGreaterThan(0.01);
    expect(Math.abs(e.estimates['W1_CK']!.value - ck)).toBeLessThan(1e-3);
    expect(Math.abs(e.estimates['W1_irreducible']!.value - irreducible)).toBeLessThan(1e-3);
    expect(e.verdict).toBe('violated');
    expect(e.parts[1]!.reason).toContain(`at x = ${ckAt} (s = 0.7,`);
    // the part reasons print each defect against its tolerance (the thresholds: max(1e-9, 10 × the quadrature difference))
    const [tolMarginal, tolCk] = e.thresholds.map((th) => th.value);
    expect(Math.max(tolMarginal!, tolCk!)).toBeCloseTo(Math.max(1e-9, 10 * e.estimates['quadrature_error']!.value), 15);
    expect(e.parts[0]!.reason).toBe(`W₁ = ${formatNumber(e.estimates['W1_marginal']!.value)} (tolerance ${formatNumber(tolMarginal!)})`);
    expect(e.parts[1]!.reason).toBe(`max_x W₁ = ${formatNumber(e.estimates['W1_CK']!.value)} at x = ${ckAt} (s = 0.7, tolerance ${formatNumber(tolCk!)})`);
    expect(e.parts.map((p) => p.verdict)).toEqual(['violated', 'violated']);
    if (e.verdict !== 'violated') throw new Error('expected violated');
    // the witness is the first violated part, marginal preservation at time t
    expect(e.witness!.time).toBe(2);
    expect(e.witness!.description).toBe(`pushing p_t through the Gaussian ansatz misses p₀ by W₁ = ${formatNumber(e.estimates['W1_marginal']!.value)}`);
    const [marginal, ckValue, irr] = ['W1_marginal', 'W1_CK', 'W1_irreducible'].map((k) => formatNumber(e.estimates[k]!.value));
    expect(e.reason).toBe(
      `For this mixture the Gaussian ansatz is not a stochastic consistency function: its one-step marginal is W₁ = ${marginal} from p₀ and Chapman–Kolmogorov fails by W₁ = ${ckValue} at x = ${ckAt}, while its kernel is up to W₁ = ${irr} from the exact (mixture) posterior, which satisfies both.`,
    );
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { lhwSchedule, mixtureIdealised, normalCdf, normalSurvival, type LhwSchedule } from '../../../src/index.ts';

interface Mixture {
  readonly w: readonly number[];
  readonly m: readonly number[];
  readonly v: readonly number[];
}

/**
 * W_ideal(T) = E|f_T(X_T) − Φ_T(X_T)| of the CT coupling for a 1-D mixture, by a brute-force computation that
 * shares no numerics with the library or the studies: f_t on a uniform x-grid (linear interpolation), the
 * conditional expectation over each posterior component by the trapezoid rule in z on [−8, 8] (400 intervals), the
 * coupling X_{t−1} = A·x + a₀·X₀ written from its definition (same Z: A = √((1−ᾱ_{t−1})/(1−ᾱ_t)),
 * a₀ = √ᾱ_{t−1} − √ᾱ_t·A), Φ_T = F₁⁻¹∘F_T by bisection (survival side above the median), and the outer expectation by
 * the trapezoid rule on the x-grid. Both grid errors are O(h²): on ½N(±1.5, ¼), T = 64, 2001 → 4001 points moves the
 * value by 4.8e-4 relative (0.277012 → 0.277144), so the test uses the Richardson extrapolation (4·W(h/2) − W(h))/3.
 */
function referenceIdealisedW(mix: Mixture, schedule: LhwSchedule, gridPoints: number): number {
  const T = schedule.T;
  const K = mix.w.length;
  const reach = Math.max(...mix.m.map((m, k) => Math.abs(m) + 9 * Math.max(Math.sqrt(mix.v[k]!), 1)));
  const h = (2 * reach) / (gridPoints - 1);
  const xs = Float64Array.from({ length: gridPoints }, (_, i) => -reach + i * h);
  const interpolate = (values: Float64Array, x: number): number => {
    const u = (x + reach) / h;
    if (u <= 0) return values[0]! + (x - xs[0]!) * ((values[1]! - values[0]!) / h);
    if (u >= gridPoints - 1) return values[gridPoints - 1]! + (x - xs[gridPoints - 1]!) * ((values[gridPoints - 1]! - values[gridPoints - 2]!) / h);
    const i = Math.floor(u);
    const r = u - i;
    return values[i]! * (1 - r) + values[i + 1]! * r;
  };
  const zCount = 401;
  const zs = Float64Array.from({ length: zCount }, (_, j) => -8 + (16 * j) / (zCount - 1));
  const zWeights = zs.map((z, j) => Math.exp(-0.5 * z * z) * (j === 0 || j === zCount - 1 ? 0.5 : 1));
  const zTotal = zWeights.reduce((a, b) => a + b, 0);
  let f = Float64Array.from(xs); // f₁ = id
  for (let t = 2; t <= T; t++) {
    const aPrev = Math.sqrt(schedule.alphaBars[t - 1]!);
    const a = Math.sqrt(schedule.alphaBars[t]!);
    const sPrev2 = 1 - schedule.alphaBars[t - 1]!;
    const s2 = 1 - schedule.alphaBars[t]!;
    const A = Math.sqrt(sPrev2 / s2);
    const a0 = aPrev - a * A;
    const next = new Float64Array(gridPoints);
    for (let i = 0; i < gridPoints; i++) {
      const x = xs[i]!;
      const logs = mix.w.map((w, k) => Math.log(w) - 0.5 * Math.log(a * a * mix.v[k]! + s2) - (0.5 * (x - a * mix.m[k]!) ** 2) / (a * a * mix.v[k]! + s2));
      const top = Math.max(...logs);
      const raw = logs.map((l) => Math.exp(l - top));
      const total = raw.reduce((p, q) => p + q, 0);
      let value = 0;
      for (let k = 0; k < K; k++) {
        const gain = (a * mix.v[k]!) / (a * a * mix.v[k]! + s2);
        const mean = mix.m[k]! + gain * (x - a * mix.m[k]!);
        const sd = Math.sqrt((mix.v[k]! * s2) / (a * a * mix.v[k]! + s2));
        let e = 0;
        for (let j = 0; j < zCount; j++) e += zWeights[j]! * interpolate(f, A * x + a0 * (mean + sd * zs[j]!));
        value += (raw[k]! / total) * (e / zTotal);
      }
      next[i] = value;
    }
    f = next;
  }
  const law = (t: number) => {
    const a = Math.sqrt(schedule.alphaBars[t]!);
    const s2 = 1 - schedule.alphaBars[t]!;
    const sds = mix.v.map((v) => Math.sqrt(a * a * v + s2));
    return {
      cdf: (x: number) => mix.w.reduce((acc, w, k) => acc + w * normalCdf((x - a * mix.m[k]!) / sds[k]!), 0),
      survival: (x: number) => mix.w.reduce((acc, w, k) => acc + w * normalSurvival((x - a * mix.m[k]!) / sds[k]!), 0),
      density: (x: number) => mix.w.reduce((acc, w, k) => acc + (w * Math.exp(-0.5 * ((x - a * mix.m[k]!) / sds[k]!) ** 2)) / (sds[k]! * Math.sqrt(2 * Math.PI)), 0),
    };
  };
  const lawT = law(T);
  const law1 = law(1);
  const invert = (g: (x: number) => number, target: number, increasing: boolean): number => {
    let lo = -reach - 40;
    let hi = reach + 40;
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (g(mid) < target === increasing) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  let num = 0;
  let den = 0;
  for (let i = 0; i < gridPoints; i++) {
    const x = xs[i]!;
    const F = lawT.cdf(x);
    const phi = F <= 0.5 ? invert(law1.cdf, F, true) : invert(law1.survival, lawT.survival(x), false);
    const weight = lawT.density(x) * (i === 0 || i === gridPoints - 1 ? 0.5 : 1);
    num += weight * Math.abs(f[i]! - phi);
    den += weight;
  }
  return num / den;
}

describe('W_ideal of a 1-D mixture (mixtureIdealised) against an independent brute-force reference', () => {
  // ½N(±1.5, ¼): L_f ≈ 45, a steep flow (an x-space Chebyshev recursion at 97 points was 1.3% low here)
  const sharp: Mixture = { w: [0.5, 0.5], m: [-1.5, 1.5], v: [0.25, 0.25] };
  const schedule = lhwSchedule({ T: 64, c0: 2, c1: 8 });
  // Richardson extrapolation of the two O(h²) grids: 0.277188 (the y-space value at 256 nodes is 0.277179, 3.3e-5 below;
  // at 97 nodes, li2024.theorem1's default, 0.277174, 5.1e-5 below)
  const reference = (4 * referenceIdealisedW(sharp, schedule, 4001) - referenceIdealisedW(sharp, schedule, 2001)) / 3;

  // tolerance 2e-4: 4–6× the observed 3.3e-5 and 5.1e-5, and half the 4001-point grid's own error
  it('agrees with the reference to 2e-4 relative at 256 and at 97 Chebyshev points', { timeout: 120_000 }, () => {
    for (const nodes of [256, 97]) {
      const computed = mixtureIdealised(sharp, schedule, 'ct', { nodes }).W;
      expect(Math.abs(computed - reference) / reference).toBeLessThan(2e-4);
    }
  });
});

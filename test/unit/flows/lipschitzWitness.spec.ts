import { describe, expect, it } from 'vitest';
import {
  builtInTarget,
  criticalPointsOfLogDensity,
  flowJacobianNorm,
  gaussianLipschitz,
  GaussianMixture,
  geometricSteps,
  mixtureLengthScale,
  lhwSchedule,
  mixtureSeeds,
  ornsteinUhlenbeck,
  rngFromSeed,
  searchFlowLipschitz,
  searchModelLipschitz,
  type ConsistencyFunction,
} from '../../../src/index.ts';

/**
 * ring8-2d (8 modes at radius r = 2, covariance v·I, v = 0.04): by symmetry the origin is a fixed point of every flow,
 * the posterior at 0 has isotropic covariance [vσ²/(v+σ²) + (r²/2)σ⁴/(v+σ²)²]·I in the VE variable (σ² = (1−ᾱ)/ᾱ),
 * and integrating the variational equation dJ/d log σ = (I − Cov/σ²)J in closed form gives
 * ‖∂Φ_{t→k}(0)‖ = √(g_k/g_t)·exp((r²/4)(ᾱ_k/g_k − ᾱ_t/g_t)), g = ᾱv + 1 − ᾱ.
 */
function ringCentreStretch(schedule: ReturnType<typeof lhwSchedule>, t: number, k: number): number {
  const v = 0.04;
  const r2 = 4;
  const h = (s: number): number => {
    const g = schedule.alphaBars[s]! * v + schedule.oneMinusAlphaBars[s]!;
    return 0.5 * Math.log(g) + (r2 / 4) * (schedule.alphaBars[s]! / g);
  };
  return Math.exp(h(k) - h(t));
}

describe('searchFlowLipschitz', () => {
  const schedule = lhwSchedule({ T: 100, c0: 2, c1: 8 });
  const steps = geometricSteps(100, 6, 1);
  const times = steps.map((s) => schedule.timeOfStep(s));

  it('finds on ring8-2d at least the stretch of the centre, 1.35e10 for Φ_{100→1} (the former 3-pair, 16-draw search reported 70.1)', () => {
    const target = builtInTarget('ring8-2d');
    const w = searchFlowLipschitz(target, schedule.process(), { starts: times, ends: times, rng: rngFromSeed(7) });
    const centre = ringCentreStretch(schedule, 100, 1);
    expect(centre).toBeGreaterThan(1e10);
    expect(w.value).toBeGreaterThanOrEqual(centre * (1 - w.relativeError!));
    expect([steps[w.fromIndex], steps[w.toIndex]]).toEqual([100, 1]);
    // The witness is the centre, and there the stated error estimate covers the true error against the closed form.
    expect(Math.hypot(...w.point)).toBeLessThan(1e-12);
    expect(Math.abs(w.value - centre) / centre).toBeLessThanOrEqual(w.relativeError!);
    expect(w.relativeError!).toBeLessThan(1e-5);
    // Printed with String(·) and read back, the witness gives the same number.
    const replayed = flowJacobianNorm(target, schedule.process(), w.point.map(String).map(Number), w.from, w.to);
    expect(replayed).toBe(w.value);
  });

  it('on bimodal-1d (quantile maps) reaches the exact Φ′(0) = p_100(0)/p_1(0) (Φ(0) = 0 by symmetry)', () => {
    const w = searchFlowLipschitz(builtInTarget('bimodal-1d'), schedule.process(), { starts: times, ends: times, rng: rngFromSeed(7) });
    const density = (x: number, s: number): number => {
      const a = Math.sqrt(schedule.alphaBars[s]!);
      const v = 0.25 * a * a + schedule.oneMinusAlphaBars[s]!;
      return [-2, 2].reduce((sum, m) => sum + 0.5 * Math.exp(-((x - a * m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v), 0);
    };
    const centre = density(0, 100) / density(0, 1);
    expect(centre).toBeGreaterThan(1000);
    expect(w.value).toBeGreaterThanOrEqual(centre * (1 - 1e-9));
    expect(flowJacobianNorm(builtInTarget('bimodal-1d'), schedule.process(), w.point.map(String).map(Number), w.from, w.to)).toBe(w.value);
  });

  it('on a Gaussian (variational ODE) equals the closed form max over pairs √(g(ᾱ_1)/g(ᾱ_T)) within its error estimate', () => {
    const target = builtInTarget('aniso-gaussian-2d') as GaussianMixture;
    const w = searchFlowLipschitz(target, schedule.process(), { starts: times, ends: times, rng: rngFromSeed(7), draws: 4, rounds: 4 });
    const exact = gaussianLipschitz(target, schedule);
    expect([exact.t, exact.k]).toEqual([100, 1]);
    expect(Math.abs(w.value - exact.value)).toBeLessThanOrEqual(Math.max(w.relativeError!, 1e-12) * exact.value);
  });

  it('needs no pair off the grid for the centre of ring8-2d: its stretch h(k) − h(t) is largest at (T, 1), which every grid holds', () => {
    // h(s) = ½ log g_s + (r²/4)ᾱ_s/g_s has dh/dᾱ = ½(v − 1)/g + (r²/4)/g² > 0 while g < r²/(2(1 − v)) ≈ 2.08, and g ≤ 1:
    // h falls with the step, so over all 1 ≤ k < t ≤ T the centre's stretch exp(h(k) − h(t)) peaks at (T, 1).
    const s1000 = lhwSchedule({ T: 1000, c0: 2, c1: 8 });
    let worst = { value: 0, t: 0, k: 0 };
    for (let t = 2; t <= 1000; t++) {
      const value = ringCentreStretch(s1000, t, 1); // for fixed t the smallest k is best since h falls with the step
      if (value >= worst.value) worst = { value, t, k: 1 }; // at large t, ᾱ_t ≈ 0 and h is flat to rounding
      expect(ringCentreStretch(s1000, t - 1, 1)).toBeLessThanOrEqual(value);
    }
    expect([worst.t, worst.k]).toEqual([1000, 1]);
    expect(geometricSteps(1000, 10, 1)).toEqual(expect.arrayContaining([1, 1000]));
  });

  it('refuses a grid without a pair', () => {
    expect(() => searchFlowLipschitz(builtInTarget('ring8-2d'), schedule.process(), { starts: [times[0]!], ends: [times[3]!], rng: rngFromSeed(1) })).toThrow(/no pair/);
  });
});

describe('searchModelLipschitz', () => {
  it('finds the Lipschitz constant 3 of f(x) = x + ½sin(4(x₁ − 0.37))e₁ away from every seed, by central differences and compass search', () => {
    // ∂f = diag(1 + 2cos(4(x₁ − 0.37)), 1): norm 3 exactly where x₁ = 0.37 + kπ/2, none of them a seed of ring8-2d.
    const model: ConsistencyFunction = {
      id: 'wiggle',
      precision: 'float64',
      evaluate: (x) => ({ n: x.n, d: x.d, data: x.data.map((v, i) => (i % 2 === 0 ? v + 0.5 * Math.sin(4 * (v - 0.37)) : v)) }),
    };
    const process = ornsteinUhlenbeck();
    const w = searchModelLipschitz(model, builtInTarget('ring8-2d'), process, [0.1, 1], { rng: rngFromSeed(3), rounds: 60 });
    // Central differences with h = 1e-7·scale (scale ≈ 1.5) err by h²·|f‴|/6 ≈ 1e-13 (truncation) plus ≈ ε·|f|/h ≈ 2e-9
    // (rounding), and the search picks the largest rounding; it stops at steps of 1e-6 of the scale, where the true
    // derivative is below 3 by 2·(4δ)²/2 ≤ 1e-10.
    expect(Math.abs(w.value - 3)).toBeLessThan(1e-8);
    expect(Math.abs(Math.cos(4 * (w.point[0]! - 0.37)) - 1)).toBeLessThan(1e-8);
  });
});

describe('mixture seeds', () => {
  it('finds the 17 critical points of log p for ring8-2d at low noise: 8 modes, 8 saddles between them, the centre', () => {
    const target = builtInTarget('ring8-2d') as GaussianMixture;
    const marginal = target.noised(1, 0.01);
    const seeds = mixtureSeeds(target, marginal, 1);
    const critical = criticalPointsOfLogDensity(marginal, seeds, mixtureLengthScale(target, 1, 0.01));
    expect(critical.n).toBe(17);
    const radii = Array.from({ length: critical.n }, (_, i) => Math.hypot(critical.data[2 * i]!, critical.data[2 * i + 1]!)).sort((a, b) => a - b);
    expect(radii[0]).toBeLessThan(1e-12);
    // Saddles sit on the bisectors between neighbouring modes, inside radius 2·cos(π/8) ≈ 1.85 pulled slightly out; modes near radius 2.
    expect(radii.slice(1, 9).every((r) => r > 1.7 && r < 1.95)).toBe(true);
    expect(radii.slice(9).every((r) => Math.abs(r - 2) < 0.01)).toBe(true);
  });
});

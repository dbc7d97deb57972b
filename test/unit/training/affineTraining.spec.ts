import { describe, expect, it } from 'vitest';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { fitAffineFlowMap, fitAffineSequential, idealAffineSequential } from '../../../src/training/affineTraining.ts';
import { karrasTimes } from '../../../src/training/schedules/karrasSchedule.ts';
import { consistencyDistillationVariant } from '../../../src/training/variants/consistencyDistillation.ts';
import { consistencyTrainingVariant } from '../../../src/training/variants/consistencyTraining.ts';
import { lhwSequentialTrainingVariant } from '../../../src/training/variants/lhwSequentialTraining.ts';

// 1-D Gaussian N(μ, λ), VE σ = t on [ε, T] (THEORY §4.4, §5.3).
const mu = 0.3;
const lambda = 0.25;
const process = varianceExploding({ tMin: 0.002, tMax: 80 });
const eps = process.tMin;
const target = gaussian([mu], [lambda]);
const N = 10;
const times = karrasTimes(N, { tMin: 0.002, tMax: 80 });
const exactGain = (t: number): number => Math.sqrt((lambda + eps * eps) / (lambda + t * t));
/** CT / Euler step gain E_n = (λ + t_n t_{n+1})/(λ + t_{n+1}²) (THEORY §5.3). */
const ctStepGain = (lo: number, hi: number): number => (lambda + lo * hi) / (lambda + hi * hi);
/** ∏ cos Δφ with φ_t = atan2(s_t, a_t√λ) (THEORY §5.3, exact angle form). */
const cosProduct = (ts: ArrayLike<number>, a: (t: number) => number, s: (t: number) => number, lam: number): number => {
  let p = 1;
  for (let i = 1; i < ts.length; i++) p *= Math.cos(Math.atan2(s(ts[i]!), a(ts[i]!) * Math.sqrt(lam)) - Math.atan2(s(ts[i - 1]!), a(ts[i - 1]!) * Math.sqrt(lam)));
  return p;
};

describe('fitAffineSequential', () => {
  it('with CD-exact pairs recovers the closed-form f* of a 1-D Gaussian at every node', () => {
    const variant = consistencyDistillationVariant(process, { solver: 'exact', N });
    const model = fitAffineSequential(variant, target, process, { samplesPerNode: 64, rng: rngFromSeed(1) });
    // the teacher target is exactly affine in the input, so least squares has zero residual; errors are float64
    // rounding of the closed-form flow and of the normal equations, compounded over 9 nodes: 1e-10 relative
    for (let i = 0; i < N; i++) {
      const A = model.matrix(i)[0]!;
      const b = model.offset(i)[0]!;
      expect(Math.abs(A / exactGain(times[i]!) - 1)).toBeLessThan(1e-10);
      expect(Math.abs(b - mu * (1 - exactGain(times[i]!)))).toBeLessThan(1e-10);
    }
  });

  it('with CD-Euler pairs gives the Euler gain ∏E_n = ∏cos Δφ × exact gain (closed form, THEORY §5.3)', () => {
    const variant = consistencyDistillationVariant(process, { solver: 'euler', N });
    const model = fitAffineSequential(variant, target, process, { samplesPerNode: 64, rng: rngFromSeed(2) });
    let product = 1;
    for (let i = 1; i < N; i++) product *= ctStepGain(times[i - 1]!, times[i]!);
    const angle = cosProduct(times, () => 1, (t) => t, lambda) * exactGain(80);
    // two closed forms of the same number: identity to rounding
    expect(Math.abs(product / angle - 1)).toBeLessThan(1e-13);
    expect(Math.abs(model.matrix(N - 1)[0]! / product - 1)).toBeLessThan(1e-10);
    // the under-dispersion is real here: ∏cos Δφ < 1 by a visible margin
    expect(product / exactGain(80)).toBeLessThan(0.9);
  });

  it('with CT pairs (shared noise) reproduces the same ∏cos Δφ under-dispersion within 5 standard errors', () => {
    const M = 20000;
    const variant = consistencyTrainingVariant(process, { totalSteps: 1, s0: N, s1: N - 1 });
    expect(variant.schedule.stageAt(1)).toBe(N);
    const model = fitAffineSequential(variant, target, process, { samplesPerNode: M, rng: rngFromSeed(3) }, 1);
    // closed form: K_N = ∏ E_n; per-node slope SE² = K_i²·Var(X_{t_i} | X_{t_{i+1}}) / (M·Var X_{t_{i+1}}), relative errors add in quadrature
    let K = 1;
    let relVar = 0;
    for (let i = 1; i < N; i++) {
      const lo = times[i - 1]!;
      const hi = times[i]!;
      const condVar = lambda + lo * lo - (lambda + lo * hi) ** 2 / (lambda + hi * hi);
      const slope = K * ctStepGain(lo, hi);
      relVar += (K * K * condVar) / (M * (lambda + hi * hi)) / (slope * slope);
      K = slope;
    }
    const fitted = model.matrix(N - 1)[0]!;
    const se = K * Math.sqrt(relVar);
    // 5 SE two-sided: false-fail rate 6e-7 (and the seed is fixed)
    expect(Math.abs(fitted - K)).toBeLessThan(5 * se);
    // and the deficit against the exact gain is far outside that band
    expect(exactGain(80) - K).toBeGreaterThan(20 * se);
  });

  it('with the LHW variant on the discrete VP schedule is the DDIM recursion with ∏cos Δφ (THEORY §5.3)', () => {
    const lhw = lhwSchedule({ T: 12, c0: 2, c1: 3 });
    const p = lhw.process();
    const variant = lhwSequentialTrainingVariant(lhw, { stepsPerStage: 1 });
    const M = 20000;
    const model = fitAffineSequential(variant, target, p, { samplesPerNode: M, rng: rngFromSeed(4) });
    const grid = variant.schedule.times(12);
    const a = (u: number): number => p.signalScale(u);
    const s = (u: number): number => p.noiseScale(u);
    // exact gain Φ_T → Φ_1 per direction: √((a₁²λ + s₁²)/(a_T²λ + s_T²)); CT/DDIM gain = ∏cos Δφ × that
    const g = (u: number): number => a(u) ** 2 * lambda + s(u) ** 2;
    const exact = Math.sqrt(g(grid[0]!) / g(grid[11]!));
    const predicted = cosProduct(grid, a, s, lambda) * exact;
    // per-node SE as in the CT test: Var(X_lo | X_hi) = g(lo) − Cov²/g(hi), Cov = a_lo a_hi λ + s_lo s_hi
    let K = 1;
    let relVar = 0;
    for (let i = 1; i < 12; i++) {
      const lo = grid[i - 1]!;
      const hi = grid[i]!;
      const cov = a(lo) * a(hi) * lambda + s(lo) * s(hi);
      const slope = (K * cov) / g(hi);
      relVar += (K * K * (g(lo) - (cov * cov) / g(hi))) / (M * g(hi)) / (slope * slope);
      K = slope;
    }
    expect(Math.abs(K / predicted - 1)).toBeLessThan(1e-12);
    const se = K * Math.sqrt(relVar);
    expect(Math.abs(model.matrix(11)[0]! - predicted)).toBeLessThan(5 * se);
    expect(exact - predicted).toBeGreaterThan(10 * se);
  });
});

describe('fitAffineFlowMap (the note’s two-time flow map, THEORY §5.1 item 3)', () => {
  it('learns the Euler step from CT pairs and the exact step from CD-exact pairs', () => {
    const M = 20000;
    const ct = fitAffineFlowMap(consistencyTrainingVariant(process, { totalSteps: 1, s0: N, s1: N - 1 }), target, process, { samplesPerNode: M, rng: rngFromSeed(5) }, 1);
    const cd = fitAffineFlowMap(consistencyDistillationVariant(process, { solver: 'exact', N }), target, process, { samplesPerNode: 64, rng: rngFromSeed(6) });
    for (let i = 1; i < N; i++) {
      const lo = times[i - 1]!;
      const hi = times[i]!;
      const se = Math.sqrt((lambda + lo * lo - (lambda + lo * hi) ** 2 / (lambda + hi * hi)) / (M * (lambda + hi * hi)));
      expect(Math.abs(ct.stepMatrix(i)[0]! - ctStepGain(lo, hi))).toBeLessThan(5 * se);
      expect(Math.abs(cd.stepMatrix(i)[0]! / Math.sqrt((lambda + lo * lo) / (lambda + hi * hi)) - 1)).toBeLessThan(1e-11);
    }
    const x = { n: 1, d: 1, data: Float64Array.from([2]) };
    const composed = cd.asConsistencyFunction().evaluate(x, 80).data[0]!;
    expect(Math.abs(composed - (mu + exactGain(80) * (2 - mu)))).toBeLessThan(1e-10);
  });
});

describe('idealAffineSequential (population least squares, no sampling)', () => {
  // a rotated 2-D Gaussian: Σ = U diag(λ₁, λ₂) Uᵀ with U the rotation by 0.6 rad
  const l1 = 2;
  const l2 = 0.05;
  const c = Math.cos(0.6);
  const s = Math.sin(0.6);
  const U = [c, -s, s, c];
  const Sigma = [c * c * l1 + s * s * l2, c * s * (l1 - l2), c * s * (l1 - l2), s * s * l1 + c * c * l2];
  const m = [0.4, -1];
  /** Uᵀ A U: the matrix in Σ's eigenbasis. */
  const inEigenbasis = (A: Float64Array): number[] => {
    const out = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      let v = 0;
      for (let k = 0; k < 2; k++) for (let q = 0; q < 2; q++) v += U[k * 2 + i]! * A[k * 2 + q]! * U[q * 2 + j]!;
      out[i * 2 + j] = v;
    }
    return out;
  };

  it('shared noise (idealised CT) gives ∏cos Δφ × the exact gain in each eigen-direction, VE (THEORY §5.3)', () => {
    const model = idealAffineSequential(m, Sigma, process, times);
    const M = inEigenbasis(model.matrix(N - 1));
    const want = [l1, l2].map((lam) => cosProduct(times, () => 1, (t) => t, lam) * Math.sqrt((lam + eps * eps) / (lam + 6400)));
    // float64 population recursion over 9 nodes vs the angle closed form: 1e-11 relative
    expect(Math.abs(M[0]! / want[0]! - 1)).toBeLessThan(1e-11);
    expect(Math.abs(M[3]! / want[1]! - 1)).toBeLessThan(1e-11);
    expect(Math.abs(M[1]!)).toBeLessThan(1e-13 * Math.abs(M[0]!) + 1e-16);
    // f(x) = μ + A(x − μ) on VE: b = (I − A)μ
    const A = model.matrix(N - 1);
    const b = model.offset(N - 1);
    for (let r = 0; r < 2; r++) expect(Math.abs(b[r]! - (m[r]! - A[r * 2]! * m[0]! - A[r * 2 + 1]! * m[1]!))).toBeLessThan(1e-12);
  });

  it('shared noise on the LHW discrete VP schedule is DDIM: ∏cos Δφ × √(g(ᾱ₁)/g(ᾱ_T)) per direction', () => {
    const lhw = lhwSchedule({ T: 30, c0: 2, c1: 4 });
    const p = lhw.process();
    const grid = Array.from({ length: 30 }, (_, i) => lhw.timeOfStep(i + 1));
    const model = idealAffineSequential(m, Sigma, p, grid);
    const M = inEigenbasis(model.matrix(29));
    const a = (u: number): number => p.signalScale(u);
    const sc = (u: number): number => p.noiseScale(u);
    [l1, l2].forEach((lam, k) => {
      const g = (u: number): number => a(u) ** 2 * lam + sc(u) ** 2;
      const want = cosProduct(grid, a, sc, lam) * Math.sqrt(g(grid[0]!) / g(grid[29]!));
      expect(Math.abs(M[3 * k]! / want - 1)).toBeLessThan(1e-11);
      // under-dispersion: the product is < 1
      expect(want).toBeLessThan(Math.sqrt(g(grid[0]!) / g(grid[29]!)));
    });
  });

  it('the Markov coupling (negative control) collapses to E[X_ε | X_T]: gain (λ+ε²)/(λ+T²), the square of the exact gain', () => {
    const model = idealAffineSequential(m, Sigma, process, times, 'markov');
    const M = inEigenbasis(model.matrix(N - 1));
    [l1, l2].forEach((lam, k) => expect(Math.abs(M[3 * k]! / ((lam + eps * eps) / (lam + 6400)) - 1)).toBeLessThan(1e-11));
  });
});

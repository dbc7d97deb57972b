import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { type ConsistencyFunction, denoiserAsConsistencyFunction, formatNumber, levelForFalseFailRate, type PointBatch } from '../../../src/index.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { pdeResidual } from '../../../theorems/song2023/pdeResidual.ts';
import { describeControls } from '../controlHarness.ts';

/**
 * The interval of ∫‖R‖ contains the trapezoid rule applied to the per-u interval ends (the plot's lower/upper series),
 * widened on both sides by the quadrature-error estimate; and the Evidence says how accurate it is (its numerical and
 * Monte Carlo error diagnostics).
 */
function expectIntegralIntervalCoversPointwiseBounds(e: Evidence): void {
  const series = e.plots[0]!.series[0]!;
  const trapezoid = (u: readonly number[], y: readonly number[]) => u.slice(1).reduce((s, _, i) => s + 0.5 * (u[i + 1]! - u[i]!) * (y[i + 1]! + y[i]!), 0);
  const r = e.estimates['int_r']!.interval;
  expect(series.x).toHaveLength(33);
  expect(r.upper).toBeGreaterThanOrEqual(trapezoid(series.x, series.upper!) * (1 - 1e-12));
  expect(r.lower).toBeLessThanOrEqual(Math.max(0, trapezoid(series.x, series.lower!)) * (1 + 1e-12));
  expect(e.diagnostics.map((d) => d.kind)).toEqual(['numerical', 'monte-carlo-error', 'note']);
  expect(e.diagnostics[1]!.message).toContain('1000 draws per u');
}

describeControls(pdeResidual, {
  determinism: ['exactGaussian', 'denoiserGaussian'],
  inspect: {
    exactGaussian: (e) => {
      expect(e.estimates['int_r']!.interval.upper).toBeLessThan(1e-7);
      expectIntegralIntervalCoversPointwiseBounds(e);
      // the self-check holds: its reason states the comparison and no harness bug
      expect(e.parts[1]!.reason).toMatch(/plus the boundary term b ≤ \S+$/);
    },
    // THEORY §5.5: for the denoiser on N(½, 4) the residual integral equals the error up to the 2e-6 boundary term
    denoiserGaussian: (e) => {
      expect(e.reason).toContain(': the bound is attained');
      expectIntegralIntervalCoversPointwiseBounds(e);
    },
    missingSqrtCIn: (e) => expect(e.parts.find((p) => p.name.startsWith('‖f − f*‖'))!.verdict).toBe('holds'),
  },
});

describe('song2023.pdeResidual', () => {
  it('refuses a process other than VE, naming the process kind', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const process = ornsteinUhlenbeck();
    const run = pdeResidual.run({ target, process, model: exactConsistencyFunction(referenceFlow(target, process)) }, createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 }));
    await expect(run).rejects.toMatchObject({ code: 'E_UNSUPPORTED', field: 'process', message: expect.stringContaining(`written for VE; got ${process.kind}`) });
  });

  it('brackets the closed-form residual integral and error of the denoiser on N(½, 4) (the bound is attained)', async () => {
    // THEORY §5.5: R = −uλ/(λ+u²)²(x − μ), so ‖R(u)‖ = uλ/(λ+u²)^{3/2} and ∫_ε^t = λ[(λ+ε²)^{−1/2} − (λ+t²)^{−1/2}];
    // e(t) = |λ/(λ+t²) − √((λ+ε²)/(λ+t²))|·√(λ+t²). With λ = 4, t = 2, ε = 0.002 both are 0.58578…
    const [lam, t, eps] = [4, 2, 0.002];
    const integral = lam * (1 / Math.sqrt(lam + eps * eps) - 1 / Math.sqrt(lam + t * t));
    const error = Math.abs(lam / (lam + t * t) - Math.sqrt((lam + eps * eps) / (lam + t * t))) * Math.sqrt(lam + t * t);
    // They differ only by the denoiser's boundary defect |1 − λ/(λ+ε²)|·√(λ+ε²) ≈ ε²/√λ = 2e-6.
    expect(Math.abs(error - integral - (eps * eps) / Math.sqrt(lam))).toBeLessThan(1e-9);
    const e = await runControl(pdeResidual, 'denoiserGaussian');
    // The check's intervals are at level 1 − 2·10⁻³/35 each (plus the quadrature error for ∫r): each misses the
    // truth with probability ≤ 6e-5 for a fixed seed.
    const r = e.estimates['int_r']!.interval;
    const err = e.estimates['e(t)']!.interval;
    expect(integral).toBeGreaterThanOrEqual(r.lower);
    expect(integral).toBeLessThanOrEqual(r.upper);
    expect(error).toBeGreaterThanOrEqual(err.lower);
    expect(error).toBeLessThanOrEqual(err.upper);
  });
});

describe('song2023.pdeResidual finite-difference steps', () => {
  it('steps along v by ‖η v‖ = 10⁻⁴ × the scale of p_u for the longest v, and in t by 10⁻⁴·u (the documented design)', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const process = varianceExploding();
    const exact = exactConsistencyFunction(referenceFlow(target, process));
    const calls: { x: Float64Array | readonly number[]; t: number }[] = [];
    const spy = { id: 'spy', precision: 'float64' as const, evaluate: (x: PointBatch, t: number | Float64Array) => {
      calls.push({ x: Float64Array.from(x.data), t: t as number });
      return exact.evaluate(x, t);
    } };
    const e = await pdeResidual.run({ target, process, model: spy, samples: 40 }, createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-3 }));
    expect(e.parts[0]!.verdict).toBe('holds');
    const mean = target.mean();
    const dataVar = (target.secondMoment() - mean.reduce((a, v) => a + v * v, 0)) / target.dim;
    const us = e.plots[0]!.series[0]!.x;
    expect(us).toHaveLength(33);
    // per u: f(x, u + du), f(x, u − du), f(x + ηv, u), f(x − ηv, u)
    for (const [j, u] of us.entries()) {
      const [plus, minus, xp, xm] = calls.slice(4 * j, 4 * j + 4) as [typeof calls[0], typeof calls[0], typeof calls[0], typeof calls[0]];
      expect(plus.t).toBeCloseTo(u * (1 + 1e-4), 15);
      expect(minus.t).toBeCloseTo(u * (1 - 1e-4), 15);
      expect(xp.t).toBe(u);
      expect(xm.t).toBe(u);
      let longest = 0;
      for (let i = 0; i < 40; i++) {
        const step = Math.hypot(xp.x[2 * i]! - plus.x[2 * i]!, xp.x[2 * i + 1]! - plus.x[2 * i + 1]!);
        const back = Math.hypot(xm.x[2 * i]! - plus.x[2 * i]!, xm.x[2 * i + 1]! - plus.x[2 * i + 1]!);
        expect(back).toBeCloseTo(step, 12);
        longest = Math.max(longest, step);
      }
      expect(longest / (1e-4 * Math.sqrt(dataVar + u * u))).toBeCloseTo(1, 9);
    }
  });
});

describe('song2023.pdeResidual texts, read back from the Evidence', () => {
  const trapezoid = (u: readonly number[], y: readonly number[]) => u.slice(1).reduce((s, _, i) => s + 0.5 * (u[i + 1]! - u[i]!) * (y[i + 1]! + y[i]!), 0);
  const runSmall = (target: ReturnType<typeof builtInTarget>, model: ConsistencyFunction, samples = 40) =>
    pdeResidual.run({ target, process: varianceExploding(), model, samples }, createCheckContext({ rng: rngFromSeed(4), falseFailRate: 1e-3 }));

  it('holds for f* on aniso-gaussian-2d: both part reasons, the summary, the tolerance and both error diagnostics', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const e = await runSmall(target, exactConsistencyFunction(referenceFlow(target, varianceExploding())));
    expect(e.verdict).toBe('holds');
    const mean = target.mean();
    const dataVar = (target.secondMoment() - mean.reduce((a, v) => a + v * v, 0)) / target.dim;
    const tol = 1e-5 * (1 + Math.sqrt(dataVar)) * (2 - 0.002);
    expect(e.estimates['tol']!.value).toBeCloseTo(tol, 15);
    const [r, err, b] = [e.estimates['int_r']!, e.estimates['e(t)']!, e.estimates['b']!];
    expect(e.parts[0]!.reason).toBe(`∫_ε^t ‖R‖ du = ${formatNumber(r.value)} ∈ [${formatNumber(r.interval.lower)}, ${formatNumber(r.interval.upper)}] against the finite-difference tolerance ${formatNumber(tol)}`);
    expect(e.parts[1]!.reason).toBe(`e(t) = ${formatNumber(err.value)} ∈ [${formatNumber(err.interval.lower)}, ${formatNumber(err.interval.upper)}] vs ∫‖R‖ ≤ ${formatNumber(r.interval.upper)} plus the boundary term b ≤ ${formatNumber(b.interval.upper)}`);
    expect(e.reason).toBe(`exact solves the transport PDE to finite-difference accuracy (∫‖R‖ = ${formatNumber(r.value)} ≤ ${formatNumber(tol)}) and its consistency error at t = 2 is ${formatNumber(err.value)}; minimising this residual is continuous-time CD (Song et al. App. B).`);
    // the quadrature error is the full-grid trapezoid against the every-other-point one, on the plotted r(u)
    const { x: us, y: rs } = e.plots[0]!.series[0]!;
    const quadError = Math.abs(trapezoid(us, rs) - trapezoid(us.filter((_, j) => j % 2 === 0), rs.filter((_, j) => j % 2 === 0)));
    expect(e.diagnostics[0]!.message).toBe(`central differences with relative step 0.0001; trapezoid quadrature error of ∫r estimated at ${formatNumber(quadError)}`);
    // Bonferroni over the 33 residuals, b and e(t)
    expect(e.diagnostics[1]!.message).toBe(`40 draws per u (the same labels and normals for every u), intervals at level ${formatNumber(levelForFalseFailRate(1e-3 / 35))}`);
    expect(r.interval.level).toBe(levelForFalseFailRate(1e-3 / 35));
  });

  it('is violated for the denoiser on N(½, 4): the summary gives the ratio e/∫r and says the bound is attained; the witness is the largest r(u)', async () => {
    // 1000 draws: e(t) and ∫r come from different draws, and the ratio is within 2 % of 1 only at this size
    const target = builtInTarget('aniso-gaussian-1d');
    const model = denoiserAsConsistencyFunction(target, varianceExploding());
    const e = await runSmall(target, model, 1000);
    expect(e.verdict).toBe('violated');
    const [r, err] = [e.estimates['int_r']!, e.estimates['e(t)']!];
    const ratio = err.value / r.value;
    expect(Math.abs(ratio - 1)).toBeLessThan(0.02);
    expect(e.reason).toBe(`${model.id} leaves a transport residual ∫_ε^2‖R‖ du = ${formatNumber(r.value)}, which bounds its consistency error e(2) = ${formatNumber(err.value)} (ratio ${formatNumber(ratio)}: the bound is attained); minimising the residual is continuous-time CD (Song et al. App. B).`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const { x: us, y: rs } = e.plots[0]!.series[0]!;
    const worst = rs.indexOf(Math.max(...rs));
    expect(e.witness?.time).toBe(us[worst]);
    expect(e.witness?.value).toBe(rs[worst]);
    expect(e.witness?.description).toBe(`$‖R(u, ·)‖_{L²(p_u)}$ = ${formatNumber(rs[worst]!)} at u = ${formatNumber(us[worst]!)}: ${model.id} does not solve $∂_t f + ∂_x f·v = 0$`);
    // the self-check holds: no harness bug
    expect(e.parts[1]!.verdict).toBe('holds');
  });
});

describe('song2023.pdeResidual at t = T', () => {
  it('clips the forward time step at T (the last u is T itself) and still finds f* solving the PDE', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const process = varianceExploding();
    const exact = exactConsistencyFunction(referenceFlow(target, process));
    const times: number[] = [];
    const spy = { id: 'spy', precision: 'float64' as const, evaluate: (x: PointBatch, t: number | Float64Array) => {
      times.push(t as number);
      return exact.evaluate(x, t);
    } };
    const e = await pdeResidual.run({ target, process, model: spy, samples: 40, t: process.tMax }, createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-3 }));
    const us = e.plots[0]!.series[0]!.x;
    expect(us.at(-1)).toBeCloseTo(process.tMax, 12);
    // per u: f(x, min(u + du, T)), f(x, u − du), then the two directional points at u
    expect(times[4 * 32]).toBe(process.tMax);
    expect(times[4 * 32 + 1]).toBeCloseTo(us[32]! * (1 - 1e-4), 12);
    expect(times[4 * 31]).toBeCloseTo(us[31]! * (1 + 1e-4), 12);
    // the one-sided step at T is still first-order accurate: f* solves the PDE there too
    expect(e.parts[0]!.verdict).toBe('holds');
    expect(e.reason).toContain('at t = 80 is');
  });
});

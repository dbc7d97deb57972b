// The decision of li2024.assumption2 beyond its controls' verdicts: the reason and p-value each branch reports, the
// independent draws of each step, the stratified subset a trained model is summed over, and the wall-time budget.
// These tests kill mutants that survived the check's controls (docs/testing.md, mutation testing).
import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError, createCheckContext } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import type { PointBatch } from '../../../src/core/pointBatch.ts';
import { decideUpperBound, exactModelAsTrained, gaussian, gaussianIdealisedSequence, lhwSchedule, pValueAgainstBound, varianceExploding } from '../../../src/index.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { assumption2TrainingErrors } from '../../../theorems/li2024/assumption2TrainingErrors.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
/** The trained-model controls' subject: the exact f* of N(0, ½) on VE viewed on schedule (23), T = 200. */
const trainedExact = (epsilonTotal: number) => exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 200, { claimed: { epsilonTotal } });

describe('li2024.assumption2 on sequences', () => {
  it('a violated verdict states the L¹ sum’s lower end against the claim (not the holds sentence)', async () => {
    const e = await runControl(assumption2TrainingErrors, 'constantOffset');
    expect(e.verdict).toBe('violated');
    const lower = e.estimates['eps_tot_L1']!.interval.lower;
    // ε_tot = 0.01·39 exactly (f_t − f*_t = δ); the reason names the deciding number and the claim
    expect(Math.abs(lower - 0.39)).toBeLessThanOrEqual(1e-9);
    expect(e.reason).toContain(`Σ_t E‖f_t − f*_t‖ ≥ ${lower.toExponential(3)} > ε + ε_F = 0.01`);
    expect(e.reason).not.toContain('holds too');
  }, 60_000);

  it('draws each step’s X_t from its own streams: the draws of a step are not a combination of two other steps’ draws', async () => {
    // X_t = √ᾱ_t X₀ + √(1 − ᾱ_t) Z: were X₀ and Z shared between steps, every step's draws would lie exactly in the
    // span of two other steps' draws; the steps' errors are summed as independent. With independent draws the
    // least-squares residual of X_{t+2} on (X_t, X_{t+1}) keeps a χ²₁₄ share of ‖X_{t+2}‖² (below 1% with
    // probability < 1e-12).
    const setting = { target: gaussian([0], [1]), schedule: lhwSchedule({ T: 40, c0: 2, c1: 8 }) };
    const ideal = gaussianIdealisedSequence(setting, 'ct', [0.01]);
    const samples = 16;
    const firstCall = new Map<number, Float64Array>();
    const recording = {
      label: 'recorded',
      T: ideal.T,
      evaluate(t: number, x: PointBatch): PointBatch {
        // the first batch of n points at step t is X_t (the quadrature of f*_{t+1} evaluates f_t on n·8 nodes)
        if (x.n === samples && !firstCall.has(t)) firstCall.set(t, Float64Array.from(x.data));
        return ideal.evaluate(t, x);
      },
    };
    const e = await assumption2TrainingErrors.run({ ...setting, sequence: recording, claimed: { epsilonTotal: 1 }, samples }, context(1));
    expect(e.verdict).toBe('holds');
    expect([...firstCall.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 39 }, (_, k) => k + 2));
    const dot = (u: Float64Array, v: Float64Array): number => u.reduce((acc, value, i) => acc + value * v[i]!, 0);
    for (let t = 2; t + 2 <= 40; t++) {
      const [u, v, w] = [firstCall.get(t)!, firstCall.get(t + 1)!, firstCall.get(t + 2)!];
      const [uu, uv, vv, uw, vw] = [dot(u, u), dot(u, v), dot(v, v), dot(u, w), dot(v, w)];
      const det = uu * vv - uv * uv;
      const alpha = (uw * vv - vw * uv) / det;
      const beta = (vw * uu - uw * uv) / det;
      const residual = w.reduce((acc, value, i) => acc + (value - alpha * u[i]! - beta * v[i]!) ** 2, 0);
      expect(residual / dot(w, w), `steps ${t}..${t + 2}`).toBeGreaterThan(0.01);
    }
  }, 60_000);
});

describe('li2024.assumption2 on the idealised sequence (f_t = f*_t exactly)', () => {
  it('every step is an exact zero: both sums are exact 0, the claim holds, and no p-value is reported', async () => {
    const setting = { target: gaussian([0.5], [0.5]), schedule: lhwSchedule({ T: 40, c0: 2, c1: 8 }) };
    const e = await assumption2TrainingErrors.run({ ...setting, sequence: gaussianIdealisedSequence(setting, 'ct'), claimed: { epsilonTotal: 1e-9 }, samples: 16 }, context(3));
    expect(e.verdict).toBe('holds');
    for (const key of ['eps_tot_L1', 'eps_tot_RMS']) expect(e.estimates[key]!, key).toMatchObject({ value: 0, interval: { lower: 0, upper: 0 } });
    expect(e.pValue).toBeUndefined();
    expect(e.plots[0]!.series[0]!.y).toEqual(Array.from({ length: 39 }, () => 0));
    expect(e.reason).toMatch(/^Σ_t \(E‖f_t − f\*_t‖²\)\^\{1\/2\} ≤ 0\.000e\+0 ≤ ε \+ ε_F = 1e-9 \(so the L¹ form holds too\) for /);
  }, 60_000);
});

describe('li2024.assumption2 on the identity sequence f_t(x) = x over N(0, 1)', () => {
  // N(0, 1) keeps X_t ~ N(0, 1); under the shared-noise coupling E[X_{t−1} | X_t = x] = c_t·x with
  // c_t = √(ᾱ_{t−1}ᾱ_t) + √((1 − ᾱ_{t−1})(1 − ᾱ_t)), so f_t − f*_t = (1 − c_t)·X_t: E‖·‖ = (1 − c_t)√(2/π) and
  // (E‖·‖²)^{1/2} = 1 − c_t, and the delta-method SE of the RMS form is (1 − c_t)·SE(mean X²)/2 ≈ (1 − c_t)/√(2n).
  const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
  const setting = { target: gaussian([0], [1]), schedule };
  const identity = { label: 'identity', T: 40, evaluate: (_t: number, x: PointBatch): PointBatch => ({ ...x, data: Float64Array.from(x.data) }) };
  const gaps = Array.from({ length: 39 }, (_, k) => {
    const t = k + 2;
    const [a, b] = [schedule.alphaBars[t - 1]!, schedule.alphaBars[t]!];
    return 1 - (Math.sqrt(a * b) + Math.sqrt((1 - a) * (1 - b)));
  });
  const samples = 2048;

  it('estimates both sums and the RMS sum’s standard error as the closed forms give them, and names the largest step', async () => {
    const e = await assumption2TrainingErrors.run({ ...setting, sequence: identity, claimed: { epsilonTotal: 1e-4 }, samples }, context(4));
    const rms = e.estimates['eps_tot_RMS']!;
    const l1 = e.estimates['eps_tot_L1']!;
    const sumGaps = gaps.reduce((a, b) => a + b, 0);
    expect(sumGaps).toBeGreaterThan(1e-2);
    // 5 standard errors
    expect(Math.abs(rms.value - sumGaps)).toBeLessThanOrEqual(5 * rms.standardError!);
    expect(Math.abs(l1.value - Math.sqrt(2 / Math.PI) * sumGaps)).toBeLessThanOrEqual(5 * l1.standardError!);
    // the SE of a sample variance of X² (n = 2048) is ~7% of it per step: 25% is > 3 of those on the SE itself
    const expectedSe = Math.sqrt(gaps.reduce((a, g) => a + g * g, 0) / (2 * samples));
    expect(rms.standardError!).toBeGreaterThan(0.75 * expectedSe);
    expect(rms.standardError!).toBeLessThan(1.25 * expectedSe);
    expect(rms.interval.upper).toBeGreaterThan(rms.value);
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated') throw new Error('unreachable');
    // the witness names the step with the largest measured E‖f_t − f*_t‖ (an interior step: 1 − c_t peaks inside)
    const perStep = e.plots[0]!.series[0]!;
    const largest = perStep.y.reduce((best, v, k) => (v > perStep.y[best]! ? k : best), 0);
    expect(perStep.x[largest]).toBeGreaterThan(2);
    expect(perStep.x[largest]).toBeLessThan(40);
    expect(e.witness?.time).toBe(perStep.x[largest]);
    expect(e.witness?.description).toBe(`the largest per-step error E‖f_t − f*_t‖ = ${perStep.y[largest]!.toExponential(3)} is at step ${perStep.x[largest]}; the sum over 39 steps exceeds the claim`);
    expect(e.witness?.value).toBe(l1.value);
  }, 60_000);

  it('between the L¹ sum’s lower end and the RMS sum’s upper end it is inconclusive, with the draws that would resolve it from the side the estimate leans to; above both it holds', async () => {
    // the estimates do not depend on the claim (same seed, same draws): claims placed against the first run's sums
    const run = (epsilonTotal: number) => assumption2TrainingErrors.run({ ...setting, sequence: identity, claimed: { epsilonTotal }, samples: 256 }, context(6));
    const first = await run(1e-4);
    const l1 = first.estimates['eps_tot_L1']!;
    const rms = first.estimates['eps_tot_RMS']!;
    // RMS ≈ √(π/2)·L¹ here, and their intervals are disjoint
    expect(l1.interval.upper).toBeLessThan(rms.interval.lower);
    const sentence = (claim: number): string => `The claim ε + ε_F = ${claim} lies between the L¹ sum's lower end ${l1.interval.lower.toExponential(3)} and the RMS sum's upper end ${rms.interval.upper.toExponential(3)}.`;
    // leaning to violation: the L¹ estimate is above the claim, so the L¹ sum decides
    const belowL1 = (l1.interval.lower + l1.value) / 2;
    const leansViolated = await run(belowL1);
    expect(leansViolated.verdict).toBe('inconclusive');
    expect(leansViolated.reason).toBe(sentence(belowL1));
    if (leansViolated.verdict !== 'inconclusive') throw new Error('unreachable');
    expect(leansViolated.samplesNeeded).toBe(decideUpperBound(l1, belowL1).samplesNeeded);
    expect(leansViolated.samplesNeeded).toBeGreaterThan(39 * 256);
    expect(leansViolated.samplesNeeded).not.toBe(decideUpperBound(rms, belowL1).samplesNeeded);
    expect('witness' in leansViolated).toBe(false);
    // leaning to validity: the claim is above the L¹ estimate (its interval too) and inside the RMS interval, so the
    // RMS sum decides
    const between = (rms.interval.lower + rms.value) / 2;
    expect(decideUpperBound(l1, between).verdict).toBe('holds');
    const leansHolds = await run(between);
    expect(leansHolds.verdict).toBe('inconclusive');
    expect(leansHolds.reason).toBe(sentence(between));
    if (leansHolds.verdict !== 'inconclusive') throw new Error('unreachable');
    expect(leansHolds.samplesNeeded).toBe(decideUpperBound(rms, between).samplesNeeded);
    expect(leansHolds.samplesNeeded).toBeGreaterThan(39 * 256);
    // the p-value is that of the L¹ sum against the claim
    expect(leansHolds.pValue).toBe(pValueAgainstBound(l1, between, 'upper'));
    expect(leansHolds.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message).toBe(`256 draws per step, Gauss–Hermite (8 nodes per dimension) for f*_t; intervals at level ${l1.interval.level}`);
    expect(leansHolds.plots[0]!.series[0]!.x).toEqual(Array.from({ length: 39 }, (_, k) => k + 2));
    const holds = await run(1);
    expect(holds.verdict).toBe('holds');
    expect(holds.reason).toBe(`Σ_t (E‖f_t − f*_t‖²)^{1/2} ≤ ${rms.interval.upper.toExponential(3)} ≤ ε + ε_F = 1 (so the L¹ form holds too) for identity.`);
  }, 60_000);
});

describe('li2024.assumption2 on a trained model', () => {
  it('reports the p-value Φ̄((ε̂_tot − claim)/SE) of the estimated sum: Φ̄(1) at a claim one standard error below it', async () => {
    const first = await assumption2TrainingErrors.run(trainedExact(0.05), context(2));
    const estimate = first.estimates['eps_tot']!;
    const se = estimate.standardError!;
    expect(se).toBeGreaterThan(0);
    // the estimate does not depend on the claim (same seed, same draws): a claim one SE below it
    const e = await assumption2TrainingErrors.run(trainedExact(estimate.value - se), context(2));
    expect(e.estimates['eps_tot']!.value).toBe(estimate.value);
    expect(e.verdict).toBe('inconclusive');
    expect(e.pValue).toBeDefined();
    expect(Math.abs(e.pValue! - 0.5 * erfc(Math.SQRT1_2))).toBeLessThanOrEqual(1e-6);
    expect(e.reason).toContain('straddles');
  }, 60_000);

  it('states in a note the stratified subset it summed over (T − 1 = 199 > 32 steps): as many steps as it plots', async () => {
    const e = await runControl(assumption2TrainingErrors, 'trainedExactFlow');
    const measured = e.plots[0]!.series[0]!.x.length;
    // step 2, then 2 steps in each of 16 strata
    expect(measured).toBe(33);
    const note = e.diagnostics.find((d) => d.message.startsWith('trained model:'))!;
    expect(note.message).toContain(`${measured} steps (step 2 always, then 2 per stratum of 16, drawn uniformly)`);
  }, 60_000);

  it('each verdict has its sentence: violated names the measured interval and the worst step, holds the interval; T − 1 ≤ 32 sums every step', async () => {
    // f* + 0.3 on VE viewed on schedule (23), T = 30: every per-step error is ≈ 0.3 at step 2 (where the offset enters)
    const offset = (epsilonTotal: number) => exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 30, { offset: [0.3], claimed: { epsilonTotal } });
    const violated = await assumption2TrainingErrors.run(offset(0.05), context(7));
    expect(violated.verdict).toBe('violated');
    const estimate = violated.estimates['eps_tot']!;
    const range = `[${estimate.interval.lower.toExponential(3)}, ${estimate.interval.upper.toExponential(3)}]`;
    expect(violated.reason).toBe(`ε̂_tot = Σ_t E‖f_t − f*_t‖ ∈ ${range} > ε + ε_F = 0.05 for f* + (0.3) (L¹ form; the RMS form is larger still).`);
    const series = violated.plots[0]!.series[0]!;
    expect(series.x).toEqual(Array.from({ length: 29 }, (_, k) => k + 2));
    const largest = series.y.reduce((best, v, k) => (v > series.y[best]! ? k : best), 0);
    if (violated.verdict !== 'violated' || !violated.witness) throw new Error('expected a violated verdict with a witness');
    expect(violated.witness.description).toBe(`the largest measured per-step error E‖f_t − f*_t‖ = ${series.y[largest]!.toExponential(3)} is at step ${series.x[largest]}; the estimated sum exceeds the claim`);
    expect(violated.witness.time).toBe(series.x[largest]);
    expect(violated.witness.value).toBe(estimate.value);
    expect(violated.diagnostics.find((d) => d.kind === 'note')!.message).toMatch(/; 32 draws per step, 5-point Gauss–Hermite f\*_t; every step$/);
    const holds = await assumption2TrainingErrors.run(offset(10), context(7));
    expect(holds.verdict).toBe('holds');
    expect(holds.estimates['eps_tot']!.value).toBe(estimate.value);
    expect(holds.reason).toBe(`ε̂_tot = Σ_t E‖f_t − f*_t‖ ∈ ${range} ≤ ε + ε_F = 10 for f* + (0.3) (L¹ form).`);
  }, 60_000);

  it('clamps its draws to the sample budget: per step on a trained model (at least 2) and on a sequence', async () => {
    const budgeted = (maxSamples: number) => createCheckContext({ rng: rngFromSeed(8).child('edges'), falseFailRate: 1e-3, budget: { maxSamples } });
    const trained = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 30, { offset: [0.3], claimed: { epsilonTotal: 0.05 } });
    const note = (e: { diagnostics: readonly { kind: string; message: string }[] }): string => e.diagnostics.find((d) => d.kind === 'note')!.message;
    expect(note(await assumption2TrainingErrors.run(trained, budgeted(8)))).toContain('; 8 draws per step, 5-point Gauss–Hermite f*_t; every step');
    expect(note(await assumption2TrainingErrors.run(trained, budgeted(1)))).toContain('; 2 draws per step, 5-point Gauss–Hermite f*_t; every step');
    const setting = { target: gaussian([0.5], [0.5]), schedule: lhwSchedule({ T: 40, c0: 2, c1: 8 }) };
    const e = await assumption2TrainingErrors.run({ ...setting, sequence: gaussianIdealisedSequence(setting, 'ct', [0.01]), claimed: { epsilonTotal: 1 } }, budgeted(12));
    expect(e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message).toMatch(/^12 draws per step, /);
  }, 60_000);

  it('is not evaluated on a schedule outside the model’s trained range: inconclusive, the schedule in a note', async () => {
    const subject = trainedExact(0.05);
    const e = await assumption2TrainingErrors.run({ ...subject, schedule: { ...subject.schedule, c0: 40 } }, context(1));
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^Not evaluated: .*the model is not extrapolated\.$/);
    expect(e.estimates).toEqual({});
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.kind).toBe('note');
    expect(e.diagnostics[0]!.message).toMatch(/^schedule \(23\) with T = 200, c₀ = 40/);
  }, 60_000);

  it('refuses a trained model without a declared ε + ε_F, naming claimed.epsilonTotal', async () => {
    const subject = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50);
    await expect(assumption2TrainingErrors.run(subject, context(1))).rejects.toThrow(/claimed\.epsilonTotal/);
  }, 60_000);

  it('stops at its wall-time budget (the per-step loop polls it)', async () => {
    let clock = 0;
    const ctx = createCheckContext({ rng: rngFromSeed(3).child('edges'), falseFailRate: 1e-3, budget: { maxWallMs: 10 }, now: () => (clock += 1000) });
    await expect(assumption2TrainingErrors.run(trainedExact(0.05), ctx)).rejects.toThrow(BudgetExhaustedError);
  }, 60_000);
});

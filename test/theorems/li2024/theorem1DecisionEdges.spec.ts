// The decision logic of li2024.theorem1 on small sweeps (T ≤ 1024, a second or two each): the CT calibration of a
// variant coupling, part (b)'s parts, witness, interval level and p-value with a declared training error, and the
// calibration points a `holds` reason names. The controls (sweeps up to 8192) cover the verdicts themselves.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { gaussian, GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { exactModelAsTrained } from '../../../src/lhw/trainedChain.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { levelForFalseFailRate } from '../../../src/estimators/estimate.ts';
import { gaussianIdealisedSequence } from '../../../src/lhw/ctRecursion.ts';
import { lhwSchedule, type LhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { theorem1 } from '../../../theorems/li2024/theorem1.ts';

const target = gaussian([0], [0.5]);
const Ts = [256, 512, 1024];
const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
const c = (s: LhwSchedule, t: number): number => s.alphaBars[t]! * 0.5 + s.oneMinusAlphaBars[t]!;

/** D_T of the CT coupling for N(0, ½) in closed form: Σ_t √(2/π)·√c₁·(1 − cos Δφ_t) (THEORY §5.3). */
function ctDiscretisation(T: number): number {
  const s = lhwSchedule({ T, c0: 2, c1: 8 });
  const phi = (t: number): number => Math.atan2(Math.sqrt(s.oneMinusAlphaBars[t]!), Math.sqrt(s.alphaBars[t]! * 0.5));
  let D = 0;
  for (let t = 2; t <= T; t++) D += Math.sqrt(2 / Math.PI) * Math.sqrt(c(s, 1)) * (1 - Math.cos(phi(t) - phi(t - 1)));
  return D;
}

describe('li2024.theorem1 decision edges', () => {
  it('a variant coupling is rate-tested on its own error but calibrated on the CT coupling’s D_T', async () => {
    const subject = { target, c0: 2, c1: 8, Ts, coupling: { kind: 'partial-markov' as const, weight: 0.1, decay: 0.2 } };
    const e = await theorem1.run(subject, context(1));
    // Ĉ₁(T) of CT = D_T(CT)·T/(L_f³ log⁵T) (d = 1), D_T from the closed form; the maximum over the sweep
    const cHatCt = Ts.map((T) => (ctDiscretisation(T) * T) / (e.estimates[`L_f_${T}`]!.value ** 3 * Math.log(T) ** 5));
    const expected = Math.max(...cHatCt);
    expect(Math.abs(e.estimates['C_1_calibrated']!.value - expected)).toBeLessThanOrEqual(1e-8 * expected);
    // … while the reported Ĉ₁ is the variant's own W_ideal, which is larger than CT's D_T here
    expect(e.estimates['C_1_hat_256']!.value).toBeGreaterThan(cHatCt[0]! * 1.5);
    // the idealised-error plot calls a variant's error W_ideal
    expect(e.plots!.find((plot) => plot.id === 'idealised-error')!.series.map((series) => series.name)).toEqual(['W_ideal']);
    // … and the Ĉ₁ plot draws the variant beside the CT calibration
    expect(e.plots!.find((plot) => plot.id === 'c1-hat')!.series.map((series) => series.name)).toEqual(['Markov-coupled (variant: W_ideal)', 'CT calibration']);
    // without a sequence the rate test is the only test: its interval takes the whole false-fail rate, and no p-value
    expect(e.estimates['exponent_T']!.interval.level).toBe(levelForFalseFailRate(1e-3));
    expect(e.pValue).toBeUndefined();
    expect(e.diagnostics.map((d) => d.kind)).toContain('assumption-slack');
    expect(e.diagnostics.find((d) => d.kind === 'assumption-slack')!.message).toBe('(27d) is not met by any practical schedule (ĉ₂ ≈ c₁ − c₀ ≪ 1000); X_T is drawn from the true forward marginal, not N(0, I)');
    expect(e.diagnostics.some((d) => d.message.startsWith('d > 1'))).toBe(false);
  }, 60_000);

  it('d > 1 is said to use RMS norms; a 2-D mixture and a sweep with only part (b)’s T are refused, naming the field', async () => {
    const e = await theorem1.run({ target: gaussian([0, 0], [0.5, 0, 0, 0.5]), c0: 2, c1: 8, Ts, coupling: 'ct' as const }, context(9));
    expect(e.diagnostics).toContainEqual({ kind: 'note', message: 'd > 1: mean norms are replaced by RMS norms (upper bounds with the same rate)' });
    expect(e.plots!.find((plot) => plot.id === 'c1-hat')!.series.map((series) => series.name)).toEqual(['CT (LHW)']);
    const mixture2d = new GaussianMixture([0.5, 0.5], [[-1, 0], [1, 0]], [[0.5, 0, 0, 0.5], [0.5, 0, 0, 0.5]]);
    await expect(theorem1.run({ target: mixture2d, c0: 2, c1: 8, Ts, coupling: 'ct' as const }, context(9))).rejects.toMatchObject({ code: 'E_UNSUPPORTED', field: 'target', message: expect.stringContaining('part (a) needs a single Gaussian (closed form) or a 1-D Gaussian mixture') });
    const onlyOwnT = { target, c0: 2, c1: 8, Ts: [512, 512, 512], coupling: 'ct' as const, sequence: { build: (schedule: LhwSchedule) => gaussianIdealisedSequence({ target, schedule }, 'ct'), T: 512, ownError: { kind: 'lhw-ct' as const }, samples: 100 } };
    await expect(theorem1.run(onlyOwnT, context(9))).rejects.toMatchObject({ code: 'E_INVALID_INPUT', field: 'Ts' });
  }, 60_000);

  it('part (b) with a declared training error: no master-inequality part, witness from (b), p-value 3·p of the bound', async () => {
    // the Markov-coupled exact minimiser collapses f_T to E[X₁ | X_T]: W₁ ≈ √(2/π)·sd(X₁) ≈ 0.56 at every T
    const subject = {
      target,
      c0: 2,
      c1: 8,
      Ts,
      coupling: 'markov' as const,
      sequence: { build: (schedule: LhwSchedule) => gaussianIdealisedSequence({ target, schedule }, 'markov'), T: 512, ownError: { kind: 'declared' as const, value: 0, reason: 'exact minimiser' }, samples: 2000 },
    };
    const e = await theorem1.run(subject, context(2));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      ['(a) rate of the idealised error', 'violated'],
      ['(b) theorem bound', 'violated'],
    ]);
    // the master inequality is tested only for an LHW-CT training error
    expect(e.estimates['D_T']).toBeUndefined();
    expect(e.estimates['master_gap']).toBeUndefined();
    expect(e.diagnostics.some((d) => /master inequality/.test(d.message))).toBe(false);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const wLo = e.estimates['W_lo']!;
    expect(e.witness?.time).toBe(512);
    expect(e.witness?.value).toBe(wLo.interval.lower);
    const discretisation = e.estimates['bound_discretisation']!.value;
    expect(e.witness?.description).toBe(`W₁(f_T(X_T), X₁) ≥ ${wLo.interval.lower.toExponential(3)} > Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own = ${discretisation.toExponential(3)} at T = 512`);
    expect(e.parts[1]!.reason.endsWith(`vs Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own = ${discretisation.toExponential(3)} + ${(0).toExponential(3)}; declared ε_own = 0 (exact minimiser)`)).toBe(true);
    expect(wLo.interval.lower).toBeGreaterThan(e.estimates['bound_discretisation']!.value);
    // three tests (rate, W^up, W^lo) share the false-fail rate: intervals at level 1 − 2·(10⁻³/3)
    const level = levelForFalseFailRate(1e-3 / 3);
    expect(e.estimates['W_up']!.interval.level).toBe(level);
    expect(wLo.interval.level).toBe(level);
    // W^lo ≈ 0.56 against a bound of ≈ 0.01 with SE ≈ 0.01: the Bonferroni p-value is tiny, not capped at 1
    expect(e.pValue!).toBeLessThan(1e-6);
    // the one-sided p-value of the bound that the diagnostic reports is as small (W^lo far above the bound)
    const reported = /one-sided p-value of the theorem bound (\S+)$/.exec(e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message)!;
    expect(Number(reported[1])).toBeLessThan(1e-6);
    // part (a): the Markov error does not decay, and the reason says what that means
    expect(e.parts[0]!.reason).toContain('decays more slowly: no constant C₁ can work for large T');
    // both parts fail: the summary names them joined by 'and', with the first failing part's reason up to its colon
    expect(e.reason).toBe(`(a) rate of the idealised error and (b) theorem bound fail: ${e.parts[0]!.reason.split(':')[0]}.`);
  }, 60_000);

  it('a sequence with f₁ ≠ id breaks the derived master inequality: a failing part that names a harness bug', async () => {
    // f_t = Φ_t + 0.05 at every t, f₁ included: ε̂_tot ≈ D_T (each f_t − f*_t = −Δ_t), but Ŵ^up = E|f_T − Φ_T| = 0.05 ≫ D_T
    const shift = 0.05;
    const subject = {
      target,
      c0: 2,
      c1: 8,
      Ts,
      coupling: 'ct' as const,
      sequence: {
        build: (schedule: LhwSchedule) => {
          const exact = gaussianIdealisedSequence({ target, schedule }, 'ct');
          return { label: 'shifted flows', T: exact.T, evaluate: (t: number, x: Parameters<typeof exact.evaluate>[1]) => { const y = exact.evaluate(t, x); return { ...y, data: y.data.map((v) => v + shift) }; } };
        },
        T: 512,
        ownError: { kind: 'lhw-ct' as const },
        samples: 500,
      },
    };
    const e = await theorem1.run(subject, context(7));
    expect(e.verdict).toBe('violated');
    // |Ŵ^up − 0.05| ≤ the sample mean of |f*_T − Φ_T| (triangle inequality per draw), whose mean is W_ideal(512): 5× margin
    expect(Math.abs(e.estimates['W_up']!.value - shift)).toBeLessThanOrEqual(5 * e.estimates['W_ideal_512']!.value);
    const gap = e.estimates['master_gap']!;
    expect(gap.interval.lower).toBeGreaterThan(0);
    const master = e.parts.find((p) => p.name === '(b) master inequality')!;
    expect(master.verdict).toBe('violated');
    expect(master.reason).toBe(`Ŵ^up − ε̂_tot − D_T ∈ [${gap.interval.lower.toExponential(3)}, ${gap.interval.upper.toExponential(3)}] > 0 — a harness bug: the inequality is derived`);
    expect(e.diagnostics).toContainEqual({ kind: 'numerical', message: 'the constant-free master inequality failed: check the coupling, the flows or the estimators' });
    expect(e.diagnostics.some((d) => /master inequality consistent/.test(d.message))).toBe(false);
    // the only failing part: 'fails' (singular), with its reason up to the colon
    expect(e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual(['(b) master inequality']);
    expect(e.reason).toBe(`(b) master inequality fails: Ŵ^up − ε̂_tot − D_T ∈ [${gap.interval.lower.toExponential(3)}, ${gap.interval.upper.toExponential(3)}] > 0 — a harness bug.`);
  }, 60_000);

  it('an undecided part is named in an inconclusive reason (a three-point sweep: one residual degree of freedom)', async () => {
    const subject = { target, c0: 2, c1: 8, Ts, coupling: { kind: 'partial-markov' as const, weight: 0.1, decay: 0.4 } };
    const e = await theorem1.run(subject, context(8));
    expect(e.verdict).toBe('inconclusive');
    const exponent = e.estimates['exponent_T']!;
    expect(exponent.interval.lower).toBeLessThanOrEqual(e.estimates['exponent_T_claimed']!.value);
    expect(exponent.interval.upper).toBeGreaterThan(e.estimates['exponent_T_claimed']!.value);
    expect(e.reason).toBe('Undecided parts: (a) rate of the idealised error.');
    expect(e.parts[0]!.reason).toContain('(undecided; a longer or denser sweep would narrow the interval)');
  }, 60_000);

  it('a `holds` with a sequence names the T the bound was calibrated on (the sweep without part (b)’s T)', async () => {
    const subject = {
      target,
      c0: 2,
      c1: 8,
      Ts: [256, 512, 1024, 2048],
      coupling: 'ct' as const,
      sequence: { build: (schedule: LhwSchedule) => gaussianIdealisedSequence({ target, schedule }, 'ct'), T: 512, ownError: { kind: 'lhw-ct' as const }, samples: 1000 },
    };
    const e = await theorem1.run(subject, context(3));
    expect(e.verdict, e.reason).toBe('holds');
    expect(e.reason).toBe(
      `The idealised error decays at least like the claimed rate over T ∈ [256, 2048] (exponent ≤ ${e.estimates['exponent_T']!.interval.upper.toFixed(3)} vs ${e.estimates['exponent_T_claimed']!.value.toFixed(3)}) and the sequence meets the bound calibrated at T ∈ {256, 1024, 2048} (Ĉ₁ = ${e.estimates['C_1_calibrated']!.value.toExponential(3)}).`,
    );
    const est = (key: string) => e.estimates[key]!;
    expect(e.parts[0]!.reason).toBe(
      `D_T ∝ T^{${est('exponent_T').value.toFixed(3)}} [${est('exponent_T').interval.lower.toFixed(3)}, ${est('exponent_T').interval.upper.toFixed(3)}] over T ∈ [256, 2048] vs the claimed L_f³d^{5/2}log⁵T/T ∝ T^{${est('exponent_T_claimed').value.toFixed(3)}} there ` +
        `(decays at least as fast); Ĉ₁(T) from ${est('C_1_hat_256').value.toExponential(3)} to ${est('C_1_hat_2048').value.toExponential(3)}, slope ${est('slope_C_1').value.toFixed(3)}`,
    );
    // part (b): W₁ between Ŵ^lo's lower and Ŵ^up's upper end; ε̂_tot over T − 1 = 511 steps with ⌊1000/8⌋ = 125 draws each
    expect(e.parts[1]!.reason).toMatch(/^T = 512, .+: W₁ ∈ \[/);
    expect(e.parts[1]!.reason).toContain(
      `: W₁ ∈ [${est('W_lo').interval.lower.toExponential(3)}, ${est('W_up').interval.upper.toExponential(3)}] (Ŵ^lo lower end, Ŵ^up upper end) vs Ĉ₁L_f³d^{5/2}log⁵T/T + ε_own = ${est('bound_discretisation').value.toExponential(3)} + ${est('eps_own').value.toExponential(3)}; ε̂_tot = Σ_t E‖f_t − f*_t‖ over 511 steps (125 draws per step, Gauss–Hermite f*_t)`,
    );
    // a single Gaussian: closed forms, no note on the mixture recursion
    expect(e.diagnostics.some((d) => d.message.startsWith('1-D mixture'))).toBe(false);
    expect(e.estimates['D_T']!.value).toBe(e.estimates['D_T_512']!.value);
    expect(e.diagnostics.some((d) => /master inequality consistent/.test(d.message))).toBe(true);
    expect(e.plots!.find((plot) => plot.id === 'idealised-error')!.series.map((series) => series.name)).toEqual(['D_T']);
  }, 60_000);

  it('a trained model on a 1-D mixture: D̂_T by Monte Carlo with the subject’s draws per step, capped by the sample budget', async () => {
    // ½N(±1, ½) has no closed-form D_T: the stratified estimate uses idealisedPoints draws per step, at most maxSamples
    const mixture = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const subject = exactModelAsTrained(mixture, varianceExploding(), 20, { samples: { w1Points: 512, points: 8, idealisedPoints: 4, strata: 4, perStratum: 2 } });
    const drawsPerStep = (e: { diagnostics: readonly { message: string }[] }): number => Number(/^D̂_T: .*?(\d+) draws per step/.exec(e.diagnostics.find((d) => d.message.startsWith('D̂_T'))!.message)![1]);
    const free = await theorem1.run(subject, context(4));
    expect(drawsPerStep(free)).toBe(4);
    expect(free.estimates['D_T']!.standardError!).toBeGreaterThan(0);
    const capped = await theorem1.run(subject, createCheckContext({ rng: rngFromSeed(4).child('edges'), falseFailRate: 1e-3, budget: { maxSamples: 3 } }));
    expect(drawsPerStep(capped)).toBe(3);
  }, 60_000);
});

/** The texts a reader sees on a trained model, rebuilt from the Evidence's own estimates. */
function trainedTexts(e: { estimates: Record<string, { value: number; interval: { lower: number; upper: number } }> }, boundName: string) {
  const measured = e.estimates['W1_measured']!;
  const bound = e.estimates['W1_bound']!;
  return {
    measuredText: `W₁(f_T(X_T), X₁) ∈ [${measured.interval.lower.toExponential(3)}, ${measured.interval.upper.toExponential(3)}]`,
    boundText: `${boundName} + D̂_T = ${bound.value.toExponential(3)} [${bound.interval.lower.toExponential(3)}, ${bound.interval.upper.toExponential(3)}]`,
  };
}

describe('li2024.theorem1 on a trained model: reasons, notes and witness (T = 20)', () => {
  const trainedLevel = levelForFalseFailRate(1e-3 / 3);

  it('the exact f* holds below ε̂_tot + D̂_T, with the default 4096 W₁ points in 1-D and the notes that say how', async () => {
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { samples: { points: 8, strata: 4, perStratum: 2 } });
    const e = await theorem1.run(subject, context(6));
    expect(e.verdict, e.reason).toBe('holds');
    const { measuredText, boundText } = trainedTexts(e, 'ε̂_tot');
    expect(e.reason).toBe(`${measuredText} is below the bound ${boundText}; tightness (bound/measured) ${e.estimates['tightness']!.value.toPrecision(3)}.`);
    // the bound is the sum of the measured ε̂_tot and the closed-form D_T (no declared ε)
    const bound = e.estimates['W1_bound']!;
    expect(Math.abs(bound.value - (e.estimates['eps_tot']!.value + e.estimates['D_T']!.value))).toBeLessThanOrEqual(1e-12);
    expect(e.estimates['eps_declared']).toBeUndefined();
    expect(e.thresholds).toEqual([{ symbol: 'W1_measured', value: bound.value, side: 'upper' }]);
    // three tests share the false-fail rate
    expect(e.estimates['W1_measured']!.interval.level).toBe(trainedLevel);
    // the ε̂_tot note: nodes, draws per step and the 4 × 2 stratified steps out of T − 1 = 19, plus step 2 (always measured)
    expect(e.diagnostics.map((d) => d.message)).toContain(
      'ε̂_tot = Σ_t E‖f_t − f*_t‖ (L¹ form), f*_t = E[f_{t−1}(X_{t−1}) | X_t] given the learned f_{t−1} (5-point Gauss–Hermite over the exact posterior), 8 draws per step, 9 steps in 4 strata (stratified: unbiased, between-step variance in the interval)',
    );
    // a 1-D target gets 4096 W₁ points by default (the assignment is a sort), in 8 repetitions
    const w1Note = e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message;
    expect(w1Note).toMatch(/^W₁ by exact assignment of 4096 f_T\(X_T\) against 4096 fresh X₁ \(X_T from the exact forward marginal\), 8 repetitions; the plug-in bias \(mean target-vs-target W₁ \d\.\d{3}e-\d\) is subtracted/);
    expect(w1Note.endsWith(`intervals at level ${trainedLevel.toPrecision(6)}`)).toBe(true);
    expect(e.diagnostics.some((d) => d.message.startsWith('1-D mixture'))).toBe(false);
  }, 60_000);

  it('every step measured when strata × per stratum covers the T − 1 steps', async () => {
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { samples: { points: 4, strata: 10, perStratum: 2, w1Points: 64, w1Repetitions: 2 } });
    const e = await theorem1.run(subject, context(6));
    expect(e.diagnostics.find((d) => d.message.startsWith('ε̂_tot'))!.message.endsWith('4 draws per step, every step')).toBe(true);
    expect(e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message).toContain('exact assignment of 64 f_T(X_T) against 64 fresh X₁ (X_T from the exact forward marginal), 2 repetitions');
  }, 60_000);

  it('a violation beyond a declared ε + ε_F that ε̂_tot does not significantly exceed blames an estimate, not the declaration', async () => {
    // f* + 0.3: W₁ = 0.3 > 0.1 + D_T ≈ 0.18, while ε̂_tot from 2 of 19 steps in one stratum has an interval down to 0
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { offset: [0.3], claimed: { epsilonTotal: 0.1 }, samples: { points: 8, strata: 1, perStratum: 2 } });
    const e = await theorem1.run(subject, context(5));
    expect(e.verdict, e.reason).toBe('violated');
    const eps = e.estimates['eps_tot']!;
    expect(eps.interval.lower).toBeLessThanOrEqual(0.1);
    const { measuredText, boundText } = trainedTexts(e, 'ε + ε_F');
    expect(e.reason).toBe(
      `${measuredText} exceeds the bound ${boundText} although ε̂_tot = ${eps.value.toExponential(3)} [${eps.interval.lower.toExponential(3)}, ${eps.interval.upper.toExponential(3)}] does not significantly exceed the declared ε + ε_F = 0.1. The master inequality is derived [D], so an estimate (D̂_T: quadrature over steep flows) or our [R] normalisation of (20a–b) is at fault before the theorem.`,
    );
    // the declared value replaces ε̂_tot in the bound (exact), beside the closed-form D_T
    expect(e.estimates['eps_declared']!.value).toBe(0.1);
    const bound = e.estimates['W1_bound']!;
    expect(Math.abs(bound.value - (0.1 + e.estimates['D_T']!.value))).toBeLessThanOrEqual(1e-12);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const measured = e.estimates['W1_measured']!;
    expect(e.witness).toEqual({ description: `W₁(f_T(X_T), X₁) ≥ ${measured.interval.lower.toExponential(3)} > ${boundText}`, value: measured.interval.lower, time: 20 });
  }, 60_000);

  it('a declared ε + ε_F = 0 is not blamed when ε̂_tot’s interval (clipped at 0) reaches 0', async () => {
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { offset: [0.3], claimed: { epsilonTotal: 0 }, samples: { points: 8, strata: 1, perStratum: 2 } });
    const e = await theorem1.run(subject, context(5));
    expect(e.verdict, e.reason).toBe('violated');
    expect(e.estimates['eps_tot']!.interval.lower).toBe(0);
    expect(e.reason).toContain('does not significantly exceed the declared ε + ε_F = 0. The master inequality is derived [D]');
  }, 60_000);

  it('a violation where ε̂_tot significantly exceeds the declared ε + ε_F blames the declaration', async () => {
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { offset: [0.3], claimed: { epsilonTotal: 0.01 }, samples: { points: 8, strata: 4, perStratum: 2 } });
    const e = await theorem1.run(subject, context(5));
    expect(e.verdict, e.reason).toBe('violated');
    const { measuredText, boundText } = trainedTexts(e, 'ε + ε_F');
    expect(e.reason).toBe(
      `${measuredText} exceeds the bound ${boundText}. At fault: the declared constant — the model's own ε̂_tot ≥ ${e.estimates['eps_tot']!.interval.lower.toExponential(3)} > ε + ε_F = 0.01, so Assumption 2 fails at the declared value and the theorem is not refuted.`,
    );
  }, 60_000);

  it('an overlap is inconclusive and says so', async () => {
    const subject = exactModelAsTrained(target, varianceExploding(), 20, { offset: [0.3], claimed: { epsilonTotal: 0.15 }, samples: { points: 8, strata: 1, perStratum: 2 } });
    const e = await theorem1.run(subject, context(5));
    expect(e.verdict, e.reason).toBe('inconclusive');
    const { measuredText, boundText } = trainedTexts(e, 'ε + ε_F');
    expect(e.reason).toBe(`${measuredText} overlaps the bound ${boundText}.`);
  }, 60_000);

  it('a schedule outside the model’s trained range is not evaluated (inconclusive, never extrapolated)', async () => {
    const inRange = exactModelAsTrained(target, varianceExploding(), 20);
    // the same schedule (σ up to 80) on a model trained only up to σ = 10
    const subject = { ...inRange, trained: { ...inRange.trained, process: varianceExploding({ tMin: 0.002, tMax: 10 }) } };
    const e = await theorem1.run(subject, context(6));
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^Not evaluated: schedule \(23\) with T = 20, .* leaves the range the model was trained on \(ve clock, t ∈ \[0\.002, 10\]\): steps 19–20 .* the model is not extrapolated\.$/);
    expect(e.estimates).toEqual({});
    expect(e.diagnostics).toEqual([{ kind: 'note', message: expect.stringMatching(/^schedule \(23\) with T = 20, .*the model's ve range σ ∈ \[0\.002000, 10\.00\]$/) }]);
  }, 60_000);
});

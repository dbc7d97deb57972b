// The decision of li2024.errorRecursion beyond its controls' verdicts: which part decides a `violated` and what the
// reason and witness then say, the inconclusive branch, the band and grid options, and the trained-model branch's
// three reasons, the tolerance τ of part (a), and its refusal of a schedule outside the model's range. Small sweeps: every run here takes < 1.5 s.
// These tests kill mutants that survived the check's controls (docs/testing.md, mutation testing).
import { describe, expect, it } from 'vitest';
import { createCheckContext, type ProgressEvent } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { exactModelAsTrained, gaussian, GaussianMixture, varianceExploding } from '../../../src/index.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { errorRecursion } from '../../../theorems/li2024/errorRecursion.ts';

const events: ProgressEvent[] = [];
const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3, onProgress: (e) => events.push(e) });
const SWEEP = [128, 181, 256, 362, 512, 724, 1024, 1448, 2048];
const IDENTITY = 'identity (34) predicts the simulated CT chain';

/** Ordinary least squares slope of y on x (an independent fit of the log–log slope). */
function olsSlope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

describe('li2024.errorRecursion: which part decides', () => {
  it('Markov law, 16 simulated pairs: part (a) is undecided, the first-order rate of T₁ alone is violated, and the reason and witness say so', async () => {
    const e = await errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: SWEEP, coupling: 'markov', chainSamples: 16 }, context(1));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      [IDENTITY, 'inconclusive'],
      ['rate of T₁', 'violated'],
    ]);
    expect(e.verdict).toBe('violated');
    expect(e.reason).toContain('With the Markov conditional law, rate of T₁ fails; T₁ falls only like T^{');
    expect(e.reason).not.toContain(IDENTITY);
    expect(e.reason).not.toContain('misses the simulated CT chain');
    expect(e.parts[0]!.reason).toMatch(/^f_\{t−1\} = Φ_\{t−1\} \+ 0\.1·tanh; the recursion with the Markov conditional law against 16 simulated shared-noise pairs at the band-centre step of every other T: /);
    expect(e.plots[0]!.title).toBe('Band-averaged per-step terms against T (Markov coupling)');
    // the slope is the OLS slope of log(T₁/log²T) on log T (the Markov T₁ is first order: slope ≈ −1 + log factors)
    const slope = olsSlope(SWEEP.map(Math.log), SWEEP.map((T) => Math.log(e.estimates[`T1_${T}`]!.value / Math.log(T) ** 2)));
    expect(Math.abs(e.estimates['slope_T1']!.value - slope)).toBeLessThanOrEqual(1e-9);
    expect(slope).toBeGreaterThan(-1.5);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.time).toBe(2048);
    expect(e.witness?.value).toBe(e.estimates['slope_T1']!.value);
    expect(e.witness?.description).toContain(`T^{${slope.toFixed(3)}}`);
  }, 60_000);

  it('Markov law in d = 2: part (a) alone is violated, on exactly the 4 moments (g = x_a, output a) the Markov law gets wrong', async () => {
    // For a diagonal Gaussian the Markov conditional mean differs from the shared-noise one by a term linear in x_a in
    // output a: the moments of g = 1 and of the other coordinate stay 0, the 2 diagonal moments per examined T are
    // off (T = 128 and 512 are examined: every other T of 3). With the residuals of output 2 misplaced, two of these
    // four would read 0.
    const e = await errorRecursion.run({ target: gaussian([0, 0], [0.25, 0, 0, 4]), c0: 2, c1: 8, Ts: [128, 256, 512], coupling: 'markov' }, context(1));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      [IDENTITY, 'violated'],
      ['rate of T₁', 'inconclusive'],
    ]);
    expect(e.parts[0]!.reason).toContain('4 of 12 moments outside ±τ');
    expect(e.diagnostics.filter((d) => d.message.startsWith('d > 1:')).map((d) => d.message)).toEqual(['d > 1: E‖T₁‖ is reported as the RMS (E‖T₁‖²)^{1/2}, an upper bound with the same rate']);
    expect(e.reason).toContain(`${IDENTITY} fails (the recursion misses the simulated CT chain by up to`);
    expect(e.reason).not.toContain('rate of T₁');
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.value).toBe(e.estimates['identity_worst']!.value);
    expect(Math.abs(e.witness!.value!)).toBeGreaterThan(1);
  }, 60_000);

  it('three values of T leave the slope undecided: inconclusive, with the sweep size that would resolve it and no witness; progress names each T', async () => {
    events.length = 0;
    const e = await errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: [128, 256, 512], coupling: 'ct', chainSamples: 200 }, context(1));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts[1]).toMatchObject({ name: 'rate of T₁', verdict: 'inconclusive' });
    if (e.verdict !== 'inconclusive') throw new Error('unreachable');
    expect(e.samplesNeeded).toBeGreaterThan(3);
    expect('witness' in e).toBe(false);
    expect(e.parts[0]!.reason).toMatch(/^f_\{t−1\} = Φ_\{t−1\} \+ 0\.1·tanh; the recursion with the shared-noise conditional law against 200 simulated shared-noise pairs/);
    expect(e.plots[0]!.title).toBe('Band-averaged per-step terms against T (shared-noise (CT) coupling)');
    const undecided = e.parts.filter((p) => p.verdict === 'inconclusive').map((p) => p.name);
    expect(undecided).toContain('rate of T₁');
    expect(e.reason).toMatch(new RegExp(`^Undecided: ${undecided.join(', ').replace(/[()]/g, '\\$&')} \\(slopes T₁: ${e.estimates['slope_T1']!.value.toFixed(2)}; identity discrepancy up to [0-9.e+-]+·τ\\)\\. \\(b\\) is decided at steps with ᾱ_t ∈ \\[0\\.25, 0\\.75\\] only`));
    // d = 1: E|T₁| itself, no RMS note
    expect(e.diagnostics.some((d) => d.message.startsWith('d > 1:'))).toBe(false);
    expect(events.filter((p) => p.type === 'check-progress').map((p) => (p.type === 'check-progress' ? p.message : ''))).toEqual(['T = 128', 'T = 256', 'T = 512']);
  }, 60_000);
});

describe('li2024.errorRecursion: an undecided part (a) alone', () => {
  it('CT law, 16 simulated pairs, the full sweep: the rate of T₁ holds, part (a) is undecided, so inconclusive without a sweep size (more T cannot resolve part (a))', async () => {
    const e = await errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: SWEEP, coupling: 'ct', chainSamples: 16 }, context(2));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      [IDENTITY, 'inconclusive'],
      ['rate of T₁', 'holds'],
    ]);
    expect(e.verdict).toBe('inconclusive');
    expect('samplesNeeded' in e).toBe(false);
    expect('witness' in e).toBe(false);
    const worst = Math.abs(e.estimates['identity_worst']!.value);
    expect(e.reason).toBe(
      `Undecided: ${IDENTITY} (slopes T₁: ${e.estimates['slope_T1']!.value.toFixed(2)}; identity discrepancy up to ${worst.toPrecision(2)}·τ). ` +
        "(b) is decided at steps with ᾱ_t ∈ [0.25, 0.75] only: a fixed noise level, weaker than the claim's uniform-in-t rate, which is not decided outside the band.",
    );
    // part (a) at every other T of the 9: 5 steps, 2 moments each (g = 1, g = x) in d = 1
    expect(e.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message).toMatch(/^part \(a\): 16 simulated shared-noise pairs at the band-centre step of every other T, 10 moments, each interval at level /);
  }, 60_000);
});

describe('li2024.errorRecursion controls', () => {
  it('sweep T = 128·2^{k/2}, k = 0..8 (128 to 2048), as the controls describe', async () => {
    const sweep = Array.from({ length: 9 }, (_, k) => Math.round(128 * Math.SQRT2 ** k));
    expect(sweep).toEqual(SWEEP);
    for (const name of ['gaussianCt', 'anisoGaussianCt', 'mildBimodalCt', 'gaussianMarkov']) {
      const subject = (await errorRecursion.controls.find((c) => c.name === name)!.build(rngFromSeed(1))) as { Ts: readonly number[] };
      expect(subject.Ts, name).toEqual(sweep);
    }
  });
});

describe('li2024.errorRecursion on a 1-D mixture: the quadrature of part (b)', () => {
  it('N(0, ½) written as two equal components: T₁ is the closed form times the trapezoid rule’s Euler–Maclaurin factor on the kink of |x|, and ρ_t vanishes', async () => {
    // The flows of a Gaussian are linear, so |T₁(x)| = |κ|·|x − m| and ρ_t ≡ 0. On the default 201-point grid (no
    // gridPoints given: a 200-point grid would move the factor by 5e-6) over
    // m ± 8 sd (spacing h = 16/200 sd, a node on the kink at m), the trapezoid average of |x − m| against the
    // density is sd·√(2/π)·(1 − h²/12 − h⁴/240 − h⁶/2016 − …) (Euler–Maclaurin on xφ(x) over [0, ∞): f′(0) = φ(0),
    // f‴(0) = −3φ(0), f⁽⁵⁾(0) = 15φ(0); the tails beyond 8 sd are < 1e-14, and the trapezoid rule on the smooth
    // density is exact to rounding). The next term is ~1e-13: the 1e-9 tolerance is far above it and the quantile
    // maps' root-finding error, and far below the factor's change of 1e-5 for a grid spacing off by 1%.
    const Ts = [128, 256, 512];
    const twin = new GaussianMixture([0.5, 0.5], [[0], [0]], [[0.5], [0.5]]);
    const mixture = await errorRecursion.run({ target: twin, c0: 2, c1: 8, Ts, coupling: 'ct', chainSamples: 16, stepsPerT: 1 }, context(1));
    const single = await errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts, coupling: 'ct', chainSamples: 16, stepsPerT: 1 }, context(1));
    const h = 16 / 200;
    const factor = 1 - h ** 2 / 12 - h ** 4 / 240 - h ** 6 / 2016;
    for (const T of Ts) {
      const t1 = mixture.estimates[`T1_${T}`]!.value;
      expect(Math.abs(t1 / single.estimates[`T1_${T}`]!.value - factor), `T = ${T}`).toBeLessThanOrEqual(1e-9);
      expect(mixture.estimates[`rho_${T}`]!.value, `T = ${T}`).toBeLessThanOrEqual(1e-8 * t1);
    }
    expect(mixture.plots[0]!.series.map((p) => p.name)).toEqual(['E‖T₁‖', 'E‖ρ_t‖']);
    expect(mixture.plots[0]!.series[1]!.y).toEqual(Ts.map((T) => mixture.estimates[`rho_${T}`]!.value));
  }, 60_000);
});

describe('li2024.errorRecursion on a Gaussian in d = 2: the RMS of T₁', () => {
  it('(E‖T₁‖²)^{1/2} = (Σ_i c_i(1)(1 − cos Δφ_{t,i})²)^{1/2} per eigen-direction (the angle form of THEORY §5.3), rescaled and band-averaged', async () => {
    // aniso-gaussian-2d's eigenvalues 4 and ¼; CT law; φ_i(t) = atan2(√(1−ᾱ_t), √(ᾱ_t λ_i)), c_i(t) = ᾱ_t λ_i + 1 − ᾱ_t
    const Ts = [128, 256, 512];
    const e = await errorRecursion.run({ target: gaussian([0, 0], [4, 0, 0, 0.25]), c0: 2, c1: 8, Ts, coupling: 'ct', chainSamples: 16 }, context(1));
    for (const T of Ts) {
      const s = lhwSchedule({ T, c0: 2, c1: 8 });
      const inBand: number[] = [];
      for (let t = 2; t <= T; t++) if (s.alphaBars[t]! >= 0.25 && s.alphaBars[t]! <= 0.75) inBand.push(t);
      const steps = inBand.sort((a, b) => Math.abs(s.alphaBars[a]! - 0.5) - Math.abs(s.alphaBars[b]! - 0.5)).slice(0, 3);
      const h = (8 * Math.log(T)) / T;
      let expected = 0;
      for (const t of steps) {
        let sumSq = 0;
        for (const lam of [4, 0.25]) {
          const c1 = s.alphaBars[1]! * lam + s.oneMinusAlphaBars[1]!;
          const phi = (k: number): number => Math.atan2(Math.sqrt(s.oneMinusAlphaBars[k]!), Math.sqrt(s.alphaBars[k]! * lam));
          sumSq += c1 * (1 - Math.cos(phi(t) - phi(t - 1))) ** 2;
        }
        expected += (Math.sqrt(sumSq) * (h / s.betas[t]!) ** 2) / steps.length;
      }
      // two algebraically equal forms in float64: 1e-10 relative (1 − cos cancels)
      expect(Math.abs(e.estimates[`T1_${T}`]!.value - expected), `T = ${T}`).toBeLessThanOrEqual(1e-10 * expected);
      expect(e.estimates[`rho_${T}`]!.value).toBe(0);
    }
    // a single Gaussian reports no ρ_t series or slope
    expect(e.plots[0]!.series.map((p) => p.name)).toEqual(['E‖T₁‖']);
    expect('slope_rho' in e.estimates).toBe(false);
    expect(e.thresholds).toEqual([{ symbol: 'slope_T1', value: -1.5, side: 'upper' }]);
  }, 60_000);
});

describe('li2024.errorRecursion part (a) tolerance', () => {
  it('τ = 0.1·β_t·sd(f_{t−1}(X_{t−1})) with f_{t−1} = Φ_{t−1} + 0.1·tanh, against quadrature of the Gaussian law of X_{t−1}', async () => {
    // N(0, ½): X_{t−1} ~ N(0, c_{t−1}) with c_t = ½ᾱ_t + 1 − ᾱ_t, and Φ_{t−1}(y) = y·√(c₁/c_{t−1}); the variance of
    // k·Y + 0.1·tanh(Y) by a trapezoid rule on ±12 sd. 20000 simulated pairs estimate the sd to ≈ 0.5% (1 SE, 1/√(2M)): the
    // tolerance is 4 SE plus the 3-digit rounding of the printed τ.
    const e = await errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: [128, 256, 512], coupling: 'ct', chainSamples: 20_000 }, context(5));
    const printed = /at T = (\d+) \(t = (\d+), τ = ([0-9.e+-]+) =/.exec(e.parts[0]!.reason)!;
    expect(printed, e.parts[0]!.reason).not.toBeNull();
    const [T, t, tau] = [Number(printed[1]), Number(printed[2]), Number(printed[3])];
    const s = lhwSchedule({ T, c0: 2, c1: 8 });
    const c = (k: number): number => 0.5 * s.alphaBars[k]! + s.oneMinusAlphaBars[k]!;
    const sdY = Math.sqrt(c(t - 1));
    const gain = Math.sqrt(c(1) / c(t - 1));
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    const nodes = 4001;
    for (let i = 0; i < nodes; i++) {
      const y = -12 * sdY + (24 * sdY * i) / (nodes - 1);
      const weight = (i === 0 || i === nodes - 1 ? 0.5 : 1) * Math.exp(-0.5 * (y / sdY) ** 2);
      const v = gain * y + 0.1 * Math.tanh(y);
      m0 += weight;
      m1 += weight * v;
      m2 += weight * v * v;
    }
    const expected = 0.1 * s.betas[t]! * Math.sqrt(m2 / m0 - (m1 / m0) ** 2);
    expect(Math.abs(tau - expected) / expected).toBeLessThanOrEqual(4 * 0.005 + 0.005);
  }, 60_000);
});

describe('li2024.errorRecursion part (a) tolerance of a target off the origin', () => {
  it('τ uses the spread of f_{t−1}(X_{t−1}) about its mean: N(2, ½)', async () => {
    // X_{t−1} ~ N(2√ᾱ_{t−1}, c_{t−1}), Φ_{t−1}(y) = 2√ᾱ₁ + (y − 2√ᾱ_{t−1})·√(c₁/c_{t−1}): the sd of Φ_{t−1}(Y) + 0.1·tanh(Y)
    // by a trapezoid rule on ±12 sd. 2000 pairs estimate the sd to ≈ 1.6% (1 SE, 1/√(2M)): 4 SE plus the printed τ's
    // rounding. (Counting the mean of ≈ 2 into the spread would make τ ≈ 4 times larger.)
    const e = await errorRecursion.run({ target: gaussian([2], [0.5]), c0: 2, c1: 8, Ts: [128, 256, 512], coupling: 'ct', chainSamples: 2000 }, context(5));
    const printed = /at T = (\d+) \(t = (\d+), τ = ([0-9.e+-]+) =/.exec(e.parts[0]!.reason)!;
    expect(printed, e.parts[0]!.reason).not.toBeNull();
    const [T, t, tau] = [Number(printed[1]), Number(printed[2]), Number(printed[3])];
    const s = lhwSchedule({ T, c0: 2, c1: 8 });
    const c = (k: number): number => 0.5 * s.alphaBars[k]! + s.oneMinusAlphaBars[k]!;
    const centre = 2 * Math.sqrt(s.alphaBars[t - 1]!);
    const sdY = Math.sqrt(c(t - 1));
    const gain = Math.sqrt(c(1) / c(t - 1));
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    const nodes = 4001;
    for (let i = 0; i < nodes; i++) {
      const y = centre - 12 * sdY + (24 * sdY * i) / (nodes - 1);
      const weight = (i === 0 || i === nodes - 1 ? 0.5 : 1) * Math.exp(-0.5 * ((y - centre) / sdY) ** 2);
      const v = 2 * Math.sqrt(s.alphaBars[1]!) + gain * (y - centre) + 0.1 * Math.tanh(y);
      m0 += weight;
      m1 += weight * v;
      m2 += weight * v * v;
    }
    const expected = 0.1 * s.betas[t]! * Math.sqrt(m2 / m0 - (m1 / m0) ** 2);
    expect(Math.abs(tau - expected) / expected).toBeLessThanOrEqual(4 * 0.016 + 0.005);
  }, 60_000);
});

describe('li2024.errorRecursion options', () => {
  it('refuses a band that holds no step, naming the band', async () => {
    const run = errorRecursion.run({ target: gaussian([0], [0.5]), c0: 2, c1: 8, Ts: [128, 256, 512], coupling: 'ct', band: [0.5, 0.5] }, context(1));
    await expect(run).rejects.toThrow(ValidationError);
    await expect(run).rejects.toThrow(/no step of T = 128 has ᾱ_t in \[0\.5, 0\.5\]; widen the band/);
  }, 60_000);
});

describe('li2024.errorRecursion on a trained model', () => {
  const offset = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { offset: [0.3], claimed: { epsilonTotal: 0.01 } });

  it('does not extrapolate the model: a schedule below its trained range is inconclusive, not evaluated, with the schedule in a note', async () => {
    const e = await errorRecursion.run({ ...offset, schedule: { ...offset.schedule, c0: 40 } }, context(1));
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^Not evaluated: .*the model is not extrapolated\.$/);
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.kind).toBe('note');
    expect(e.diagnostics[0]!.message).toMatch(/^schedule \(23\) with T = 50, c₀ = 40/);
  }, 60_000);

  it('each verdict has its reason: holds (below the prediction), violated (the declared ε understates ε̂_tot), inconclusive (overlap)', async () => {
    const holds = await runControl(errorRecursion, 'trainedExactFlow');
    expect(holds.verdict).toBe('holds');
    expect(holds.reason).toContain("is below the recursion's prediction ε̂_tot + D̂_T");

    const violated = await errorRecursion.run(offset, context(1));
    expect(violated.verdict).toBe('violated');
    const epsLower = violated.estimates['eps_tot']!.interval.lower;
    expect(epsLower).toBeGreaterThan(0.01);
    expect(violated.reason).toContain(`the declared ε + ε_F = 0.01 understates the model's ε̂_tot ≥ ${epsLower.toExponential(3)}`);

    // a declared ε with ε + D̂_T equal to the measured E‖ξ_T‖ (the same draws: the measurement does not depend on the
    // claim): the prediction meets the measurement
    const xi = violated.estimates['xi_T']!.value;
    const dT = violated.estimates['D_T']!.value;
    expect(xi - dT + dT).toBe(xi);
    const overlap = await errorRecursion.run({ ...offset, claimed: { epsilonTotal: xi - dT } }, context(1));
    expect(overlap.verdict).toBe('inconclusive');
    expect(overlap.reason).toContain("overlaps the recursion's prediction ε + ε_F + D̂_T");
  }, 60_000);
});

describe('li2024.errorRecursion on a trained model: the sentences read back from the estimates', () => {
  const exact = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50);
  const interval = (e: { interval: { lower: number; upper: number } }): string => `[${e.interval.lower.toExponential(3)}, ${e.interval.upper.toExponential(3)}]`;

  it('holds: the measured E‖ξ_T‖, the prediction ε̂_tot + D̂_T and their ratio; no declared ε among the estimates', async () => {
    const e = await errorRecursion.run(exact, context(1));
    expect(e.verdict).toBe('holds');
    const [measured, prediction, tightness] = [e.estimates['xi_T']!, e.estimates['prediction']!, e.estimates['tightness']!];
    expect(e.reason).toBe(`The learned chain's E‖f_T(X_T) − Φ_T(X_T)‖ ∈ ${interval(measured)} is below the recursion's prediction ε̂_tot + D̂_T = ${prediction.value.toExponential(3)} ${interval(prediction)} (ratio ${tightness.value.toPrecision(3)}).`);
    expect(Math.abs(prediction.value - (e.estimates['eps_tot']!.value + e.estimates['D_T']!.value))).toBeLessThanOrEqual(1e-15);
    expect('eps_declared' in e.estimates).toBe(false);
    // T − 1 = 49 > 32 steps: a stratified subset (step 2, then 2 in each of 16 strata)
    expect(e.diagnostics[0]!.message).toMatch(/^trained model: schedule \(23\) with T = 50, .*; ε̂_tot over 33 stratified steps; D̂_T: /);
    expect(e.diagnostics[1]).toEqual({ kind: 'monte-carlo-error', message: `E‖ξ_T‖ from ${measured.n} draws of X_T; intervals at level ${measured.interval.level.toPrecision(6)}` });
    expect(measured.n).toBe(256);
  }, 60_000);

  it('a flow target that is not the model’s law (a harness fault) exceeds the prediction without a declared ε: the sentence blames an estimate or the harness', async () => {
    // the exact f* of N(0, ½) measured against the flows of N(0, 2): E‖ξ_T‖ ≈ 0.6 ≫ ε̂_tot + D̂_T ≈ 0.07
    const e = await errorRecursion.run({ ...exact, flowTarget: gaussian([0], [2]) }, context(1));
    expect(e.verdict).toBe('violated');
    const [measured, prediction] = [e.estimates['xi_T']!, e.estimates['prediction']!];
    const measuredText = `E‖f_T(X_T) − Φ_T(X_T)‖ ∈ ${interval(measured)}`;
    const predictionText = `ε̂_tot + D̂_T = ${prediction.value.toExponential(3)} ${interval(prediction)}`;
    expect(e.reason).toBe(`${measuredText} exceeds the prediction ${predictionText}; the telescoped recursion is derived [D], so an estimate (ε̂_tot, D̂_T) or the harness is at fault.`);
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    expect(e.witness).toEqual({ description: `${measuredText} > ${predictionText}`, value: measured.interval.lower, time: 50 });
  }, 60_000);
});

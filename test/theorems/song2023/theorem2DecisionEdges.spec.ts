// song2023.theorem2 at its input boundary and in its summary: a decorrelation exponent that is not a finite number > 0
// is refused naming the field, the summary names the pair that was examined, and the thresholds state the rule. Closed forms on the Gaussian with a
// short sweep (N = 8…64), a few milliseconds each. These tests kill the mutants that survived the check's controls
// (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';
import { formatNumber, type GaussianMixture } from '../../../src/index.ts';
import { theorem2CtApproximatesCd, type Theorem2Coupling } from '../../../theorems/song2023/theorem2.ts';

const run = (coupling: Theorem2Coupling) =>
  theorem2CtApproximatesCd.run(
    { target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling, gridSizes: [8, 16, 32, 64] },
    createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 }),
  );

describe('song2023.theorem2 input and summary', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the decorrelation exponent %s, naming coupling.exponent', async (exponent) => {
    await expect(run({ kind: 'decorrelated', exponent })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', field: 'coupling.exponent', message: expect.stringContaining(`must be a finite number > 0, got ${exponent}`) });
  });

  it('names the decorrelated pair and its exponent in the summary', async () => {
    const e = await run({ kind: 'decorrelated', exponent: 1.75 });
    expect(e.reason.startsWith('With the decorrelated (1 − c = (h/t)^1.75) pair, f = g = f*, |L_CT − L_CD| = '), e.reason).toBe(true);
  });

  it('names a shared-noise pair by its label, and states its rule as two thresholds on the slope: holds ≤ −0.5, violated ≥ 0', async () => {
    const e = await run('shared-noise');
    expect(e.reason.startsWith('With the shared-noise pair, f = g = f*'), e.reason).toBe(true);
    // the report prints side 'upper' as ≤ and 'lower' as ≥
    expect(e.thresholds.map((t) => [t.value, t.side])).toEqual([
      [-0.5, 'upper'],
      [0, 'lower'],
    ]);
  });
});

describe('song2023.theorem2 summary and loss note, read back from the Evidence', () => {
  // The summary's numbers are the plot's last |ΔL|, the fitted order and L_CD at the finest grid; its verdict words
  // follow the decision: holds (shared noise: slope ≈ −1), undecided (1 − c = (h/t)^1.25: |ΔL|/Δt ∝ Δt^0.25, a slope
  // in (−0.5, 0)) and violated (independent pair: O(1) offset).
  const summary = (e: Evidence, pair: string, words: string, student = ', f = g = f*'): string => {
    const diffs = e.plots[0]!.series[0]!.y;
    const cd = e.estimates['L_CD']!.value;
    const dominates = diffs[diffs.length - 1]! > cd ? ' — the CT offset dominates the distillation loss near the optimum' : '';
    return `With the ${pair} pair${student}, |L_CT − L_CD| = ${formatNumber(diffs[diffs.length - 1]!)} ∝ Δt^${formatNumber(e.estimates['order(ΔL)']!.value)} (N = 8…64) ${words}, while L_CD itself is ${formatNumber(cd)}${dominates}.`;
  };

  it('holds: "is o(Δt) as Theorem 2 states", with the offset-dominates clause, and the loss note lists both sweeps (closed form)', async () => {
    const e = await run('shared-noise');
    expect(e.verdict).toBe('holds');
    expect(e.plots[0]!.series[0]!.y.at(-1)!).toBeGreaterThan(e.estimates['L_CD']!.value);
    expect(e.reason).toBe(summary(e, 'shared-noise', 'is o(Δt) as Theorem 2 states'));
    expect(e.reason).toContain(' — the CT offset dominates the distillation loss near the optimum.');
    const lcd = e.plots[0]!.series[1]!.y;
    expect(e.diagnostics[0]!.message).toBe(`L_CD = ${lcd.map(formatNumber).join(', ')}; L_CT = ${e.plots[0]!.series[0]!.y.map((d, i) => formatNumber(d + lcd[i]!)).join(', ')} for N = 8, 16, 32, 64 (closed form)`);
  });

  it('inconclusive: "is undecided" for |ΔL| ∝ Δt^1.25', async () => {
    const e = await run({ kind: 'decorrelated', exponent: 1.25 });
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toBe(summary(e, 'decorrelated (1 − c = (h/t)^1.25)', 'is undecided'));
  });

  it('violated: "is not o(Δt)" for the independent pair', async () => {
    const e = await run('independent');
    expect(e.verdict).toBe('violated');
    expect(e.reason).toBe(summary(e, 'independent', 'is not o(Δt)'));
  });

  it('the mixture controls are the named 1-D law 0.3N(−1, ½) + 0.7N(½, 0.3) on VE(T = 2) their descriptions state', async () => {
    for (const name of ['mixtureSharedNoise', 'mixturePerturbedStudent']) {
      const subject = await theorem2CtApproximatesCd.controls.find((c) => c.name === name)!.build(rngFromSeed(1));
      const target = subject.target as GaussianMixture;
      expect(target.name).toBe('mild-skewed-1d');
      expect(target.toSpec()).toEqual({ kind: 'gmm', weights: [0.3, 0.7], means: [[-1], [0.5]], covariances: [[[0.5]], [[0.3]]] });
      expect([subject.process.kind, subject.process.tMin, subject.process.tMax]).toEqual(['ve', 0.002, 2]);
    }
  });
});

describe('song2023.theorem2 refusals, part reasons and witness', () => {
  const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 });
  const target = builtInTarget('aniso-gaussian-2d');

  it('refuses a non-VE process (naming process) and a non-finite student gain error (naming studentGainError)', async () => {
    const { ornsteinUhlenbeck } = await import('../../../src/processes/ornsteinUhlenbeck.ts');
    const ou = ornsteinUhlenbeck();
    await expect(theorem2CtApproximatesCd.run({ target, process: ou, gridSizes: [8, 16, 32] }, context())).rejects.toMatchObject({ code: 'E_UNSUPPORTED', field: 'process', message: expect.stringContaining(`Theorem 2 is checked on VE; got ${ou.kind}`) });
    await expect(theorem2CtApproximatesCd.run({ target, process: varianceExploding(), studentGainError: Number.NaN, gridSizes: [8, 16, 32] }, context())).rejects.toMatchObject({ code: 'E_NON_FINITE', field: 'studentGainError', message: expect.stringContaining('must be finite, got NaN') });
  });

  it('violated (independent pair): the part reason gives the slope interval, all ≥ 0; the witness names |ΔL| at the finest Δt', async () => {
    const e = await run('independent');
    const slope = e.estimates['slope(|ΔL|/Δt)']!;
    expect(e.parts[0]!.reason).toBe(`The local slopes of log(|ΔL|/Δt) against log(1/Δt) lie in [${formatNumber(slope.interval.lower)}, ${formatNumber(slope.interval.upper)}], all ≥ 0: |L_CT − L_CD|/Δt does not vanish, so the difference is not o(Δt).`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const { x: dts, y: diffs } = e.plots[0]!.series[0]!;
    expect(e.witness?.description).toBe(`|L_CT − L_CD| = ${formatNumber(diffs[3]!)} at Δt = ${formatNumber(dts[3]!)} (N = 64) does not vanish relative to Δt (order ${formatNumber(e.estimates['order(ΔL)']!.value)})`);
    expect(e.witness?.time).toBe(dts[3]);
    expect(e.witness?.value).toBe(slope.value);
  });

  it('inconclusive (1 − c = (h/t)^1.25): the part reason says neither rule applies', async () => {
    const e = await run({ kind: 'decorrelated', exponent: 1.25 });
    const slope = e.estimates['slope(|ΔL|/Δt)']!;
    expect(e.parts[0]!.reason).toBe(`The local slopes of log(|ΔL|/Δt) against log(1/Δt) lie in [${formatNumber(slope.interval.lower)}, ${formatNumber(slope.interval.upper)}]: not all ≤ -0.5 (o(Δt) with a margin) and not all ≥ 0 (not vanishing).`);
  });

  it('names the perturbed student (1 + κ)·f* in the summary', async () => {
    const e = await theorem2CtApproximatesCd.run({ target, process: varianceExploding(), studentGainError: 0.2, gridSizes: [8, 16, 32, 64] }, context());
    expect(e.reason.startsWith('With the shared-noise pair and the student (1 + 0.2)·f*, |L_CT − L_CD| = '), e.reason).toBe(true);
  });
});

// The decision logic of li2024.scoreSecondMoment beyond its controls' verdicts: which step and which part the witness
// names, the samples-needed hint of an undecided run, the estimates of a scaled oracle against an independent
// quadrature, and the closed-form slack.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { marginalAtStep } from '../../../src/checks/lhw/lhwSetting.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { scoreSecondMoment, type ScoreOracle } from '../../../theorems/li2024/scoreSecondMoment.ts';

const schedule = lhwSchedule({ T: 200, c0: 2, c1: 8 });
const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });

/** E‖s_t‖² for ½N(−2, ¼) + ½N(2, ¼) noised to (a, s), by the trapezoid rule on [−12, 12] with 2·10⁵ cells. */
function bimodalScoreSecondMoment(a: number, s: number): number {
  const v = a * a * 0.25 + s * s;
  const n = 200_000;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = -12 + i * h;
    const g1 = Math.exp(-((x + 2 * a) ** 2) / (2 * v));
    const g2 = Math.exp(-((x - 2 * a) ** 2) / (2 * v));
    const p = (0.5 * (g1 + g2)) / Math.sqrt(2 * Math.PI * v);
    const dp = (0.5 * (-(x + 2 * a) * g1 - (x - 2 * a) * g2)) / v / Math.sqrt(2 * Math.PI * v);
    if (p > 0) sum += ((i === 0 || i === n ? 0.5 : 1) * dp * dp) / p;
  }
  return sum * h;
}
/** (1−ᾱ_t)E‖s_t‖²/d for the bimodal target (d = 1), by quadrature. */
const qExact = (t: number): number => schedule.oneMinusAlphaBars[t]! * bimodalScoreSecondMoment(Math.sqrt(schedule.alphaBars[t]!), Math.sqrt(schedule.oneMinusAlphaBars[t]!));

describe('li2024.scoreSecondMoment decision edges', () => {
  it('inflatedScoreLowNoise: q = 1.6²·q_exact at the first plain-mean step (within 4 SE), which the witness names; the reason names the oracle', async () => {
    const e = await runControl(scoreSecondMoment, 'inflatedScoreLowNoise');
    if (e.verdict !== 'violated') throw new Error(`expected violated: ${e.reason}`);
    const steps = e.parts.filter((p) => p.name.startsWith('bound t=')).map((p) => Number(p.name.slice('bound t='.length)));
    // the plain-mean steps of T = 200 (1−ᾱ_t ∈ [0.2, ½)) are t = 47..52: the control takes the first and the last
    expect(steps).toEqual([47, 52]);
    for (const t of steps) {
      const q = e.estimates[`q_${t}`]!;
      const reference = 2.56 * qExact(t);
      expect(Math.abs(q.value - reference), `q_${t}: ${q.value} vs ${reference}`).toBeLessThanOrEqual(4 * q.standardError! + 1e-9);
    }
    // both bound parts fail; the witness is the first of them, with its q
    expect(e.witness?.time).toBe(47);
    expect(e.witness?.value).toBe(e.estimates['q_47']!.value);
    expect(e.reason).toContain('1.6× the exact score');
  }, 60_000);

  it('a bound that holds everywhere and an identity that fails at the second step only: the witness is that identity', async () => {
    // exact score at t = 60, 0.9·s_t at t = 70: q = 0.81·q_exact < 1 at both (bound holds); the identity residual at
    // t = 70 is (0.81 − 1)·q_exact(70) ≈ −0.19, far outside the band
    const setting = { target: builtInTarget('bimodal-1d'), schedule };
    const score: ScoreOracle = {
      label: 'exact at t = 60, 0.9× at t = 70',
      evaluate: (t, x) => {
        const s = marginalAtStep(setting, t).score(x);
        if (t !== 60) for (let i = 0; i < s.data.length; i++) s.data[i] = 0.9 * s.data[i]!;
        return s;
      },
    };
    const e = await scoreSecondMoment.run({ ...setting, score, steps: [60, 70], samples: 4000 }, context(5));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      ['identity t=60', 'holds'],
      ['bound t=60', 'holds'],
      ['identity t=70', 'violated'],
      ['bound t=70', 'holds'],
    ]);
    if (e.verdict !== 'violated') throw new Error(`expected violated: ${e.reason}`);
    expect(e.witness?.time).toBe(70);
    const identity = e.estimates['identity_70']!;
    expect(e.witness?.value).toBe(identity.value);
    expect(e.witness?.description).toContain('identity fails');
    expect(e.reason).toContain('identity t=70 fails (');
    const reference = (0.81 - 1) * qExact(70);
    expect(Math.abs(identity.value - reference), `${identity.value} vs ${reference}`).toBeLessThanOrEqual(4 * identity.standardError! + 1e-9);
  }, 60_000);

  it('undecided with 100 draws per step: inconclusive with a finite samples-needed hint above 100 (both branches)', async () => {
    // t = 50 (1−ᾱ ≈ 0.37, plain mean) and t = 60 (1−ᾱ ≈ 0.91, slack), exact score: both bound parts decide (they need
    // no more draws) while both identity residuals stay inside neither the rounding floor nor the ±0.05 band
    const e = await scoreSecondMoment.run({ target: builtInTarget('bimodal-1d'), schedule, steps: [50, 60], samples: 100 }, context(7));
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      ['identity t=50', 'inconclusive'],
      ['bound t=50', 'holds'],
      ['identity t=60', 'inconclusive'],
      ['bound t=60', 'holds'],
    ]);
    if (e.verdict !== 'inconclusive') throw new Error(`expected inconclusive: ${e.reason}`);
    expect(Number.isFinite(e.samplesNeeded)).toBe(true);
    expect(e.samplesNeeded!).toBeGreaterThan(100);
    // the sentence names the undecided parts and the draws, and the step where the bound holds by construction
    expect(e.reason).toBe(
      'For the exact score, identity t=50, identity t=60 could not be decided with n = 100 draws per step. ' +
        'At t = 60 (1−ᾱ_t ≥ ½) the bound part cannot fail for the exact score — its slack is tr Cov(Z|x)/d ≥ 0 at every point — so there it records only the identity.',
    );
    expect(schedule.oneMinusAlphaBars[50]!).toBeLessThan(0.5);
    expect(schedule.oneMinusAlphaBars[60]!).toBeGreaterThanOrEqual(0.5);
    // each part's sentence carries its own step's numbers
    for (const [k, t] of [50, 60].entries()) {
      const [identity, q, slack] = [e.estimates[`identity_${t}`]!, e.estimates[`q_${t}`]!, e.estimates[`slack_${t}`]!];
      expect(e.parts[2 * k]!.reason).toBe(`normalised identity residual ${identity.value.toExponential(3)} ∈ [${identity.interval.lower.toExponential(3)}, ${identity.interval.upper.toExponential(3)}]`);
      expect(e.parts[2 * k + 1]!.reason).toBe(`(1−ᾱ_t)E‖s̃_t‖²/d = ${q.value.toPrecision(4)}, slack ${slack.value.toPrecision(4)} ∈ [${slack.interval.lower.toPrecision(4)}, ${slack.interval.upper.toPrecision(4)}]`);
    }
    // the slack branch (t = 60) reports q = 1 − slack with the interval mirrored
    const [q60, slack60] = [e.estimates['q_60']!, e.estimates['slack_60']!];
    expect(q60.value).toBe(1 - slack60.value);
    expect(q60.interval.lower).toBe(1 - slack60.interval.upper);
    expect(q60.interval.upper).toBe(1 - slack60.interval.lower);
    const level = e.estimates['identity_50']!.interval.level;
    expect(e.diagnostics.map((d) => [d.kind, d.message])).toEqual([['monte-carlo-error', `100 draws per step, intervals at level ${level}`]]);
    expect(e.pValue).toBeDefined();
  }, 60_000);

  it('declares every estimate it reports among its constants (q_t, slack_t, identity_t)', async () => {
    const e = await scoreSecondMoment.run({ target: builtInTarget('bimodal-1d'), schedule, steps: [50], samples: 100 }, context(9));
    const symbols = scoreSecondMoment.constants.map((c) => c.symbol);
    expect(symbols).toEqual(['q_t', 'slack_t', 'identity_t']);
    for (const key of Object.keys(e.estimates)) expect(symbols, key).toContain(key.replace(/_\d+$/, '_t'));
  });

  it('reports the closed-form slack 1 − q_t = Σ ᾱλ/(ᾱλ + 1 − ᾱ)/d for the Gaussian control', async () => {
    const e = await runControl(scoreSecondMoment, 'gaussianClosedForm');
    for (const t of [2, 54, 200]) {
      const ab = schedule.alphaBars[t]!;
      const om = schedule.oneMinusAlphaBars[t]!;
      const slack = ((4 * ab) / (4 * ab + om) + (0.25 * ab) / (0.25 * ab + om)) / 2;
      expect(Math.abs(e.estimates[`slack_${t}`]!.value - slack)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(e.estimates[`identity_${t}`]!.value)).toBeLessThanOrEqual(1e-10);
    }
    expect(e.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
  });
});

describe('li2024.scoreSecondMoment closed form against the oracle', () => {
  it('an oracle whose posterior covariance is 1% too large fails the identity at every step, with the harness diagnostic; a correct one passes without it', async () => {
    // aniso-gaussian-2d (λ = 4, ¼), T = 40: the identity residual becomes 0.01·tr Cov(Z|x)/d with
    // tr Cov(Z|x) = Σ_i ᾱλ_i/(ᾱλ_i + 1 − ᾱ); the bound part, in closed form, still holds.
    const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
    const target = gaussian([0, 0], [4, 0, 0, 0.25]);
    const wrong = Object.create(target) as typeof target;
    Object.assign(wrong, {
      noised: (signal: number, noise: number) => {
        const marginal = target.noised(signal, noise);
        const inflated = Object.create(marginal) as typeof marginal;
        Object.assign(inflated, { posteriorCovariance: (x: Parameters<typeof marginal.posteriorCovariance>[0]) => marginal.posteriorCovariance(x).map((v) => 1.01 * v) });
        return inflated;
      },
    });
    const ctx = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 });
    const steps = [1, 10, 20];
    const trCovZ = (t: number): number => [4, 0.25].reduce((acc, l) => acc + (schedule.alphaBars[t]! * l) / (schedule.alphaBars[t]! * l + schedule.oneMinusAlphaBars[t]!), 0);
    // every examined step has a residual 100 times above the 1e-10 rounding band of the identity
    for (const t of steps) expect((0.01 * trCovZ(t)) / 2).toBeGreaterThan(100 * 1e-10);
    // at t = T = 40 the trace is ≈ 1.3e-16: the 1% miss stays inside the band, and the harness diagnostic, which
    // compares traces only above 1e-12, stays silent
    expect(trCovZ(40)).toBeLessThan(1e-12);
    const atEnd = await scoreSecondMoment.run({ target: wrong, schedule, steps: [40] }, ctx());
    expect(atEnd.verdict).toBe('holds');
    expect(atEnd.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);

    const e = await scoreSecondMoment.run({ target: wrong, schedule, steps }, ctx());
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual(steps.flatMap((t) => [[`identity t=${t}`, 'violated'], [`bound t=${t}`, 'holds']]));
    for (const t of steps) expect(Math.abs(e.estimates[`identity_${t}`]!.value - (0.01 * trCovZ(t)) / 2)).toBeLessThanOrEqual(1e-12);
    expect(e.diagnostics.filter((d) => d.kind === 'numerical').map((d) => d.message.replace(/ [0-9.e+-]+ differs from the closed form [0-9.e+-]+$/, ''))).toEqual(steps.map((t) => `t=${t}: oracle posterior trace`));
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated' || !e.witness) throw new Error('expected a violated verdict with a witness');
    expect(e.witness.time).toBe(1);
    expect(e.witness.value).toBe(e.estimates['identity_1']!.value);
    expect(e.witness.description).toBe(`the identity fails for the oracle under test at step t = 1: ${e.parts[0]!.reason}`);
    const maxQ = Math.max(...steps.map((t) => e.estimates[`q_${t}`]!.value));
    expect(e.reason).toBe(`For the exact score, identity t=1, identity t=10, identity t=20 fail (max (1−ᾱ_t)E‖s̃_t‖²/d = ${maxQ.toPrecision(4)}).`);

    const correct = await scoreSecondMoment.run({ target, schedule, steps }, ctx());
    expect(correct.verdict).toBe('holds');
    expect(correct.diagnostics.filter((d) => d.kind === 'numerical')).toEqual([]);
    for (const t of steps) expect(Math.abs(correct.estimates[`identity_${t}`]!.value)).toBeLessThanOrEqual(1e-10);
    expect(correct.reason).toBe(`For the exact score, (1−ᾱ_t)E‖s_t‖²/d ≤ 1 and the identity closes at all 3 steps (max ${maxQ.toPrecision(4)}, closed form).`);
  });
});

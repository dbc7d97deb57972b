import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget, createCheckContext, formatNumber, levelForFalseFailRate, ornsteinUhlenbeck, rngFromSeed } from '../../../src/index.ts';
import { perturbedScore, scoreErrorAssumption } from '../../../theorems/lyu2023/scoreError.ts';
import { describeControls } from '../controlHarness.ts';

/** E‖∇log p‖² for ½N(−2a, v) + ½N(2a, v) by the trapezoid rule on ±(2a + 12√v) with 2·10⁵ cells. */
function bimodalFisher(a: number, v: number): number {
  const n = 200_000;
  const lo = -(2 * a + 12 * Math.sqrt(v));
  const h = (-2 * lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h;
    const g1 = Math.exp(-((x + 2 * a) ** 2) / (2 * v));
    const g2 = Math.exp(-((x - 2 * a) ** 2) / (2 * v));
    const p = (0.5 * (g1 + g2)) / Math.sqrt(2 * Math.PI * v);
    const dp = (0.5 * (-(x + 2 * a) * g1 - (x - 2 * a) * g2)) / v / Math.sqrt(2 * Math.PI * v);
    if (p > 0) sum += ((i === 0 || i === n ? 0.5 : 1) * dp * dp) / p;
  }
  return sum * h;
}

describeControls(scoreErrorAssumption, {
  determinism: ['inflatedScore', 'biasedScore'],
  inspect: {
    exactScore: (e) => expect(e.estimates['eps_sc']!.value).toBe(0),
    biasedScore: (e) => {
      // THEORY §6.2: an additive bias b gives ε̂_sc ≥ ‖b‖; a constant bias gives exactly ‖b‖ = 0.1 at every point.
      expect(e.estimates['eps_sc']!.interval.lower).toBeGreaterThanOrEqual(0.1 - 1e-15);
      expect(Math.abs(e.estimates['eps_sc']!.value - 0.1)).toBeLessThan(1e-15);
      // the summary names the measured value, the time of the worst error and '>'; the witness is the first grid time
      const series = e.plots[0]!.series[0]!;
      const worst = series.y.reduce((b, v, i) => (v > series.y[b]! ? i : b), 0);
      expect(e.reason).toBe(`exact score + (0.06, 0.08): ε̂_sc = ${formatNumber(e.estimates['eps_sc']!.value)} (at t = ${formatNumber(series.x[worst]!)}) > the declared ε_sc = 0.05.`);
      if (e.verdict !== 'violated') throw new Error('expected violated');
      expect(e.witness!.time).toBe(series.x[0]);
      expect(e.witness!.description).toBe(`at t = ${formatNumber(series.x[0]!)} the RMS score error is at least ${formatNumber(series.lower![0]!)} > ε_sc = 0.05`);
      expect(e.diagnostics[1]!.message).toBe(`4000 draws per time, 10 times, intervals at level ${formatNumber(e.estimates['eps_sc']!.interval.level)}`);
    },
    inflatedScore: (e) => {
      const series = e.plots[0]!.series[0]!;
      const worst = series.y.reduce((b, v, i) => (v > series.y[b]! ? i : b), 0);
      expect(e.reason).toBe(`1.1 × exact score: ε̂_sc = ${formatNumber(e.estimates['eps_sc']!.value)} (at t = ${formatNumber(series.x[worst]!)}) ≤ the declared ε_sc = 0.3.`);
      expect(e.parts[0]!.reason).toBe(`RMS score error ${formatNumber(series.y[0]!)} ∈ [${formatNumber(series.lower![0]!)}, ${formatNumber(series.upper![0]!)}] vs ε_sc = 0.3`);
    },
  },
});

describe('lyu2023.scoreError', () => {
  it('brackets 0.1·√E‖∇log p_δ‖² (quadrature) for the 1.1×-inflated score at t = δ', async () => {
    const e = await runControl(scoreErrorAssumption, 'inflatedScore');
    const delta = 0.002;
    const a = Math.exp(-delta);
    const truth = 0.1 * Math.sqrt(bimodalFisher(a, a * a * 0.25 + 1 - a * a));
    // The largest error is at t = δ (E‖∇log p_t‖² decreases in t here); the reported interval has level 1 − 2·10⁻⁴,
    // so it misses the truth with probability ≤ 2e-4 for this fixed seed.
    const est = e.estimates['eps_sc']!;
    expect(truth).toBeGreaterThanOrEqual(est.interval.lower);
    expect(truth).toBeLessThanOrEqual(est.interval.upper);
  });
});

describe('lyu2023.scoreError on a trained model', () => {
  const target = builtInTarget('ring8-2d');
  const process = ornsteinUhlenbeck();
  const ctx = () => createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-3 });

  it('measures an exact teacher (the built-in CD variants) as ε̂_sc = 0 and decides nothing without a declaration', async () => {
    const e = await scoreErrorAssumption.run({ target, process, score: perturbedScore(target, process, 1, [0, 0], 'exact score'), samples: 200 }, ctx());
    expect(e.estimates['eps_sc']!.value).toBe(0);
    expect(e.estimates['eps_sc']!.interval.upper).toBe(0);
    expect(e.verdict).toBe('inconclusive');
    expect(e.estimates['eps_sc_declared']).toBeUndefined();
    expect(e.thresholds).toEqual([]);
    expect(e.parts.map((p) => [p.name, p.reason])).toEqual([['ε_sc declared', 'no ε_sc declared: measured ε̂_sc = 0 (teacher exact score)']]);
    expect(e.reason).toMatch(/^exact score: ε̂_sc = 0 \(at t = \S+\); no ε_sc declared, nothing decided\.$/);
    // 10 grid times by default, each interval at level 1 − 2·(10⁻³/10)
    expect(e.diagnostics).toContainEqual({ kind: 'monte-carlo-error', message: `200 draws per time, 10 times, intervals at level ${formatNumber(levelForFalseFailRate(1e-3 / 10))}` });
    expect(e.estimates['eps_sc']!.interval.level).toBe(levelForFalseFailRate(1e-3 / 10));
  });

  it('a constant bias ‖b‖ = 0.1 is decided exactly on both sides of the claim, with the sign in the reason', async () => {
    const biased = { target, process, score: perturbedScore(target, process, 1, [0.06, 0.08], 'biased'), gridSize: 3, samples: 50 };
    const below = await scoreErrorAssumption.run({ ...biased, claimed: { epsSc: 0.05 } }, ctx());
    expect(below.verdict).toBe('violated');
    expect(below.reason).toMatch(/^biased: ε̂_sc = 0\.1 \(at t = \S+\) > the declared ε_sc = 0\.05\.$/);
    expect(below.thresholds).toEqual([{ symbol: 'eps_sc', value: 0.05, side: 'upper' }]);
    expect(below.estimates['eps_sc_declared']!.value).toBe(0.05);
    expect(below.parts.map((p) => p.verdict)).toEqual(['violated', 'violated', 'violated']);
    expect(below.parts[0]!.reason).toBe('RMS score error 0.1 ∈ [0.1, 0.1] vs ε_sc = 0.05');
    const above = await scoreErrorAssumption.run({ ...biased, claimed: { epsSc: 0.2 } }, ctx());
    expect(above.verdict).toBe('holds');
    expect(above.reason).toMatch(/^biased: ε̂_sc = 0\.1 \(at t = \S+\) ≤ the declared ε_sc = 0\.2\.$/);
  });

  it('a claim at the measured ε̂_sc of a 1.1× score is undecided at 200 draws, and the reason says so', async () => {
    const subject = { target, process, score: perturbedScore(target, process, 1.1, [0, 0], '1.1 × exact score'), gridSize: 4, samples: 200 };
    const measured = (await scoreErrorAssumption.run(subject, ctx())).estimates['eps_sc']!;
    expect(measured.interval.upper).toBeGreaterThan(measured.interval.lower); // a Monte Carlo estimate, not exact
    const e = await scoreErrorAssumption.run({ ...subject, claimed: { epsSc: measured.value } }, ctx());
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toContain(`vs the declared ε_sc = ${measured.value}`);
    expect(e.reason).toContain('(undecided at this sample size)');
  });

  it('says that it does not apply to a model trained without a teacher score', async () => {
    const e = await scoreErrorAssumption.run({ target, process, noTeacher: 'ct trains without a teacher score' }, ctx());
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts[0]!.reason).toMatch(/not applicable: ct trains without a teacher score/);
    expect(Object.keys(e.estimates)).toEqual([]);
    expect(e.parts[0]!.reason).toBe("not applicable: ct trains without a teacher score; ε_sc does not enter this model's bound");
    expect(e.diagnostics).toEqual([{ kind: 'note', message: 'not applicable: ct trains without a teacher score' }]);
    expect(e.reason).toBe("Not applicable: ct trains without a teacher score (ε_sc enters the Lyu–Feng–Chen bound only through a distillation teacher's solver step).");
  });
});

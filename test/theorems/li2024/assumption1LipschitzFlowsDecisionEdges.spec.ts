// li2024.assumption1 beyond its controls' verdicts: the subject key that tells subjects apart, and the finite-difference
// step a trained model's note states for its precision. These tests kill mutants that survived the check's controls
// (docs/testing.md, mutation testing).
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { exactModelAsTrained, gaussian, GaussianMixture, geometricSteps, lhwSchedule, varianceExploding } from '../../../src/index.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { assumption1LipschitzFlows, subjectKey } from '../../../theorems/li2024/assumption1LipschitzFlows.ts';

describe('li2024.assumption1 subject key', () => {
  const base = { target: gaussian([0], [0.5]), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 2 } };

  it('is the same for equal subjects and differs when the claim, the steps or the draws differ', () => {
    expect(subjectKey({ ...base })).toBe(subjectKey({ ...base, claimed: { Lf: 2 } }));
    const keys = [subjectKey(base), subjectKey({ ...base, claimed: { Lf: 3 } }), subjectKey({ ...base, steps: [1, 50, 100] }), subjectKey({ ...base, samples: 32 }), subjectKey({ ...base, target: gaussian([0], [0.25]) })];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('li2024.assumption1 on a trained model', () => {
  const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-12 });

  it('states the central-difference step of the model’s precision: 10⁻⁷·scale for float64, 10⁻³·scale for float32', async () => {
    const subject = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { claimed: { Lf: 1e6 } });
    const note = (e: { diagnostics: readonly { message: string }[] }): string => e.diagnostics.find((d) => d.message.startsWith('L_f (a lower bound)'))!.message;
    const float64 = await assumption1LipschitzFlows.run(subject, context());
    expect(note(float64)).toContain('(h = 10⁻⁷·scale, the model is float64)');
    const model32 = { ...subject.trained.model, precision: 'float32' as const };
    const float32 = await assumption1LipschitzFlows.run({ ...subject, trained: { ...subject.trained, model: model32 } }, context());
    expect(note(float32)).toContain('(h = 10⁻³·scale, the model is float32)');
  }, 60_000);
});

describe('li2024.assumption1 reasons and witnesses, one per verdict', () => {
  const context = () => createCheckContext({ rng: rngFromSeed(2).child('edges'), falseFailRate: 1e-12 });
  // aniso-gaussian-2d's eigenvalues (4, ¼), T = 40: the exact L̂_f = √((1 + 3ᾱ₁)/(1 + 3ᾱ_T)) of the pair T → 1 (λ = 4
  // stretches, ¼ contracts), written out independently of the oracle.
  const schedule = lhwSchedule({ T: 40, c0: 2, c1: 8 });
  const exact = Math.sqrt((1 + 3 * schedule.alphaBars[1]!) / (1 + 3 * schedule.alphaBars[40]!));
  const anisotropic = gaussian([0, 0], [4, 0, 0, 0.25]);

  it('a single Gaussian: `holds` at or above the exact value, `violated` below it, each with its own sentence', async () => {
    expect(exact).toBeGreaterThan(1.5);
    const holds = await assumption1LipschitzFlows.run({ target: anisotropic, schedule, claimed: { Lf: 2 } }, context());
    expect(holds.verdict).toBe('holds');
    expect(Math.abs(holds.estimates['L_f_hat']!.value - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
    const shown = holds.estimates['L_f_hat']!.value.toPrecision(6);
    expect(holds.reason).toBe(`The exact L̂_f = ${shown} (pair 40→1) is ≤ the declared L_f = 2.`);
    const violated = await assumption1LipschitzFlows.run({ target: anisotropic, schedule, claimed: { Lf: 1 } }, context());
    expect(violated.verdict).toBe('violated');
    expect(violated.reason).toBe(`The exact $L̂_f = ${shown}$ at $Φ_{40→1}$ exceeds the declared $L_f = 1$.`);
    if (violated.verdict !== 'violated' || !violated.witness) throw new Error('expected a violated verdict with a witness');
    expect(violated.witness.description).toBe(`$‖∂Φ_{40→1}(x)‖_{op}$ = ${holds.estimates['L_f_hat']!.value.toPrecision(17)} > $L_f = 1$ (exact, any x)`);
    expect(violated.witness.time).toBe(40);
    expect(violated.witness.value).toBe(holds.estimates['L_f_hat']!.value);
    expect(violated.diagnostics.map((d) => d.message)).toEqual(['method: closed form over all pairs']);
  }, 60_000);

  it('a mixture: a witnessed lower bound is `violated` above the declared L_f with the witness point, else inconclusive', async () => {
    // ½N(±1, ½), T = 40, pairs of steps 1, 5, 40: the flow between the modes stretches by more than 1 (the declared 1
    // is violated) and by far less than 1e6 (the search cannot certify that).
    const target = new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]);
    const subject = { target, schedule, steps: [1, 5, 40], samples: 4 };
    const violated = await assumption1LipschitzFlows.run({ ...subject, claimed: { Lf: 1 } }, context());
    expect(violated.verdict).toBe('violated');
    if (violated.verdict !== 'violated' || !violated.witness) throw new Error('expected a violated verdict with a witness');
    const value = violated.witness.value!;
    const estimate = violated.estimates['L_f_hat']!;
    expect(estimate.value).toBe(value);
    expect(estimate.supLowerBound).toBe(true);
    expect(estimate.interval.upper).toBe(Number.POSITIVE_INFINITY);
    // quantile maps carry no ODE error: the lower end is the witnessed value itself
    expect(estimate.interval.lower).toBe(value);
    const pair = /^\$‖∂Φ_\{(\d+)→(\d+)\}\(x\)‖_\{op\}\$ = ([0-9.e+-]+) > \$L_f = 1\$$/.exec(violated.witness.description)!;
    expect(pair, violated.witness.description).not.toBeNull();
    expect(Number(pair[3])).toBe(value);
    expect(violated.witness.time).toBe(Number(pair[1]));
    expect(violated.reason).toBe(`A witnessed lower bound $L̂_f ≥ ${value.toPrecision(6)}$ at $Φ_{${pair[1]}→${pair[2]}}$ at x = (${violated.witness.point!.map(String).join(', ')}) exceeds the declared $L_f = 1$.`);
    expect(violated.diagnostics[0]!.message).toMatch(/^method: witness search \(quantile maps\) over all 3 pairs of steps 1, 5, 40: \d+ seeds/);
    const inconclusive = await assumption1LipschitzFlows.run({ ...subject, claimed: { Lf: 1e6 } }, context());
    expect(inconclusive.verdict).toBe('inconclusive');
    // the same seed, the same search: the same witness, now below the declared value
    expect(inconclusive.estimates['L_f_hat']!.value).toBe(value);
    expect(inconclusive.reason).toBe(`The largest stretch found, $‖∂Φ_{${pair[1]}→${pair[2]}}(x)‖_{op}$ = ${value.toPrecision(6)} at x = (${violated.witness.point!.map(String).join(', ')}), is a lower bound on L̂_f below the declared L_f = 1000000; a search can show violation, never validity.`);
  }, 60_000);

  it('a trained model: the learned maps’ largest stretch is `violated` above the declared L_f, else inconclusive, each with its sentence', async () => {
    // the exact f* of N(0, ½) on VE: every learned map is linear with slope ≤ 1 and ≈ 1 at the first step, so the
    // witnessed stretch lies in (½, 1]
    const base = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { claimed: { Lf: 0.5 } });
    const violated = await assumption1LipschitzFlows.run(base, context());
    expect(violated.verdict).toBe('violated');
    if (violated.verdict !== 'violated' || !violated.witness) throw new Error('expected a violated verdict with a witness');
    const value = violated.estimates['L_f']!.value;
    expect(value).toBeGreaterThan(0.5);
    expect(value).toBeLessThanOrEqual(1 + 1e-6);
    expect(violated.estimates['L_f_declared']!.value).toBe(0.5);
    const at = `f_{${violated.witness.time}} at x = (${violated.witness.point!.map(String).join(', ')})`;
    expect(violated.reason).toBe(`A witnessed lower bound $L̂_f ≥ ${value.toPrecision(6)}$ of the learned maps (${at}) exceeds the declared $L_f = 0.5$.`);
    expect(violated.witness.description).toBe(`‖∂f_{${violated.witness.time}}(x)‖_op ≥ ${value.toPrecision(17)} > L_f = 0.5`);
    expect(violated.witness.value).toBe(value);
    // a sup lower bound: [value, ∞); the steps searched are 8 geometric steps in [2, T], the witness's among them
    expect(violated.estimates['L_f']!.interval).toMatchObject({ lower: value, upper: Number.POSITIVE_INFINITY });
    expect(violated.estimates['L_f']!.supLowerBound).toBe(true);
    const steps = geometricSteps(50, 8, 2);
    expect(steps).toContain(violated.witness.time);
    expect(violated.thresholds).toEqual([{ symbol: 'L_f', value: 0.5, side: 'upper' }]);
    const note = violated.diagnostics[0]!.message;
    expect(note).toMatch(new RegExp(`^L_f \\(a lower bound\\) of the learned maps f_t = the model viewed on schedule \\(23\\) .*: central differences in float64 of the model \\(h = 10⁻⁷·scale, the model is float64\\), \\d+ seeds over steps ${steps.join(', ')}, 2 refined per step by compass search; per-step maxima `));
    const maxima = note.split('per-step maxima ')[1]!.split(', ').map(Number);
    expect(maxima).toHaveLength(steps.length);
    expect(Math.max(...maxima)).toBeCloseTo(value, 2);
    expect(violated.diagnostics[1]!.message).toBe('Assumption 1 constrains the true flows Φ_{t→k}; on a trained model the learned maps f_t stand in for Φ_t = Φ_{t→1} (the pairs k > 1 are not formed from a model)');
    const inconclusive = await assumption1LipschitzFlows.run({ ...base, claimed: { Lf: 1e6 } }, context());
    expect(inconclusive.verdict).toBe('inconclusive');
    expect(inconclusive.estimates['L_f']!.value).toBe(value);
    expect(inconclusive.reason).toBe(`The largest stretch of the learned maps found, ${value.toPrecision(6)} (${at}), is a lower bound below the declared L_f = 1000000; a search can show violation, never validity.`);
  }, 60_000);

  it('a trained model viewed on a schedule outside its trained range is not evaluated: inconclusive, the schedule in a note', async () => {
    const base = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { claimed: { Lf: 0.5 } });
    const e = await assumption1LipschitzFlows.run({ ...base, schedule: { ...base.schedule, c0: 40 } }, context());
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^Not evaluated: .*the model is not extrapolated\.$/);
    expect(e.estimates).toEqual({});
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.kind).toBe('note');
    expect(e.diagnostics[0]!.message).toMatch(/^schedule \(23\) with T = 50, c₀ = 40/);
  }, 60_000);

  it('a trained model without a declared L_f is refused, naming claimed.Lf', async () => {
    const base = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50);
    await expect(assumption1LipschitzFlows.run(base, context())).rejects.toThrow(/claimed\.Lf/);
  }, 60_000);
});

// The decision logic of lyu2023.consistencyError beyond its controls: the p-value of the exact-step branch on a model
// whose residuals are random (it uses each residual's standard error), the order of a model whose residuals vanish
// exactly, and the reason's comparison sign on both sides. Small hand-built subjects.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import type { ConsistencyFunction } from '../../../src/models/consistencyFunction.ts';
import { denoiserAsConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber } from '../../../src/core/formatNumber.ts';
import { levelForFalseFailRate } from '../../../src/estimators/estimate.ts';
import { consistencyErrorAssumption } from '../../../theorems/lyu2023/consistencyError.ts';
import { perturbedScore } from '../../../theorems/lyu2023/scoreError.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
const target = builtInTarget('aniso-gaussian-2d');
const process = ornsteinUhlenbeck();

describe('lyu2023.consistencyError edges', () => {
  it('exact-step branch: a claim at the largest lower interval end gives a p-value strictly inside (0, 1) (the residuals’ standard errors are used)', async () => {
    const model = denoiserAsConsistencyFunction(target, process);
    const subject = { target, process, model, gridSize: 8, samples: 200 };
    const free = await consistencyErrorAssumption.run(subject, context(1));
    expect(free.pValue).toBeUndefined(); // nothing declared, nothing tested
    const claim = free.estimates['eps_cm']!.interval.lower;
    expect(claim).toBeGreaterThan(0);
    // nothing declared: one undecided part, no threshold, and a reason that says where the bound is set instead
    const eps = free.estimates['eps_cm']!;
    expect(free.verdict).toBe('inconclusive');
    expect(free.thresholds).toEqual([]);
    expect(free.parts.map((p) => p.name)).toEqual(['ε_cm declared']);
    expect(free.parts[0]!.reason).toMatch(new RegExp(`^no ε_cm declared: measured ε̂_cm = ${formatNumber(eps.value).replace('.', '\\.')} ∈ \\[\\S+, \\S+\\] at t = \\S+; the one-step bound of lyu2023\\.oneStep uses it$`));
    const head = `${model.id} against the exact ODE step: ε̂_cm = ${formatNumber(eps.value)} ∈ [${formatNumber(eps.interval.lower)}, ${formatNumber(eps.interval.upper)}] (largest at t = `;
    expect(free.reason.startsWith(head)).toBe(true);
    expect(free.reason).toContain(`; Σ_n h_n ε_cm,n = ${formatNumber(free.estimates['R']!.value)}, boundary ${formatNumber(free.estimates['b']!.value)})`);
    expect(free.reason.endsWith('; no ε_cm declared, so nothing is decided here: lyu2023.oneStep sets the bound this constant implies against the measured one-step error.')).toBe(true);
    // the level of lyu2023.oneStep's residuals: half the false-fail rate over the N = 8 terms
    expect(eps.interval.level).toBe(levelForFalseFailRate(1e-3 / 2 / 8));
    expect(free.diagnostics.find((d) => d.kind === 'monte-carlo-error')!.message).toBe(`200 draws, CLT interval on each mean square at level ${formatNumber(levelForFalseFailRate(1e-3 / 2 / 8))}, square-rooted and divided by h_n`);
    const e = await consistencyErrorAssumption.run({ ...subject, claimed: { epsCm: claim } }, context(1));
    // the interval attaining the largest lower end has its mean square z·SE above the claim (z of the CLT level,
    // ≈ 4 here), so its one-sided p-value is Φ̄(z) > 0, and the Bonferroni product over 7 intervals stays below 1
    expect(e.pValue).toBeGreaterThan(0);
    expect(e.pValue).toBeLessThan(1e-2);
    // the claim at the largest lower end is not significantly exceeded: undecided, 'vs' in the reason, and a threshold
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason.endsWith(`) vs the declared ε_cm = ${claim}.`)).toBe(true);
    expect(e.thresholds).toEqual([{ symbol: 'eps_cm', value: claim, side: 'upper' }]);
    expect(e.estimates['eps_cm_declared']!.value).toBe(claim);
    const twice = await consistencyErrorAssumption.run({ ...subject, claimed: { epsCm: 2 * free.estimates['eps_cm']!.interval.upper } }, context(1));
    expect(twice.verdict).toBe('holds');
    expect(twice.reason.endsWith(`) ≤ the declared ε_cm = ${2 * free.estimates['eps_cm']!.interval.upper}.`)).toBe(true);
  }, 30_000);

  it('a model whose residuals vanish exactly (f ≡ 0) has an infinite order, not NaN', async () => {
    const zero: ConsistencyFunction = { id: 'zero', precision: 'float64', evaluate: (x) => ({ n: x.n, d: x.d, data: new Float64Array(x.n * x.d) }) };
    const e = await consistencyErrorAssumption.run({ target, process, model: zero, score: perturbedScore(target, process, 1, [0, 0], 'exact score'), claimed: { epsCm: 0.1 }, gridSize: 8, samples: 50 }, context(2));
    expect(e.estimates['eps_cm']!.value).toBe(0);
    expect(e.estimates['order']!.value).toBe(Number.POSITIVE_INFINITY);
    expect(e.verdict).toBe('holds');
    expect(e.reason).toContain('≤ ε_cm = 0.1');
    expect(e.reason).toMatch(/^zero with the euler teacher \(exact score\): ε̂_cm = 0 at t = \S+ ≤ ε_cm = 0\.1 \(ε̂_cm over N = 8, 16, 32: 0, 0, 0\)\.$/);
    expect(e.diagnostics).toContainEqual({ kind: 'note', message: 'ε̂_cm = 0, 0, 0 for N = 8, 16, 32 (euler teacher, exact score)' });
  }, 30_000);
});

// The decision logic of song2024.schedules near its edges, on small hand-built subjects (K = 800 steps): the last
// curriculum step k = K, a curriculum that drops back (its reason and witness name the step and the value), the
// reason of a curriculum that holds, the note on uniform indices, and the statement's place in the graph. These
// tests kill the mutants that survived the check's controls (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';
import { runControl } from '../../../src/checks/runControl.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber } from '../../../src/index.ts';
import { pseudoHuberLoss } from '../../../src/training/losses/consistencyLoss.ts';
import { ictDoublingSchedule } from '../../../src/training/schedules/ctCurriculumSchedule.ts';
import type { DiscretizationSchedule } from '../../../src/training/schedules/discretizationSchedule.ts';
import { lognormalIndexSampler } from '../../../src/training/schedules/indexSamplers.ts';
import { type IctDeclaration, type IctSchedulesSubject, ictSchedules } from '../../../theorems/song2024/schedules.ts';

const run = (s: IctSchedulesSubject): Promise<Evidence> => ictSchedules.run(s, createCheckContext({ rng: rngFromSeed(5).child('edges'), falseFailRate: 1e-12 }));
const subjectOf = (declared: IctDeclaration, overrides: Partial<IctSchedulesSubject> = {}): IctSchedulesSubject => ({
  schedule: ictDoublingSchedule({ s0: declared.s0, s1: declared.s1, totalSteps: declared.totalSteps }),
  indexSampler: lognormalIndexSampler({ pMean: declared.pMean, pStd: declared.pStd }),
  loss: pseudoHuberLoss({ dim: 2 }),
  dim: 2,
  declared,
  ...overrides,
});
const part = (e: Evidence, name: string) => e.parts.find((p) => p.name === name)!;

/**
 * (s₀, s₁) = (10, 1285), K = 800: K′ = ⌊800/(log₂⌊128.5⌋ + 1)⌋ = 100 and Eq. (9) gives N(k) = min(10·2^{⌊k/100⌋}, 1285) + 1:
 * 11 for k < 100, …, 1281 for 700 ≤ k < 800, and 10·2⁸ = 2560 → 1285 + 1 = 1286 only at k = K = 800.
 */
const LAST_STEP_ONLY: IctDeclaration = { s0: 10, s1: 1285, totalSteps: 800, pMean: -1.1, pStd: 2 };
/** (s₀, s₁) = (10, 1280), K = 800: K′ = 100, N(k) = 11, 21, …, 1281 (from k = 700 on). */
const SMALL: IctDeclaration = { s0: 10, s1: 1280, totalSteps: 800, pMean: -1.1, pStd: 2 };

describe('song2024.schedules: the curriculum is read at every k = 0…K', () => {
  it('visits the grid N(K) = 1286 that only k = K reaches, and checks its probabilities', async () => {
    const e = await run(subjectOf(LAST_STEP_ONLY));
    expect(e.verdict, e.reason).toBe('holds');
    expect(part(e, 'curriculum (Eq. 9)').reason).toBe('N(k) visits 11, 21, 41, 81, 161, 321, 641, 1281, 1286; N(K) = 1286');

    // a sampler that is uniform on the 1286-point grid only (Eq. (10) everywhere else) fails there and nowhere else
    const lognormal = lognormalIndexSampler();
    const wrongOnLastGrid = {
      id: lognormal.id,
      probabilities: (times: Float64Array, step: number) => (times.length === 1286 ? new Float64Array(1285).fill(1 / 1285) : lognormal.probabilities(times, step)),
    };
    const bad = await run(subjectOf(LAST_STEP_ONLY, { indexSampler: wrongOnLastGrid }));
    expect(bad.verdict, bad.reason).toBe('violated');
    expect(bad.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual(['probabilities (Eq. 10)']);
    expect(part(bad, 'probabilities (Eq. 10)').reason).toContain('(at N = 1286)');
    if (bad.verdict !== 'violated') throw new Error('unreachable');
    expect(bad.witness?.time).toBe(1286);
  });
});

describe('song2024.schedules: a curriculum that drops back', () => {
  // N(250) = 11 where Eq. (9) gives 10·2² + 1 = 41 (and N(249) = 41): the first mismatch and the first decrease are both k = 250.
  const base = ictDoublingSchedule({ s0: 10, s1: 1280, totalSteps: 800 });
  const dropping: DiscretizationSchedule = { ...base, id: 'ict-doubling-with-a-drop', stageAt: (k) => (k === 250 ? 11 : base.stageAt(k)) };

  it('is violated, its reason names the mismatch and the decrease, and its witness is the step and the value found', async () => {
    const e = await run(subjectOf(SMALL, { schedule: dropping }));
    expect(e.verdict, e.reason).toBe('violated');
    expect(e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual(['curriculum (Eq. 9)']);
    const reason = part(e, 'curriculum (Eq. 9)').reason;
    expect(reason).toContain('first mismatch at k = 250: 11 vs 41');
    expect(reason).toContain('decreases at k = 250');
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.time).toBe(250);
    expect(e.witness?.value).toBe(11);
  });

  it('a curriculum that holds has a reason with the visited sizes and N(K) only (no mismatch, no decrease)', async () => {
    const e = await run(subjectOf(SMALL));
    expect(e.verdict, e.reason).toBe('holds');
    expect(part(e, 'curriculum (Eq. 9)').reason).toBe('N(k) visits 11, 21, 41, 81, 161, 321, 641, 1281; N(K) = 1281');
  });
});

describe('song2024.schedules: notes and graph', () => {
  it('notes that uniform indices are a different law from Eq. (10) (what the uniformLabelledLognormal control injects)', async () => {
    const e = await runControl(ictSchedules, 'uniformLabelledLognormal');
    expect(e.diagnostics.filter((d) => d.kind === 'note').map((d) => d.message)).toEqual([expect.stringContaining('not to Eq. (10)')]);
  });

  it('depends on song2023.schedules, whose curriculum and Karras grid it refines (the statement graph and lint read this edge)', () => {
    expect(ictSchedules.dependsOn).toEqual(['song2023.schedules']);
  });
});

describe('song2024.schedules: reason texts of the other parts and the summary, read back from the Evidence', () => {
  it('a schedule that holds: the probabilities, weights and pseudo-Huber reasons and the summary', async () => {
    const e = await run(subjectOf(SMALL));
    expect(e.verdict, e.reason).toBe('holds');
    const est = (k: string) => e.estimates[k]!.value;
    expect(part(e, 'probabilities (Eq. 10)').reason).toMatch(new RegExp(`^lognormal\\S*: min p = \\S+, max \\|Σp − 1\\| = ${est('sum_defect').toExponential(2).replace('+', '\\+')}, max TV to Eq\\. \\(10\\) = ${formatNumber(est('TV')).replace('.', '\\.')} \\(at N = \\d+\\)$`));
    expect(part(e, 'weights λ(σ_i) = 1/(σ_{i+1} − σ_i)').reason).toBe(`max relative deviation ${formatNumber(est('weight_defect'))} on the N = 1281 grid`);
    // c = 0.00054·√2 recovered from d(x, y) = √(‖x − y‖² + c²) − c at ‖x − y‖ = c
    const c0 = 0.00054 * Math.SQRT2;
    expect(Math.abs(est('c') / c0 - 1)).toBeLessThan(1e-9);
    expect(part(e, 'pseudo-Huber c = 0.00054√d').reason).toBe(`c recovered from ${subjectOf(SMALL).loss.id}: ${formatNumber(est('c'))} vs 0.00054√2 = ${formatNumber(c0)}`);
    expect(e.reason).toBe(`iCT schedule: N(k) visits 11…1281 by doubling, probabilities sum to 1 (±${est('sum_defect').toExponential(1)}) and match Eq. (10) (TV ${est('TV').toExponential(1)}), λ = 1/Δσ, c = ${formatNumber(est('c'))}.`);
  });

  it('a pseudo-Huber c linear in d fails alone (singular verb); with a wrong N(K) too, two parts fail (plural)', async () => {
    const linear = pseudoHuberLoss({ dim: 4, c: 0.00054 * 4 });
    const e = await run(subjectOf(SMALL, { loss: linear, dim: 4 }));
    const c0 = 0.00054 * 2;
    const cHat = e.estimates['c']!.value;
    // the loss's c is 0.00216 = 2c₀: recovered to rounding
    expect(Math.abs(cHat / (2 * c0) - 1)).toBeLessThan(1e-9);
    expect(part(e, 'pseudo-Huber c = 0.00054√d').reason).toBe(`c recovered from ${linear.id}: ${formatNumber(cHat)} vs 0.00054√4 = ${formatNumber(c0)}`);
    expect(e.reason).toBe(`iCT schedule: pseudo-Huber c = 0.00054√d fails (TV to Eq. (10) ${formatNumber(e.estimates['TV']!.value)}, c = ${formatNumber(cHat)} vs ${formatNumber(c0)}).`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.description).toMatch(new RegExp(`^d\\(x, y\\) at ‖x − y‖ = ${formatNumber(c0).replace('.', '\\.')} is \\S+, i\\.e\\. c = ${formatNumber(cHat).replace('.', '\\.')}$`));
    const both = await run(subjectOf({ ...SMALL, s1: 1285 }, { loss: linear, dim: 4, schedule: ictDoublingSchedule({ s0: 10, s1: 1280, totalSteps: 800 }) }));
    expect(both.parts.filter((p) => p.verdict === 'violated').map((p) => p.name)).toEqual(['curriculum (Eq. 9)', 'pseudo-Huber c = 0.00054√d']);
    expect(both.reason).toMatch(/^iCT schedule: curriculum \(Eq\. 9\); pseudo-Huber c = 0\.00054√d fail \(TV to Eq\. \(10\) /);
  });
});

// The decision logic of song2023.schedules near its edges, on small hand-built curricula (K = 1000 steps): grids of
// the wrong length (only its length wrong) or out of order, a wrong N(0) with a right N(K) and the reverse, a curriculum that drops twice (the first drop is
// reported), the public-code μ(k) note for s₀ = 3 and the summary naming its one failing part. These tests kill the
// mutants that survived the check's controls (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import type { Evidence } from '../../../src/checks/evidence.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { ctCurriculumSchedule, type EmaCurriculum } from '../../../src/training/schedules/ctCurriculumSchedule.ts';
import { type CtCurriculumDeclaration, ctSchedules } from '../../../theorems/song2023/schedules.ts';

const run = (curriculum: EmaCurriculum, declared: CtCurriculumDeclaration): Promise<Evidence> =>
  ctSchedules.run({ curriculum, declared }, createCheckContext({ rng: rngFromSeed(5).child('edges'), falseFailRate: 1e-12 }));
const part = (e: Evidence, name: string) => e.parts.find((p) => p.name === name)!;
const violatedParts = (e: Evidence): string[] => e.parts.filter((p) => p.verdict === 'violated').map((p) => p.name);

/** s₀ = 2, s₁ = 20, K = 1000: N(k) = ⌈√(k/1000·(21² − 2²) + 2²) − 1⌉ + 1 runs 2 → 21. */
const SMALL: CtCurriculumDeclaration = { s0: 2, s1: 20, mu0: 0.9, totalSteps: 1000, tMin: 0.002, tMax: 80, rho: 7 };
const base = ctCurriculumSchedule({ ...SMALL });

describe('song2023.schedules: the Karras grid part', () => {
  it('reports a grid of N + 1 points as wrong (its first N points are the Karras grid, ε to T), and not its order', async () => {
    // only the length tells: times[0] = ε, times[N − 1] = T and the first N points match the formula exactly
    const longer: EmaCurriculum = { ...base, id: 'one-point-too-many', times: (N: number) => Float64Array.from([...base.times(N), 2 * SMALL.tMax]) };
    const e = await run(longer, SMALL);
    expect(violatedParts(e)).toEqual(['Karras grid']);
    expect(part(e, 'Karras grid').reason).toContain('endpoints wrong, strictly increasing');
  });

  it('reports a grid with two inner points swapped as not increasing (its ends exact)', async () => {
    const swapped: EmaCurriculum = {
      ...base,
      id: 'two-points-swapped',
      times: (N: number) => {
        const t = base.times(N);
        if (N >= 4) [t[1], t[2]] = [t[2]!, t[1]!];
        return t;
      },
    };
    const e = await run(swapped, SMALL);
    expect(violatedParts(e)).toEqual(['Karras grid']);
    expect(part(e, 'Karras grid').reason).toContain('endpoints exact, not increasing');
  });
});

describe('song2023.schedules: the curriculum parts', () => {
  it('a wrong N(0) with a right N(K) fails the end-point part, whose witness is N(0) at k = 0', async () => {
    // N(k) = max(3, paper N(k)): N(0) = 3 ≠ s₀ = 2, N(K) = 21 = s₁ + 1; μ(k) stays the paper's
    const raised: EmaCurriculum = { ...base, id: 'starts-at-3', stageAt: (k: number) => Math.max(3, base.stageAt(k)) };
    const e = await run(raised, SMALL);
    expect(part(e, 'N(0) = s₀, N(K) = s₁ + 1').verdict).toBe('violated');
    expect(violatedParts(e)).toEqual(['N(0) = s₀, N(K) = s₁ + 1', 'N(k) formula and monotone']);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.time).toBe(0);
    expect(e.witness?.value).toBe(3);
  });

  it('a right N(0) with a wrong N(K) fails the end-point part, whose witness is N(K) at k = K', async () => {
    // N(k) = min(20, paper N(k)): N(0) = 2 = s₀, N(K) = 20 ≠ s₁ + 1 = 21
    const capped: EmaCurriculum = { ...base, id: 'capped-at-20', stageAt: (k: number) => Math.min(20, base.stageAt(k)) };
    const e = await run(capped, SMALL);
    expect(violatedParts(e)).toEqual(['N(0) = s₀, N(K) = s₁ + 1', 'N(k) formula and monotone']);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.time).toBe(1000);
    expect(e.witness?.value).toBe(20);
  });

  it('a curriculum that drops twice is reported at its first drop', async () => {
    // N(300) and N(700) fall back to 2 (from the paper's N(299) and N(699), both > 2)
    const dropping: EmaCurriculum = { ...base, id: 'drops-at-300-and-700', stageAt: (k: number) => (k === 300 || k === 700 ? 2 : base.stageAt(k)) };
    const from = base.stageAt(299);
    expect(from).toBeGreaterThan(2);
    const e = await run(dropping, SMALL);
    expect(violatedParts(e)).toEqual(['N(k) formula and monotone']);
    expect(part(e, 'N(k) formula and monotone').reason).toContain(`N decreases at k = 300 (${from} → 2)`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.time).toBe(300);
    expect(e.witness?.value).toBe(2);
  });
});

describe('song2023.schedules: μ(k)', () => {
  it('for s₀ = 3 the public-code form gives μ(0) = μ₀^{3/2}, and the note says the schedule uses it', async () => {
    const declared = { ...SMALL, s0: 3 };
    const code = ctCurriculumSchedule({ ...declared, emaForm: 'code-off-by-one' });
    const e = await run(code, declared);
    // μ(0) = exp(s₀ log μ₀/(N(0) − 1)) = μ₀^{s₀/(s₀ − 1)} = 0.9^{1.5}
    expect(Math.abs(e.estimates['mu(0)']!.value / 0.9 ** 1.5 - 1)).toBeLessThan(1e-14);
    const note = e.diagnostics.find((d) => d.kind === 'note')!;
    expect(Math.abs((note as { value?: number }).value! / 0.9 ** 1.5 - 1)).toBeLessThan(1e-14);
    expect(note.message).toContain('this schedule uses that form');
    // the summary names the one failing part, with a verb that agrees
    expect(violatedParts(e)).toEqual(['μ(k) = exp(s₀ log μ₀/N(k))']);
    expect(e.reason).toContain('μ(k) = exp(s₀ log μ₀/N(k)) fails (N(0) = 3');
  });
});

describe('song2023.schedules: reason texts of each part', () => {
  it('the paper curriculum: every part holds and its reason states the exact comparison', async () => {
    const e = await run(base, SMALL);
    expect(e.verdict).toBe('holds');
    const gridDefect = e.estimates['grid_defect']!.value;
    expect(gridDefect).toBeLessThanOrEqual(1e-12);
    expect(part(e, 'Karras grid').reason).toBe(`max relative deviation ${gridDefect.toExponential(2)} (rtol 1e-12), endpoints exact, strictly increasing`);
    expect(part(e, 'N(0) = s₀, N(K) = s₁ + 1').reason).toBe('N(0) = 2 (s₀ = 2), N(K) = 21 (s₁ + 1 = 21)');
    expect(part(e, 'N(k) formula and monotone').reason).toBe('N(k) equals the Appendix C formula and never decreases over k = 0…1000');
    expect(part(e, 'μ(k) = exp(s₀ log μ₀/N(k))').reason).toBe('μ(0) = 0.9 (μ₀ = 0.9), max relative deviation from the paper form 0.00e+0 at k = 0, non-decreasing');
    expect(e.reason).toBe(`${base.id}: Karras grids exact to ${gridDefect.toExponential(1)}, N runs 2 → 21 without decreasing, μ(0) = μ₀ = 0.9 and μ(k) follows the paper form.`);
    // the paper form μ(0) = μ₀ is not the public code's μ₀^{s₀/(s₀−1)} = 0.81
    expect(e.diagnostics.find((d) => d.kind === 'note')!.message).toContain('= 0.81 for these constants; this schedule does not');
  });

  it('a grid with two equal consecutive times is not strictly increasing (its ends exact)', async () => {
    const repeated: EmaCurriculum = {
      ...base,
      id: 'one-time-repeated',
      times: (N: number) => {
        const t = base.times(N);
        if (N >= 4) t[2] = t[1]!;
        return t;
      },
    };
    const e = await run(repeated, SMALL);
    expect(violatedParts(e)).toEqual(['Karras grid']);
    expect(part(e, 'Karras grid').reason).toMatch(/^max relative deviation \S+ \(rtol 1e-12\), endpoints exact, not increasing$/);
    expect(e.reason).toMatch(/^one-time-repeated: Karras grid fails \(N\(0\) = 2, N\(K\) = 21, μ\(0\) = 0\.9 vs μ₀ = 0\.9\)\.$/);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    // the witness is the largest deviation: index 2 of a grid with N ≥ 4 points
    expect(e.witness?.description).toMatch(/^grid N = \d+, index 2: relative deviation /);
  });

  it('a monotone curriculum that reaches s₁ + 1 early is a formula mismatch only (N is monotone)', async () => {
    const expected500 = base.stageAt(500);
    expect(expected500).toBeLessThan(21);
    const early: EmaCurriculum = { ...base, id: 'early-final', stageAt: (k: number) => (k >= 500 ? 21 : base.stageAt(k)) };
    const e = await run(early, SMALL);
    expect(violatedParts(e)).toEqual(['N(k) formula and monotone']);
    expect(part(e, 'N(k) formula and monotone').reason).toBe(`N is monotone; first mismatch at k = 500: 21 vs ${expected500}`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.description).toBe(`N(500) = 21, formula ${expected500}`);
    expect(e.witness?.time).toBe(500);
    expect(e.witness?.value).toBe(21);
  });

  it('a drop is also a formula mismatch, and the reason states both', async () => {
    const from = base.stageAt(299);
    const dropping: EmaCurriculum = { ...base, id: 'drops-at-300', stageAt: (k: number) => (k === 300 ? 2 : base.stageAt(k)) };
    const e = await run(dropping, SMALL);
    expect(part(e, 'N(k) formula and monotone').reason).toBe(`N decreases at k = 300 (${from} → 2); first mismatch at k = 300: 2 vs ${base.stageAt(300)}`);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    expect(e.witness?.description).toBe(`N(300) = 2 < N(299) = ${from}`);
  });

  it('a μ(k) that decreases once is reported at that step, and two failing parts take the plural verb', async () => {
    const dip: EmaCurriculum = { ...base, id: 'ema-dip-and-short-grid', emaRate: (k: number) => (k === 400 ? 0.5 : base.emaRate(k)), times: (N: number) => base.times(N).slice(0, N - 1) };
    const e = await run(dip, SMALL);
    expect(violatedParts(e)).toEqual(['Karras grid', 'μ(k) = exp(s₀ log μ₀/N(k))']);
    const paperMu400 = Math.exp((2 * Math.log(0.9)) / base.stageAt(400));
    expect(part(e, 'μ(k) = exp(s₀ log μ₀/N(k))').reason).toBe(`μ(0) = 0.9 (μ₀ = 0.9), max relative deviation from the paper form ${(Math.abs(0.5 - paperMu400) / paperMu400).toExponential(2)} at k = 400, decreases at k = 400`);
    expect(e.reason).toBe('ema-dip-and-short-grid: Karras grid; μ(k) = exp(s₀ log μ₀/N(k)) fail (N(0) = 2, N(K) = 21, μ(0) = 0.9 vs μ₀ = 0.9).');
  });
});

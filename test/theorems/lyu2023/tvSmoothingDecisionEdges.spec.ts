// lyu2023.tvSmoothing beyond its controls: σ is validated at the boundary (named field), the degenerate pairs
// (identical laws: W₁ = TV = 0, ratio 0; C = 0 with distinct laws: ratio ∞), and the summary/witness a user reads,
// with the numbers in closed form (δ₀ vs δ₁ at σ = 1: TV = 2Φ(½) − 1).
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { formatNumber } from '../../../src/index.ts';
import { normalCdf } from '../../../src/numerics/normalDistribution.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { tvSmoothing, type TvSmoothingSubject } from '../../../theorems/lyu2023/tvSmoothing.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-12 });
const diracs = { label: 'δ₀ vs δ₁', a: { mean: 0, sd: 0 }, b: { mean: 1, sd: 0 } };
const run = (s: TvSmoothingSubject) => tvSmoothing.run(s, context());

describe('lyu2023.tvSmoothing edges', () => {
  it('refuses σ ≤ 0, NaN and ∞ and a non-finite or negative C, naming the field', async () => {
    for (const sigma of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await run({ sigma, constant: 0.4, pairs: [diracs] }).catch((e: unknown) => e);
      expect(error, `σ = ${sigma}`).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('sigma');
      expect((error as Error).message).toContain(`got ${sigma}`);
    }
    for (const constant of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await run({ sigma: 1, constant, pairs: [diracs] }).catch((e: unknown) => e);
      expect(error, `C = ${constant}`).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('constant');
    }
  });

  it('identical laws give W₁ = TV = 0 and ratio 0 (holds); C = 0 with distinct laws gives ratio ∞ (violated)', async () => {
    const same = await run({ sigma: 1, constant: 0.4, pairs: [{ label: 'N(1,1) twice', a: { mean: 1, sd: 1 }, b: { mean: 1, sd: 1 } }] });
    expect(same.verdict).toBe('holds');
    expect(same.estimates['ratio_max']!.value).toBe(0);
    const zero = await run({ sigma: 1, constant: 0, pairs: [diracs] });
    expect(zero.verdict).toBe('violated');
    expect(zero.estimates['ratio_max']!.value).toBe(Number.POSITIVE_INFINITY);
  });

  it('names the violated pairs, the max ratio and the witness (closed form TV = 2Φ(½) − 1 at σ = 1)', async () => {
    const tv = 2 * normalCdf(0.5) - 1;
    const tight = { label: 'N(0,1) vs N(½,¼)', a: { mean: 0, sd: 1 }, b: { mean: 0.5, sd: 0.5 } };
    const same = { label: 'N(1,1) twice', a: { mean: 1, sd: 1 }, b: { mean: 1, sd: 1 } };
    const e = await run({ sigma: 1, constant: 0.1, pairs: [same, diracs, { ...diracs, label: 'δ₀ vs δ₂', b: { mean: 2, sd: 0 } }] });
    expect(e.parts.map((p) => p.verdict)).toEqual(['holds', 'violated', 'violated']);
    const ratio = e.estimates['ratio_max']!.value;
    expect(Math.abs(e.estimates['TV_1']!.value / 0.1 - tv / 0.1)).toBeLessThan(1e-12);
    expect(e.reason).toBe(`With C = ${formatNumber(0.1)} the bound fails: δ₀ vs δ₁, δ₀ vs δ₂ (max TV/(C·W₁/σ) = ${formatNumber(ratio)}).`);
    expect(e.parts[1]!.reason).toBe(`TV = ${formatNumber(e.estimates['TV_1']!.value)}, C·W₁/σ = ${formatNumber(0.1)} (W₁ = ${formatNumber(1)}), ratio ${formatNumber(e.estimates['TV_1']!.value / 0.1)}`);
    if (e.verdict !== 'violated') throw new Error('expected violated');
    expect(e.witness!.point).toEqual([0, 0, 1, 0]);
    expect(e.witness!.value).toBeCloseTo(tv / 0.1, 12);
    expect(e.witness!.description).toBe(`δ₀ vs δ₁ at σ = 1: exact TV ${formatNumber(e.estimates['TV_1']!.value)} exceeds C·W₁/σ = ${formatNumber(0.1)}`);

    const holds = await run({ sigma: 2, constant: 1 / Math.sqrt(2 * Math.PI), pairs: [tight, diracs] });
    expect(holds.verdict).toBe('holds');
    // at σ = 2 the bound is C·W₁/σ = C/2 for δ₀ vs δ₁, and TV = 2Φ(1/(2σ)) − 1 = 2Φ(¼) − 1 (closed forms)
    expect(holds.estimates['TV_bound_1']!.value).toBeCloseTo(1 / Math.sqrt(2 * Math.PI) / 2, 14);
    expect(holds.estimates['TV_1']!.value).toBeCloseTo(2 * normalCdf(0.25) - 1, 12);
    expect(holds.reason).toBe(
      `TV of the σ = 2-smoothed laws stays below C·W₁/σ with C = ${formatNumber(1 / Math.sqrt(2 * Math.PI))} on all 2 pairs (max ratio ${formatNumber(holds.estimates['ratio_max']!.value)}; 1 is approached by close Diracs).`,
    );
  });
});

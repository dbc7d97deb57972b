// The decision logic of li2024.schedule near its edges: (27b) violated alone (with (27a) met), the witness of each
// violated part with its value in closed form, and the thresholds the Evidence states.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { scheduleProperties } from '../../../theorems/li2024/schedule.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-12 });
const T = 1000;
/** c₁ log T/T for c₁ = 8, T = 1000: the unit of (27a) and (27b). */
const unit = (8 * Math.log(T)) / T;

describe('li2024.schedule decision edges', () => {
  it('(27b) alone: β₂ = ½c₁ log T/T meets (27a) but β₂/(1−ᾱ₁) = β₂/β₁ is 5·10⁵ units; witness at t = 2', async () => {
    const s = lhwSchedule({ T, c0: 2, c1: 8 }).withBetas({ 2: 0.5 * unit });
    const e = await scheduleProperties.run(s, context());
    expect(e.verdict).toBe('violated');
    expect(e.parts.map((p) => [p.name, p.verdict])).toEqual([
      ['(27a)', 'holds'],
      ['(27b)', 'violated'],
    ]);
    if (e.verdict !== 'violated') throw new Error('unreachable');
    // 1 − ᾱ₁ = β₁ = T^{−c₀} = 10⁻⁶, so the ratio in units of c₁ log T/T is ½/10⁻⁶ (−expm1∘log1p: a few ulps)
    expect(e.witness!.time).toBe(2);
    expect(Math.abs(e.witness!.value - 0.5e6)).toBeLessThanOrEqual(1e-9 * 0.5e6);
    expect(e.witness!.description).toContain('β_2/(1−ᾱ_1)');
    expect(e.estimates['rho_a']!.value).toBeLessThanOrEqual(1);
    expect(Math.abs(e.estimates['rho_b']!.value - 0.5e6)).toBeLessThanOrEqual(1e-9 * 0.5e6);
    expect(e.reason).toMatch(/^\(27b\) fails/);
  });

  it('the spike β₅₀₀ = ½: the witness is (27a) at t = 500 with value β₅₀₀/(c₁ log T/T), and the thresholds are 1, 4, ½, 1 + 4c₁ log T/T', async () => {
    const s = lhwSchedule({ T, c0: 2, c1: 8 }).withBetas({ 500: 0.5 });
    const e = await scheduleProperties.run(s, context());
    if (e.verdict !== 'violated') throw new Error(`expected violated: ${e.reason}`);
    expect(e.witness?.time).toBe(500);
    expect(Math.abs(e.witness!.value - 0.5 / unit)).toBeLessThanOrEqual(1e-12 * (0.5 / unit));
    expect(e.reason).toMatch(/^\(27a\) and \(27b\) fail/);
    const thresholds = Object.fromEntries(e.thresholds.map((t) => [t.symbol, t.value]));
    expect(thresholds['rho_a']).toBe(1);
    expect(thresholds['rho_b']).toBe(4);
    expect(thresholds['rho_b_left']).toBe(0.5);
    expect(Math.abs(thresholds['rho_c']! - (1 + 4 * unit))).toBeLessThanOrEqual(1e-15);
  });

  it('holds on form (23) and says which (c₀, c₁) it matched', async () => {
    const e = await scheduleProperties.run(lhwSchedule({ T: 300, c0: 2, c1: 8 }), context());
    expect(e.verdict).toBe('holds');
    expect(e.parts.every((p) => p.verdict === 'holds')).toBe(true);
    expect(e.diagnostics.some((d) => /of form \(23\) \(report indexing\)/.test(d.message))).toBe(true);
  });

  it('shows (27c) and the left half of (27b), which every schedule meets, in a note with their realised values, and decides only (27a) and (27b)', async () => {
    const s = lhwSchedule({ T: 300, c0: 2, c1: 8 });
    const e = await scheduleProperties.run(s, context());
    expect(e.parts.map((p) => p.name)).toEqual(['(27a)', '(27b)']);
    // 1 − ᾱ_t from the β_t by an independent product
    let alphaBar = 1;
    const noise: number[] = [0];
    for (let t = 1; t <= 300; t++) {
      alphaBar *= 1 - s.betas[t]!;
      noise.push(1 - alphaBar);
    }
    let ratioMax = 0;
    let growthMin = Infinity;
    for (let t = 2; t <= 300; t++) {
      ratioMax = Math.max(ratioMax, noise[t - 1]! / noise[t]!);
      growthMin = Math.min(growthMin, noise[t]! / noise[t - 1]!);
    }
    expect(ratioMax).toBeLessThanOrEqual(1);
    expect(growthMin).toBeGreaterThanOrEqual(1);
    expect(e.estimates['rho_c']!.value).toBeCloseTo(ratioMax, 12);
    expect(e.estimates['rho_b_left']!.value).toBeCloseTo(growthMin, 12);
    const note = e.diagnostics.find((d) => d.message.startsWith('(27c) and the left side of (27b) hold for every schedule'))!;
    expect(note.message).toContain(ratioMax.toPrecision(6));
    expect(note.message).toContain(growthMin.toPrecision(6));
  });
});

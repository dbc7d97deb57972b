import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { defineCheck } from '../../../src/checks/defineCheck.ts';
import { makeEvidence, provenanceOf, type Evidence, type EvidenceBody, type VerdictExtras } from '../../../src/checks/evidence.ts';
import { assertEvidenceContract, EvidenceContractError, reportsSymbol } from '../../../src/checks/evidenceContract.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const provenance = provenanceOf(rngFromSeed(1));
const estimate = { value: 1, interval: { lower: 0.5, upper: 1.5, level: 0.95 }, method: 'clt-mean' as const, n: 10 };

function evidence(body: Partial<EvidenceBody> = {}, extras: VerdictExtras = { verdict: 'holds' }): Evidence {
  return makeEvidence('p2024.lemma1', provenance, { estimates: { x: estimate }, reason: 'x ≤ 1', ...body }, extras);
}

/** The field the contract names, or undefined when the Evidence passes. */
function refusedField(e: Evidence, checkId = 'p2024.lemma1'): string | undefined {
  try {
    assertEvidenceContract(checkId, e);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(EvidenceContractError);
    expect((error as EvidenceContractError).code).toBe('E_EVIDENCE_CONTRACT');
    return (error as EvidenceContractError).field;
  }
}

describe('the Evidence contract', () => {
  it('passes well-formed Evidence unchanged, with ±∞ interval ends (a sup lower bound) and NaN estimates', () => {
    const e = evidence({ estimates: { L: { value: 3, interval: { lower: 3, upper: Infinity, level: 0.95 }, method: 'exact', n: 1, supLowerBound: true }, nan: { ...estimate, value: Number.NaN } } });
    expect(assertEvidenceContract('p2024.lemma1', e)).toBe(e);
  });

  it('refuses an empty reason, part name or part reason, note, witness description or threshold symbol, naming the field', () => {
    expect(refusedField(evidence({ reason: '  ' }))).toBe('p2024.lemma1: Evidence.reason');
    expect(refusedField(evidence({ parts: [{ name: '', verdict: 'holds', reason: 'r' }] }))).toBe('p2024.lemma1: Evidence.parts.0.name');
    expect(refusedField(evidence({ parts: [{ name: 'a', verdict: 'holds', reason: 'r' }, { name: 'b', verdict: 'holds', reason: '' }] }))).toBe('p2024.lemma1: Evidence.parts.1.reason');
    expect(refusedField(evidence({ diagnostics: [{ kind: 'note', message: '' }] }))).toBe('p2024.lemma1: Evidence.diagnostics.0.message');
    expect(refusedField(evidence({}, { verdict: 'violated', witness: { description: '', value: 2 } }))).toBe('p2024.lemma1: Evidence.witness.description');
    expect(refusedField(evidence({ thresholds: [{ symbol: '', value: 1, side: 'upper' }] }))).toBe('p2024.lemma1: Evidence.thresholds.0.symbol');
  });

  it('refuses an interval whose lower end is above its upper end, and a plot series whose x and y differ in length', () => {
    expect(refusedField(evidence({ estimates: { x: { ...estimate, interval: { lower: 2, upper: 1, level: 0.95 } } } }))).toBe('p2024.lemma1: Evidence.estimates.x');
    const plot = { id: 'p', title: 'P', mark: 'line' as const, x: { label: 'x', scale: 'linear' as const }, y: { label: 'y', scale: 'linear' as const }, series: [{ name: 's', x: [1, 2], y: [1] }] };
    expect(refusedField(evidence({ plots: [plot] }))).toBe('p2024.lemma1: Evidence.plots.0.series.0');
    expect(refusedField(evidence({ plots: [{ ...plot, series: [{ name: 's', x: [1, 2], y: [1, 2] }] }] }))).toBeUndefined();
    expect(refusedField(evidence({ plots: [{ ...plot, series: [{ name: 's', x: [1, 2], y: [1, 2], lower: [0] }] }] }))).toBe('p2024.lemma1: Evidence.plots.0.series.0');
  });

  it('refuses unknown note kinds, threshold sides, plot marks and axis scales, and unlabelled axes', () => {
    const plot = { id: 'p', title: 'P', mark: 'line' as const, x: { label: 'x', scale: 'linear' as const }, y: { label: 'y', scale: 'log' as const }, series: [{ name: 's', x: [1], y: [1] }] };
    const as = <T,>(v: unknown) => v as T;
    expect(refusedField(evidence({ diagnostics: [{ kind: as('remark'), message: 'm' }] }))).toBe('p2024.lemma1: Evidence.diagnostics.0.kind');
    expect(refusedField(evidence({ thresholds: [{ symbol: 'x', value: 1, side: as('') }] }))).toBe('p2024.lemma1: Evidence.thresholds.0.side');
    expect(refusedField(evidence({ plots: [{ ...plot, mark: as('') }] }))).toBe('p2024.lemma1: Evidence.plots.0.mark');
    expect(refusedField(evidence({ plots: [{ ...plot, y: { label: 'y', scale: as('') } }] }))).toBe('p2024.lemma1: Evidence.plots.0.y.scale');
    expect(refusedField(evidence({ plots: [{ ...plot, x: { label: '', scale: 'linear' } }] }))).toBe('p2024.lemma1: Evidence.plots.0.x.label');
    expect(refusedField(evidence({ plots: [plot], diagnostics: [{ kind: 'monte-carlo-error', message: 'm' }], thresholds: [{ symbol: 'x', value: 1, side: 'lower' }] }))).toBeUndefined();
  });

  it('refuses a verdict its parts do not combine to, on each side, and Evidence that names another check', () => {
    const part = (verdict: 'holds' | 'violated' | 'inconclusive') => ({ name: verdict, verdict, reason: 'r' });
    expect(refusedField(evidence({ parts: [part('holds'), part('violated')] }, { verdict: 'holds' }))).toBe('p2024.lemma1: Evidence.verdict');
    expect(refusedField(evidence({ parts: [part('holds'), part('inconclusive')] }, { verdict: 'holds' }))).toBe('p2024.lemma1: Evidence.verdict');
    expect(refusedField(evidence({ parts: [part('holds'), part('holds')] }, { verdict: 'violated' }))).toBe('p2024.lemma1: Evidence.verdict');
    expect(refusedField(evidence({ parts: [part('inconclusive'), part('violated')] }, { verdict: 'violated' }))).toBeUndefined();
    expect(refusedField(evidence({ parts: [part('holds'), part('inconclusive')] }, { verdict: 'inconclusive' }))).toBeUndefined();
    expect(refusedField(evidence(), 'p2024.lemma2')).toBe('p2024.lemma2: Evidence.checkId');
  });

  it('is applied by defineCheck to every run: a check that returns an empty reason fails where it runs', async () => {
    const check = defineCheck<number>({
      id: 'p2024.lemma1',
      kind: 'lemma',
      title: 'A lemma',
      claim: 'x ≤ 1',
      source: { paper: 'p2024', label: 'Lemma 1' },
      dependsOn: [],
      constants: [],
      subject: 'distribution',
      design: { estimand: 'x', decision: 'exact', falseFailRate: 1e-3 },
      controls: [
        { name: 'small', description: 'x = 0', expected: 'holds', build: () => 0 },
        { name: 'large', description: 'x = 2', expected: 'violated', build: () => 2 },
      ],
      async run(x, ctx) {
        return makeEvidence('p2024.lemma1', provenanceOf(ctx.rng), { estimates: {}, reason: x <= 1 ? 'x ≤ 1' : '' }, x <= 1 ? { verdict: 'holds' } : { verdict: 'violated' });
      },
    });
    const ctx = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 });
    expect((await check.run(0, ctx())).verdict).toBe('holds');
    await expect(check.run(2, ctx())).rejects.toThrow(/p2024\.lemma1: Evidence\.reason/);
  });

  it('given the declared constants, refuses an estimate that reports none of them, listing every such key', () => {
    const estimates = { x: estimate, 'x[ct]': estimate, x_7: estimate, q_104: estimate, y: estimate, z: estimate };
    expect(() => assertEvidenceContract('p2024.lemma1', evidence({ estimates }), ['x', 'q_t'])).toThrow("'y', 'z' are not among the constants the check declares (x, q_t)");
    expect(() => assertEvidenceContract('p2024.lemma1', evidence({ estimates: { y: estimate } }), [])).toThrow("'y' is not among the constants the check declares (none)");
    expect(assertEvidenceContract('p2024.lemma1', evidence({ estimates }), ['x', 'q_t', 'y', 'z']).estimates).toBe(estimates);
    // without a list (a caller that has none) only the shape is checked
    expect(refusedField(evidence({ estimates }))).toBeUndefined();
  });

  it('matches an estimate key to a declared symbol: itself, indexed by [label] or _value, or a member of a one-letter-index family', () => {
    expect(reportsSymbol('D_T', 'D_T')).toBe(true);
    expect(reportsSymbol('D_T_256', 'D_T')).toBe(true);
    expect(reportsSymbol('mean_order[ct]', 'mean_order')).toBe(true);
    expect(reportsSymbol('q_104', 'q_t')).toBe(true);
    expect(reportsSymbol('W2_0', 'W2_k')).toBe(true);
    expect(reportsSymbol('c_5_hat', 'c_5')).toBe(true);
    expect(reportsSymbol('mean_error', 'mean_order')).toBe(false);
    expect(reportsSymbol('q', 'q_t')).toBe(false);
    expect(reportsSymbol('Lf', 'L_f')).toBe(false);
    expect(reportsSymbol('spread[ct]', 'spread_order')).toBe(false);
    expect(reportsSymbol('c_56', 'c_5')).toBe(false);
    // a study's keys: <subject>.<symbol>[.<derived>]@<setting>
    expect(reportsSymbol('l1.w_N@N=40', 'w_N')).toBe(true);
    expect(reportsSymbol('ring8-2d.L_f.slope', 'L_f')).toBe(true);
    expect(reportsSymbol('cd-exact (10 steps).W2_up@t=0.5.seed1', 'W2_up')).toBe(true);
    expect(reportsSymbol('cd-exact (10 steps).W2_up@t=0.5.seed1', 'seed1')).toBe(false);
    expect(reportsSymbol('l1.w_star', 'w_N')).toBe(false);
  });

  it('is applied by defineCheck with the check\'s constants: a check that reports an undeclared estimate fails where it runs', async () => {
    const check = defineCheck<number>({
      id: 'p2024.lemma1',
      kind: 'lemma',
      title: 'A lemma',
      claim: 'x ≤ 1',
      source: { paper: 'p2024', label: 'Lemma 1' },
      dependsOn: [],
      constants: [{ symbol: 'x', meaning: 'the value', role: 'estimated' }],
      subject: 'distribution',
      design: { estimand: 'x', decision: 'exact', falseFailRate: 1e-3 },
      controls: [
        { name: 'small', description: 'x = 0', expected: 'holds', build: () => 0 },
        { name: 'large', description: 'x = 2', expected: 'violated', build: () => 2 },
      ],
      async run(x, ctx) {
        return makeEvidence('p2024.lemma1', provenanceOf(ctx.rng), { estimates: x > 1 ? { x: estimate, extra: estimate } : { x: estimate }, reason: 'x ≤ 1' }, { verdict: 'holds' });
      },
    });
    const ctx = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 });
    expect((await check.run(0, ctx())).verdict).toBe('holds');
    await expect(check.run(2, ctx())).rejects.toThrow(/'extra' is not among the constants/);
  });
});

import { describe, expect, it } from 'vitest';
import { defineCheck, type Check } from '../../../src/checks/defineCheck.ts';
import { makeEvidence, provenanceOf } from '../../../src/checks/evidence.ts';
import { ValidationError } from '../../../src/core/errors.ts';

function spec(overrides: Partial<Check<number>> = {}): Check<number> {
  return {
    id: 'p2024.lemma1',
    kind: 'lemma',
    title: 'A lemma',
    claim: 'x ≤ 1',
    source: { paper: 'p2024', label: 'Lemma 1' },
    dependsOn: [],
    constants: [{ symbol: 'x', meaning: 'the subject', role: 'assumed' }],
    subject: 'distribution',
    design: { estimand: 'x', decision: 'exact', falseFailRate: 1e-3 },
    controls: [
      { name: 'small', description: 'x = 0', expected: 'holds', build: () => 0 },
      { name: 'large', description: 'x = 2', expected: 'violated', build: () => 2 },
    ],
    async run(x, ctx) {
      return makeEvidence('p2024.lemma1', provenanceOf(ctx.rng), { estimates: {}, reason: 'r' }, x <= 1 ? { verdict: 'holds' } : { verdict: 'violated' });
    },
    ...overrides,
  };
}

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  return undefined;
}

describe('defineCheck', () => {
  it('returns the (frozen) check when the metadata is valid', () => {
    const c = defineCheck(spec());
    expect(c.id).toBe('p2024.lemma1');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each<[string, Partial<Check<number>>, string]>([
    ['a malformed id', { id: 'lemma1' as never }, 'lemma1.id'],
    ['an unknown kind', { kind: 'conjecture' as never }, 'p2024.lemma1.kind'],
    ['an empty claim', { claim: ' ' }, 'p2024.lemma1.claim'],
    ['a paper key that is not lower-case', { source: { paper: 'Li2024', label: 'L' } }, 'p2024.lemma1.source.paper'],
    ['a malformed dependency', { dependsOn: ['nodot' as never] }, 'p2024.lemma1.dependsOn.0'],
    ['a self-dependency', { dependsOn: ['p2024.lemma1'] }, 'p2024.lemma1.dependsOn'],
    ['a false-fail rate outside (0, 1)', { design: { estimand: 'x', decision: 'exact', falseFailRate: 0 } }, 'p2024.lemma1.design.falseFailRate'],
    ['no violated control', { controls: [{ name: 'small', description: 'd', expected: 'holds', build: () => 0 }] }, 'p2024.lemma1.controls'],
    ['no holds control', { controls: [{ name: 'large', description: 'd', expected: 'violated', build: () => 2 }] }, 'p2024.lemma1.controls'],
    [
      'a duplicated control name',
      {
        controls: [
          { name: 'a', description: 'd', expected: 'holds', build: () => 0 },
          { name: 'a', description: 'd', expected: 'violated', build: () => 2 },
        ],
      },
      'p2024.lemma1.controls',
    ],
    ['a control name that does not name a defect', { controls: [{ name: 'Bad 1', description: 'd', expected: 'holds', build: () => 0 }, { name: 'b', description: 'd', expected: 'violated', build: () => 0 }] }, 'p2024.lemma1.controls.0.name'],
    ['a duplicated constant symbol', { constants: [{ symbol: 'x', meaning: 'a', role: 'assumed' }, { symbol: 'x', meaning: 'b', role: 'estimated' }] }, 'p2024.lemma1.constants'],
  ])('rejects %s, naming the field', (_title, overrides, field) => {
    expect(fieldOf(() => defineCheck(spec(overrides)))).toBe(field);
  });
});

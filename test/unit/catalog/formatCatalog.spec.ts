import { describe, expect, it } from 'vitest';
import { wrapGroups, wrapWords } from '../../../src/catalog/formatCatalog.ts';

describe('wrapWords / wrapGroups', () => {
  it('wraps at spaces within the width and keeps every word', () => {
    const text = 'li2024 Error recursion and Lemmas 3–5 (34) report / (26) arXiv v1; (46), (52)';
    const lines = wrapWords(text, 20);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines.join(' ')).toBe(text);
    expect(wrapWords('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });

  it('breaks between groups before breaking inside one', () => {
    expect(wrapGroups(['a/b.ts:1', 'controls 1/3', 'depends on x, y'], 26)).toEqual(['a/b.ts:1 · controls 1/3', 'depends on x, y']);
    expect(wrapGroups(['a/b.ts:1', 'controls 1/3', 'depends on x, y'], 60)).toEqual(['a/b.ts:1 · controls 1/3 · depends on x, y']);
    expect(wrapGroups(['depends on alpha, beta, gamma'], 12)).toEqual(['depends on', 'alpha, beta,', 'gamma']);
  });
});

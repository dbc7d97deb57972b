import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatStatementsMarkdown } from '../../src/index.ts';
import { allChecks } from '../../theorems/index.ts';
import { papers } from '../../theorems/papers.ts';

describe('docs/statements.md', () => {
  it('is what the checks declare (regenerate with `npm run docs:statements`)', () => {
    const expected = formatStatementsMarkdown(allChecks, papers);
    const committed = readFileSync(new URL('../../docs/statements.md', import.meta.url), 'utf8');
    // compared line by line so that a failure names the first statement that differs
    const want = expected.split('\n');
    const have = committed.split('\n');
    const first = want.findIndex((line, i) => line !== have[i]);
    expect(first === -1 && want.length === have.length ? 'up to date' : `line ${first + 1} differs: expected ${JSON.stringify(want[first])}, found ${JSON.stringify(have[first])}; run npm run docs:statements`).toBe('up to date');
  });

  it('lists every statement once, with its claim, constants, design and controls', () => {
    const text = formatStatementsMarkdown(allChecks, papers);
    for (const check of allChecks) {
      expect(text.split(`## \`${check.id}\` — `).length - 1).toBe(1);
      expect(text).toContain(`**Claim.** ${check.claim}`);
      for (const c of check.constants) expect(text).toContain(`| \`${c.symbol.replace(/\|/g, '\\|')}\` | ${c.role} |`);
      for (const c of check.controls) expect(text).toContain(`| \`${c.name}\` | ${c.expected} |`);
    }
    // a pipe inside a cell is escaped, so a table row keeps its three columns
    expect(text).toContain('| `E\\|Z\\|^2_sup` | estimated |');
  });
});

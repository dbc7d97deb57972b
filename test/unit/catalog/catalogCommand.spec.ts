import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';

let dir = '';
afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  return { out: () => out, err: () => err };
}

describe('cmbounds catalog', () => {
  it('lists the real theorems folder as JSON and lints it clean (exit 0)', async () => {
    const io = capture();
    const code = await main(['node', 'cmbounds', 'catalog', '--json', '--lint']);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out()) as { entries: { id: string }[]; problems: unknown[] };
    expect(doc.entries.map((e) => e.id)).toContain('li2024.theorem1');
    expect(doc.problems).toEqual([]);
  });

  it('exits non-zero with `error: …` and one line per problem when the lint fails', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmbounds-catalog-cli-'));
    mkdirSync(join(dir, 'p2024'));
    writeFileSync(join(dir, 'papers.ts'), 'export const papers = { p2024: {} };\n');
    writeFileSync(join(dir, 'index.ts'), '\n');
    writeFileSync(join(dir, 'p2024', 'lemma1.ts'), "defineCheck({ id: 'p2024.lemma1', kind: 'lemma', title: 't', source: { paper: 'p2024', label: 'L' }, dependsOn: [], controls: [] });\n");
    const io = capture();
    const code = await main(['node', 'cmbounds', 'catalog', '--lint', '--dir', dir]);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/\[missing-holds-control\]/);
    expect(io.err()).toMatch(/\[index-not-listing-file\]/);
    expect(io.err()).toMatch(/^error: .*catalog lint found/m);
  });
});

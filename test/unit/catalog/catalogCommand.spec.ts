import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../../../src/catalog/buildCatalog.ts';
import { DEFAULT_THEOREMS_DIR } from '../../../src/cli/commands/catalog.ts';
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
  it('lists the real theorems folder as JSON and lints it, with the studies\' checks, clean (exit 0)', { timeout: 60_000 }, async () => {
    const io = capture();
    const code = await main(['node', 'cmbounds', 'catalog', '--json', '--lint']);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out()) as { entries: { id: string }[]; problems: unknown[]; studies?: unknown };
    expect(doc.entries.map((e) => e.id)).toContain('li2024.theorem1');
    expect(doc.problems).toEqual([]);
    // linted, not listed: the studies' checks are listed with --studies only
    expect(doc.studies).toBeUndefined();
  });

  it('with --studies lists the studies\' checks too, and lints them with the theorems (no findings)', { timeout: 60_000 }, async () => {
    const io = capture();
    const code = await main(['node', 'cmbounds', 'catalog', '--studies', '--json', '--lint']);
    const doc = JSON.parse(io.out()) as { entries: { id: string }[]; studies: { entries: { id: string; file: string }[] }; problems: { rule: string; id?: string }[] };
    expect(doc.entries.map((e) => e.id)).toContain('li2024.theorem1');
    expect(doc.studies.entries.map((e) => e.id).sort()).toEqual([
      'studies.constantsInT', 'studies.ctLossModeWeight', 'studies.ctTrainedBudget', 'studies.multistepBestTimes', 'studies.pdeBoundTrained',
      'studies.theorem1RateInD', 'studies.theorem1RateInLf', 'studies.theorem1RateInT', 'studies.theorem1TrainedInT',
    ]);
    expect(doc.studies.entries.find((e) => e.id === 'studies.ctTrainedBudget')?.file).toBe('studies/_ctTrained.ts');
    expect(doc.problems).toEqual([]);
    expect(code).toBe(0);
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

  it.each([80, 100, 120])('fits a %i-column terminal: no line is wider, and every id and file:line is listed', async (width) => {
    const io = capture();
    const code = await main(['node', 'cmbounds', 'catalog', '--width', String(width)]);
    expect(code).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    const widest = Math.max(...lines.map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(width);
    // the table uses the room it is given (not a fixed narrow layout)
    expect(widest).toBeGreaterThan(width - 10);
    for (const e of buildCatalog(DEFAULT_THEOREMS_DIR).entries) {
      expect(io.out()).toContain(e.id);
      expect(io.out()).toContain(`${e.file}:${e.line}`);
    }
  });

  it('uses 100 columns when stdout is not a terminal, and refuses a --width outside 60–120 naming the option', async () => {
    const io = capture();
    expect(await main(['node', 'cmbounds', 'catalog'])).toBe(0);
    expect(Math.max(...io.out().trimEnd().split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    const bad = capture();
    expect(await main(['node', 'cmbounds', 'catalog', '--width', '30'])).not.toBe(0);
    expect(bad.err()).toMatch(/--width: must be a whole number of columns from 60 to 120, got '30'/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/buildCatalog.ts';
import { lintCatalog } from '../../../src/catalog/lintCatalog.ts';
import { DEFAULT_THEOREMS_DIR, formatProblem } from '../../../src/cli/commands/catalog.ts';
import { allChecks } from '../../../theorems/index.ts';

describe('the theorems/ catalog', () => {
  const catalog = buildCatalog(DEFAULT_THEOREMS_DIR);

  it('passes the catalog lint (the same rules as `cmbounds catalog --lint`)', () => {
    const problems = lintCatalog(catalog);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('lists statically exactly the checks the registry exports at runtime, with the same metadata', () => {
    const runtime = allChecks.map((c) => ({ id: c.id, kind: c.kind, dependsOn: [...c.dependsOn], paper: c.source.paper, controls: c.controls.length }));
    const fromSource = catalog.entries.map((e) => ({ id: e.id, kind: e.kind, dependsOn: [...e.dependsOn], paper: e.source.paper, controls: e.controls.names.length }));
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    expect(fromSource.sort(byId)).toEqual(runtime.sort(byId));
  });
});

import { describe, expect, it } from 'vitest';
import { buildCatalog, readStudyChecks } from '../../../src/catalog/buildCatalog.ts';
import { lintCatalog } from '../../../src/catalog/lintCatalog.ts';
import { DEFAULT_THEOREMS_DIR } from '../../../src/cli/commands/catalog.ts';
import { builtInTarget, type AnyCheck } from '../../../src/index.ts';
import { suites } from '../../../suites/index.ts';

const STUDIES_DIR = new URL('../../../studies', import.meta.url).pathname;

async function studyChecksAtRuntime(): Promise<AnyCheck[]> {
  const request = { target: builtInTarget('bimodal-1d'), targetName: 'bimodal-1d', seed: 1 };
  const studySuites = ['theorem1-rates', 'constants', 'ct-vs-cd', 'multistep', 'pde-residual'];
  const checks = new Map<string, AnyCheck>();
  for (const name of studySuites) for (const check of (await suites[name]!(request)).checks) if (check.id.startsWith('studies.')) checks.set(check.id, check);
  return [...checks.values()];
}

describe('the studies\' checks in the one registry', () => {
  const studies = readStudyChecks(STUDIES_DIR);
  const theorems = buildCatalog(DEFAULT_THEOREMS_DIR);

  it('reads every study check statically: literal ids, kinds, dependencies and controls, as the suites run them', { timeout: 120_000 }, async () => {
    expect(studies.readProblems).toEqual([]);
    const runtime = (await studyChecksAtRuntime()).map((c) => ({ id: c.id, kind: c.kind, dependsOn: [...c.dependsOn], paper: c.source.paper, controls: c.controls.map((k) => k.name) }));
    const fromSource = studies.entries.map((e) => ({ id: e.id, kind: e.kind, dependsOn: [...e.dependsOn], paper: e.source.paper, controls: [...e.controls.names] }));
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    expect(runtime.length).toBe(9);
    expect(fromSource.sort(byId)).toEqual(runtime.sort(byId));
  });

  // Study module docs follow their own outline (Question, Measurement, Controls, References), so the statement-doc
  // sections are not required of them.
  it('passes the catalog lint together with theorems/ (ids, kinds, dependencies, controls)', () => {
    const problems = lintCatalog([...theorems.entries, ...studies.entries], { requiredDocSections: [] }).filter((p) => p.id?.startsWith('studies.'));
    expect(problems.map((p) => `${p.rule} ${p.id}`)).toEqual([]);
  });

  it('the lint sees a study declared a theorem without an assumption (the rule the sweeps meet by declaring hypotheses)', () => {
    const sweep = studies.entries.find((e) => e.id === 'studies.theorem1RateInT')!;
    const problems = lintCatalog([...theorems.entries, { ...sweep, dependsOn: [] }], { requiredDocSections: [] }).filter((p) => p.id === sweep.id);
    expect(problems.map((p) => p.rule)).toEqual(['theorem-without-assumption']);
  });
});

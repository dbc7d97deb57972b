import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditConfigSchema } from '../../../src/audit/auditConfig.ts';
import { runAudit, StaticValidationError } from '../../../src/audit/runAudit.ts';
import { auditBattery } from '../../../suites/audit.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-run-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const srcIndex = path.resolve('src/index.ts');

/** The tiniest audit: affine class, a few grid nodes' worth of samples, one cheap rung. */
function tiny(variant: string, extra: Record<string, unknown> = {}) {
  return auditConfigSchema.parse({ variant, functionClass: 'affine', steps: 4, samplesPerNode: 32, n: 32, checkSamples: 100, targets: ['bimodal-1d'], builtIns: ['cd-exact'], controls: false, seeds: 1, ...extra });
}

describe('runAudit', () => {
  it('trains nothing when the static validation fails', async () => {
    let cells = 0;
    const error = await runAudit(tiny('examples/variants/brokenMissingMakePairs.ts'), auditBattery, { onCellStart: () => (cells += 1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaticValidationError);
    expect((error as StaticValidationError).problems.map((p) => p.member).sort()).toEqual(['variant.makePairs', 'variant.teacherEmaRate']);
    expect((error as Error).message).toMatch(/nothing was trained/);
    expect(cells).toBe(0);
  });

  it('falls back on the runtime shape check when the export has no static type', async () => {
    const file = path.join(dir, 'untyped.js');
    writeFileSync(file, `export default JSON.parse('{"id": "untyped", "title": "built from JSON"}');\n`);
    let cells = 0;
    let notes: readonly string[] = [];
    const error = await runAudit(tiny(file), auditBattery, { onCellStart: () => (cells += 1), onStaticValidation: (v) => (notes = v.notes) }).catch((e: unknown) => e);
    expect(notes.join(' ')).toMatch(/could not be resolved \(any\); relying on the runtime shape check/);
    expect((error as Error).message).toMatch(/variant\.makePairs: missing \(expected a function\)/);
    expect((error as Error).message).toMatch(/variant\.schedule: missing/);
    expect(cells).toBe(0);
  });

  it('records a variant whose fit goes non-finite as a failed cell and audits the built-ins regardless', async () => {
    const file = path.join(dir, 'nanPairs.ts');
    writeFileSync(
      file,
      [
        `import { karrasSchedule, sharedNoisePairs, squaredL2Loss, uniformIndexSampler, type TrainingVariant, type VariantFactoryContext } from '${srcIndex}';`,
        'export default function nanPairs({ process }: VariantFactoryContext): TrainingVariant {',
        '  const loss = squaredL2Loss();',
        '  return {',
        "    id: 'nan-pairs',",
        "    title: 'student inputs poisoned with NaN',",
        '    schedule: karrasSchedule({ N: 6, tMin: process.tMin, tMax: process.tMax }),',
        '    indexSampler: uniformIndexSampler(),',
        '    loss,',
        '    teacherEmaRate: () => 0.9,',
        '    makePairs: (x0, times, indices, ctx, rng) => {',
        '      const p = sharedNoisePairs(x0, times, indices, ctx.process, loss, rng);',
        '      p.studentX.data.fill(Number.NaN);',
        '      return p;',
        '    },',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
    const run = await runAudit(tiny(file), auditBattery);
    const [user, cd] = run.comparison.cells;
    expect(user).toMatchObject({ variant: 'nan-pairs', role: 'user', status: 'failed' });
    // the least-squares fit of the first grid node sees NaN inputs and says so
    expect(user!.error).toMatch(/^node\[1\]: .*NaN/);
    expect(cd).toMatchObject({ variant: 'cd-exact', status: 'trained', boundaryError: 0 });
    const modelChecks = ['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1', 'lyu2023.consistencyError', 'lyu2023.modelLipschitz', 'lyu2023.multistep', 'lyu2023.oneStep', 'lyu2023.scoreError', 'song2023.multistepSampling', 'song2023.pdeResidual'];
    expect(cd!.verdicts.map((v) => v.statement).sort()).toEqual(modelChecks);
    expect(run.comparison.comparisons).toEqual([]);
    // only the trained model gets battery entries, one per model-level check, with audit-qualified ids
    expect(run.entries.map((e) => e.statement.id).sort()).toEqual(modelChecks.map((id) => `${id}[cd-exact@bimodal-1d]`));
  });

  it('records a factory that throws as a failed row naming the variant and the module, and goes on with the audit', async () => {
    const file = path.join(dir, 'refusingFactory.ts');
    writeFileSync(
      file,
      [
        `import { karrasSchedule, sharedNoisePairs, squaredL2Loss, uniformIndexSampler, type TrainingVariant, type VariantFactoryContext } from '${srcIndex}';`,
        'export default function refusing({ process, target }: VariantFactoryContext): TrainingVariant {',
        "  if (target.dim > 1) throw new Error('factory refuses d > 1');",
        '  const loss = squaredL2Loss();',
        '  return {',
        "    id: 'refusing',",
        "    title: 'refuses targets with d > 1',",
        '    schedule: karrasSchedule({ N: 6, tMin: process.tMin, tMax: process.tMax }),',
        '    indexSampler: uniformIndexSampler(),',
        '    loss,',
        '    teacherEmaRate: () => 0.9,',
        '    makePairs: (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, loss, rng),',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
    const run = await runAudit(tiny(file, { targets: ['bimodal-1d', 'ring8-2d'] }), undefined);
    const byCell = new Map(run.comparison.cells.map((c) => [`${c.variant}@${c.target}`, c]));
    expect(byCell.get('refusing@bimodal-1d')).toMatchObject({ role: 'user', status: 'trained' });
    const failed = byCell.get('refusing@ring8-2d')!;
    expect(failed).toMatchObject({ role: 'user', status: 'failed' });
    expect(failed.error).toBe(`variant refusing: the factory of '${file}' threw on target ring8-2d: factory refuses d > 1`);
    // the built-in is audited on both rungs regardless
    expect(byCell.get('cd-exact@ring8-2d')).toMatchObject({ status: 'trained' });
    expect(byCell.get('cd-exact@bimodal-1d')).toMatchObject({ status: 'trained' });

    // a factory that throws on every rung: the row is named by the module's file name
    const always = path.join(dir, 'alwaysThrows.ts');
    writeFileSync(always, `import type { TrainingVariant, VariantFactoryContext } from '${srcIndex}';\nexport default function alwaysThrows(_ctx: VariantFactoryContext): TrainingVariant {\n  throw new Error('factory refuses');\n}\n`);
    const none = await runAudit(tiny(always), undefined);
    expect(none.comparison.cells.map((c) => [c.variant, c.status])).toEqual([['alwaysThrows.ts', 'failed'], ['cd-exact', 'trained']]);
    expect(none.comparison.cells[0]!.error).toBe(`variant alwaysThrows.ts: the factory of '${always}' threw on target bimodal-1d: factory refuses`);
  });
});

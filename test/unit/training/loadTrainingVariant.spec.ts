import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { loadTrainingVariant } from '../../../src/training/loadTrainingVariant.ts';
import { validateTrainingVariant } from '../../../src/training/trainingVariant.ts';
import { consistencyTrainingVariant } from '../../../src/training/variants/consistencyTraining.ts';

const process = varianceExploding();
const ctx = { process, target: builtInTarget('bimodal-1d'), steps: 100 };
const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-variant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validateTrainingVariant', () => {
  it('accepts the built-in variants', () => {
    expect(validateTrainingVariant(consistencyTrainingVariant(process, { totalSteps: 10 })).id).toBe('ct');
  });

  it('names every missing or mistyped member', () => {
    const ct = consistencyTrainingVariant(process, { totalSteps: 10 });
    const broken = { ...ct, makePairs: undefined, teacherEmaRate: 0.5, loss: { ...ct.loss, tensorDistanceAndGradient: undefined } };
    expect(() => validateTrainingVariant(broken, "'mine.ts'")).toThrow(
      /'mine.ts' is not a valid TrainingVariant: variant.teacherEmaRate: expected a function, got number; variant.makePairs: missing \(expected a function\); variant.loss.tensorDistanceAndGradient: missing/,
    );
    expect(() => validateTrainingVariant(42)).toThrow(/does not export a TrainingVariant object/);
  });
});

describe('loadTrainingVariant', () => {
  it('loads the worked example under examples/ and validates it', async () => {
    const v = await loadTrainingVariant('examples/variants/lognormalCt.ts', ctx);
    expect(v.id).toBe('example-lognormal-ct');
    expect(v.schedule.times(v.schedule.stageAt(0))).toHaveLength(40);
  });

  it('names what a user module is missing', async () => {
    const file = path.join(dir, 'incomplete.mjs');
    writeFileSync(file, "export const variant = { id: 'half', title: 'half a variant' };\n");
    await expect(loadTrainingVariant(file, ctx)).rejects.toThrow(/variant.schedule: missing .*variant.makePairs: missing/);
    const none = path.join(dir, 'none.mjs');
    writeFileSync(none, 'export const other = 1;\n');
    await expect(loadTrainingVariant(none, ctx)).rejects.toThrow(/exports neither `default` nor `variant` \(found: other\)/);
    await expect(loadTrainingVariant(path.join(dir, 'absent.ts'), ctx)).rejects.toThrow(/no such module/);
  });
});

import { describe, expect, it } from 'vitest';
import { AUDIT_BUILT_INS } from '../../../src/audit/auditConfig.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { BUILT_IN_VARIANT_NAMES, builtInTrainingVariant, isBuiltInVariantName } from '../../../src/training/builtInVariants.ts';
import { validateTrainingVariant } from '../../../src/training/trainingVariant.ts';

describe('built-in training variants by name', () => {
  const process = varianceExploding();
  const options = { steps: 100, gridSize: 18, dim: 2 };

  it('builds a valid TrainingVariant for every name, each with its own id (flowmap fits on CT pairs, so it is CT)', () => {
    const ids = BUILT_IN_VARIANT_NAMES.map((name) => validateTrainingVariant(builtInTrainingVariant(name, process, options), name).id);
    expect(new Set(ids).size).toBe(BUILT_IN_VARIANT_NAMES.length - 1);
    expect(ids[BUILT_IN_VARIANT_NAMES.indexOf('flowmap')]).toBe(ids[BUILT_IN_VARIANT_NAMES.indexOf('ct')]);
  });

  it('knows every name the audit may compare with, and no path or unknown name', () => {
    for (const name of AUDIT_BUILT_INS) expect(isBuiltInVariantName(name)).toBe(true);
    expect(isBuiltInVariantName('lhw')).toBe(false);
    expect(isBuiltInVariantName('examples/variants/lognormalCt.ts')).toBe(false);
    expect(isBuiltInVariantName('cd-rk4')).toBe(false);
  });

  it('passes the solver of a distillation name and the grid to the variant', () => {
    const euler = builtInTrainingVariant('cd-euler', process, options);
    const heun = builtInTrainingVariant('cd-heun', process, options);
    expect(euler.id).not.toBe(heun.id);
    expect(euler.id).toMatch(/euler/);
    expect(heun.id).toMatch(/heun/);
  });
});

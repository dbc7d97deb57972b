import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateVariantStatically } from '../../../src/audit/staticValidation.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1-based line of the first line of `file` containing `text` (found by reading the file, independently of ts-morph). */
function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`'${text}' not in ${file}`);
  return i + 1;
}

function problemsOf(file: string): Map<string, { line: number; message: string }> {
  const v = validateVariantStatically(file);
  return new Map(v.problems.map((p) => [p.member, { line: p.line, message: p.message }]));
}

describe('validateVariantStatically', () => {
  it('accepts the worked example: a factory exported as default', () => {
    const v = validateVariantStatically('examples/variants/lognormalCt.ts');
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ exportName: 'default', form: 'factory' });
  });

  it('names a missing makePairs (at the returned object) and a number given for the teacherEmaRate function', () => {
    const f = 'examples/variants/brokenMissingMakePairs.ts';
    const p = problemsOf(f);
    expect([...p.keys()].sort()).toEqual(['variant.makePairs', 'variant.teacherEmaRate']);
    expect(p.get('variant.makePairs')).toMatchObject({ line: lineOf(f, 'return {') });
    expect(p.get('variant.makePairs')!.message).toMatch(/^missing \(expected a function \(x0, times, indices, ctx, rng\) => TrainingPairs\)$/);
    expect(p.get('variant.teacherEmaRate')).toEqual({ line: lineOf(f, 'teacherEmaRate: 0.95'), message: 'expected a function (step) => number, got number' });
  });

  it('names a loss of the wrong type and a nested schedule member that is missing, on the `variant` export', () => {
    const f = 'examples/variants/brokenLossType.ts';
    const v = validateVariantStatically(f);
    expect(v).toMatchObject({ exportName: 'variant', form: 'object' });
    const p = problemsOf(f);
    expect([...p.keys()].sort()).toEqual(['variant.loss', 'variant.schedule.times']);
    expect(p.get('variant.loss')).toEqual({ line: lineOf(f, "loss: 'squared-l2'"), message: 'expected ConsistencyLoss, got string' });
    expect(p.get('variant.schedule.times')!.line).toBe(lineOf(f, 'schedule: {'));
  });

  it('looks through a cast: the object as written lacks indexSampler, its loss lacks tensorDistanceAndGradient', () => {
    const f = 'examples/variants/brokenCastHidesMissing.ts';
    const p = problemsOf(f);
    expect([...p.keys()].sort()).toEqual(['variant.indexSampler', 'variant.loss.tensorDistanceAndGradient']);
    expect(p.get('variant.indexSampler')!.line).toBe(lineOf(f, 'export default {'));
    expect(p.get('variant.loss.tensorDistanceAndGradient')!.line).toBe(lineOf(f, 'const loss = {'));
  });

  it('checks JavaScript modules too, and says when no default or `variant` export exists', () => {
    const js = path.join(dir, 'partial.js');
    writeFileSync(js, ['export default {', "  id: 'js-variant',", "  title: 'no pairs',", '  teacherEmaRate: () => 0.9,', '};', ''].join('\n'));
    const p = problemsOf(js);
    for (const m of ['variant.schedule', 'variant.indexSampler', 'variant.loss', 'variant.makePairs']) expect(p.get(m)?.line).toBe(1);
    expect(p.has('variant.teacherEmaRate')).toBe(false);
    const named = path.join(dir, 'named.ts');
    writeFileSync(named, 'export const myVariant = {};\n');
    const v = validateVariantStatically(named);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]!.message).toMatch(/exports neither `default` nor `variant` \(found: myVariant\)/);
  });

  it('reports a syntax error with its line, and a missing file without a line', () => {
    const bad = path.join(dir, 'syntax.ts');
    writeFileSync(bad, 'export default {\n  id: "x",\n  title: ,\n};\n');
    const v = validateVariantStatically(bad);
    expect(v.problems[0]).toMatchObject({ member: 'module', line: 3 });
    expect(v.problems[0]!.message).toMatch(/^syntax error/);
    expect(validateVariantStatically(path.join(dir, 'nope.ts')).problems).toEqual([{ member: 'module', message: `no such module '${path.join(dir, 'nope.ts')}'`, file: path.join(dir, 'nope.ts'), line: 0 }]);
  });
});

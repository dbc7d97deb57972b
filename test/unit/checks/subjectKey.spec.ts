import { describe, expect, it } from 'vitest';
import { canonicalSubjectText, subjectKey } from '../../../src/checks/subjectKey.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';

/** A subject with every kind of field the suites use: numbers, strings, booleans, nested objects, arrays, typed arrays, a target, a process, a schedule. */
function sampleSubject(): Record<string, unknown> {
  return {
    target: new GaussianMixture([0.5, 0.5], [[-1], [1]], [[0.5], [0.5]]),
    process: varianceExploding({ tMax: 2 }),
    schedule: lhwSchedule({ T: 64, c0: 2, c1: 8 }),
    c0: 2,
    Ts: [64, 128, 256],
    coupling: 'ct',
    exact: true,
    chebyshevNodes: 48,
    exponentSweeps: { T: [256, 512], d: [1, 2, 4] },
    weights: new Float64Array([0.25, 0.75]),
    claimed: { Lf: 3, epsilon: 1e-3 },
  };
}

/** Every leaf path of a plain-data value (objects, arrays, typed arrays), with a changed copy of the value at that path. */
function variants(value: unknown, path: string[] = []): { path: string; changed: unknown }[] {
  const out: { path: string; changed: unknown }[] = [];
  const replaceAt = (root: unknown, at: readonly string[], leaf: (old: unknown) => unknown): unknown => {
    if (at.length === 0) return leaf(root);
    const [head, ...rest] = at;
    if (ArrayBuffer.isView(root)) {
      const copy = (root as Float64Array).slice();
      copy[Number(head)] = leaf(copy[Number(head)]) as number;
      return copy;
    }
    if (Array.isArray(root)) return root.map((item, i) => (String(i) === head ? replaceAt(item, rest, leaf) : item));
    return { ...(root as object), [head!]: replaceAt((root as Record<string, unknown>)[head!], rest, leaf) };
  };
  const change = (old: unknown): unknown => (typeof old === 'number' ? old + Math.max(Math.abs(old), 1) * Number.EPSILON : typeof old === 'string' ? `${old}x` : typeof old === 'boolean' ? !old : undefined);
  const visit = (v: unknown, at: string[]): void => {
    const plain = v !== null && typeof v === 'object' && (Array.isArray(v) || ArrayBuffer.isView(v) || Object.getPrototypeOf(v) === Object.prototype);
    if (!plain) {
      out.push({ path: at.join('.'), changed: replaceAt(value, at, change) });
      return;
    }
    for (const key of Object.keys(v as object)) visit((v as Record<string, unknown>)[key], [...at, key]);
  };
  visit(value, path);
  return out.filter((x) => x.path.split('.').every((p) => !['target', 'process', 'schedule'].includes(p)));
}

describe('subjectKey: the results-cache key computed from the subject value', () => {
  it('gives equal subjects equal keys, whatever the order of their fields', () => {
    const a = sampleSubject();
    const reordered = Object.fromEntries(Object.entries(sampleSubject()).reverse());
    expect(subjectKey(reordered)).toBe(subjectKey(a));
    expect(subjectKey(sampleSubject())).toBe(subjectKey(a));
  });

  it('gives different keys to subjects that differ in any one field (each leaf changed by one ulp, one character, or negated)', () => {
    const base = sampleSubject();
    const baseKey = subjectKey(base);
    const changes = variants(base);
    expect(changes.length).toBeGreaterThanOrEqual(15);
    for (const { path, changed } of changes) expect(subjectKey(changed), path).not.toBe(baseKey);
  });

  it('tells apart the fields a hand-written key once left out (li2024.theorem1: chebyshevNodes, exponentSweeps)', () => {
    const base = { target: new GaussianMixture([1], [[0]], [[0.5]]), c0: 2, c1: 8, Ts: [64, 128], coupling: 'ct' };
    expect(subjectKey({ ...base, chebyshevNodes: 48 })).not.toBe(subjectKey({ ...base, chebyshevNodes: 96 }));
    expect(subjectKey({ ...base, exponentSweeps: { T: [256] } })).not.toBe(subjectKey(base));
  });

  it('keys targets, processes and schedules by what defines them', () => {
    const mixture = (mean: number): GaussianMixture => new GaussianMixture([0.5, 0.5], [[-1], [mean]], [[0.5], [0.5]]);
    expect(subjectKey({ target: mixture(1) })).toBe(subjectKey({ target: mixture(1) }));
    expect(subjectKey({ target: mixture(1) })).not.toBe(subjectKey({ target: mixture(1 + 2 * Number.EPSILON) }));
    expect(subjectKey({ process: varianceExploding({ tMax: 2 }) })).not.toBe(subjectKey({ process: varianceExploding({ tMax: 80 }) }));
    expect(subjectKey(lhwSchedule({ T: 64, c0: 2, c1: 8 }))).toBe(subjectKey(lhwSchedule({ T: 64, c0: 2, c1: 8 })));
    expect(subjectKey(lhwSchedule({ T: 64, c0: 2, c1: 8 }))).not.toBe(subjectKey(lhwSchedule({ T: 64, c0: 2, c1: 9 })));
  });

  it('writes numbers bit-exactly and typed arrays with their element type', () => {
    expect(subjectKey({ x: 0 })).not.toBe(subjectKey({ x: -0 }));
    expect(subjectKey({ x: 0.1 })).not.toBe(subjectKey({ x: 0.1 + 2 ** -56 }));
    expect(subjectKey({ x: Infinity })).not.toBe(subjectKey({ x: -Infinity }));
    expect(subjectKey({ x: new Float64Array([1, 2]) })).not.toBe(subjectKey({ x: new Float32Array([1, 2]) }));
    expect(subjectKey({ x: new Float64Array([1, 2]) })).not.toBe(subjectKey({ x: [1, 2] }));
    expect(subjectKey({ x: 1 })).not.toBe(subjectKey({ x: '1' }));
    expect(canonicalSubjectText(1)).toBe('n3ff0000000000000');
  });

  it('treats an undefined field as absent, and keys the context apart from the subject', () => {
    expect(subjectKey({ a: 1, b: undefined })).toBe(subjectKey({ a: 1 }));
    expect(subjectKey({ a: 1 }, { modelKey: 'abc' })).not.toBe(subjectKey({ a: 1 }, { modelKey: 'abd' }));
    expect(subjectKey({ a: 1 }, { modelKey: 'abc' })).not.toBe(subjectKey({ a: 1 }));
  });

  it('keys a trainable model by every parameter, and another model or check by its class and id', () => {
    const trainable = (w: number) => ({ id: 'mlp-2x8-silu', precision: 'float32', evaluate: () => undefined, snapshot: () => ({ dtype: 'float32', entries: [{ name: 'w', shape: [2], values: new Float64Array([w, 1]) }] }) });
    expect(subjectKey({ model: trainable(0.5) })).toBe(subjectKey({ model: trainable(0.5) }));
    expect(subjectKey({ model: trainable(0.5) })).not.toBe(subjectKey({ model: trainable(0.25) }));
    const exact = (id: string) => ({ id, precision: 'float64', evaluate: () => undefined });
    expect(subjectKey({ model: exact('exact') })).toBe(subjectKey({ model: exact('exact') }));
    expect(subjectKey({ model: exact('exact') })).not.toBe(subjectKey({ model: exact('droppedTMinBoundaryScalings') }));
  });

  it('refuses a field it cannot serialise, naming the field', () => {
    const withFunction = { rows: [{ label: 'a' }, { label: 'b', weight: () => 1 }] };
    expect(() => subjectKey(withFunction)).toThrow(ValidationError);
    expect(() => subjectKey(withFunction)).toThrow(/^subject\.rows\[1\]\.weight: cannot be part of a results-cache key: a function/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => subjectKey(cyclic)).toThrow(/^subject\.self: .*cyclic reference/);
    expect(() => subjectKey({ table: new Map([[1, 2]]) })).toThrow(/^subject\.table: .*a Map/);
    expect(() => subjectKey({ a: 1 }, { hook: Symbol('x') })).toThrow(/^context\.hook: .*a symbol/);
  });
});

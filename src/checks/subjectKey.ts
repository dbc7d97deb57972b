import { ValidationError } from '../core/errors.ts';
import { sha256Hex } from './resultsCache.ts';

/**
 * The results-cache key of a subject, computed from the subject value itself (so no field can be left out by a
 * hand-written key): SHA-256 of `canonicalSubjectText(value, context)`. Two subjects that differ in any field get
 * different keys; equal subjects get equal keys, whatever the order their fields were written in.
 *
 * @param context - what the subject value does not carry but the result depends on (a model's parameter hash
 *   held outside the model object, the source hash of a study's numerics); serialised like the subject.
 * @throws ValidationError E_INVALID_INPUT naming the field of a value that cannot be serialised.
 */
export function subjectKey(value: unknown, context?: Readonly<Record<string, unknown>>): string {
  return sha256Hex(canonicalSubjectText(value, context));
}

/**
 * A canonical, deterministic text of a subject:
 * - numbers bit-exact (the 16 hex digits of the float64, so 0 and −0, and 0.1 and its neighbour, differ);
 * - strings, booleans and null as JSON; bigints in decimal; `undefined` object fields left out (as if absent);
 * - arrays in order; typed arrays with their element type and every element (floats bit-exact);
 * - plain objects and class instances by their own enumerable fields with sorted keys (a class instance is also
 *   tagged with its class name);
 * - an object with `toSpec()` (targets, processes) by its spec; a trainable model (`snapshot()`) by its id and
 *   every parameter; another object with a string `id` and methods (a model, a check) by its class and id.
 *
 * A function, symbol, cyclic reference, Map, Set or other object that cannot be read as data is an error naming
 * the field (`subject.rows[2].target`).
 */
export function canonicalSubjectText(value: unknown, context?: Readonly<Record<string, unknown>>): string {
  const subject = write(value, 'subject', []);
  return context === undefined ? subject : `${subject}|${write(context, 'context', [])}`;
}

function fail(path: string, what: string): never {
  throw new ValidationError('E_INVALID_INPUT', `cannot be part of a results-cache key: ${what}`, path);
}

function float64Hex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

const hasMethod = (v: object, name: string): boolean => typeof (v as Record<string, unknown>)[name] === 'function';

function write(v: unknown, path: string, ancestors: readonly object[]): string {
  switch (typeof v) {
    case 'number':
      return `n${float64Hex(v)}`;
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `b${v.toString()}`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return fail(path, 'a function (give the object a toSpec() or an id, or key it by what defines it)');
    case 'symbol':
      return fail(path, 'a symbol');
  }
  if (v === null) return 'null';
  const object = v as object;
  if (ancestors.includes(object)) fail(path, 'a cyclic reference');
  const inner = [...ancestors, object];
  if (ArrayBuffer.isView(object)) {
    if (object instanceof DataView) fail(path, 'a DataView');
    const typed = object as unknown as ArrayLike<number | bigint> & { constructor: { name: string } };
    const items = Array.from(typed, (x) => (typeof x === 'bigint' ? `b${x.toString()}` : `n${float64Hex(x)}`));
    return `${typed.constructor.name}[${items.join(',')}]`;
  }
  if (Array.isArray(object)) return `[${object.map((item, i) => write(item, `${path}[${i}]`, inner)).join(',')}]`;
  if (object instanceof Map || object instanceof Set || object instanceof WeakMap || object instanceof WeakSet || object instanceof Promise) {
    fail(path, `a ${object.constructor.name}`);
  }
  if (object instanceof Date) return `Date(${write(object.getTime(), path, inner)})`;
  if (hasMethod(object, 'toSpec')) return `spec${write((object as { toSpec(): unknown }).toSpec(), `${path}.toSpec()`, inner)}`;
  const id = (object as { id?: unknown }).id;
  const className = Object.getPrototypeOf(object) === Object.prototype || Object.getPrototypeOf(object) === null ? undefined : (object.constructor?.name ?? 'anonymous');
  if (typeof id === 'string' && hasMethod(object, 'snapshot')) {
    const snapshot = (object as { snapshot(): unknown }).snapshot();
    return `model(${JSON.stringify(id)},${write(snapshot, `${path}.snapshot()`, inner)})`;
  }
  const ownMethods = Object.keys(object).filter((key) => typeof (object as Record<string, unknown>)[key] === 'function');
  if (typeof id === 'string' && (className !== undefined || ownMethods.length > 0)) return `id(${JSON.stringify(className ?? 'Object')},${JSON.stringify(id)})`;
  const keys = Object.keys(object).sort();
  const fields = keys.flatMap((key) => {
    const field = (object as Record<string, unknown>)[key];
    if (field === undefined) return [];
    return [`${JSON.stringify(key)}:${write(field, `${path}.${key}`, inner)}`];
  });
  return `${className === undefined ? '' : JSON.stringify(className)}{${fields.join(',')}}`;
}

// Worker-thread entry of `runUnits`: ESM loader hooks registered on the main thread do not reach worker threads, so
// the worker registers tsx itself, then imports the unit's module (once per worker) and calls the named export.
import { register } from 'tsx/esm/api';

register();
const modules = new Map();

export default async function runUnit({ module, name, unit }) {
  let loaded = modules.get(module);
  if (loaded === undefined) {
    loaded = import(module);
    modules.set(module, loaded);
  }
  const run = (await loaded)[name];
  if (typeof run !== 'function') throw new Error(`${module} has no exported function '${name}'`);
  return run(unit);
}

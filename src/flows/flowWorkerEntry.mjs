// Worker-thread entry of `mapInParallel`: ESM loader hooks registered on the main thread do not reach worker
// threads, so the worker registers tsx itself before importing the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const task = await import('./flowWorker.ts');
export default task.default;

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../../core/errors.ts';
import { toRows } from '../../core/pointBatch.ts';
import { multistepConsistencySampling } from '../../models/multistepSampling.ts';
import { initTfjsBackend } from '../../models/tfjsBoundary.ts';
import { rngFromSeed } from '../../random/rng.ts';
import { writeFileAtomically } from '../../training/checkpoint.ts';
import { loadModelDirectory } from '../../training/modelDirectory.ts';
import { karrasTimes } from '../../training/schedules/karrasSchedule.ts';
import { formatJsonFloat64 } from '../formatJson.ts';
import { assertPointBudget, parseNumber } from '../parseOptions.ts';

interface SampleFlags {
  model: string;
  n: string;
  steps: string;
  seed: string;
  out: string;
  weights?: 'online' | 'ema';
  start: 'gaussian-prior' | 'exact-marginal';
}

/**
 * `cmbounds sample --model DIR --n N [--steps k] [--seed S] --out samples.json`: one-step (k = 1) or multistep
 * consistency sampling (Algorithm 1) with the k − 1 re-noise times τ the interior of a k+1-point Karras grid
 * (descending). Writes a JSON array of points (17 significant digits), atomically.
 */
export function sampleCommand(): Command {
  return new Command('sample')
    .description('Draw samples from a trained consistency model (one-step or multistep, Algorithm 1).')
    .requiredOption('--model <DIR>', 'a folder written by `cmbounds train`')
    .requiredOption('--n <N>', 'number of samples')
    .option('--steps <k>', 'sampling steps (1 = one-step)', '1')
    .option('--seed <S>', 'random seed', '0')
    .requiredOption('--out <file>', 'output JSON file (array of points)')
    .addOption(new Option('--weights <w>', 'which weights (default: online)').choices(['online', 'ema']))
    .addOption(new Option('--start <s>', 'initial draw at tMax').choices(['gaussian-prior', 'exact-marginal']).default('gaussian-prior'))
    .action(async (flags: SampleFlags) => {
      const n = parseNumber(flags.n, { integer: true, min: 1 }, '--n');
      const k = parseNumber(flags.steps, { integer: true, min: 1, max: MAX_SAMPLING_STEPS }, '--steps');
      const seed = parseNumber(flags.seed, { integer: true, min: 0 }, '--seed');
      assertPointBudget(n, 1, '--n', 2);
      assertWritableSamplesFile(flags.out);
      await initTfjsBackend();
      const loaded = loadModelDirectory(flags.model, flags.weights);
      try {
        const { process, target, model } = loaded;
        assertPointBudget(n, target.dim, '--n', 2);
        if (k > 1 && loaded.meta.kind !== 'mlp') {
          throw new ConfigError('E_UNSUPPORTED', `multistep sampling needs a time-continuous model; '${loaded.meta.kind}' is defined on its grid only`, '--steps');
        }
        const taus = k > 1 ? Array.from(karrasTimes(k + 1, { tMin: process.tMin, tMax: process.tMax }).subarray(1, k)).reverse() : [];
        const samples = multistepConsistencySampling(model, process, { n, rng: rngFromSeed(seed).child('sample'), taus, start: flags.start, target });
        writeFileAtomically(path.resolve(flags.out), formatJsonFloat64(toRows(samples)) + '\n');
        process_stdout(formatJsonFloat64({ out: flags.out, n, d: samples.d, steps: k, taus, start: flags.start, model: loaded.meta.id }) + '\n');
      } finally {
        loaded.dispose();
      }
    });
}

/** Sampling steps beyond this are refused (the Karras grid of k + 1 points; no use of k in the thousands). */
const MAX_SAMPLING_STEPS = 1000;

/**
 * Refuses, before any work, an `--out` that cannot take the samples: a folder, a path under a regular file, or an
 * existing file that is not a samples file (a JSON array of points), which would be overwritten.
 */
function assertWritableSamplesFile(out: string): void {
  const resolved = path.resolve(out);
  let stat;
  try {
    stat = statSync(resolved);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ConfigError('E_INVALID_INPUT', `'${out}' lies under a regular file, not a folder`, '--out');
    return;
  }
  if (stat.isDirectory()) throw new ConfigError('E_INVALID_INPUT', `'${out}' is a directory; give the samples file's path, e.g. ${path.join(out, 'samples.json')}`, '--out');
  if (!stat.isFile()) throw new ConfigError('E_INVALID_INPUT', `'${out}' is not a regular file`, '--out');
  const head = Buffer.alloc(64);
  let length = 0;
  const fd = openSync(resolved, 'r');
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = head.subarray(0, length).toString('utf8');
  if (!/^\s*\[\s*(\[|\])/.test(text)) {
    throw new ConfigError('E_INVALID_INPUT', `'${out}' exists and is not a samples file written by \`cmbounds sample\`; it is left as it is: remove it or choose another path`, '--out');
  }
}

function process_stdout(text: string): void {
  globalThis.process.stdout.write(text);
}

import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../../core/errors.ts';
import { assertOutputFileUsable } from '../../core/outputLocation.ts';
import { toRows } from '../../core/pointBatch.ts';
import { multistepConsistencySampling } from '../../models/multistepSampling.ts';
import { initTfjsBackend } from '../../models/tfjsBoundary.ts';
import { rngFromSeed } from '../../random/rng.ts';
import { writeFileAtomically } from '../../training/checkpoint.ts';
import { loadModelSpec } from '../../training/modelDirectory.ts';
import { externalModelOptions, EXTERNAL_MODEL_HELP } from '../externalModelOptions.ts';
import { karrasTimes } from '../../training/schedules/karrasSchedule.ts';
import { formatJsonFloat64 } from '../../core/formatJson.ts';
import { assertPointBudget, parseNumber } from '../parseOptions.ts';

interface SampleFlags {
  model: string;
  n: string;
  steps: string;
  seed: string;
  out: string;
  force?: boolean;
  weights?: 'online' | 'ema';
  target?: string;
  modelTimeout: string;
  modelBatch: string;
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
    .requiredOption('--model <DIR|cmd:…>', `a folder written by \`cmbounds train\`, or ${EXTERNAL_MODEL_HELP}`)
    .option('--target <name|file.json>', 'the data law, for an external model that declares none (or to override it)')
    .option('--model-timeout <seconds>', 'external model: seconds to wait for an answer', '120')
    .option('--model-batch <n>', 'external model: most points per request', '4096')
    .requiredOption('--n <N>', 'number of samples')
    .option('--steps <k>', 'sampling steps (1 = one-step)', '1')
    .option('--seed <S>', 'random seed', '0')
    .requiredOption('--out <file>', 'output JSON file (array of points); an existing file is not overwritten without --force')
    .option('--force', 'overwrite an existing --out file')
    .addOption(new Option('--weights <w>', 'which weights (default: online)').choices(['online', 'ema']))
    .addOption(new Option('--start <s>', 'initial draw at tMax').choices(['gaussian-prior', 'exact-marginal']).default('gaussian-prior'))
    .action(async (flags: SampleFlags) => {
      const n = parseNumber(flags.n, { integer: true, min: 1 }, '--n');
      const k = parseNumber(flags.steps, { integer: true, min: 1, max: MAX_SAMPLING_STEPS }, '--steps');
      const seed = parseNumber(flags.seed, { integer: true, min: 0 }, '--seed');
      assertPointBudget(n, 1, '--n', 2);
      assertOutputFileUsable(flags.out, '--out', { force: flags.force === true });
      await initTfjsBackend();
      const loaded = loadModelSpec(flags.model, externalModelOptions(flags));
      try {
        const { process, target, model } = loaded;
        assertPointBudget(n, target.dim, '--n', 2);
        if (k > 1 && loaded.meta.kind !== 'mlp' && loaded.meta.kind !== 'external') {
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

function process_stdout(text: string): void {
  globalThis.process.stdout.write(text);
}

import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { targetFromSpec } from '../../config/targetSpec.ts';
import { ConfigError } from '../../core/errors.ts';
import { encodeNpyFloat64 } from '../../core/npy.ts';
import { assertOutputFileUsable } from '../../core/outputLocation.ts';
import { toRows } from '../../core/pointBatch.ts';
import { rngFromSeed } from '../../random/rng.ts';
import { writeFileAtomically } from '../../training/checkpoint.ts';
import { formatJsonFloat64 } from '../../core/formatJson.ts';
import { readJsonInput } from '../../config/readInput.ts';

/** Largest --n: 10⁸ points of dimension 1 is 800 MB of doubles; more is refused up front. */
const MAX_DOUBLES = 1e8;

/**
 * `cmbounds data --target <name|spec.json> --n N [--seed S] --out file.npy|file.json`: exact i.i.d. draws from a
 * target, so that a training run outside cmbounds (PyTorch, JAX) uses the law cmbounds evaluates against.
 */
export function dataCommand(): Command {
  return new Command('data')
    .description('Write exact draws from a target as float64 .npy (numpy.load reads it) or JSON, for external training runs.')
    .requiredOption('--target <name|file.json>', 'a built-in target name or a TargetSpec JSON file')
    .requiredOption('--n <N>', 'number of draws')
    .option('--seed <S>', 'random seed', '0')
    .requiredOption('--out <file.npy|file.json>', 'output file; the extension picks the format')
    .option('--force', 'overwrite an existing --out file')
    .action((flags: { target: string; n: string; seed: string; out: string; force?: boolean }) => {
      const target = targetFromSpec(existsSync(flags.target) ? readJsonInput(flags.target, '--target') : flags.target, '--target');
      const n = Number(flags.n);
      if (!Number.isInteger(n) || n < 1) throw new ConfigError('E_INVALID_INPUT', `must be a positive integer, got '${flags.n}'`, '--n');
      if (n * target.dim > MAX_DOUBLES) {
        throw new ConfigError('E_INVALID_INPUT', `${n} draws of dimension ${target.dim} need ${((8 * n * target.dim) / 1e9).toFixed(1)} GB; the limit is ${MAX_DOUBLES / target.dim} draws (800 MB)`, '--n');
      }
      const seed = Number(flags.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new ConfigError('E_INVALID_INPUT', `must be a non-negative integer, got '${flags.seed}'`, '--seed');
      const format = flags.out.endsWith('.npy') ? 'npy' : flags.out.endsWith('.json') ? 'json' : undefined;
      if (format === undefined) throw new ConfigError('E_INVALID_INPUT', `must end in .npy or .json, got '${flags.out}'`, '--out');
      assertOutputFileUsable(flags.out, '--out', { force: flags.force === true });
      const x = target.sample(n, rngFromSeed(seed).child('data'));
      writeFileAtomically(flags.out, format === 'npy' ? encodeNpyFloat64(x) : formatJsonFloat64(toRows(x)) + '\n');
      process.stdout.write(formatJsonFloat64({ out: flags.out, format, n, d: target.dim, target: target.name ?? target.kind, seed }) + '\n');
    });
}

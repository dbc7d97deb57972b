import { Command, Option } from 'commander';
import { referenceFlow } from '../../flows/referenceFlow.ts';
import { couplingUpperBound } from '../../metrics/couplingUpperBound.ts';
import { boundaryError } from '../../models/modelDiagnostics.ts';
import { currentTfjsBackend, initTfjsBackend } from '../../models/tfjsBoundary.ts';
import { rngFromSeed } from '../../random/rng.ts';
import { loadModelSpec } from '../../training/modelDirectory.ts';
import { externalModelOptions, EXTERNAL_MODEL_HELP } from '../externalModelOptions.ts';
import { formatJsonFloat64 } from '../../core/formatJson.ts';
import { assertPointBudget, parseNumber } from '../parseOptions.ts';

interface EvaluateFlags {
  model: string;
  n: string;
  seed: string;
  weights?: 'online' | 'ema';
  target?: string;
  modelTimeout: string;
  modelBatch: string;
  level: string;
}

/**
 * `cmbounds evaluate --model DIR [--n N] [--seed S]`: prints
 * `{"couplingW2": {"value", "lower", "upper", "level", "n"}, "boundaryError": number, …}` — the synchronous-coupling upper
 * bound on W₂ between the model's one-step samples f(X_T, T) and the exact flow's f*(X_T, T) = Φ_{T→tMin}(X_T) from the
 * same X_T ~ p_T (the exact marginal), with its CLT interval, and max |f(x, tMin) − x| over n draws of p_tMin.
 */
export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('Coupling W2 bound against the exact consistency function and the boundary error of a trained model (JSON).')
    .requiredOption('--model <DIR|cmd:…>', `a folder written by \`cmbounds train\`, or ${EXTERNAL_MODEL_HELP}`)
    .option('--target <name|file.json>', 'the data law, for an external model that declares none (or to override it)')
    .option('--model-timeout <seconds>', 'external model: seconds to wait for an answer', '120')
    .option('--model-batch <n>', 'external model: most points per request', '4096')
    .option('--n <N>', 'Monte Carlo points', '1000')
    .option('--seed <S>', 'random seed', '0')
    .option('--level <p>', 'two-sided confidence level of the interval', '0.95')
    .addOption(new Option('--weights <w>', 'which weights (default: online)').choices(['online', 'ema']))
    .action(async (flags: EvaluateFlags) => {
      const n = parseNumber(flags.n, { integer: true, min: 2 }, '--n');
      const seed = parseNumber(flags.seed, { integer: true, min: 0 }, '--seed');
      const level = parseNumber(flags.level, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, '--level');
      // x_T, f(x_T), f*(x_T), its certifying re-solve and the boundary draws: five n × d arrays at least
      assertPointBudget(n, 1, '--n', 5);
      await initTfjsBackend();
      const loaded = loadModelSpec(flags.model, externalModelOptions(flags));
      try {
        const { process, target, model, meta } = loaded;
        assertPointBudget(n, target.dim, '--n', 5);
        const rng = rngFromSeed(seed).child('evaluate');
        const T = process.tMax;
        const xT = target.noised(process.signalScale(T), process.noiseScale(T)).sample(n, rng.child('xT'));
        const flow = referenceFlow(target, process);
        const exact = flow.map(xT, T, process.tMin, { certify: true });
        const estimate = couplingUpperBound(model.evaluate(xT, T), exact.y, 2, { level });
        const x0 = target.noised(process.signalScale(process.tMin), process.noiseScale(process.tMin)).sample(n, rng.child('xMin'));
        const result = {
          couplingW2: { value: estimate.value, lower: estimate.interval.lower, upper: estimate.interval.upper, level: estimate.interval.level, n },
          boundaryError: boundaryError(model, x0, process.tMin),
          model: meta.id,
          kind: meta.kind,
          variant: meta.variant.id,
          target: target.name ?? target.kind,
          process: process.toSpec(),
          referenceFlow: { method: exact.method, errorEstimate: exact.errorEstimate ?? null },
          seed,
          ...(meta.kind === 'mlp' ? { tfjsBackend: currentTfjsBackend() } : {}),
        };
        process_stdout(formatJsonFloat64(result) + '\n');
      } finally {
        loaded.dispose();
      }
    });
}

function process_stdout(text: string): void {
  globalThis.process.stdout.write(text);
}

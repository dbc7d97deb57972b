import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../../core/errors.ts';
import { assertModelFolderUsable } from '../../core/outputLocation.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';
import { processFromSpec } from '../../config/processSpec.ts';
import { isBuiltInTargetName, targetFromSpec } from '../../config/targetSpec.ts';
import { mlpFunctionClass, type MlpActivation } from '../../models/mlpConsistency.ts';
import { edmParameterization } from '../../models/parameterization.ts';
import { initTfjsBackend, type TfjsBackendName } from '../../models/tfjsBoundary.ts';
import { lhwSchedule } from '../../processes/lhwSchedule.ts';
import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import { rngFromSeed } from '../../random/rng.ts';
import { fitAffineFlowMap, fitAffineSequential } from '../../training/affineTraining.ts';
import { writeFileAtomically } from '../../training/checkpoint.ts';
import { builtInTrainingVariant, isBuiltInVariantName } from '../../training/builtInVariants.ts';
import { loadTrainingVariant } from '../../training/loadTrainingVariant.ts';
import { saveModelDirectory } from '../../training/modelDirectory.ts';
import { trainConsistencyModel, TrainingInterruptedError } from '../../training/trainLoop.ts';
import type { TrainingVariant } from '../../training/trainingVariant.ts';
import { lhwSequentialTrainingVariant } from '../../training/variants/lhwSequentialTraining.ts';
import { INTERRUPTED_EXIT, shellQuote, watchInterruption } from '../interrupt.ts';
import { parseNumber } from '../parseOptions.ts';
import { readSpecOption } from '../../config/readInput.ts';

interface TrainFlags {
  variant: string;
  target: string;
  process?: string;
  steps: string;
  seed: string;
  out: string;
  resume?: boolean;
  force?: boolean;
  functionClass: 'mlp' | 'affine';
  width: string;
  depth: string;
  activation: MlpActivation;
  batchSize: string;
  lr: string;
  emaDecay: string;
  logEvery: string;
  checkpointEvery: string;
  gridSize: string;
  samplesPerNode: string;
  backend: 'auto' | TfjsBackendName;
  threads: '1' | '2';
}

const BUILT_IN = ['ct', 'ct-code-off-by-one', 'ict', 'cd-euler', 'cd-heun', 'cd-exact', 'lhw', 'flowmap'];

/**
 * `cmbounds train --variant ct|ict|cd-euler|cd-heun|cd-exact|lhw|flowmap|<path> --target <name|file.json> --steps N
 * --seed S --out DIR [--resume]`: trains a consistency model and writes DIR/model.json, the weights, DIR/history.json
 * (and DIR/checkpoint.json for --resume), printing progress.
 */
export function trainCommand(setExitCode: (code: number) => void = () => undefined): Command {
  return new Command('train')
    .description('Train a consistency model on an exact target (tfjs MLP, or the affine class by exact least squares).')
    .requiredOption('--variant <name|path>', `${BUILT_IN.join(' | ')} | a module exporting a TrainingVariant (or a factory)`)
    .requiredOption('--target <name|file.json>', 'a built-in target name (bimodal-1d, ring8-2d, …) or a TargetSpec JSON file')
    .option('--process <kind|json>', "'ve' (default), 'vp-ou', or a ProcessSpec as a JSON file or inline JSON, e.g. '{\"kind\":\"lhw\",\"T\":32}' (lhw defaults to T = 64)")
    .requiredOption('--steps <N>', 'optimiser steps K (the curriculum length; for --function-class affine it fixes the final grid)')
    .option('--seed <S>', 'random seed', '0')
    .requiredOption('--out <DIR>', 'output folder')
    .option('--resume', 'continue from DIR/checkpoint.json (same flags required)')
    .option('--force', "start over in a folder that holds an earlier run's model or checkpoint (replaces only those files)")
    .addOption(new Option('--function-class <class>', 'model class').choices(['mlp', 'affine']).default('mlp'))
    .option('--width <n>', 'MLP hidden width', '64')
    .option('--depth <n>', 'MLP hidden layers', '3')
    .addOption(new Option('--activation <a>', 'MLP activation').choices(['silu', 'relu', 'tanh']).default('silu'))
    .option('--batch-size <n>', 'training batch size', '256')
    .option('--lr <x>', 'Adam learning rate', '1e-3')
    .option('--ema-decay <x>', 'decay of the evaluation EMA of the weights', '0.99')
    .option('--log-every <n>', 'steps per progress line / history entry', '50')
    .option('--checkpoint-every <n>', 'steps between atomic checkpoints', '200')
    .option('--grid-size <n>', 'grid size N for cd-* and flowmap', '18')
    .option('--samples-per-node <n>', 'least-squares samples per grid node (affine class, flowmap)', '4096')
    .addOption(new Option('--backend <b>', 'tfjs backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--threads <n>', 'split each batch over the main thread and a worker thread (built-in losses)').choices(['1', '2']).default('1'))
    .action(async (flags: TrainFlags) => {
      setExitCode(await runTrain(flags));
    });
}

/** Trains; returns the exit code (0, or 130 after Ctrl-C with the checkpoint written). */
async function runTrain(flags: TrainFlags): Promise<number> {
  // before any work: a folder with the user's files, a finished model or an interrupted run is not silently reused
  assertModelFolderUsable(flags.out, '--out', { resume: flags.resume === true, force: flags.force === true });
  const steps = intFlag(flags.steps, '--steps');
  const seed = intFlag(flags.seed, '--seed', 0);
  const targetSpec = readSpecOption(flags.target, '--target', isBuiltInTargetName);
  const target = targetFromSpec(targetSpec, '--target');
  const isLhw = flags.variant === 'lhw';
  const processSpec = flags.process === undefined ? (isLhw ? { kind: 'lhw', T: 64 } : { kind: 've' }) : readSpecOption(flags.process, '--process', (name) => ['ve', 'vp-ou', 'lhw'].includes(name));
  const process = processFromSpec(typeof processSpec === 'string' ? { kind: processSpec } : processSpec, '--process');
  const gridSize = intFlag(flags.gridSize, '--grid-size', 2);
  let variant: TrainingVariant;
  let totalSteps = steps;
  if (isLhw) {
    const spec = processSpec as { kind?: string; T?: number; c0?: number; c1?: number; indexing?: 'report' | 'li2023' };
    if (spec.kind !== 'lhw') throw new ConfigError('E_INVALID_INPUT', "the lhw variant needs an lhw process, e.g. {\"kind\":\"lhw\",\"T\":64}", '--process');
    const lhw = lhwSchedule({ T: spec.T!, ...(spec.c0 === undefined ? {} : { c0: spec.c0 }), ...(spec.c1 === undefined ? {} : { c1: spec.c1 }), ...(spec.indexing ? { indexing: spec.indexing } : {}) });
    const v = lhwSequentialTrainingVariant(lhw, { stepsPerStage: Math.max(1, Math.floor(steps / (lhw.T - 1))) });
    variant = v;
    totalSteps = v.totalSteps;
  } else {
    variant = await builtInOrUserVariant(flags.variant, process, target, steps, gridSize);
  }
  const out = flags.out;
  // a built-in name is stored as the name (reports then say 'bimodal-1d'), anything else as its full spec
  const common = { variant: { id: variant.id, title: variant.title }, target: typeof targetSpec === 'string' ? targetSpec : target.toSpec(), process: typeof processSpec === 'string' ? { kind: processSpec } : processSpec };
  const rng = rngFromSeed(seed);

  if (flags.variant === 'flowmap' || flags.functionClass === 'affine') {
    const samplesPerNode = intFlag(flags.samplesPerNode, '--samples-per-node', target.dim + 1);
    const options = { samplesPerNode, rng: rng.child('affine') };
    const fitted =
      flags.variant === 'flowmap'
        ? ((m) => ({ kind: 'affine-flow-map' as const, id: m.id, times: Array.from(m.times), snapshot: m.snapshot() }))(fitAffineFlowMap(variant, target, process, options, totalSteps))
        : ((m) => ({ kind: 'affine-grid' as const, id: m.id, times: Array.from(m.times), snapshot: m.snapshot() }))(fitAffineSequential(variant, target, process, options, totalSteps));
    saveModelDirectory(out, { ...common, kind: fitted.kind, id: fitted.id, times: fitted.times, training: { steps: totalSteps, seed, samplesPerNode } }, { online: fitted.snapshot });
    writeFileAtomically(path.join(out, 'history.json'), JSON.stringify({ entries: [], note: 'exact least squares: no optimiser history' }, null, 2) + '\n');
    process_stdout(`trained ${fitted.id} (${variant.id}) by exact least squares on ${fitted.times.length} grid times → ${out}\n`);
    return 0;
  }

  const backend = await initTfjsBackend(flags.backend);
  const width = intFlag(flags.width, '--width');
  const depth = intFlag(flags.depth, '--depth');
  const functionClass = mlpFunctionClass(edmParameterization(process), { width, depth, activation: flags.activation });
  const batchSize = intFlag(flags.batchSize, '--batch-size');
  const learningRate = numberFlag(flags.lr, '--lr');
  const emaDecay = numberFlag(flags.emaDecay, '--ema-decay');
  const checkpointPath = path.join(out, 'checkpoint.json');
  if (flags.resume && !existsSync(checkpointPath)) throw new ConfigError('E_CHECKPOINT', `no checkpoint at ${checkpointPath} to resume from`, '--resume');
  process_stdout(`training ${variant.id} on ${target.name ?? target.kind} (d=${target.dim}), ${functionClass.id}, ${totalSteps} steps, seed ${seed}, tfjs backend ${backend.name}\n`);
  const interruption = watchInterruption();
  let result: Awaited<ReturnType<typeof trainConsistencyModel>>;
  try {
    result = await trainConsistencyModel({
    variant,
    target,
    process,
    functionClass,
    steps: totalSteps,
    seed,
    batchSize,
    adam: { learningRate },
    emaDecay,
    logEvery: intFlag(flags.logEvery, '--log-every'),
    checkpoint: { path: checkpointPath, every: intFlag(flags.checkpointEvery, '--checkpoint-every') },
    resume: flags.resume ?? false,
    threads: flags.threads === '2' ? 2 : 1,
    onProgress: (p) => {
      const q = p.entry.lossByQuartile.map((v) => (v === null ? '-' : v.toExponential(2))).join(' ');
      process_stdout(`step ${p.step}/${p.steps}  loss ${p.entry.loss.toExponential(3)}  by quartile [${q}]  N=${p.entry.gridSize}  ${(p.elapsedMs / 1000).toFixed(1)}s\n`);
    },
    signal: interruption.signal,
    pollInterrupt: interruption.poll,
    });
  } catch (e) {
    if (!(e instanceof TrainingInterruptedError)) throw e;
    const args = globalThis.process.argv.slice(2);
    const resume = `cmbounds ${shellQuote(args)}${args.includes('--resume') ? '' : ' --resume'}`;
    globalThis.process.stderr.write(`interrupted after step ${e.stepsDone} of ${e.steps}: the checkpoint ${e.checkpointPath ?? checkpointPath} holds these ${e.stepsDone} steps; to continue, run: ${resume}\n`);
    return INTERRUPTED_EXIT;
  } finally {
    interruption.dispose();
  }
  const arch = result.model.architecture;
  saveModelDirectory(
    out,
    {
      ...common,
      kind: 'mlp',
      id: result.model.id,
      architecture: arch,
      sigmaData: result.model.parameterization.sigmaData,
      training: { steps: totalSteps, seed, batchSize, learningRate, emaDecay, backend: result.backend, fingerprint: result.fingerprint },
    },
    { online: result.model.snapshot(), ema: result.ema.snapshot() },
  );
  writeFileAtomically(path.join(out, 'history.json'), JSON.stringify({ backend: result.backend, variant: variant.id, entries: result.history }, null, 2) + '\n');
  result.model.dispose();
  result.ema.dispose();
  process_stdout(`wrote ${path.join(out, 'model.json')} (online + EMA weights) and history.json\n`);
  return 0;
}

async function builtInOrUserVariant(name: string, process: ForwardProcess, target: ExactTarget, steps: number, gridSize: number): Promise<TrainingVariant> {
  if (isBuiltInVariantName(name)) return builtInTrainingVariant(name, process, { steps, gridSize, dim: target.dim });
  if (!/[./\\]/.test(name)) throw new ConfigError('E_INVALID_INPUT', `unknown variant '${name}'; use ${BUILT_IN.join(', ')} or a module path`, '--variant');
  return loadTrainingVariant(name, { process, target, steps });
}

function intFlag(value: string, flag: string, min = 1): number {
  return parseNumber(value, { integer: true, min }, flag);
}

function numberFlag(value: string, flag: string): number {
  return parseNumber(value, {}, flag);
}

function process_stdout(text: string): void {
  globalThis.process.stdout.write(text);
}

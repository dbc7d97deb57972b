import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ProgressSink } from '../checks/checkContext.ts';
import type { AnyCheck } from '../checks/defineCheck.ts';
import { sha256Hex } from '../checks/resultsCache.ts';
import { runBattery, type BatteryResult, type BatterySubject } from '../checks/runBattery.ts';
import type { StatementId } from '../checks/statement.ts';
import { processFromSpec } from '../config/processSpec.ts';
import { isBuiltInTargetName, targetFromSpec } from '../config/targetSpec.ts';
import { readSpecOption } from '../config/readInput.ts';
import { CmboundsError, ValidationError } from '../core/errors.ts';
import { bonferroniLevel } from '../estimators/bonferroniLevel.ts';
import type { ConsistencyFunction, ParameterSnapshot } from '../models/consistencyFunction.ts';
import { AffineGridConsistency } from '../models/affineConsistency.ts';
import { MlpConsistency, mlpFunctionClass } from '../models/mlpConsistency.ts';
import { edmParameterization } from '../models/parameterization.ts';
import { isExternalModelSpec } from '../models/externalModel.ts';
import { initTfjsBackend } from '../models/tfjsBoundary.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { rngFromSeed } from '../random/rng.ts';
import type { ReportEntry } from '../report/auditReport.ts';
import { fitAffineSequential } from '../training/affineTraining.ts';
import { decodeSnapshot, encodeSnapshot, readJsonFile, writeFileAtomically, type EncodedSnapshot } from '../training/checkpoint.ts';
import { loadTrainingVariant, VariantFactoryError } from '../training/loadTrainingVariant.ts';
import { loadModelSpec, type LoadedModel } from '../training/modelDirectory.ts';
import { trainConsistencyModel, TrainingInterruptedError } from '../training/trainLoop.ts';
import type { TrainingVariant } from '../training/trainingVariant.ts';
import { builtInTrainingVariant } from '../training/builtInVariants.ts';
import type { AuditBattery, AuditCheckCase } from './auditBattery.ts';
import type { AuditConfig } from './auditConfig.ts';
import type { AuditCell, AuditComparison, AuditPairedComparison, CellVerdict } from './comparison.ts';
import { evaluateModel, pairedComparisonOverSeeds, rungReference, type ModelEvaluation, type RungReference } from './evaluateModel.ts';
import { modelEstimatesOf, summarizeOverSeeds } from './seedSummary.ts';
import { trainingSeeds } from './trainingSeeds.ts';
import { ladder, rungsFromNames, type LadderRung } from './ladder.ts';
import { pooledModel, trainInPool, type AuditTrainingUnit, type PooledTraining } from './auditTrainingUnit.ts';
import type { StaticProblem, StaticValidation } from './staticValidation.ts';

/** A user's module that does not export a valid TrainingVariant: every problem, each with its member and line. */
export class StaticValidationError extends ValidationError {
  readonly problems: readonly StaticProblem[];
  constructor(file: string, problems: readonly StaticProblem[]) {
    const lines = problems.map((p) => `  ${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.member}: ${p.message}`);
    super('E_INVALID_INPUT', `${file} does not export a valid TrainingVariant (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was trained):\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** Progress of one (variant, rung) cell. */
export interface CellProgress {
  readonly index: number;
  readonly total: number;
  readonly variant: string;
  readonly target: string;
  readonly step: number;
  readonly steps: number;
  readonly loss?: number;
}

/** Callbacks of the audit (the CLI draws progress bars from them; src/audit never touches the terminal). */
export interface AuditHooks {
  readonly onStaticValidation?: (v: StaticValidation) => void;
  readonly onCellStart?: (p: CellProgress) => void;
  readonly onTrainingProgress?: (p: CellProgress) => void;
  /** `kept`: the model was trained by an earlier, interrupted run of the same audit and restored from the cache. */
  readonly onCellEnd?: (p: CellProgress, cell: AuditCell, kept: boolean) => void;
  readonly onBatteryProgress?: ProgressSink;
  /** Cancellation: checked between models, at every training step and inside the checks (`ctx.checkBudget()`). */
  readonly signal?: AbortSignal;
  /** Called before `signal` is read; may abort it synchronously (see `RunBatteryOptions.pollInterrupt`). */
  readonly pollInterrupt?: () => void;
  /**
   * Results cache of the battery (as `cmbounds run`): subject keys include a hash of each model's weights. Trained
   * models are kept there too (`models/`), so an interrupted audit rerun with the same cache does not retrain them.
   */
  readonly cache?: { readonly dir: string; readonly codeVersion: string };
}

/** Everything an audit produced, ready for the report. */
export interface AuditRun {
  readonly staticValidation: StaticValidation;
  readonly comparison: AuditComparison;
  readonly battery: BatteryResult;
  /** Report entries of the battery: one per model-level check per trained model. */
  readonly entries: readonly ReportEntry[];
  /** The checks (with their audit-qualified ids) whose controls the harness self-test should run. */
  readonly checks: readonly AnyCheck[];
  readonly process: ForwardProcess;
  readonly functionClass: string;
  /** The tfjs backend (MLP class only). */
  readonly backend?: string;
  readonly aborted: boolean;
}

/** The coupling times when none are given: tMax, tMax/16 and tMax/160 (80, 5, 0.5 on VE). */
export function defaultTimes(process: ForwardProcess): number[] {
  return [process.tMax, process.tMax / 16, process.tMax / 160].filter((t) => t > process.tMin);
}

const USER = Symbol('user');

/**
 * `cmbounds audit`'s core: statically validates the user's module (ts-morph; nothing is imported if it fails), loads
 * it (the runtime shape check is the second line of defence), trains it and the built-ins with the same budget and
 * seed on every rung of the ladder, evaluates every model against the exact f* (coupling W₂ bound at each time,
 * boundary error), runs the model-level checks as one battery (Holm across all models), and compares the user's
 * variant with each built-in on paired draws.
 * @throws StaticValidationError naming every missing or mistyped member with its line; ValidationError for a
 * module that does not exist or fails the runtime shape check.
 */
export async function runAudit(config: AuditConfig, battery: AuditBattery | undefined, hooks: AuditHooks = {}): Promise<AuditRun> {
  if (config.model !== undefined) {
    const loaded = await loadAuditedModel(config);
    try {
      return await runAuditOf(config, battery, hooks, loaded);
    } finally {
      loaded.dispose();
    }
  }
  return runAuditOf(config, battery, hooks, undefined);
}

/**
 * `audit --model`: a model trained elsewhere (a folder from `cmbounds train`, or an external model over the protocol)
 * takes the place of the user's variant. It is not trained: the built-ins are trained on its target and process, and
 * everything else (evaluation, model-level checks, paired comparisons) is the audit's as usual.
 */
async function loadAuditedModel(config: AuditConfig): Promise<LoadedModel> {
  const spec = config.model!;
  if (!isExternalModelSpec(spec)) await initTfjsBackend(config.backend);
  const target = config.target === undefined ? undefined : targetFromSpec(readSpecOption(config.target, '--target', isBuiltInTargetName), '--target');
  return loadModelSpec(spec, { timeoutSeconds: config.modelTimeout, batchSize: config.modelBatch, ...(target === undefined ? {} : { target }) });
}

async function runAuditOf(config: AuditConfig, battery: AuditBattery | undefined, hooks: AuditHooks, audited: LoadedModel | undefined): Promise<AuditRun> {
  if (audited !== undefined) return runAuditBody(config, battery, hooks, audited, modelValidation(config.model!));
  // loaded on use: ts-morph is heavy, and the audit's training workers import this module without needing it
  const { validateVariantStatically } = await import('./staticValidation.ts');
  const staticValidation = validateVariantStatically(config.variant);
  hooks.onStaticValidation?.(staticValidation);
  const missing = staticValidation.problems.find((p) => p.member === 'module' && p.line === 0);
  if (missing !== undefined) throw new ValidationError('E_INVALID_INPUT', missing.message, 'variant');
  if (staticValidation.problems.length > 0) throw new StaticValidationError(config.variant, staticValidation.problems);
  return runAuditBody(config, battery, hooks, undefined, staticValidation);
}

/** What the report says about the audited model where a variant's static validation would stand. */
function modelValidation(spec: string): StaticValidation {
  return { file: spec, problems: [], notes: [`a model trained elsewhere (${spec}): nothing to validate statically; it is evaluated as it is, not trained`], durationMs: 0 };
}

async function runAuditBody(config: AuditConfig, battery: AuditBattery | undefined, hooks: AuditHooks, audited: LoadedModel | undefined, staticValidation: StaticValidation): Promise<AuditRun> {
  const process = audited?.process ?? processFromSpec({ kind: config.process }, 'process');
  const rungs: LadderRung[] =
    audited !== undefined
      ? [{ name: audited.target.name ?? audited.target.kind, description: `the data law of the audited model (${config.target === undefined ? 'as it declares it' : '--target'})`, target: audited.target }]
      : config.targets === undefined
        ? ladder(config.ladder)
        : rungsFromNames(config.targets);
  const times = config.times ?? defaultTimes(process);
  const steps = config.steps;

  // the runtime shape check on every rung before anything is trained (a factory sees each rung's target)
  // A factory that throws on a rung makes the user's row there a failed cell (named by variant and module); the
  // audit goes on. The variant is then named by its id from the other rungs, or by the module's file name.
  const userVariants = new Map<string, TrainingVariant>();
  const factoryFailures = new Map<string, VariantFactoryError>();
  for (const rung of rungs) {
    if (audited !== undefined) break;
    try {
      userVariants.set(rung.name, await loadTrainingVariant(config.variant, { process, target: rung.target, steps }));
    } catch (e) {
      if (!(e instanceof VariantFactoryError)) throw e;
      factoryFailures.set(rung.name, e);
    }
  }
  const firstRung = rungs.find((r) => userVariants.has(r.name));
  // an audited model is named by what trained it (or the name it declares), marked so that it never shares a built-in's id
  const first: Pick<TrainingVariant, 'id' | 'title'> =
    audited !== undefined
      ? { id: `model:${audited.meta.variant.id}`, title: `${audited.meta.kind === 'external' ? 'external model' : `${audited.meta.kind} model trained by ${audited.meta.variant.id}`} (${config.model})` }
      : firstRung === undefined
        ? { id: basename(config.variant), title: `${basename(config.variant)} (its factory threw on every target)` }
        : userVariants.get(firstRung.name)!;
  for (const [name, v] of userVariants) {
    if (v.id === first.id) continue;
    throw new ValidationError('E_INVALID_INPUT', `the factory returns id '${v.id}' on ${name} but '${first.id}' on ${firstRung!.name}; an id names the variant, not the target`, 'variant.id');
  }
  if ((config.builtIns as readonly string[]).includes(first.id)) {
    throw new ValidationError('E_INVALID_INPUT', `the variant's id '${first.id}' is the id of a built-in it is compared with; give it its own id`, 'variant.id');
  }

  const backend = config.functionClass === 'mlp' ? (await initTfjsBackend(config.backend)).name : undefined;
  const functionClass = config.functionClass === 'mlp' ? mlpFunctionClass(edmParameterization(process), { width: config.width, depth: config.depth, activation: 'silu' }) : undefined;
  const functionClassId = functionClass?.id ?? 'affine-grid-full (exact least squares per grid node)';
  const level = 0.95;
  const root = rngFromSeed(config.seed);
  const seeds = trainingSeeds(config.seed, config.seeds);

  const roster: (typeof USER | AuditConfig['builtIns'][number])[] = [USER, ...config.builtIns];
  const total = rungs.length * seeds.length * roster.length;
  const cells: AuditCell[] = [];
  const evaluations = new Map<string, ModelEvaluation>();
  const models: { model: ConsistencyFunction & { dispose?: () => void }; rung: LadderRung; variantId: string; modelKey: string; seed: number }[] = [];
  const references: { target: string; reference: RungReference }[] = [];
  const builtInTitles = new Map<string, string>();
  let aborted = false;
  let index = 0;
  /** Lets a SIGINT listener run, then reads the (possibly shared-memory) cancellation flag. */
  const interrupted = async (): Promise<boolean> => {
    await new Promise((resolve) => setImmediate(resolve));
    hooks.pollInterrupt?.();
    return hooks.signal?.aborted ?? false;
  };

  try {
    // with several workers, the models train as independent units on a pool first (merged below in roster order)
    // (not with --model: the audited model's rung is its own target, which the workers do not rebuild)
    const pooled = audited === undefined ? await trainPooled(config, rungs, seeds, roster.filter((who): who is AuditConfig['builtIns'][number] => who !== USER), [...userVariants.keys()], first.id, process, hooks) : new Map<string, PooledTraining>();
    training: for (const rung of rungs) {
      for (const [seedIndex, seed] of seeds.entries()) {
        if (await interrupted()) break training;
        // fresh evaluation draws per training seed (the first seed keeps the one-seed stream), so that the per-seed
        // results are independent replicates and a t interval over seeds covers both the training and the draws
        const rungStream = root.child('audit').child(rung.name);
        const reference = rungReference(rung.target, process, times, config.n, seedIndex === 0 ? rungStream : rungStream.child(`seed=${seed}`));
        references.push({ target: rung.name, reference });
        for (const who of roster) {
          if (await interrupted()) break training;
          const factoryFailure = who === USER ? factoryFailures.get(rung.name) : undefined;
          if (factoryFailure !== undefined) {
            const failed: AuditCell = { variant: first.id, role: 'user', target: rung.name, seed, status: 'failed', error: `variant ${first.id}: ${factoryFailure.message.replace(/^variant: /, '')}`, trainingMs: 0, coupling: [], verdicts: [] };
            const progress: CellProgress = { index, total, variant: first.id, target: rung.name, step: 0, steps };
            hooks.onCellStart?.(progress);
            cells.push(failed);
            hooks.onCellEnd?.({ ...progress, step: steps }, failed, false);
            index += 1;
            continue;
          }
          if (who === USER && audited !== undefined) {
            // the audited model is evaluated as it is: no training, the same reference draws as every built-in
            const progress: CellProgress = { index, total, variant: first.id, target: rung.name, step: steps, steps };
            hooks.onCellStart?.(progress);
            let cell: AuditCell;
            try {
              const evaluation = evaluateModel(audited.model, reference, level);
              evaluations.set(cellKey(first.id, rung.name, seed), evaluation);
              // the audited model is one model: its model-level checks run once, with the first seed's cell
              if (seedIndex === 0) models.push({ model: audited.model, rung, variantId: first.id, modelKey: auditedModelKey(config.model!, audited), seed });
              const coupling = evaluation.coupling.map((c) => ({ t: c.t, value: c.estimate.value, lower: c.estimate.interval.lower, upper: c.estimate.interval.upper, level: c.estimate.interval.level, n: c.estimate.n }));
              cell = { variant: first.id, role: 'user', target: rung.name, seed, status: 'trained', trainingMs: 0, coupling, boundaryError: evaluation.boundaryError, verdicts: [] };
            } catch (e) {
              // an external model that fails mid-audit (exits, answers NaN) is a finding about that model: a failed row
              if (!(e instanceof CmboundsError)) throw e;
              cell = { variant: first.id, role: 'user', target: rung.name, seed, status: 'failed', error: e.message, trainingMs: 0, coupling: [], verdicts: [] };
            }
            cells.push(cell);
            hooks.onCellEnd?.(progress, cell, false);
            index += 1;
            continue;
          }
          const variant = who === USER ? userVariants.get(rung.name)! : builtInTrainingVariant(who, process, { steps: config.steps, gridSize: config.gridSize, dim: rung.target.dim });
          if (who !== USER) builtInTitles.set(variant.id, variant.title);
          const progress: CellProgress = { index, total, variant: variant.id, target: rung.name, step: 0, steps };
          // a pooled model's progress was reported as it finished training
          const pooledCell = pooled.get(cellKey(variant.id, rung.name, seed));
          if (pooledCell === undefined) hooks.onCellStart?.(progress);
          const started = performance.now();
          let cell: AuditCell;
          const keptFile = keptModelFile(hooks.cache, variant.id, rung.name, seed);
          const kept = pooledCell === undefined && keptFile !== undefined && existsSync(keptFile) ? restoreKeptModel(keptFile, rung.target.dim, process) : undefined;
          try {
            const trained = kept?.trained ?? (pooledCell === undefined ? await trainOne(variant, rung, process, config, seed, functionClass, (step, loss) => hooks.onTrainingProgress?.({ ...progress, step, loss }), hooks) : pooledModel(pooledCell));
            const trainingMs = kept?.trainingMs ?? pooledCell?.trainingMs ?? performance.now() - started;
            if (keptFile !== undefined && kept === undefined && pooledCell === undefined) keepModel(keptFile, trained, trainingMs);
            try {
              const evaluation = evaluateModel(trained.model, reference, level);
              evaluations.set(cellKey(variant.id, rung.name, seed), evaluation);
              const modelKey = hashSnapshot(trained.snapshot);
              models.push({ model: trained.model, rung, variantId: variant.id, modelKey, seed });
              cell = {
                variant: variant.id,
                role: who === USER ? 'user' : 'built-in',
                target: rung.name,
                seed,
                status: 'trained',
                trainingMs,
                ...(trained.finalLoss === undefined ? {} : { finalLoss: trained.finalLoss }),
                coupling: evaluation.coupling.map((c) => ({ t: c.t, value: c.estimate.value, lower: c.estimate.interval.lower, upper: c.estimate.interval.upper, level: c.estimate.interval.level, n: c.estimate.n })),
                boundaryError: evaluation.boundaryError,
                verdicts: [],
              };
            } catch (e) {
              trained.model.dispose?.();
              throw e;
            }
          } catch (e) {
            if (e instanceof TrainingInterruptedError) break training;
            // a variant that diverges (non-finite loss, gradient or output) is a finding about the variant, not the audit;
            // so is any exception the user's own code throws. A built-in failing otherwise is a bug here: it propagates.
            if (!(e instanceof CmboundsError) && who !== USER) throw e;
            cell = { variant: variant.id, role: who === USER ? 'user' : 'built-in', target: rung.name, seed, status: 'failed', error: e instanceof Error ? e.message : String(e), trainingMs: performance.now() - started, coupling: [], verdicts: [] };
          }
          cells.push(cell);
          if (pooledCell === undefined) hooks.onCellEnd?.({ ...progress, step: steps }, cell, kept !== undefined);
          index += 1;
        }
      }
    }
    hooks.pollInterrupt?.();
    aborted = hooks.signal?.aborted ?? false;

    // the model-level checks of every trained model, as one battery
    const checks: AnyCheck[] = [];
    const subjects: Record<string, BatterySubject> = {};
    const owner = new Map<string, { variant: string; target: string; seed: number; statement: string; summarize?: AuditCheckCase['summarize'] }>();
    if (battery !== undefined && !aborted) {
      for (const m of models) {
        for (const c of battery.casesFor({ target: m.rung.target, targetName: m.rung.name, process, model: namedAfterVariant(m.model, m.variantId), variantId: m.variantId, modelKey: m.modelKey, samples: config.checkSamples })) {
          const id = qualifiedId(c.check.id, m.variantId, m.rung.name, seeds.length > 1 ? m.seed : undefined);
          checks.push({ ...c.check, id, title: `${c.check.title} — ${m.variantId} on ${m.rung.name}` });
          subjects[id] = c.subject;
          owner.set(id, { variant: m.variantId, target: m.rung.name, seed: m.seed, statement: c.check.id, ...(c.summarize === undefined ? {} : { summarize: c.summarize }) });
        }
      }
    }
    const batteryResult = await runBattery(checks, subjects, {
      seed: config.seed,
      falseFailRate: config.falseFailRate,
      ...(hooks.cache === undefined ? {} : { cache: hooks.cache }),
      ...(hooks.onBatteryProgress === undefined ? {} : { onProgress: hooks.onBatteryProgress }),
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      ...(hooks.pollInterrupt === undefined ? {} : { pollInterrupt: hooks.pollInterrupt }),
    });
    aborted = aborted || batteryResult.aborted;
    const verdictsByCell = new Map<string, CellVerdict[]>();
    for (const r of batteryResult.results) {
      const o = owner.get(r.checkId);
      if (o === undefined) continue;
      const key = cellKey(o.variant, o.target, o.seed);
      const list = verdictsByCell.get(key) ?? [];
      const summary = r.evidence === undefined ? undefined : o.summarize?.(r.evidence);
      const estimates = r.evidence === undefined ? undefined : modelEstimatesOf(o.statement, r.evidence);
      list.push({ statement: o.statement, entry: r.checkId, verdict: r.evidence?.verdict ?? (r.status as 'skipped' | 'error' | 'aborted'), ...(summary === undefined ? {} : { summary }), ...(estimates === undefined ? {} : { estimates }) });
      verdictsByCell.set(key, list);
    }
    const finalCells = cells.map((c) => ({ ...c, verdicts: verdictsByCell.get(cellKey(c.variant, c.target, c.seed)) ?? [] }));

    // the user's variant against each built-in, paired on the shared draws of each seed and by seed, Bonferroni over the family
    const pairs: { target: string; tIndex: number; builtIn: string; bySeed: { user: ModelEvaluation; other: ModelEvaluation }[] }[] = [];
    for (const rung of rungs) {
      for (const b of config.builtIns) {
        // only seeds where both models trained: the pairing is by seed
        const bySeed = seeds.flatMap((seed) => {
          const user = evaluations.get(cellKey(first.id, rung.name, seed));
          const other = evaluations.get(cellKey(b, rung.name, seed));
          return user === undefined || other === undefined ? [] : [{ user, other }];
        });
        if (bySeed.length === 0) continue;
        times.forEach((_, tIndex) => pairs.push({ target: rung.name, tIndex, builtIn: b, bySeed }));
      }
    }
    const familyLevel = 0.95;
    const pairLevel = pairs.length > 0 ? bonferroniLevel(familyLevel, pairs.length) : familyLevel;
    const comparisons: AuditPairedComparison[] = pairs.map((p) => {
      const { difference, outcome, method } = pairedComparisonOverSeeds(
        p.bySeed.map((s) => ({ a: s.user.coupling[p.tIndex]!.squaredErrors, b: s.other.coupling[p.tIndex]!.squaredErrors })),
        pairLevel,
      );
      return { target: p.target, t: times[p.tIndex]!, builtIn: p.builtIn, difference, outcome, method, seeds: p.bySeed.length };
    });

    const byId = new Map(checks.map((c) => [c.id, c]));
    const entries: ReportEntry[] = batteryResult.results.map((result) => {
      const c = byId.get(result.checkId as StatementId)!;
      return { statement: { id: c.id, kind: c.kind, title: c.title, claim: c.claim, source: c.source, dependsOn: c.dependsOn }, result };
    });

    const comparison: AuditComparison = {
      variant: { file: config.variant, id: first.id, title: first.title, exportName: staticValidation.exportName ?? 'default', form: staticValidation.form ?? 'object' },
      builtIns: [...builtInTitles].map(([id, title]) => ({ id, title })),
      ladder: { name: config.targets === undefined ? config.ladder : 'custom', rungs: rungs.map((r) => ({ name: r.name, description: r.description, dim: r.target.dim })) },
      times,
      budget: {
        functionClass: functionClassId,
        steps,
        ...(config.functionClass === 'mlp' ? { batchSize: config.batchSize, learningRate: config.lr, emaDecay: config.emaDecay } : { samplesPerNode: config.samplesPerNode }),
        seed: config.seed,
        seeds,
        evaluationPoints: config.n,
        weights: config.functionClass === 'mlp' ? `EMA (decay ${config.emaDecay})` : 'least-squares fit',
      },
      referenceFlow: references.flatMap((r) => r.reference.points.map((p) => ({ target: r.target, t: p.t, method: p.method, ...(p.errorEstimate === undefined ? {} : { errorEstimate: p.errorEstimate }) }))),
      cells: finalCells,
      summaries: summarizeOverSeeds(finalCells, times, level),
      comparisons,
      comparisonFamilyLevel: familyLevel,
      staticValidation: { durationMs: staticValidation.durationMs, notes: staticValidation.notes },
    };
    return {
      staticValidation,
      comparison,
      battery: batteryResult,
      entries,
      checks: battery?.checks ?? [],
      process,
      functionClass: functionClassId,
      ...(backend === undefined ? {} : { backend }),
      aborted,
    };
  } finally {
    // the audited model belongs to the caller (runAudit closes it); the built-ins are the audit's own
    for (const m of models) if (m.model !== audited?.model) m.model.dispose?.();
  }
}

/** Names an audited model's parameters: the command of an external model, the hash of a folder's weight files. */
function auditedModelKey(spec: string, audited: LoadedModel): string {
  if (isExternalModelSpec(spec)) return sha256Hex(spec, 16);
  const parts = ['model.json', ...Object.values(audited.meta.weights)].sort().map((f) => `${f}:${sha256Hex(readFileSync(join(spec, f)).toString('base64'), 16)}`);
  return sha256Hex(parts.join('|'), 16);
}

/**
 * `song2023.multistepSampling[ct@bimodal-1d]`: one entry per check per trained model; with several training seeds
 * the seed is part of it (`…[ct@bimodal-1d#seed=1]`).
 */
export function qualifiedId(checkId: string, variant: string, target: string, seed?: number): StatementId {
  return `${checkId}[${variant}@${target}${seed === undefined ? '' : `#seed=${seed}`}]` as StatementId;
}

function cellKey(variant: string, target: string, seed: number): string {
  return `${variant}\u0000${target}\u0000${seed}`;
}

/** The cache file that keeps a trained model between an interrupted audit and its rerun. */
function keptModelFile(cache: AuditHooks['cache'], variantId: string, rungName: string, seed: number): string | undefined {
  return cache === undefined ? undefined : join(cache.dir, 'models', `${sha256Hex(JSON.stringify([variantId, rungName, seed]), 16)}.json`);
}

/**
 * With `config.workers` > 1: trains every model the audit would train (not the kept ones, not the failed factories)
 * on a worker pool, keeping each in the cache as it finishes. Keyed like the cells; empty with one worker. Ctrl-C
 * terminates the workers; the audit then stops at its next check, and a rerun keeps what finished.
 */
async function trainPooled(
  config: AuditConfig,
  rungs: readonly LadderRung[],
  seeds: readonly number[],
  builtIns: readonly AuditConfig['builtIns'][number][],
  userRungs: readonly string[],
  userId: string,
  process: ForwardProcess,
  hooks: AuditHooks,
): Promise<Map<string, PooledTraining>> {
  const pooled = new Map<string, PooledTraining>();
  if ((config.workers ?? 1) <= 1) return pooled;
  const units: AuditTrainingUnit[] = [];
  const meta: { key: string; seed: number; dim: number; keptFile: string | undefined; progress: CellProgress; role: AuditCell['role'] }[] = [];
  const rosterSize = 1 + builtIns.length;
  const total = rungs.length * seeds.length * rosterSize;
  for (const [rungIndex, rung] of rungs.entries()) {
    for (const [seedIndex, seed] of seeds.entries()) {
      for (const [rosterIndex, w] of (['user', ...builtIns] as const).entries()) {
        if (w === 'user' && !userRungs.includes(rung.name)) continue;
        const variantId = w === 'user' ? userId : builtInTrainingVariant(w, process, { steps: config.steps, gridSize: config.gridSize, dim: rung.target.dim }).id;
        const keptFile = keptModelFile(hooks.cache, variantId, rung.name, seed);
        if (keptFile !== undefined && existsSync(keptFile)) continue;
        units.push({ config, who: w, rung: rung.name, seed });
        // the index the in-process loop gives this cell (rung, then seed, then roster)
        const progress: CellProgress = { index: (rungIndex * seeds.length + seedIndex) * rosterSize + rosterIndex, total, variant: variantId, target: rung.name, step: 0, steps: config.steps };
        meta.push({ key: cellKey(variantId, rung.name, seed), seed, dim: rung.target.dim, keptFile, progress, role: w === 'user' ? 'user' : 'built-in' });
      }
    }
  }
  if (units.length === 0) return pooled;
  const poll = (): void => {
    hooks.pollInterrupt?.();
    if (hooks.signal?.aborted) throw new TrainingInterruptedError(0, config.steps, undefined);
  };
  try {
    hooks.onCellStart?.(meta[0]!.progress);
    const results = await trainInPool(units, meta.map((m) => m.dim), process, config.workers!, poll, (index, result) => {
      const { keptFile, progress, role, seed } = meta[index]!;
      if (keptFile !== undefined && 'trained' in result) keepModel(keptFile, result.trained, result.trainingMs);
      // progress in completion order (the cell itself, with its evaluation, is built in roster order afterwards)
      const base = { variant: progress.variant, role, target: progress.target, seed, trainingMs: result.trainingMs, coupling: [], verdicts: [] };
      const cell: AuditCell = 'trained' in result ? { ...base, status: 'trained', ...(result.trained.finalLoss === undefined ? {} : { finalLoss: result.trained.finalLoss }) } : { ...base, status: 'failed', error: result.failed };
      hooks.onCellStart?.(progress);
      hooks.onCellEnd?.({ ...progress, step: progress.steps }, cell, false);
    });
    results.forEach((result, index) => pooled.set(meta[index]!.key, result));
  } catch (e) {
    if (!(e instanceof TrainingInterruptedError)) throw e;
  }
  return pooled;
}

export interface Trained {
  readonly model: ConsistencyFunction & { dispose?: () => void };
  readonly snapshot: ParameterSnapshot;
  readonly finalLoss?: number;
}

export async function trainOne(
  variant: TrainingVariant,
  rung: LadderRung,
  process: ForwardProcess,
  config: AuditConfig,
  seed: number,
  functionClass: ReturnType<typeof mlpFunctionClass> | undefined,
  onStep: (step: number, loss: number) => void,
  cancellation: Pick<AuditHooks, 'signal' | 'pollInterrupt'>,
): Promise<Trained> {
  if (functionClass === undefined) {
    const model = fitAffineSequential(variant, rung.target, process, { samplesPerNode: config.samplesPerNode, rng: rngFromSeed(seed).child('affine') }, config.steps);
    onStep(config.steps, Number.NaN);
    return { model, snapshot: model.snapshot() };
  }
  const result = await trainConsistencyModel({
    variant,
    target: rung.target,
    process,
    functionClass,
    steps: config.steps,
    seed,
    batchSize: config.batchSize,
    adam: { learningRate: config.lr },
    emaDecay: config.emaDecay,
    logEvery: Math.max(1, Math.floor(config.steps / 20)),
    onProgress: (p) => onStep(p.step, p.entry.loss),
    ...(cancellation.signal === undefined ? {} : { signal: cancellation.signal }),
    ...(cancellation.pollInterrupt === undefined ? {} : { pollInterrupt: cancellation.pollInterrupt }),
  });
  result.model.dispose();
  const last = result.history[result.history.length - 1];
  return { model: result.ema, snapshot: result.ema.snapshot(), ...(last === undefined ? {} : { finalLoss: last.loss }) };
}

/** A trained model as the audit keeps it between an interrupted run and its rerun. */
export interface KeptModelFile {
  readonly format: 'cmbounds-audit-model-1';
  readonly trainingMs: number;
  readonly finalLoss?: number;
  readonly snapshot: EncodedSnapshot;
  readonly mlp?: { readonly architecture: MlpConsistency['architecture'] };
  readonly affine?: { readonly times: number[]; readonly structure: AffineGridConsistency['structure']; readonly intercept: boolean };
}

function keepModel(file: string, trained: Trained, trainingMs: number): void {
  const kept = keptModelOf(trained, trainingMs);
  if (kept === undefined) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomically(file, JSON.stringify(kept));
}

/** A trained model as plain data (what `keepModel` writes and a pooled training unit sends back). */
export function keptModelOf(trained: Trained, trainingMs: number): KeptModelFile | undefined {
  const model = trained.model;
  const kind =
    model instanceof MlpConsistency
      ? { mlp: { architecture: model.architecture } }
      : model instanceof AffineGridConsistency
        ? { affine: { times: Array.from(model.times), structure: model.structure, intercept: model.intercept } }
        : undefined;
  if (kind === undefined) return undefined;
  return { format: 'cmbounds-audit-model-1', trainingMs, ...(trained.finalLoss === undefined ? {} : { finalLoss: trained.finalLoss }), snapshot: encodeSnapshot(trained.snapshot), ...kind };
}

/** The model `keepModel` wrote, with the same parameters (so the same weight hash and the same cached checks). */
function restoreKeptModel(file: string, dim: number, process: ForwardProcess): { trained: Trained; trainingMs: number } | undefined {
  return restoreKept(readJsonFile(file, 'audit model') as KeptModelFile, dim, process);
}

/** The model of `keptModelOf`'s data, with the same parameters. */
export function restoreKept(kept: KeptModelFile, dim: number, process: ForwardProcess): { trained: Trained; trainingMs: number } | undefined {
  if (kept.format !== 'cmbounds-audit-model-1') return undefined;
  const snapshot = decodeSnapshot(kept.snapshot, 'audit model');
  let model: Trained['model'];
  if (kept.mlp !== undefined) model = new MlpConsistency(edmParameterization(process), kept.mlp.architecture, snapshot.entries.map((e) => e.values), false);
  else if (kept.affine !== undefined) {
    const affine = new AffineGridConsistency(dim, kept.affine);
    affine.restore(snapshot);
    model = affine;
  } else return undefined;
  return { trained: { model, snapshot, ...(kept.finalLoss === undefined ? {} : { finalLoss: kept.finalLoss }) }, trainingMs: kept.trainingMs };
}

/** SHA-256 of a model's parameters (names, shapes, values): the model part of every subject key. */
export function hashSnapshot(snapshot: ParameterSnapshot): string {
  const h = createHash('sha256').update(snapshot.dtype);
  for (const e of snapshot.entries) {
    h.update(`${e.name}:${e.shape.join('x')};`);
    h.update(new Uint8Array(e.values.buffer, e.values.byteOffset, e.values.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * The model as the checks see it, with an id that names the variant ('ct (mlp-2x64-silu)'), so their reasons and
 * plot legends say which variant they are about. The model's own methods and fields are reached through the prototype.
 */
function namedAfterVariant(model: ConsistencyFunction, variantId: string): ConsistencyFunction {
  return Object.create(model, { id: { value: `${variantId} (${model.id})`, enumerable: true } }) as ConsistencyFunction;
}

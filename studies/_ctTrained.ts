/**
 * The trained comparison of the ct-vs-cd study (a check of its own, kept out of ctVsCd.ts for length):
 * CT, iCT and CD with the exact teacher, each a 2×32 SiLU MLP with the EDM parameterisation trained with the same
 * optimiser steps, batch size and seeds (the budget), compared by the synchronous-coupling bound
 * (E‖f(X_t, t) − f*(X_t, t)‖²)^{1/2} ≥ W₂(f(·, t)♯p_t, p_ε) on common draws (paired, so the draw-to-draw variance cancels).
 * With several seeds (the study trains 3), each seed has its own evaluation draws and the intervals are over the seeds,
 * as in `cmbounds audit`: they cover the training randomness. Reuses the audit's built-in variants, reference draws,
 * seed aggregation and paired comparison (src/audit).
 */
import {
  builtInTarget,
  combineVerdicts,
  currentTfjsBackend,
  couplingUpperBound,
  defineCheck,
  edmParameterization,
  estimatePowerMeanRootByClt,
  initTfjsBackend,
  levelForFalseFailRate,
  makeEvidence,
  mlpFunctionClass,
  provenanceOf,
  trainConsistencyModel,
  varianceExploding,
  type ConsistencyFunction,
  type Estimate,
  type EvidencePart,
  builtInTrainingVariant,
  pairedComparison,
  rungReference,
  squaredDistances,
} from '../src/index.ts';
import { pairedComparisonOverSeeds, overSeeds } from '../src/index.ts';

export type BuiltIn = 'ct' | 'ict' | 'cd-exact';

export interface TrainedArm {
  readonly variant: BuiltIn;
  /** Optimiser steps (the budget; equal across the arms of a fair comparison). */
  readonly steps: number;
}

export interface TrainedBudgetSubject {
  readonly target: string;
  readonly tMax: number;
  readonly batchSize: number;
  readonly width: number;
  readonly seeds: readonly number[];
  /** Draws of the coupling bound at each evaluation time. */
  readonly n: number;
  readonly times: readonly number[];
  /**
   * "a is not worse than b": decided on the paired mean difference of squared errors at times[0]; with several seeds
   * paired by seed (t interval of the per-seed differences), with one seed over its draws.
   */
  readonly comparisons: readonly { readonly label: string; readonly a: TrainedArm; readonly b: TrainedArm }[];
}

export function trainedBudgetSubject(full: boolean): TrainedBudgetSubject {
  const steps = full ? 2000 : 300;
  return {
    target: 'bimodal-1d',
    tMax: 80,
    batchSize: 128,
    width: 32,
    // three training seeds in the study (the between-seed variance enters every interval); one in the controls, for speed
    seeds: full ? [1, 2, 3] : [1],
    n: full ? 4000 : 1000,
    times: [80, 5, 0.5],
    comparisons: [
      { label: 'iCT not worse than CT', a: { variant: 'ict', steps }, b: { variant: 'ct', steps } },
      { label: 'CT not worse than CD-exact', a: { variant: 'ct', steps }, b: { variant: 'cd-exact', steps } },
    ],
  };
}

const trainedCache = new Map<string, ConsistencyFunction>();

/** A model trained with the study's settings (memoised per process: the suite's checks share trainings). */
export async function trainedModel(arm: TrainedArm, seed: number, s: Pick<TrainedBudgetSubject, 'target' | 'tMax' | 'batchSize' | 'width'>): Promise<ConsistencyFunction> {
  const key = JSON.stringify({ arm, seed, target: s.target, tMax: s.tMax, batchSize: s.batchSize, width: s.width });
  const hit = trainedCache.get(key);
  if (hit) return hit;
  await initTfjsBackend('auto');
  const process = varianceExploding({ tMax: s.tMax });
  const target = builtInTarget(s.target);
  const result = await trainConsistencyModel({
    variant: builtInTrainingVariant(arm.variant, process, { steps: arm.steps, gridSize: 18, dim: target.dim }),
    target,
    process,
    functionClass: mlpFunctionClass(edmParameterization(process), { width: s.width, depth: 2, activation: 'silu' }),
    steps: arm.steps,
    seed,
    batchSize: s.batchSize,
    adam: { learningRate: 3e-3 },
    emaDecay: 0.99,
    logEvery: Math.max(1, Math.floor(arm.steps / 10)),
  });
  result.model.dispose();
  trainedCache.set(key, result.ema);
  return result.ema;
}

const g4 = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? Number(x.toPrecision(4)).toString() : x.toExponential(3));
const armName = (a: TrainedArm): string => `${a.variant} (${a.steps} steps)`;

export const ctTrainedBudget = defineCheck<TrainedBudgetSubject>({
  id: 'studies.ctTrainedBudget',
  kind: 'theorem',
  title: 'CT, iCT and CD-exact trained under one budget: coupling W₂ bounds, paired',
  claim:
    'Under the same training budget (optimiser steps, batch, seeds, architecture), the first model of each pair is not worse than the second in the ' +
    'synchronous-coupling bound on W₂ at t = T: iCT ≤ CT (Song & Dhariwal 2024: the improved techniques help) and CT ≤ CD-exact (Song et al. ' +
    '2023, Theorem 2: CT recovers CD without a teacher). Decided on the paired mean difference of squared errors, paired by seed (t interval over the seeds).',
  source: { paper: 'song2024', label: 'iCT vs CT; Theorem 2 of song2023 for CT vs CD', equation: 'song2023 Theorem 2' },
  dependsOn: ['lyu2023.scoreLipschitz', 'note.coupling', 'song2023.theorem2'],
  constants: [
    { symbol: 'W2_up', meaning: '(E‖f(X_t, t) − f*(X_t, t)‖²)^{1/2} per arm and time', role: 'estimated' },
    { symbol: 'difference', meaning: 'paired mean of ‖f_a − f*‖² − ‖f_b − f*‖² at t = T', role: 'estimated' },
  ],
  tags: ['study', 'trained'],
  subject: 'training-run',
  design: { estimand: 'the paired mean difference of squared coupling errors at t = T, per comparison', decision: 'upper-bound', falseFailRate: 1e-3 },
  controls: [
    {
      name: 'moreStepsHelps',
      description: 'CD-exact with 300 steps against CD-exact with 10 steps (bimodal-1d): the longer training is not worse',
      expected: 'holds',
      build: () => ({ ...trainedBudgetSubject(false), comparisons: [{ label: 'CD-exact 300 not worse than CD-exact 10', a: { variant: 'cd-exact' as const, steps: 300 }, b: { variant: 'cd-exact' as const, steps: 10 } }] }),
    },
    {
      name: 'fewerStepsHurts',
      description: 'CD-exact with 10 steps against CD-exact with 300 steps: the undertrained model is worse',
      expected: 'violated',
      build: () => ({ ...trainedBudgetSubject(false), comparisons: [{ label: 'CD-exact 10 not worse than CD-exact 300', a: { variant: 'cd-exact' as const, steps: 10 }, b: { variant: 'cd-exact' as const, steps: 300 } }] }),
    },
  ],
  async run(subject, ctx) {
    const process = varianceExploding({ tMax: subject.tMax });
    const target = builtInTarget(subject.target);
    const m = subject.comparisons.length;
    const level = levelForFalseFailRate(ctx.falseFailRate / m);
    const draws = Math.min(subject.n, ctx.budget.maxSamples);
    // one set of evaluation draws per seed (the first keeps the one-seed stream): per-seed results are independent replicates
    const references = subject.seeds.map((seed, k) => rungReference(target, process, subject.times, draws, k === 0 ? ctx.rng.child('reference') : ctx.rng.child('reference').child(`seed=${seed}`)));
    const arms = new Map<string, TrainedArm>();
    for (const c of subject.comparisons) for (const a of [c.a, c.b]) arms.set(armName(a), a);
    const estimates: Record<string, Estimate> = {};
    /** squared errors per arm, per seed, per time (the draws of one seed are common to the arms: pairing is by index). */
    const errors = new Map<string, Float64Array[][]>();
    let done = 0;
    for (const [name, arm] of arms) {
      const perSeed: Float64Array[][] = [];
      for (const [k, seed] of subject.seeds.entries()) {
        ctx.checkBudget();
        const model = await trainedModel(arm, seed, subject);
        perSeed.push(
          references[k]!.points.map((p) => {
            const fx = model.evaluate(p.x, p.t);
            estimates[`${name}.W2_up@t=${p.t}.seed${seed}`] = couplingUpperBound(fx, p.fStar, 2, { level: 0.95 });
            return squaredDistances(fx, p.fStar);
          }),
        );
        ctx.progress(++done / (arms.size * subject.seeds.length), `${name} seed ${seed}`);
      }
      errors.set(name, perSeed);
      subject.times.forEach((t, tIndex) => {
        if (subject.seeds.length === 1) {
          // one seed: a Monte Carlo estimate over the draws given the trained model, not the training noise
          estimates[`${name}.W2_up@t=${t}`] = estimatePowerMeanRootByClt(perSeed[0]![tIndex]!, 2, { level: 0.95 });
          return;
        }
        // several seeds: the mean of the per-seed bounds with the t interval over the seeds (covers training and draws)
        const values = subject.seeds.map((seed) => estimates[`${name}.W2_up@t=${t}.seed${seed}`]!);
        const mean = overSeeds(values.map((e) => ({ value: e.value, lower: e.interval.lower, upper: e.interval.upper })), 0.95)!;
        estimates[`${name}.W2_up@t=${t}`] = { value: mean.value, interval: { lower: mean.lower, upper: mean.upper, level: 0.95 }, method: 'clt-mean', n: mean.n };
      });
    }
    const parts: EvidencePart[] = [];
    for (const c of subject.comparisons) {
      const a = errors.get(armName(c.a))!;
      const b = errors.get(armName(c.b))!;
      const { difference } = pairedComparisonOverSeeds(subject.seeds.map((_, k) => ({ a: a[k]![0]!, b: b[k]![0]! })), level);
      estimates[`${c.label}.difference`] = difference;
      const verdict = difference.interval.upper <= 0 ? 'holds' : difference.interval.lower > 0 ? 'violated' : 'inconclusive';
      const wa = estimates[`${armName(c.a)}.W2_up@t=${subject.times[0]}`]!.value;
      const wb = estimates[`${armName(c.b)}.W2_up@t=${subject.times[0]}`]!.value;
      parts.push({
        name: c.label,
        verdict,
        reason:
          `at t = ${subject.times[0]}: W₂ bound ${g4(wa)} (${armName(c.a)}) vs ${g4(wb)} (${armName(c.b)}); paired mean difference of squared errors ${g4(difference.value)} [${g4(difference.interval.lower)}, ${g4(difference.interval.upper)}] ` +
          (subject.seeds.length === 1 ? `over ${a[0]![0]!.length} draws of one seed` : `over ${subject.seeds.length} seeds (t interval of the per-seed differences, ${a[0]![0]!.length} draws each)`),
      });
    }
    const verdict = combineVerdicts(parts.map((p) => p.verdict));
    const table = [...arms.keys()].map((name) => `${name}: ${subject.times.map((t) => `${g4(estimates[`${name}.W2_up@t=${t}`]!.value)} (t = ${t})`).join(', ')}`).join('; ');
    const reason = `${parts.map((p) => `${p.name}: ${p.verdict}`).join('; ')} (paired, t = ${subject.times[0]}). W₂ bounds: ${table}.`;
    const body = {
      estimates,
      thresholds: [{ symbol: 'difference', value: 0, side: 'upper' as const }],
      reason,
      parts,
      diagnostics: [
        { kind: 'note' as const, message: `${subject.target}, VE (T = ${subject.tMax}); 2×${subject.width} SiLU MLP, EDM parameterisation, batch ${subject.batchSize}, Adam 3e-3, EMA 0.99; seeds ${subject.seeds.join(', ')}; ${subject.n} draws per time and seed, common to the arms; paired intervals at level ${level.toFixed(6)}` },
        subject.seeds.length === 1
          ? { kind: 'monte-carlo-error' as const, message: 'one training seed: the intervals cover the evaluation draws, not the training randomness' }
          : { kind: 'monte-carlo-error' as const, message: `${subject.seeds.length} training seeds, each with its own draws: W₂ bounds are means over the seeds and paired differences are paired by seed, with Student-t intervals over the seeds (they cover training randomness and draws together)` },
        { kind: 'note' as const, message: `tfjs backend: ${currentTfjsBackend()} (training is deterministic per seed on one backend; another backend may round differently)` },
      ],
      plots: [
        {
          id: 'coupling-bounds',
          title: 'Coupling bound on W₂ against t, per trained model',
          mark: 'line' as const,
          x: { label: 't', scale: 'log' as const },
          y: { label: 'W₂ upper bound', scale: 'log' as const },
          series: [...arms.keys()].map((name) => ({ name, x: [...subject.times], y: subject.times.map((t) => estimates[`${name}.W2_up@t=${t}`]!.value) })),
        },
      ],
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') {
      const worst = parts.find((p) => p.verdict === 'violated')!;
      return makeEvidence('studies.ctTrainedBudget', provenance, body, { verdict, witness: { description: worst.reason, value: estimates[`${worst.name}.difference`]!.value } });
    }
    return makeEvidence('studies.ctTrainedBudget', provenance, body, { verdict });
  },
});

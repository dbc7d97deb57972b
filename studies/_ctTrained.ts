/**
 * The trained comparison of the ct-vs-cd study (a check of its own, kept out of ctVsCd.ts for length):
 * CT, iCT and CD with the exact teacher, each a 2×32 SiLU MLP with the EDM parameterisation trained with the same
 * optimiser steps, batch size and seeds (the budget), compared by the synchronous-coupling bound
 * (E‖f(X_t, t) − f*(X_t, t)‖²)^{1/2} ≥ W₂(f(·, t)♯p_t, p_ε) on common draws (paired, so the draw-to-draw variance cancels).
 * Reuses the audit's built-in variants, reference draws and paired comparison (src/audit).
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
  /** "a is not worse than b": decided on the paired mean difference of squared errors at times[0], pooled over seeds. */
  readonly comparisons: readonly { readonly label: string; readonly a: TrainedArm; readonly b: TrainedArm }[];
}

export function trainedBudgetSubject(full: boolean): TrainedBudgetSubject {
  const steps = full ? 2000 : 300;
  return {
    target: 'bimodal-1d',
    tMax: 80,
    batchSize: 128,
    width: 32,
    seeds: full ? [1, 2] : [1],
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
    '2023, Theorem 2: CT recovers CD without a teacher). Decided on the paired mean difference of squared errors, pooled over seeds.',
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
    const reference = rungReference(target, process, subject.times, Math.min(subject.n, ctx.budget.maxSamples), ctx.rng.child('reference'));
    const arms = new Map<string, TrainedArm>();
    for (const c of subject.comparisons) for (const a of [c.a, c.b]) arms.set(armName(a), a);
    const estimates: Record<string, Estimate> = {};
    /** squared errors per arm at each time, concatenated over seeds (the draws are common, so pairing is by index). */
    const errors = new Map<string, Float64Array[]>();
    let done = 0;
    for (const [name, arm] of arms) {
      const perTime = subject.times.map(() => [] as number[]);
      for (const seed of subject.seeds) {
        ctx.checkBudget();
        const model = await trainedModel(arm, seed, subject);
        reference.points.forEach((p, k) => {
          const fx = model.evaluate(p.x, p.t);
          perTime[k]!.push(...squaredDistances(fx, p.fStar));
          if (subject.seeds.length === 1 || seed === subject.seeds[0]) estimates[`${name}.W2_up@t=${p.t}.seed${seed}`] = couplingUpperBound(fx, p.fStar, 2, { level: 0.95 });
        });
        ctx.progress(++done / (arms.size * subject.seeds.length), `${name} seed ${seed}`);
      }
      const arrays = perTime.map((v) => Float64Array.from(v));
      errors.set(name, arrays);
      // pooled over seeds: the draws are common, so average each draw's squared error over the seeds (i.i.d. over draws)
      // and take the CLT interval over draws — a Monte Carlo estimate given the trained models, not the training noise
      arrays.forEach((sq, k) => {
        const draws = sq.length / subject.seeds.length;
        const perDraw = new Float64Array(draws);
        for (let s = 0; s < subject.seeds.length; s++) for (let i = 0; i < draws; i++) perDraw[i] = perDraw[i]! + sq[s * draws + i]! / subject.seeds.length;
        estimates[`${name}.W2_up@t=${subject.times[k]}`] = estimatePowerMeanRootByClt(perDraw, 2, { level: 0.95 });
      });
    }
    const parts: EvidencePart[] = [];
    for (const c of subject.comparisons) {
      const a = errors.get(armName(c.a))![0]!;
      const b = errors.get(armName(c.b))![0]!;
      const { difference } = pairedComparison(a, b, level);
      estimates[`${c.label}.difference`] = difference;
      const verdict = difference.interval.upper <= 0 ? 'holds' : difference.interval.lower > 0 ? 'violated' : 'inconclusive';
      const wa = estimates[`${armName(c.a)}.W2_up@t=${subject.times[0]}`]!.value;
      const wb = estimates[`${armName(c.b)}.W2_up@t=${subject.times[0]}`]!.value;
      parts.push({
        name: c.label,
        verdict,
        reason: `at t = ${subject.times[0]}: W₂ bound ${g4(wa)} (${armName(c.a)}) vs ${g4(wb)} (${armName(c.b)}); paired mean difference of squared errors ${g4(difference.value)} [${g4(difference.interval.lower)}, ${g4(difference.interval.upper)}] over ${a.length} draws × seeds`,
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
        { kind: 'note' as const, message: `${subject.target}, VE (T = ${subject.tMax}); 2×${subject.width} SiLU MLP, EDM parameterisation, batch ${subject.batchSize}, Adam 3e-3, EMA 0.99; seeds ${subject.seeds.join(', ')}; ${subject.n} common draws per time; paired intervals at level ${level.toFixed(6)}` },
        { kind: 'monte-carlo-error' as const, message: 'one training per seed: the intervals cover the evaluation draws, not the training randomness (seeds are pooled as extra draws)' },
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

/**
 * # Study `constants`: the empirical constants of Li–Huang–Wei Theorem 1 on the built-in targets, and whether they stay constant in T
 *
 * ## Question
 * Theorem 1 of [li2024] and its corollary (25) are stated with quantities that do not depend on T: the flow Lipschitz
 * constant L_f (Assumption 1), the schedule constant c₂ (ᾱ_T ≤ T^{−c₂}, (27d) asks c₂ ≥ 1000), the typical-set
 * exponent c₄, the universal C₁, and the training-error budget ε + ε_F (Assumption 2), which (25) trades against T.
 * What are they on the built-in targets, and do they stay put as T grows?
 *
 * ## Measurement
 * L̂_f, ĉ₂ and ĉ₄ are read from the Evidence of the checks that define them (`studies/constantRecipes.ts`, the recipes of
 * `cmbounds estimate`: li2024.assumption1, li2024.schedule, li2024.typicalSet), so a table entry and a verdict
 * elsewhere are the same number. Ĉ₁ = D_T·T/(L_f³d^{5/2}log⁵T) uses the exact idealised D_T of the theorem1-rates study
 * (closed form for Gaussians, quadrature for 1-D mixtures). ε̂_tot = Σ_t E‖f_t − f*_t‖ (≤ ε + ε_F) is read from
 * li2024.assumption2 on the affine class trained by LHW sequential least squares with a fixed number of samples per
 * step; ε̂_F from the same check on the population-optimal affine sequence (exact least squares on the law's first
 * two moments, `idealAffineSequential`, which has no estimation error), so for Gaussian targets ε̂_F = 0 and
 * ε̂_tot = ε̂. Each (target, constant) is swept over T and its log–log slope fitted by OLS (interval at level
 * 1 − 2δ/m over the m decided series); `holds` iff every slope's upper end ≤ +0.1 (no growth beyond T^{0.1}),
 * `violated` iff one lower end exceeds it. Witnessed lower bounds (L̂_f of multi-dimensional mixtures) are reported,
 * not decided: a maximum over samples cannot show that a supremum stays bounded.
 *
 * ## Controls
 * holds: `scheduleAndGaussian` (aniso-gaussian-2d: exact L_f, ĉ₂, ĉ₄, Ĉ₁; N(½, ½): ε̂_tot of the affine class trained
 * with 64 samples per step — the CT pair's conditional spread is O(h), so the per-step statistical error is O(h/√M)
 * and the sum over T steps stays bounded). violated: `offsetPerStep` (the idealised sequence plus δ = 0.01 at every
 * step, a per-step error that does not shrink with h: ε̂_tot = 0.01·(T − 1) grows like T).
 *
 * ## References
 * [li2024] Assumptions 1–2, (27d), Theorem 1 and (25); THEORY §1.2, §1.6–1.8, §6.0, §6.1.
 */
import {
  builtInTarget,
  createCheckContext,
  decideSlope,
  defineCheck,
  estimateLogLogSlope,
  exactEstimate,
  fitAffineSequential,
  gaussian,
  gaussianIdealisedSequence,
  GaussianMixture,
  idealAffineSequential,
  levelForFalseFailRate,
  lhwSchedule,
  lhwSequentialTrainingVariant,
  makeEvidence,
  provenanceOf,
  Rng,
  runUnits,
  targetFromSpec,
  unitTask,
  sequenceFromConsistencyFunction,
  combineVerdicts,
  type CheckContext,
  type Estimate,
  type Evidence,
  type EvidencePart,
  type ExactTarget,
  type PlotSpec,
  type Suite,
  type SuiteRequest,
  type AuditReport,
  formatEstimateFixed,
  formatNumber,
} from '../src/index.ts';
import { assumption2TrainingErrors } from '../theorems/index.ts';
import { constants as recipes } from './constantRecipes.ts';
import { studySubject } from './_sourceHash.ts';
import { sweepPoint, type Family } from './theorem1Rates.ts';

export type ConstantSymbol = 'L_f' | 'c_2' | 'c_4' | 'C_1' | 'eps_tot' | 'eps_F';

export interface ConstantsRow {
  readonly label: string;
  readonly target: ExactTarget;
  readonly symbols: readonly ConstantSymbol[];
  /** Chebyshev points for Ĉ₁ of a 1-D mixture (theorem1-rates quadrature). @defaultValue 256 */
  readonly nodes?: number;
  /**
   * For ε̂_tot of a single Gaussian: instead of training, the idealised sequence with this offset added at every step
   * (a per-step error that does not shrink with the step size: the negative control).
   */
  readonly offsetPerStep?: readonly number[];
}

export interface ConstantsSubject {
  readonly Ts: readonly number[];
  readonly rows: readonly ConstantsRow[];
  /** Samples per step of the trained affine class (ε̂_tot). */
  readonly samplesPerStep: number;
  /** Draws per step of li2024.assumption2. */
  readonly draws: number;
  /** Allowed log–log slope of a constant against T. */
  readonly tolerance: number;
  /** Independent trainings per T for ε̂_tot of a trained model (all enter the fit). @defaultValue 1 */
  readonly replicates?: number;
}

const SCHEDULE = { c0: 2, c1: 8 } as const;

/** from, from·√2, …, to (rounded): log–log slopes of slowly varying constants need more than a few points. */
export function halfOctaves(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = 0; from * 2 ** (k / 2) <= to * (1 + 1e-9); k++) out.push(Math.round(from * 2 ** (k / 2)));
  return out;
}

const MEANING: Record<ConstantSymbol, string> = {
  L_f: 'L̂_f (Assumption 1; exact for Gaussians, a witnessed lower bound for mixtures)',
  c_2: 'ĉ₂ = −log ᾱ_T/log T ((27d) asks ≥ 1000)',
  c_4: 'ĉ₄ = min over every t = 1..T of −log P(X_t ∉ E_t)/(d log T) at c₃ = 2 (exact for Gaussians; a sure lower bound for mixtures)',
  C_1: 'Ĉ₁ = D_T·T/(L_f³d^{5/2}log⁵T) with the exact idealised D_T',
  eps_tot: 'ε̂_tot = Σ_t E‖f_t − f*_t‖ ≥ … (≤ ε + ε_F) of the affine class trained with a fixed number of samples per step',
  eps_F: 'ε̂_F = Σ_t E‖f^F_t − f*_t‖ of the population-optimal affine sequence (no estimation error)',
};

/** Mean and covariance (row-major) of a Gaussian mixture. */
function moments(target: GaussianMixture): { mean: Float64Array; cov: Float64Array } {
  const d = target.dim;
  const mean = target.mean();
  const cov = new Float64Array(d * d);
  for (let k = 0; k < target.components; k++) {
    const w = target.weights[k]!;
    const m = target.means[k]!;
    const C = target.covariances[k]!;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] = cov[a * d + b]! + w * (C[a * d + b]! + (m[a]! - mean[a]!) * (m[b]! - mean[b]!));
  }
  return { mean, cov };
}

/** The family of theorem1-rates whose D_T is exact for this target, if any. */
function familyOf(row: ConstantsRow): Family | undefined {
  const t = row.target;
  if (!(t instanceof GaussianMixture)) return undefined;
  if (t.components === 1) return { kind: 'gaussian', name: row.label, lambdas: Array.from(t.eigen[0]!.values) };
  if (t.dim === 1) return { kind: 'mixture', name: row.label, mix: { w: Array.from(t.weights), m: t.means.map((m) => m[0]!), v: t.covariances.map((c) => c[0]!) }, d: 1, nodes: row.nodes ?? 256, strided: true };
  return undefined;
}

/** One constant at one T, with its interval (a sup lower bound keeps upper = ∞). */
async function measure(row: ConstantsRow, symbol: ConstantSymbol, T: number, subject: Pick<ConstantsSubject, 'samplesPerStep' | 'draws'>, ctx: CheckContext, replicate = 0): Promise<Estimate> {
  const sub = (label: string): CheckContext =>
    createCheckContext({ rng: ctx.rng.child(row.label).child(symbol).child(`T=${T}`).child(`rep=${replicate}`).child(label), falseFailRate: ctx.falseFailRate, budget: ctx.budget, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  if (symbol === 'L_f' || symbol === 'c_2' || symbol === 'c_4') {
    const recipe = recipes[symbol]!;
    const ev = await recipe.check.run(recipe.subject({ target: row.target, targetName: row.label, T }).value, sub('recipe'));
    return ev.estimates[recipe.estimateKey]!;
  }
  if (symbol === 'C_1') {
    const family = familyOf(row);
    if (!family) throw new Error(`no exact D_T for ${row.label}`);
    const p = sweepPoint(family, T, SCHEDULE.c0, SCHEDULE.c1, 'ct', () => ctx.checkBudget());
    return exactEstimate((p.D * T) / (p.Lf ** 3 * p.d ** 2.5 * Math.log(T) ** 5));
  }
  const schedule = lhwSchedule({ T, ...SCHEDULE });
  const target = row.target as GaussianMixture;
  let sequence;
  if (symbol === 'eps_tot' && row.offsetPerStep !== undefined) {
    sequence = gaussianIdealisedSequence({ target, schedule }, 'ct', row.offsetPerStep);
  } else if (symbol === 'eps_tot') {
    const model = fitAffineSequential(lhwSequentialTrainingVariant(schedule, { stepsPerStage: 1 }), target, schedule.process(), { samplesPerNode: subject.samplesPerStep, rng: ctx.rng.child(row.label).child(`train T=${T}`).child(`rep=${replicate}`) });
    sequence = sequenceFromConsistencyFunction({ id: `affine least squares, ${subject.samplesPerStep} samples per step`, evaluate: (x, t) => model.evaluate(x, t) }, schedule);
  } else {
    const { mean, cov } = moments(target);
    const times = Float64Array.from({ length: T }, (_, i) => schedule.timeOfStep(i + 1));
    const model = idealAffineSequential(mean, cov, schedule.process(), times);
    sequence = sequenceFromConsistencyFunction({ id: 'population-optimal affine sequence', evaluate: (x, t) => model.evaluate(x, t) }, schedule);
  }
  const ev = await assumption2TrainingErrors.run({ target, schedule, sequence, claimed: { epsilonTotal: 1e9 }, samples: subject.draws }, sub('assumption2'));
  return ev.estimates['eps_tot_L1']!;
}

/** One sweep point (row, constant, T, replicate) as plain data: what crosses to a worker thread. */
export interface ConstantsUnit {
  readonly row: { readonly label: string; readonly target: unknown; readonly symbols: readonly ConstantSymbol[]; readonly nodes?: number; readonly offsetPerStep?: readonly number[] };
  readonly symbol: ConstantSymbol;
  readonly T: number;
  readonly replicate: number;
  readonly samplesPerStep: number;
  readonly draws: number;
  /** The check's stream (seed and path): every draw of the unit descends from it by the unit's own labels. */
  readonly rng: { readonly seed: number; readonly path: readonly string[] };
  readonly falseFailRate: number;
  readonly maxSamples: number;
}

/** Runs in a worker: `measure` on the unit, with the target rebuilt from its spec and the check's stream from (seed, path). */
export async function measureConstantsUnit(unit: ConstantsUnit): Promise<Estimate> {
  const { row } = unit;
  const rebuilt: ConstantsRow = { label: row.label, target: targetFromSpec(row.target), symbols: row.symbols, ...(row.nodes === undefined ? {} : { nodes: row.nodes }), ...(row.offsetPerStep === undefined ? {} : { offsetPerStep: row.offsetPerStep }) };
  // the wall-time budget is the main thread's (it polls ctx.checkBudget() while the pool works)
  const ctx = createCheckContext({ rng: new Rng(unit.rng.seed, unit.rng.path), falseFailRate: unit.falseFailRate, budget: { maxSamples: unit.maxSamples } });
  return measure(rebuilt, unit.symbol, unit.T, unit, ctx, unit.replicate);
}

const constantsUnitTask = unitTask<ConstantsUnit, Estimate>(import.meta.url, 'measureConstantsUnit');

/** Key of a sweep point. */
const unitKey = (label: string, symbol: ConstantSymbol, T: number, replicate: number): string => JSON.stringify([label, symbol, T, replicate]);

/** Replicates of a series: trained ε̂_tot is measured `replicates` times per T, everything else once. */
const replicatesOf = (row: ConstantsRow, symbol: ConstantSymbol, subject: ConstantsSubject): number => (symbol === 'eps_tot' && row.offsetPerStep === undefined ? (subject.replicates ?? 1) : 1);

/**
 * Every sweep point of the study on `ctx.workers` threads (each unit's streams come from its labels, so the values
 * equal the in-process loop's bit for bit); keyed by `unitKey`. Ctrl-C or the wall-time budget (polled here)
 * terminates the workers.
 */
async function measureInPool(series: readonly { row: ConstantsRow; symbol: ConstantSymbol }[], Ts: readonly number[], subject: ConstantsSubject, ctx: CheckContext): Promise<Map<string, Estimate>> {
  const units: ConstantsUnit[] = [];
  for (const { row, symbol } of series) {
    const spec = { label: row.label, target: row.target.toSpec(), symbols: row.symbols, ...(row.nodes === undefined ? {} : { nodes: row.nodes }), ...(row.offsetPerStep === undefined ? {} : { offsetPerStep: row.offsetPerStep }) };
    for (const T of Ts) {
      for (let r = 0; r < replicatesOf(row, symbol, subject); r++) {
        units.push({ row: spec, symbol, T, replicate: r, samplesPerStep: subject.samplesPerStep, draws: subject.draws, rng: { seed: ctx.rng.seed, path: ctx.rng.path }, falseFailRate: ctx.falseFailRate, maxSamples: ctx.budget.maxSamples });
      }
    }
  }
  let done = 0;
  const results = await runUnits(constantsUnitTask, units, {
    workers: ctx.workers ?? 1,
    poll: () => ctx.checkBudget(),
    onResult: (_, index) => ctx.progress(++done / units.length, `${units[index]!.row.label} ${units[index]!.symbol} T = ${units[index]!.T}`),
  });
  return new Map(units.map((u, i) => [unitKey(u.row.label, u.symbol, u.T, u.replicate), results[i]!]));
}

/** The mean of independent replicate estimates (CLT: SEs in quadrature over R², normal interval at the parts' level). */
function averageOf(runs: readonly Estimate[]): Estimate {
  const R = runs.length;
  const value = runs.reduce((a, e) => a + e.value, 0) / R;
  const se = Math.sqrt(runs.reduce((a, e) => a + (e.standardError ?? 0) ** 2, 0)) / R;
  const level = runs[0]!.interval.level;
  const half = (runs[0]!.interval.upper - runs[0]!.interval.lower) / 2 / Math.max(runs[0]!.standardError ?? 1, 1e-300) * se;
  return { value, interval: { lower: value - half, upper: value + half, level }, method: 'clt-mean', n: runs.reduce((a, e) => a + e.n, 0), standardError: se };
}


export const constantsInT = defineCheck<ConstantsSubject>({
  id: 'studies.constantsInT',
  kind: 'theorem',
  title: 'The constants of Theorem 1 on the built-in targets, swept over T',
  claim:
    'The quantities Theorem 1 and (25) treat as independent of T — L_f (Assumption 1), c₂ and c₄ (schedule, typical set), C₁, and the ' +
    'training-error budget ε + ε_F (Assumption 2, here at a fixed training effort per step) — do not grow with T: each has log–log slope ≤ 0.1 in T.',
  source: { paper: 'li2024', label: 'Theorem 1, Assumptions 1–2', equation: '(24), (25), (27d) report' },
  dependsOn: ['li2024.schedule', 'li2024.typicalSet', 'li2024.assumption1', 'li2024.assumption2'],
  constants: (Object.keys(MEANING) as ConstantSymbol[]).map((symbol) => ({ symbol, meaning: MEANING[symbol], role: 'estimated' as const })),
  tags: ['study', 'constants'],
  subject: 'distribution',
  design: { estimand: 'the OLS slope of log ĉ against log T for each (target, constant)', decision: 'slope', falseFailRate: 1e-3 },
  controls: [
    {
      name: 'scheduleAndGaussian',
      description: 'aniso-gaussian-2d, T = 128 … 1024 (half octaves): exact L_f, ĉ₂, ĉ₄, Ĉ₁, and ε̂_tot of the affine class trained with 64 samples per step (4 trainings per T)',
      expected: 'holds',
      build: () => ({ Ts: halfOctaves(128, 1024), rows: [{ label: 'aniso-gaussian-2d', target: builtInTarget('aniso-gaussian-2d'), symbols: ['L_f', 'c_2', 'c_4', 'C_1'] }, { label: 'N(½, ½)', target: gaussian([0.5], [0.5]), symbols: ['eps_tot'] }], samplesPerStep: 64, draws: 64, tolerance: 0.1, replicates: 4 }),
    },
    {
      name: 'offsetPerStep',
      description: 'N(½, ½), T = 32 … 256: the idealised CT sequence with an offset δ = 0.01 added at every step, a per-step error that does not shrink with the step: ε̂_tot = 0.01·(T − 1)',
      expected: 'violated',
      build: () => ({ Ts: halfOctaves(32, 256), rows: [{ label: 'N(½, ½) + δ per step', target: gaussian([0.5], [0.5]), symbols: ['eps_tot'], offsetPerStep: [0.01] }], samplesPerStep: 64, draws: 64, tolerance: 0.1 }),
    },
  ],
  async run(subject, ctx) {
    const Ts = [...subject.Ts];
    const estimates: Record<string, Estimate> = {};
    const parts: EvidencePart[] = [];
    const series = subject.rows.flatMap((row) => row.symbols.map((symbol) => ({ row, symbol })));
    const values = new Map<string, Estimate[]>();
    /** Every measured value with its T (replicated trainings give several per T): what the slope is fitted to. */
    const fitPoints = new Map<string, { x: number[]; y: number[] }>();
    let done = 0;
    // several workers: every sweep point first, on a pool; the loop below then reads them in its fixed order
    const pooled = (ctx.workers ?? 1) > 1 ? await measureInPool(series, Ts, subject, ctx) : undefined;
    for (const { row, symbol } of series) {
      const list: Estimate[] = [];
      const pts = { x: [] as number[], y: [] as number[] };
      const reps = replicatesOf(row, symbol, subject);
      for (const T of Ts) {
        ctx.checkBudget();
        const runs: Estimate[] = [];
        for (let r = 0; r < reps; r++) runs.push(pooled?.get(unitKey(row.label, symbol, T, r)) ?? (await measure(row, symbol, T, subject, ctx, r)));
        const e = runs.length === 1 ? runs[0]! : averageOf(runs);
        for (const run of runs) {
          pts.x.push(T);
          pts.y.push(run.value);
        }
        list.push(e);
        estimates[`${row.label}.${symbol}@T=${T}`] = e;
        if (pooled === undefined) ctx.progress(++done / (series.length * Ts.length), `${row.label} ${symbol} T = ${T}`);
      }
      values.set(`${row.label}.${symbol}`, list);
      fitPoints.set(`${row.label}.${symbol}`, pts);
      const family = symbol === 'C_1' ? familyOf(row) : undefined;
      if (family?.kind === 'mixture') {
        // resolution of the quadrature: the smallest T again with twice the Chebyshev points
        const T = Ts[0]!;
        const fine = sweepPoint({ ...family, nodes: 2 * (family.nodes ?? 256) }, T, SCHEDULE.c0, SCHEDULE.c1, 'ct', () => ctx.checkBudget());
        const coarse = sweepPoint(family, T, SCHEDULE.c0, SCHEDULE.c1, 'ct', () => ctx.checkBudget());
        estimates[`${row.label}.C_1.resolution_change`] = exactEstimate(fine.D / coarse.D - 1);
      }
    }
    const decided = series.filter(({ row, symbol }) => {
      const list = values.get(`${row.label}.${symbol}`)!;
      return list.every((e) => Number.isFinite(e.interval.upper) && e.supLowerBound !== true);
    });
    const level = levelForFalseFailRate(ctx.falseFailRate / Math.max(1, decided.length));
    const plots: PlotSpec[] = [];
    for (const symbol of Object.keys(MEANING) as ConstantSymbol[]) {
      const rows = series.filter((s) => s.symbol === symbol);
      if (rows.length === 0) continue;
      plots.push({
        id: `constant-${symbol}`,
        title: `${MEANING[symbol]} against T`,
        mark: 'line',
        x: { label: 'T', scale: 'log' },
        y: { label: symbol, scale: symbol === 'c_2' || symbol === 'c_4' ? 'linear' : 'log' },
        series: rows.filter(({ row }) => values.get(`${row.label}.${symbol}`)!.every((e) => e.value > 0) || symbol === 'c_2' || symbol === 'c_4').map(({ row }) => ({ name: row.label, x: Ts, y: values.get(`${row.label}.${symbol}`)!.map((e) => e.value) })),
      });
    }
    for (const { row, symbol } of series) {
      const list = values.get(`${row.label}.${symbol}`)!;
      const name = `${row.label}: ${symbol}`;
      const range = `${formatNumber(list[0]!.value)} (T = ${Ts[0]}) … ${formatNumber(list[list.length - 1]!.value)} (T = ${Ts[Ts.length - 1]})`;
      if (!decided.includes(series.find((s) => s.row === row && s.symbol === symbol)!)) {
        const sampled = list.some((e) => e.supLowerBound === true);
        parts.push({
          name,
          verdict: 'inconclusive',
          reason: sampled
            ? `${range}: witnessed lower bounds (a maximum over samples), reported only — a supremum cannot be shown bounded by sampling`
            : `${range}: sure lower bounds (the true value lies in [bound, ∞)), reported only — a slope of bounds is not the slope of the constant`,
        });
        continue;
      }
      if (list.every((e) => e.value === 0)) {
        estimates[`${row.label}.${symbol}.slope`] = exactEstimate(0);
        parts.push({ name, verdict: 'holds', reason: `exactly 0 at every T (the affine class contains f*_t)` });
        continue;
      }
      if (list.some((e) => !(e.value > 0))) {
        parts.push({ name, verdict: 'inconclusive', reason: `${range}: a non-positive value, no log–log slope` });
        continue;
      }
      const pts = fitPoints.get(`${row.label}.${symbol}`)!;
      const slope = estimateLogLogSlope(pts.x, pts.y, { level });
      estimates[`${row.label}.${symbol}.slope`] = slope;
      const decision = decideSlope(slope, subject.tolerance);
      parts.push({ name, verdict: decision.verdict, reason: `${range}, ∝ $T^{${formatEstimateFixed(slope)}}$: ${decision.reason}` });
    }
    // report-only parts (witnessed bounds) do not decide the check
    const deciding = parts.filter((p) => !p.reason.includes('reported only'));
    const verdict = combineVerdicts(deciding.map((p) => p.verdict));
    const grows = deciding.filter((p) => p.verdict === 'violated').map((p) => p.name);
    const reason =
      verdict === 'holds'
        ? `No decided constant grows faster than $T^{${subject.tolerance}}$ over T ∈ [${Ts[0]}, ${Ts[Ts.length - 1]}] (${deciding.length} series; ${parts.length - deciding.length} witnessed bounds reported only).`
        : verdict === 'violated'
          ? `Grows with T: ${grows.join(', ')} (slope above ${subject.tolerance}); the other decided constants do not.`
          : `Undecided: ${deciding.filter((p) => p.verdict === 'inconclusive').map((p) => p.name).join(', ')}.`;
    const body = {
      estimates,
      thresholds: [{ symbol: 'slope', value: subject.tolerance, side: 'upper' as const }],
      reason,
      parts,
      diagnostics: [
        { kind: 'note' as const, message: `L̂_f, ĉ₂, ĉ₄ from the recipes of \`cmbounds estimate\` (suites/constants.ts); ε̂ from li2024.assumption2 with ${subject.draws} draws per step; ${subject.samplesPerStep} training samples per step; schedule (23) with c0 = ${SCHEDULE.c0}, c1 = ${SCHEDULE.c1}` },
        { kind: 'note' as const, message: `slope intervals at level ${level.toFixed(6)} (Bonferroni over ${decided.length} decided series); ε̂ slopes include the Monte Carlo scatter in the OLS residuals` },
      ],
      plots,
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') {
      const worst = series
        .map(({ row, symbol }) => ({ key: `${row.label}.${symbol}`, e: estimates[`${row.label}.${symbol}.slope`] }))
        .filter((x): x is { key: string; e: Estimate } => x.e !== undefined)
        .reduce((a, b) => (b.e.interval.lower > a.e.interval.lower ? b : a));
      return makeEvidence('studies.constantsInT', provenance, body, { verdict, witness: { description: `${worst.key} grows like $T^{${formatEstimateFixed(worst.e)}}$`, value: worst.e.value } });
    }
    return makeEvidence('studies.constantsInT', provenance, body, { verdict });
  },
});

// ── the suite ────────────────────────────────────────────────────────────────────────────────────────────────────

export const CONSTANTS_T = halfOctaves(256, 4096);
export const TABLE_T = 1024;

export function constantsSubject(): ConstantsSubject {
  const all: ConstantSymbol[] = ['L_f', 'c_2', 'c_4'];
  return {
    Ts: CONSTANTS_T,
    rows: [
      { label: 'bimodal-1d', target: builtInTarget('bimodal-1d'), symbols: [...all, 'C_1', 'eps_tot', 'eps_F'], nodes: 1024 },
      { label: 'aniso-gaussian-2d', target: builtInTarget('aniso-gaussian-2d'), symbols: [...all, 'C_1', 'eps_tot', 'eps_F'] },
      { label: 'aniso-gaussian-4d', target: builtInTarget('aniso-gaussian-4d'), symbols: [...all, 'C_1'] },
      { label: 'ring8-2d', target: builtInTarget('ring8-2d'), symbols: all },
      { label: 'grid9-2d', target: builtInTarget('grid9-2d'), symbols: all },
      { label: 'iso-gmm-4d', target: builtInTarget('iso-gmm-4d'), symbols: all },
      { label: 'crossed-2d', target: builtInTarget('crossed-2d'), symbols: all },
    ],
    samplesPerStep: 1024,
    draws: 64,
    tolerance: 0.1,
    replicates: 4,
  };
}

function evidenceOf(report: AuditReport, id: string): Evidence | undefined {
  return report.entries.find((e) => e.statement.id === id)?.result.evidence;
}

/** Findings: the table at T = 1024 and the slopes in T. */
export function constantsFindings(report: AuditReport): string {
  const ev = evidenceOf(report, 'studies.constantsInT');
  if (!ev) return 'The constants check did not finish.';
  const subject = constantsSubject();
  const cell = (label: string, symbol: ConstantSymbol): string => {
    const e = ev.estimates[`${label}.${symbol}@T=${TABLE_T}`];
    if (!e) return '—';
    const lower = e.supLowerBound === true || !Number.isFinite(e.interval.upper) ? '≥ ' : '';
    // an exact value has no half-width; a one-sided bound ([v, ∞)) is marked by "≥" alone
    const halfWidth = e.method === 'exact' || !Number.isFinite(e.interval.upper) ? '' : ` ± ${formatNumber((e.interval.upper - e.interval.lower) / 2)}`;
    return `${lower}${formatNumber(e.value)}${halfWidth}`;
  };
  const slope = (label: string, symbol: ConstantSymbol): string => {
    const e = ev.estimates[`${label}.${symbol}.slope`];
    return e ? `$T^{${e.value.toFixed(2)}}$` : '';
  };
  const symbols: ConstantSymbol[] = ['L_f', 'c_2', 'c_4', 'C_1', 'eps_tot', 'eps_F'];
  const header = `| target | ${symbols.map((s) => ({ L_f: 'L̂_f', c_2: 'ĉ₂', c_4: 'ĉ₄', C_1: 'Ĉ₁', eps_tot: 'ε̂_tot (≤ ε + ε_F)', eps_F: 'ε̂_F' })[s]).join(' | ')} |`;
  const rows = subject.rows.map((r) => `| ${r.label} | ${symbols.map((s) => (r.symbols.includes(s) ? `${cell(r.label, s)} ${slope(r.label, s) ? `(${slope(r.label, s)})` : ''}`.trim() : '—')).join(' | ')} |`);
  const at = (label: string, symbol: ConstantSymbol): Estimate | undefined => ev.estimates[`${label}.${symbol}@T=${TABLE_T}`];
  const slopeOf = (label: string, symbol: ConstantSymbol): Estimate | undefined => ev.estimates[`${label}.${symbol}.slope`];
  const over = (symbol: ConstantSymbol, filter: (r: ConstantsRow) => boolean = () => true): number[] =>
    subject.rows.filter((r) => r.symbols.includes(symbol) && filter(r)).map((r) => at(r.label, symbol)?.value).filter((v): v is number => v !== undefined);
  const span = (v: readonly number[]): string => (v.length === 0 ? 'n/a' : `${formatNumber(Math.min(...v))}–${formatNumber(Math.max(...v))}`);
  const c2 = slopeOf('aniso-gaussian-2d', 'c_2');
  const c4Slopes = subject.rows.map((r) => slopeOf(r.label, 'c_4')?.value).filter((v): v is number => v !== undefined);
  const lfWitnessed = over('L_f', (r) => r.target.dim > 1 && !(r.target instanceof GaussianMixture && r.target.components === 1));
  const c1 = subject.rows.filter((r) => r.symbols.includes('C_1')).map((r) => `${r.label}: ${cell(r.label, 'C_1')} (${slopeOf(r.label, 'C_1') ? `$T^{${slopeOf(r.label, 'C_1')!.value.toFixed(2)}}$` : 'n/a'})`);
  const epsRows = subject.rows.filter((r) => r.symbols.includes('eps_tot')).map((r) => {
    const sl = slopeOf(r.label, 'eps_tot');
    return `${r.label}: ε̂_tot = ${cell(r.label, 'eps_tot')} at T = ${TABLE_T}, ∝ $T^{${sl ? formatEstimateFixed(sl) : 'n/a'}}$`;
  });
  const epsF = subject.rows.filter((r) => r.symbols.includes('eps_F')).map((r) => {
    const sl = slopeOf(r.label, 'eps_F');
    return `${r.label}: ε̂_F = ${cell(r.label, 'eps_F')}${sl ? `, ∝ $T^{${formatEstimateFixed(sl)}}$` : ''}`;
  });
  const epsStable = subject.rows.filter((r) => r.symbols.includes('eps_tot')).every((r) => (slopeOf(r.label, 'eps_tot')?.interval.upper ?? Infinity) <= subject.tolerance);
  const text = [
    `We measured the constants of Li–Huang–Wei's Theorem 1 on the built-in targets for T = ${subject.Ts[0]} … ${subject.Ts[subject.Ts.length - 1]} (${subject.Ts.length} half-octave points; schedule (23), c₀ = 2, c₁ = 8); the table gives them at T = ${TABLE_T} with the fitted T-dependence in brackets ("≥": a lower bound — witnessed by sampling for L̂_f, a sure bound for ĉ₄ of a mixture; ±: half-width of the CLT interval at level 1 − 2δ).`,
    `ĉ₂ = ${cell('aniso-gaussian-2d', 'c_2')} at T = ${TABLE_T} is the same for every target and drifts like ${c2 ? `$T^{${formatEstimateFixed(c2)}}$` : 'n/a'} — more than two orders of magnitude short of the c₂ ≥ 1000 that (27d) assumes.`,
    `ĉ₄ = ${span(over('c_4'))} at c₃ = 2, the minimum over every step t = 1..T (exact for the Gaussians, a sure lower bound for the mixtures; fitted slopes of the exact ones ${c4Slopes.length > 0 ? `${Math.min(...c4Slopes).toFixed(3)} to ${Math.max(...c4Slopes).toFixed(3)}` : 'n/a'}): the typical-set tails decay like $T^{−ĉ₄d}$, uniformly in T.`,
    `L̂_f = ${cell('aniso-gaussian-2d', 'L_f')} for the aniso-gaussian targets (exact: √λ_max), ${cell('bimodal-1d', 'L_f')} for bimodal-1d and ${span(lfWitnessed)} (witnessed lower bounds) for the multi-dimensional mixtures, so the factor L_f³ of (24) alone ranges from ${formatNumber(Math.min(...over('L_f')) ** 3)} to at least ${formatNumber(Math.max(...over('L_f')) ** 3)}.`,
    `Ĉ₁: ${c1.join('; ')}${subject.rows
      .map((r) => ({ r, e: ev.estimates[`${r.label}.C_1.resolution_change`] }))
      .filter((x) => x.e !== undefined)
      .map((x) => ` (${x.r.label}: D_T changes by ${(100 * x.e!.value).toFixed(2)}% with ${2 * (x.r.nodes ?? 256)} instead of ${x.r.nodes ?? 256} Chebyshev points at T = ${subject.Ts[0]})`)
      .join('')}; where the slope is negative Ĉ₁ falls as in the theorem1-rates study, and where it is flat (large L_f) D_T is still pre-asymptotic at these T.`,
    `Training errors (affine class, LHW sequential least squares with ${subject.samplesPerStep} samples per step, ${subject.replicates ?? 1} trainings per T): ${epsRows.join('; ')}. ` +
      (epsStable
        ? 'ε̂_tot does not grow with T at a fixed per-step sample size, as expected from the CT pair\'s conditional spread being O(h) (THEORY §5.2): each of the T per-step regressions has residual noise O(h/√M), and their sum stays O(1/√M). '
        : 'ε̂_tot grows with T at a fixed per-step sample size. ') +
      `Approximation error of the affine class: ${epsF.join('; ')}.`,
    `Verdict: ${ev.verdict} — ${ev.reason}`,
  ].join(' ');
  return `${text}\n\n${header}\n| --- | ${symbols.map(() => '---').join(' | ')} |\n${rows.join('\n')}`;
}

export function constantsSuite(request: SuiteRequest): Suite {
  void request;
  const subject = constantsSubject();
  return {
    name: 'constants',
    title: 'Study constants: the empirical constants of Li–Huang–Wei Theorem 1 on the built-in targets',
    subject: {
      target: subject.rows.map((r) => r.label).join(', ') + ' (the --target flag is not used)',
      process: `Li–Huang–Wei schedule (23), c0 = ${SCHEDULE.c0}, c1 = ${SCHEDULE.c1}, T = ${subject.Ts.join(', ')}`,
      variant: `LHW sequential consistency training of the affine class (exact least squares, ${subject.samplesPerStep} samples per step) for ε̂; the population-optimal affine sequence for ε̂_F`,
      functionClass: 'affine (for ε, ε_F); exact f* elsewhere',
    },
    checks: [constantsInT],
    subjects: { 'studies.constantsInT': studySubject(subject) },
    findings: constantsFindings,
  };
}

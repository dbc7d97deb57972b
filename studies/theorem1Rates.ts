/**
 * # Study `theorem1-rates`: the idealised discretisation error of Li–Huang–Wei consistency training against T, d and L_f
 *
 * ## Question
 * Theorem 1 of [li2024] bounds W₁(f_T(X_T), X₁) by C₁·L_f³d^{5/2}log⁵T/T + ε + ε_F. With ε = ε_F = 0 the bound rests on
 * the idealised discretisation error D_T = Σ_{t=2}^T E‖Δ_t(X_t)‖, Δ_t(x) = E[Φ_{t−1}(X_{t−1}) | X_t = x] − Φ_t(x)
 * (THEORY §1.10, the master inequality W₁ ≤ W_ideal ≤ D_T). How does D_T actually scale in T, d and L_f, and is the
 * theorem's rate consistent with it (does Ĉ₁ = D_T/(L_f³d^{5/2}log⁵T/T) stay bounded along each sweep)?
 *
 * ## Measurement
 * D_T is computed, not sampled: single Gaussians per eigen-direction in closed form (THEORY §5.3, mean norms of the
 * Gaussian Δ_t exactly through the Laplace identity of `src/numerics/meanNorm.ts`); 1-D mixtures by quadrature over the exact
 * posteriors with the exact quantile-map flows; products of d identical 1-D mixtures through the i.i.d. coordinates
 * of Δ_t. W_ideal = E‖f*_T(X_T) − Φ_T(X_T)‖ (= W₁ exactly in 1-D when f*_T increases, which is checked) comes from the
 * closed-form gains (Gaussians) or the recursion f*_t = E[f*_{t−1}(X_{t−1}) | X_t] carried on the same grid (mixtures,
 * `mixtureIdealised` of src/lhw, which li2024.theorem1 uses too; within 3.3e-5 relative of an independent brute-force
 * x-grid computation on ½N(±1.5, ¼), test/unit/lhw/mixtureIdealisedReference.spec.ts). L_f: exact for Gaussians (gaussianLipschitz),
 * a witnessed grid lower bound over all step pairs for mixtures (`mixtureFlowLipschitzLowerBound`).
 * Each check sweeps one variable (T, d or L_f) for several families and fits by OLS on log–log axes:
 * the exponent of D_T (95% interval, reported) and the slope of log Ĉ against the variable (the rate test of
 * THEORY §6.0: `holds` iff its upper end ≤ 0 at level 1 − 2δ/m over the m families, `violated` iff its lower end > 0).
 * The intervals measure how far the sweep is from a pure power law (the values are deterministic), not noise.
 *
 * ## Controls
 * T: `paperRate` (N(0,½) and ½N(±1,½) with the CT coupling: holds), `markovCoupling` (the Markov-coupled recursion,
 * whose D_T grows like log T: violated). d: `paperRate` (d^{5/2}: holds), `optimisticExponent` (a declared d^{1/4},
 * below the measured ½: violated). L_f: `paperRate` (L_f³: holds), `optimisticExponent` (a declared L_f^{1/2}, below
 * the measured ≈0.9: violated).
 *
 * ## References
 * [li2024] Theorem 1, Eq. (24); THEORY §1.7, §1.10, §5.3, §6.0, §6.1 LHW-T1.
 */
import { formatEstimateFixed, formatNumber, runUnits, unitTask, builtInTarget, combineVerdicts, createCheckContext, estimateMeanByClt, fitAffineSequential, gaussianIdealisedErrors, gaussianIdealisedSequence, lhwSequentialTrainingVariant, sequenceFromConsistencyFunction, settingFlow, decideSlope, defineCheck, estimateLogLogSlope, exactEstimate, gaussian, gaussianLipschitz, GaussianMixture, levelForFalseFailRate, lhwSchedule, makeEvidence, provenanceOf, type AnyCheck, type CheckContext, type ConstantSpec, type Coupling, type Diagnostic, type Estimate, type Evidence, type EvidencePart, type LhwSchedule, type PlotSpec, type Suite, type SuiteRequest, type AuditReport, type Mixture1d, mixtureIdealised, mixtureFlowLipschitzLowerBound } from '../src/index.ts';
import { assumption2TrainingErrors } from '../theorems/index.ts';
import { studySubject } from './_sourceHash.ts';

// ── families and their idealised errors ───────────────────────────────────────────────────────────────────────────

/** A data law whose idealised errors are exact: a single Gaussian (its covariance eigenvalues) or a d-fold product of a 1-D mixture. */
export type Family =
  | { readonly kind: 'gaussian'; readonly name: string; readonly lambdas: readonly number[] }
  | {
      readonly kind: 'mixture';
      readonly name: string;
      readonly mix: Mixture1d;
      /** Product dimension (1: the mixture itself). */
      readonly d: number;
      /** Chebyshev points in y = Φ_t(x). @defaultValue 64 */
      readonly nodes?: number;
      /** Evaluate ~512 steps and interpolate the rest (no W_ideal then). @defaultValue false */
      readonly strided?: boolean;
      /** Product dimensions evaluated in the same pass (shares the work of a d-sweep). */
      readonly dims?: readonly number[];
    };

/** One sweep point as plain data (what crosses to a worker thread). */
export interface SweepUnit {
  readonly family: Family;
  readonly T: number;
  readonly c0: number;
  readonly c1: number;
  readonly coupling: Coupling;
}

/** Runs in a worker: `sweepPoint` of the unit (a pure function of it; the main thread polls cancellation and budget). */
export function sweepPointUnit(unit: SweepUnit): SweepPoint {
  return sweepPoint(unit.family, unit.T, unit.c0, unit.c1, unit.coupling);
}

const sweepPointTask = unitTask<SweepUnit, SweepPoint>(import.meta.url, 'sweepPointUnit');

/** The idealised errors at one sweep point. */
export interface SweepPoint {
  readonly D: number;
  /** W_ideal (NaN when not computed). */
  readonly W: number;
  readonly Lf: number;
  readonly d: number;
  readonly T: number;
  /** Mixtures: whether f*_T increases (W_ideal is then the exact W₁). */
  readonly monotone?: boolean;
}

/** ½N(−1, ½) + ½N(1, ½): the mild bimodal target of li2024.theorem1 (L_f ≈ 1.6). */
export const MILD: Mixture1d = { w: [0.5, 0.5], m: [-1, 1], v: [0.5, 0.5] };
/** ½N(±m, ¼): the L_f knob (L_f from 1.02 at m = ½ to ≈ 230 at m = 1.75, T = 1024). */
export const bimodal = (m: number): Mixture1d => ({ w: [0.5, 0.5], m: [-m, m], v: [0.25, 0.25] });

const memo = new Map<string, unknown>();
function memoised<V>(key: string, compute: () => V): V {
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as V;
}

/** D_T, W_ideal, L_f of a family on lhwSchedule({ T, c0, c1 }) (memoised within a process: sweeps share points). */
export function sweepPoint(family: Family, T: number, c0: number, c1: number, coupling: Coupling, onStep?: () => void): SweepPoint {
  const schedule = lhwSchedule({ T, c0, c1 });
  if (family.kind === 'gaussian') {
    return memoised(JSON.stringify(['g', family.lambdas, T, c0, c1, coupling]), () => {
      const { D, W } = gaussianIdealisedErrors(family.lambdas, schedule, coupling, 'mean');
      const d = family.lambdas.length;
      const cov = new Array<number>(d * d).fill(0);
      family.lambdas.forEach((l, i) => (cov[i * d + i] = l));
      return { D, W, Lf: gaussianLipschitz(gaussian(new Array<number>(d).fill(0), cov), schedule).value, d, T };
    });
  }
  const dims = [...new Set([1, family.d, ...(family.dims ?? [])])].sort((a, b) => a - b);
  const raw = memoised(JSON.stringify(['m', family.mix, T, c0, c1, coupling, family.nodes ?? 64, family.strided ?? false, dims]), () =>
    mixtureIdealised(family.mix, schedule, coupling, {
      nodes: family.nodes ?? 64,
      dims,
      ...(family.strided ? { stride: Math.max(1, Math.floor(T / 512)) } : {}),
      ...(onStep ? { onStep } : {}),
    }),
  );
  const Lf = memoised(JSON.stringify(['L', family.mix, T, c0, c1]), () => mixtureFlowLipschitzLowerBound(family.mix, schedule).value);
  return { D: raw.Dproduct.get(family.d)!, W: raw.Wproduct.get(family.d)!, Lf, d: family.d, T, monotone: raw.monotone };
}

/** Eigenvalues of the built-in aniso-gaussian-<d>d (geometric from 4 to ¼). */
export function anisoLambdas(d: number): number[] {
  return Array.from((builtInTarget(`aniso-gaussian-${d}d`) as GaussianMixture).eigen[0]!.values);
}

// ── the rate checks ───────────────────────────────────────────────────────────────────────────────────────────────

export type SweepVariable = 'T' | 'd' | 'L_f';

/** One family swept along the variable. */
export interface RateSeries {
  /** Short key used in estimate names, e.g. 'gauss1d'. */
  readonly key: string;
  readonly label: string;
  readonly members: readonly { readonly family: Family; readonly T: number }[];
}

/** The rate L_f^a·d^b·log^c T/T^e a claim is tested against (Theorem 1: a = 3, b = 5/2, c = 5, e = 1). */
export interface DeclaredRate {
  readonly Lf: number;
  readonly d: number;
  readonly logT: number;
  readonly T: number;
}

export interface RateSubject {
  readonly variable: SweepVariable;
  readonly coupling: Coupling;
  readonly c0: number;
  readonly c1: number;
  readonly series: readonly RateSeries[];
  readonly rate: DeclaredRate;
  /** Recompute the hardest mixture member of each series with twice the Chebyshev points (a resolution diagnostic). @defaultValue true */
  readonly resolutionCheck?: boolean;
}

export const PAPER_RATE: DeclaredRate = { Lf: 3, d: 2.5, logT: 5, T: 1 };
export const SCHEDULE = { c0: 2, c1: 8 } as const;
export const T_SWEEP = [256, 512, 1024, 2048, 4096, 8192] as const;
/** Half-octave sweep 256 … 8192 (11 points) for the closed forms: T/log⁵T is curved in log T, so the slope needs points. */
export const T_SWEEP_FINE: readonly number[] = Array.from({ length: 11 }, (_, k) => Math.round(256 * 2 ** (k / 2)));
export const D_SWEEP = [1, 2, 4, 8, 16, 32, 64] as const;

function rateValue(rate: DeclaredRate, p: SweepPoint): number {
  return (p.Lf ** rate.Lf * p.d ** rate.d * Math.log(p.T) ** rate.logT) / p.T ** rate.T;
}

function describeRate(rate: DeclaredRate): string {
  return `L_f^${rate.Lf}·d^${rate.d}·log^${rate.logT}T/T^${rate.T}`;
}

function xOf(variable: SweepVariable, p: SweepPoint): number {
  return variable === 'T' ? p.T : variable === 'd' ? p.d : p.Lf;
}


/**
 * What the three rate checks share, built from the sweep variable: the claim, constants, design and `run`. The
 * fields the catalog reads (id, kind, title, source, dependsOn, controls) are literals at each `defineCheck` below.
 */
function rateFields(variable: SweepVariable, id: `${string}.${string}`) {
  const what = variable === 'T' ? 'T' : variable === 'd' ? 'the dimension d' : 'the flow Lipschitz constant L_f';
  return {
    claim:
      `Along a sweep of ${what}, the idealised discretisation error D_T = Σ_t E‖Δ_t(X_t)‖ that carries Theorem 1 (ε = ε_F = 0) is ` +
      `$O(L_f³d^{5/2}\\log⁵T/T)$: $Ĉ₁ = D_T/(L_f³d^{5/2}\\log⁵T/T)$ does not grow. C₁ is estimated, never asserted; the fitted exponent of D_T is reported.`,
    constants: [
      { symbol: 'C_1_hat', meaning: 'Ĉ₁ = D_T/rate at each sweep point (per series)', role: 'estimated' },
      { symbol: 'slope_C_1', meaning: `log–log slope of Ĉ₁ against ${variable} (> 0: no constant works)`, role: 'estimated' },
      { symbol: 'exponent_D', meaning: `log–log slope of D_T against ${variable}`, role: 'estimated' },
      { symbol: 'D_T', meaning: 'idealised discretisation error (exact)', role: 'estimated' },
      { symbol: 'L_f', meaning: 'Lipschitz constant of the flows (exact for Gaussians, a grid lower bound for mixtures)', role: 'estimated' },
      { symbol: 'W_ideal', meaning: 'idealised output error E‖f*_T(X_T) − Φ_T(X_T)‖ (the exact W₁ in 1-D) at each sweep point', role: 'estimated' },
      { symbol: `${variable}_min`, meaning: `smallest ${variable} of the sweep`, role: 'assumed' },
      { symbol: `${variable}_max`, meaning: `largest ${variable} of the sweep`, role: 'assumed' },
      ...(variable === 'T'
        ? [
            { symbol: 'slope_D_over_logT_over_T', meaning: 'log–log slope of D_T·T/log T against T (0 ⇔ D_T ∝ log T/T)', role: 'estimated' as const },
            { symbol: 'exponent_W', meaning: 'log–log slope of W_ideal against T', role: 'estimated' as const },
          ]
        : []),
    ] satisfies ConstantSpec[],
    tags: ['study', 'rate'],
    subject: 'distribution' as const,
    design: { estimand: `the OLS slope of log Ĉ₁ against log ${variable}, per family`, decision: 'slope' as const, falseFailRate: 1e-3 },
    async run(subject: RateSubject, ctx: CheckContext): Promise<Evidence> {
      const m = subject.series.length;
      const level = levelForFalseFailRate(ctx.falseFailRate / m);
      const estimates: Record<string, Estimate> = {};
      const parts: EvidencePart[] = [];
      const diagnostics: Diagnostic[] = [];
      const seriesD: PlotSpec['series'][number][] = [];
      const seriesC: PlotSpec['series'][number][] = [];
      const seriesW: PlotSpec['series'][number][] = [];
      let done = 0;
      const total = subject.series.reduce((a, s) => a + s.members.length, 0);
      let stepCounter = 0;
      const onStep = (): void => {
        if (++stepCounter % 64 === 0) ctx.checkBudget();
      };
      // several workers: every sweep point first, on a pool (results in member order, equal to the in-process ones)
      const units: SweepUnit[] = subject.series.flatMap((series) => series.members.map((member) => ({ family: member.family, T: member.T, c0: subject.c0, c1: subject.c1, coupling: subject.coupling })));
      const pooled = (ctx.workers ?? 1) > 1 ? await runUnits(sweepPointTask, units, { workers: ctx.workers!, poll: () => ctx.checkBudget(), onResult: () => ctx.progress(++done / total) }) : undefined;
      let unitIndex = 0;
      for (const series of subject.series) {
        const points: SweepPoint[] = [];
        for (const member of series.members) {
          ctx.checkBudget();
          const pooledPoint = pooled?.[unitIndex++];
          points.push(pooledPoint ?? sweepPoint(member.family, member.T, subject.c0, subject.c1, subject.coupling, onStep));
          if (pooled === undefined) ctx.progress(++done / total, `${series.label}: ${variable} = ${formatNumber(xOf(variable, points[points.length - 1]!))}`);
        }
        const x = points.map((p) => xOf(variable, p));
        const D = points.map((p) => p.D);
        const C = points.map((p) => p.D / rateValue(subject.rate, p));
        points.forEach((p, i) => {
          estimates[`${series.key}.D_T@${variable}=${formatNumber(x[i]!)}`] = exactEstimate(p.D);
          if (Number.isFinite(p.W)) estimates[`${series.key}.W_ideal@${variable}=${formatNumber(x[i]!)}`] = exactEstimate(p.W);
          if (variable !== 'L_f') estimates[`${series.key}.L_f@${variable}=${formatNumber(x[i]!)}`] = exactEstimate(p.Lf);
          estimates[`${series.key}.C_1_hat@${variable}=${formatNumber(x[i]!)}`] = exactEstimate(C[i]!);
        });
        const slope = estimateLogLogSlope(x, C, { level });
        const exponent = estimateLogLogSlope(x, D, { level: 0.95 });
        estimates[`${series.key}.slope_C_1`] = slope;
        estimates[`${series.key}.${variable}_min`] = exactEstimate(Math.min(...x));
        estimates[`${series.key}.${variable}_max`] = exactEstimate(Math.max(...x));
        estimates[`${series.key}.exponent_D`] = exponent;
        let extra = '';
        if (variable === 'T') {
          const logOverT = estimateLogLogSlope(x, D.map((v, i) => (v * x[i]!) / Math.log(x[i]!)), { level: 0.95 });
          estimates[`${series.key}.slope_D_over_logT_over_T`] = logOverT;
          extra = `; D_T·T/log T has slope ${formatEstimateFixed(logOverT)} (0 ⇔ D_T ∝ log T/T)`;
          const Ws = points.filter((p) => Number.isFinite(p.W));
          if (Ws.length >= 3) {
            const wExp = estimateLogLogSlope(Ws.map((p) => p.T), Ws.map((p) => p.W), { level: 0.95 });
            estimates[`${series.key}.exponent_W`] = wExp;
            extra += `; W_ideal ∝ $T^{${formatEstimateFixed(wExp)}}$`;
          }
        }
        const decision = decideSlope(slope, 0);
        parts.push({
          name: `${series.label}: rate of Ĉ₁`,
          verdict: decision.verdict,
          reason: `D_T from ${formatNumber(D[0]!)} to ${formatNumber(D[D.length - 1]!)} over ${variable} ∈ [${formatNumber(x[0]!)}, ${formatNumber(x[x.length - 1]!)}] grows like $${variable}^{${formatEstimateFixed(exponent)}}$${extra}; Ĉ₁ = D_T/(${describeRate(subject.rate)}): ${decision.reason}`,
        });
        // The master inequality W_ideal ≤ D_T is derived: a failure is a harness bug.
        const broken = points.filter((p) => Number.isFinite(p.W) && p.W > p.D * (1 + 1e-6) + 1e-12);
        if (broken.length > 0) {
          parts.push({ name: `${series.label}: master inequality`, verdict: 'violated', reason: `W_ideal > D_T at ${variable} = ${broken.map((p) => formatNumber(xOf(variable, p))).join(', ')} — the inequality is derived, so this is a harness bug` });
        }
        // resolution: the mixture member with the largest L_f recomputed with twice the Chebyshev points
        const mixtures = series.members.map((mbr, i) => ({ mbr, p: points[i]! })).filter(({ mbr }) => mbr.family.kind === 'mixture');
        if (mixtures.length > 0 && subject.resolutionCheck !== false) {
          const hardest = mixtures.reduce((a, b) => (b.p.Lf > a.p.Lf ? b : a));
          const fam = hardest.mbr.family as Extract<Family, { kind: 'mixture' }>;
          const fine = sweepPoint({ ...fam, nodes: 2 * (fam.nodes ?? 64) }, hardest.mbr.T, subject.c0, subject.c1, subject.coupling, onStep);
          const change = fine.D / hardest.p.D - 1;
          estimates[`${series.key}.resolution_change`] = exactEstimate(change);
          diagnostics.push({ kind: 'numerical', message: `${series.label}: D_T at ${variable} = ${formatNumber(xOf(variable, hardest.p))} (largest L_f = ${formatNumber(hardest.p.Lf)}) changes by ${(100 * change).toFixed(3)}% with ${2 * (fam.nodes ?? 64)} instead of ${fam.nodes ?? 64} Chebyshev points`, value: change });
        }
        const nonMonotone = points.filter((p) => p.monotone === false && Number.isFinite(p.W));
        if (nonMonotone.length > 0) diagnostics.push({ kind: 'note', message: `${series.label}: f*_T not increasing on the grid at ${nonMonotone.length} points: W_ideal is then only an upper bound on W₁` });
        seriesD.push({ name: series.label, x, y: D });
        seriesC.push({ name: series.label, x, y: C });
        const wPoints = points.filter((p) => Number.isFinite(p.W));
        if (wPoints.length > 0) seriesW.push({ name: series.label, x: wPoints.map((p) => xOf(variable, p)), y: wPoints.map((p) => p.W) });
      }
      const verdict = combineVerdicts(parts.map((p) => p.verdict));
      const exps = subject.series.map((s) => `${s.label}: ${formatEstimateFixed(estimates[`${s.key}.exponent_D`]!)}`).join('; ');
      const reason =
        verdict === 'holds'
          ? `Ĉ₁ = D_T/(${describeRate(subject.rate)}) does not grow in ${variable} for any family (${subject.coupling === 'ct' ? 'CT' : 'Markov'} coupling); $D_T ∝ ${variable}^{\\mathrm{exponent}}$: ${exps}.`
          : verdict === 'violated'
            ? `Ĉ₁ = D_T/(${describeRate(subject.rate)}) grows in ${variable} for ${parts.filter((p) => p.verdict === 'violated').map((p) => p.name.split(':')[0]).join(', ')} (${subject.coupling === 'ct' ? 'CT' : 'Markov'} coupling); $D_T ∝ ${variable}^{\\mathrm{exponent}}$: ${exps}.`
            : `Undecided: ${parts.filter((p) => p.verdict === 'inconclusive').map((p) => p.name).join(', ')}.`;
      const plots: PlotSpec[] = [
        { id: `D_T-vs-${variable}`, title: `Idealised discretisation error D_T against ${variable}`, mark: 'line', x: { label: variable, scale: 'log' }, y: { label: 'D_T', scale: 'log' }, series: seriesD },
        { id: `C1-vs-${variable}`, title: `Ĉ₁ = D_T/(${describeRate(subject.rate)}) against ${variable}`, mark: 'line', x: { label: variable, scale: 'log' }, y: { label: 'Ĉ₁', scale: 'log' }, series: seriesC },
        ...(seriesW.length > 0 ? [{ id: `W-vs-${variable}`, title: `W_ideal = E‖f*_T(X_T) − Φ_T(X_T)‖ (a W₁ bound; = W₁ in 1-D) against ${variable}`, mark: 'line' as const, x: { label: variable, scale: 'log' as const }, y: { label: 'W_ideal', scale: 'log' as const }, series: seriesW }] : []),
      ];
      const body = {
        estimates,
        thresholds: [{ symbol: 'slope_C_1', value: 0, side: 'upper' as const }],
        reason,
        parts,
        diagnostics: [
          ...diagnostics,
          ...(subject.series.some((sr) => sr.members.some((mb) => mb.family.kind === 'mixture' && mb.family.strided === true))
            ? [{ kind: 'numerical' as const, message: 'strided mixture members: Δ_t evaluated at ~512 steps, log E|Δ_t| interpolated (local cubic) at the others; against the every-step sum this costs −6e-4 (T = 1024) and −8e-5 (T = 4096) relative on ½N(±1, ½)' }]
            : []),
          { kind: 'note' as const, message: `slope intervals at level ${level.toFixed(6)} (Bonferroni over ${m} families); exponents at 95%. The values are deterministic: an interval measures the departure from a pure power law (curvature, log factors), not noise` },
        ],
        plots,
      };
      const provenance = provenanceOf(ctx.rng);
      if (verdict === 'violated') {
        const worst = subject.series.map((s) => estimates[`${s.key}.slope_C_1`]!).reduce((a, b) => (b.interval.lower > a.interval.lower ? b : a));
        return makeEvidence(id, provenance, body, { verdict, witness: { description: `Ĉ₁ grows along the ${variable} sweep: slope ${formatEstimateFixed(worst)} > 0`, value: worst.value } });
      }
      return makeEvidence(id, provenance, body, { verdict });
    },
  };
}

// ── subjects ─────────────────────────────────────────────────────────────────────────────────────────────────────

const GAUSS_HALF: Family = { kind: 'gaussian', name: 'N(0, ½)', lambdas: [0.5] };
const mildFamily = (d = 1, dims?: readonly number[]): Family => ({ kind: 'mixture', name: '½N(±1, ½)', mix: MILD, d, ...(dims ? { dims } : {}) });
const sharpFamily = (d = 1, dims?: readonly number[]): Family => ({ kind: 'mixture', name: '½N(±1.5, ¼)', mix: bimodal(1.5), d, nodes: 256, strided: true, ...(dims ? { dims } : {}) });

const over = (Ts: readonly number[], family: Family) => Ts.map((T) => ({ family, T }));

/** The T-sweep of the study (and, with fewer points, of the controls). */
export function tSubject(full: boolean, coupling: Coupling = 'ct', rate: DeclaredRate = PAPER_RATE): RateSubject {
  const mixTs = full ? [256, 512, 1024, 2048, 4096] : [256, 362, 512, 724, 1024];
  const series: RateSeries[] = [{ key: 'gauss1d', label: 'N(0, ½), 1-D', members: over(T_SWEEP_FINE, GAUSS_HALF) }];
  if (coupling === 'ct') {
    series.push({
      key: 'mild1d',
      label: '½N(±1, ½), 1-D',
      members: over(mixTs, full ? mildFamily() : { kind: 'mixture', name: '½N(±1, ½)', mix: MILD, d: 1, nodes: 24, strided: true }),
    });
    if (full) {
      series.push(
        { key: 'aniso8d', label: 'aniso-gaussian-8d', members: over(T_SWEEP_FINE, { kind: 'gaussian', name: 'aniso-gaussian-8d', lambdas: anisoLambdas(8) }) },
        { key: 'mild8d', label: '(½N(±1, ½))^⊗8', members: over(mixTs, mildFamily(8)) },
        { key: 'sharp1d', label: '½N(±1.5, ¼), 1-D', members: over(T_SWEEP, sharpFamily()) },
      );
    }
  }
  return { variable: 'T', coupling, ...SCHEDULE, series, rate, ...(full ? {} : { resolutionCheck: false }) };
}

export function dSubject(full: boolean, rate: DeclaredRate = PAPER_RATE, T = 1024): RateSubject {
  const dims = full ? [...D_SWEEP] : [1, 2, 4, 8, 16];
  const series: RateSeries[] = [
    { key: 'iso', label: 'N(0, ½I_d)', members: dims.map((d) => ({ family: { kind: 'gaussian', name: `N(0, ½I_${d})`, lambdas: new Array<number>(d).fill(0.5) }, T })) },
    { key: 'aniso', label: 'aniso-gaussian-<d>d', members: dims.map((d) => ({ family: { kind: 'gaussian', name: `aniso-gaussian-${d}d`, lambdas: anisoLambdas(d) }, T })) },
  ];
  if (full) {
    series.push(
      { key: 'mildProduct', label: '(½N(±1, ½))^⊗d', members: dims.map((d) => ({ family: mildFamily(d, dims), T })) },
      { key: 'sharpProduct', label: '(½N(±1.5, ¼))^⊗d', members: dims.map((d) => ({ family: sharpFamily(d, dims), T })) },
    );
  }
  return { variable: 'd', coupling: 'ct', ...SCHEDULE, series, rate };
}

export function lfSubject(full: boolean, rate: DeclaredRate = PAPER_RATE, T = 1024): RateSubject {
  const scales = full ? [1, 2, 4, 8, 16, 32] : [1.5, 3, 6, 12];
  const series: RateSeries[] = [
    { key: 'gaussScale', label: 'N(0, L²) (L_f ≈ L)', members: scales.map((L) => ({ family: { kind: 'gaussian', name: `N(0, ${L}²)`, lambdas: [L * L] }, T })) },
  ];
  if (full) {
    series.push({
      key: 'bimodalSeparation',
      label: '½N(±m, ¼), m = ½ … 1.75',
      members: [0.5, 0.75, 1, 1.25, 1.5, 1.75].map((m) => ({ family: { kind: 'mixture', name: `½N(±${m}, ¼)`, mix: bimodal(m), d: 1, nodes: 256, strided: true }, T })),
    });
  }
  return { variable: 'L_f', coupling: 'ct', ...SCHEDULE, series, rate };
}

export const theorem1RateInT = defineCheck<RateSubject>({
  id: 'studies.theorem1RateInT',
  kind: 'theorem',
  title: 'Theorem 1 rate in T: D_T against T',
  source: { paper: 'li2024', label: 'Theorem 1', equation: '(24) report' },
  dependsOn: ['li2024.schedule', 'li2024.assumption1'],
  ...rateFields('T', 'studies.theorem1RateInT'),
  controls: [
    { name: 'paperRate', description: 'N(0, ½) (T = 256 … 8192, closed form) and ½N(±1, ½) (T = 256 … 1024, 24 nodes, strided), CT coupling, against log⁵T/T', expected: 'holds', build: () => tSubject(false) },
    { name: 'markovCoupling', description: 'N(0, ½), Markov-coupled recursion, T = 256 … 8192 (D_T grows like log T: the per-step error is first order)', expected: 'violated', build: () => tSubject(false, 'markov') },
  ],
});

export const theorem1RateInD = defineCheck<RateSubject>({
  id: 'studies.theorem1RateInD',
  kind: 'theorem',
  title: 'Theorem 1 rate in d: D_T against the dimension d',
  source: { paper: 'li2024', label: 'Theorem 1', equation: '(24) report' },
  dependsOn: ['li2024.schedule', 'li2024.assumption1'],
  ...rateFields('d', 'studies.theorem1RateInD'),
  controls: [
    { name: 'paperRate', description: 'N(0, ½I_d) and aniso-gaussian-<d>d, d = 1 … 16, T = 1024, against d^{5/2}', expected: 'holds', build: () => dSubject(false) },
    { name: 'optimisticExponent', description: 'the same sweep against a declared d^{1/4}, below the measured d^{1/2}', expected: 'violated', build: () => dSubject(false, { ...PAPER_RATE, d: 0.25 }) },
  ],
});

export const theorem1RateInLf = defineCheck<RateSubject>({
  id: 'studies.theorem1RateInLf',
  kind: 'theorem',
  title: 'Theorem 1 rate in L_f: D_T against the flow Lipschitz constant L_f',
  source: { paper: 'li2024', label: 'Theorem 1', equation: '(24) report' },
  dependsOn: ['li2024.schedule', 'li2024.assumption1'],
  ...rateFields('L_f', 'studies.theorem1RateInLf'),
  controls: [
    { name: 'paperRate', description: 'N(0, L²), L = 1.5 … 12, T = 1024, against L_f³', expected: 'holds', build: () => lfSubject(false) },
    { name: 'optimisticExponent', description: 'the same sweep against a declared L_f^{1/2}, below the measured ≈ 0.9', expected: 'violated', build: () => lfSubject(false, { ...PAPER_RATE, Lf: 0.5 }) },
  ],
});

// ── trained models against T ─────────────────────────────────────────────────────────────────────────────────────

/** A sequence on lhwSchedule({ T, c0, c1 }) and the training error it declares (measured when undefined). */
export type TrainedSequenceSpec =
  | { readonly kind: 'affineLeastSquares'; readonly samplesPerStep: number }
  | { readonly kind: 'idealised' };

export interface TrainedInTSubject {
  /** Eigenvalues of a centred Gaussian target (closed-form flows, exact D_T). */
  readonly lambdas: readonly number[];
  readonly Ts: readonly number[];
  readonly sequence: TrainedSequenceSpec;
  /** Charge the sequence with its measured ε̂_tot ('measured') or with 0 (the bound without the training term). */
  readonly epsilon: 'measured' | 'zero';
  /** Draws for Ŵ^up and per step for ε̂_tot. */
  readonly draws: number;
  readonly epsDraws: number;
}

export const theorem1TrainedInT = defineCheck<TrainedInTSubject>({
  id: 'studies.theorem1TrainedInT',
  kind: 'theorem',
  title: 'Theorem 1 for trained sequences against T: Ŵ₁ ≤ ε̂_tot + D_T',
  claim:
    'For a sequence f_t trained by LHW sequential consistency training, W₁(f_T(X_T), X₁) ≤ Σ_t E‖f_t − f*_t‖ + D_T at every T (the constant-free ' +
    'skeleton of Theorem 1, THEORY §1.10; Theorem 1 replaces D_T by $C₁L_f³d^{5/2}\\log⁵T/T$). Measured along T: the W₁ bound, ε̂_tot and D_T.',
  source: { paper: 'li2024', label: 'Theorem 1', equation: '(24) report; master inequality THEORY §1.10' },
  dependsOn: ['li2024.schedule', 'li2024.assumption1', 'li2024.assumption2'],
  constants: [
    { symbol: 'W_up', meaning: 'E‖f_T(X_T) − Φ_T(X_T)‖ ≥ W₁ (synchronous coupling, CLT)', role: 'estimated' },
    { symbol: 'eps_tot', meaning: 'ε̂_tot = Σ_t E‖f_t − f*_t‖ (li2024.assumption2, L¹ form)', role: 'estimated' },
    { symbol: 'D_T', meaning: 'exact idealised discretisation error', role: 'estimated' },
    { symbol: 'exponent', meaning: 'log–log slope against T of the quantity it names (exponent_W_up, exponent_eps_tot, exponent_D_T)', role: 'estimated' },
  ],
  tags: ['study', 'trained'],
  subject: 'training-run',
  design: { estimand: 'Ŵ^up − ε̂_tot − D_T at each T', decision: 'upper-bound', falseFailRate: 1e-3 },
  controls: [
    {
      name: 'trainedWithItsError',
      description: 'N(0, ½), affine class with 256 samples per step, T = 64 … 512, charged with its measured ε̂_tot',
      expected: 'holds',
      build: () => trainedInTSubject(false, 'measured'),
    },
    {
      name: 'trainedWithoutError',
      description: 'the same trained sequences charged with ε = ε_F = 0: Ŵ^up exceeds D_T (the statistical error of training is real)',
      expected: 'violated',
      build: () => trainedInTSubject(false, 'zero'),
    },
  ],
  async run(subject, ctx) {
    const target = gaussian(subject.lambdas.map(() => 0), diagonal(subject.lambdas));
    const m = subject.Ts.length;
    const level = levelForFalseFailRate(ctx.falseFailRate / m);
    const estimates: Record<string, Estimate> = {};
    const parts: EvidencePart[] = [];
    const wUps: number[] = [];
    const epss: number[] = [];
    const Ds: number[] = [];
    for (const T of subject.Ts) {
      ctx.checkBudget();
      const schedule = lhwSchedule({ T, ...SCHEDULE });
      const setting = { target, schedule };
      const sequence =
        subject.sequence.kind === 'idealised'
          ? gaussianIdealisedSequence(setting, 'ct')
          : (() => {
              const spec = subject.sequence;
              const model = fitAffineSequential(lhwSequentialTrainingVariant(schedule, { stepsPerStage: 1 }), target, schedule.process(), { samplesPerNode: spec.samplesPerStep, rng: ctx.rng.child(`train T=${T}`) });
              return sequenceFromConsistencyFunction({ id: `affine least squares, ${spec.samplesPerStep} samples per step`, evaluate: (x, t) => model.evaluate(x, t) }, schedule);
            })();
      const n = Math.min(subject.draws, ctx.budget.maxSamples);
      const xT = target.noised(Math.sqrt(schedule.alphaBars[T]!), Math.sqrt(schedule.oneMinusAlphaBars[T]!)).sample(n, ctx.rng.child(`X_T T=${T}`));
      const fT = sequence.evaluate(T, xT);
      const phi = settingFlow(setting).map(xT, schedule.timeOfStep(T), schedule.timeOfStep(1)).y;
      const dist = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < xT.d; j++) v += (fT.data[i * xT.d + j]! - phi.data[i * xT.d + j]!) ** 2;
        dist[i] = Math.sqrt(v);
      }
      const wUp = estimateMeanByClt(dist, { level });
      const D = gaussianIdealisedErrors(subject.lambdas, schedule, 'ct', 'mean').D;
      let eps: Estimate = exactEstimate(0);
      if (subject.epsilon === 'measured') {
        const sub = createCheckContext({ rng: ctx.rng.child(`eps T=${T}`), falseFailRate: ctx.falseFailRate / m, budget: ctx.budget, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        const ev = await assumption2TrainingErrors.run({ target, schedule, sequence, claimed: { epsilonTotal: 1e9 }, samples: subject.epsDraws }, sub);
        eps = ev.estimates['eps_tot_L1']!;
      }
      estimates[`W_up@T=${T}`] = wUp;
      estimates[`eps_tot@T=${T}`] = eps;
      estimates[`D_T@T=${T}`] = exactEstimate(D);
      wUps.push(wUp.value);
      epss.push(eps.value);
      Ds.push(D);
      const verdict = wUp.interval.upper <= eps.interval.lower + D ? 'holds' : wUp.interval.lower > eps.interval.upper + D ? 'violated' : 'inconclusive';
      parts.push({
        name: `T = ${T}`,
        verdict,
        reason: `Ŵ^up = ${formatNumber(wUp.value)} [${formatNumber(wUp.interval.lower)}, ${formatNumber(wUp.interval.upper)}] against ${subject.epsilon === 'measured' ? `ε̂_tot = ${formatNumber(eps.value)} [${formatNumber(eps.interval.lower)}, ${formatNumber(eps.interval.upper)}] + ` : 'ε = 0 + '}D_T = ${formatNumber(D)}`,
      });
      ctx.progress(parts.length / m, `T = ${T}`);
    }
    if (wUps.every((v) => v > 0)) estimates['exponent_W_up'] = estimateLogLogSlope(subject.Ts, wUps, { level: 0.95 });
    if (epss.every((v) => v > 0)) estimates['exponent_eps_tot'] = estimateLogLogSlope(subject.Ts, epss, { level: 0.95 });
    estimates['exponent_D_T'] = estimateLogLogSlope(subject.Ts, Ds, { level: 0.95 });
    const verdict = combineVerdicts(parts.map((p) => p.verdict));
    const trend = `Ŵ^up ${formatNumber(wUps[0]!)} → ${formatNumber(wUps[wUps.length - 1]!)}, D_T ${formatNumber(Ds[0]!)} → ${formatNumber(Ds[Ds.length - 1]!)}${subject.epsilon === 'measured' ? `, ε̂_tot ${formatNumber(epss[0]!)} → ${formatNumber(epss[epss.length - 1]!)}` : ''} over T = ${subject.Ts[0]} … ${subject.Ts[subject.Ts.length - 1]}`;
    const reason =
      verdict === 'holds'
        ? `Ŵ₁ ≤ ${subject.epsilon === 'measured' ? 'ε̂_tot' : '0'} + D_T at every T: ${trend}.`
        : verdict === 'violated'
          ? `Ŵ₁ > ${subject.epsilon === 'measured' ? 'ε̂_tot' : '0'} + D_T at ${parts.filter((p) => p.verdict === 'violated').map((p) => p.name).join(', ')}: ${trend}.`
          : `Undecided at ${parts.filter((p) => p.verdict === 'inconclusive').map((p) => p.name).join(', ')}: ${trend}.`;
    const body = {
      estimates,
      thresholds: [{ symbol: 'W_up', value: 0, side: 'upper' as const }],
      reason,
      parts,
      diagnostics: [{ kind: 'monte-carlo-error' as const, message: `${subject.draws} draws for Ŵ^up, ${subject.epsDraws} per step for ε̂_tot (Gauss–Hermite f*_t); intervals at level ${level.toFixed(6)} (Bonferroni over ${m} values of T)` }],
      plots: [
        {
          id: 'trained-vs-T',
          title: 'Trained sequence: W₁ bound, ε̂_tot and D_T against T',
          mark: 'line' as const,
          x: { label: 'T', scale: 'log' as const },
          y: { label: 'error', scale: 'log' as const },
          series: [
            { name: 'Ŵ^up', x: [...subject.Ts], y: wUps },
            { name: 'D_T', x: [...subject.Ts], y: Ds },
            ...(subject.epsilon === 'measured' ? [{ name: 'ε̂_tot', x: [...subject.Ts], y: epss }] : []),
          ],
        },
      ],
    };
    const provenance = provenanceOf(ctx.rng);
    if (verdict === 'violated') {
      const p = parts.find((q) => q.verdict === 'violated')!;
      return makeEvidence('studies.theorem1TrainedInT', provenance, body, { verdict, witness: { description: p.reason, value: 0 } });
    }
    return makeEvidence('studies.theorem1TrainedInT', provenance, body, { verdict });
  },
});

function diagonal(lambdas: readonly number[]): number[] {
  const d = lambdas.length;
  const out = new Array<number>(d * d).fill(0);
  lambdas.forEach((l, i) => (out[i * d + i] = l));
  return out;
}

export function trainedInTSubject(full: boolean, epsilon: 'measured' | 'zero' = 'measured'): TrainedInTSubject {
  return {
    lambdas: [0.5],
    Ts: full ? [128, 256, 512, 1024, 2048, 4096] : [64, 128, 256, 512],
    sequence: { kind: 'affineLeastSquares', samplesPerStep: full ? 1024 : 256 },
    epsilon,
    draws: full ? 20000 : 4000,
    epsDraws: full ? 64 : 32,
  };
}

// ── the suite ────────────────────────────────────────────────────────────────────────────────────────────────────

function evidenceOf(report: AuditReport, id: string): Evidence | undefined {
  return report.entries.find((e) => e.statement.id === id)?.result.evidence;
}

/** The Findings paragraph: the fitted exponents beside the paper's. */
export function theorem1RatesFindings(report: AuditReport): string {
  const tE = evidenceOf(report, 'studies.theorem1RateInT');
  const dE = evidenceOf(report, 'studies.theorem1RateInD');
  const lE = evidenceOf(report, 'studies.theorem1RateInLf');
  const est = (e: Evidence | undefined, key: string): Estimate | undefined => e?.estimates[key];
  const show = (e: Evidence | undefined, key: string): string => {
    const v = est(e, key);
    return v === undefined ? 'n/a' : `${v.value.toFixed(2)} [${v.interval.lower.toFixed(2)}, ${v.interval.upper.toFixed(2)}]`;
  };
  const at = (e: Evidence | undefined, key: string): string => {
    const v = est(e, key);
    return v === undefined ? 'n/a' : formatNumber(v.value);
  };
  const out: string[] = [];
  out.push(
    'We computed the idealised discretisation error D_T = Σ_t E‖Δ_t(X_t)‖ of Li–Huang–Wei consistency training (ε = ε_F = 0; exact, no sampling) on the schedule (23) with c₀ = 2, c₁ = 8.',
  );
  const loose: string[] = [];
  if (tE) {
    out.push(
      `**In T** (256 … 8192; mixtures to 4096 except ½N(±1.5, ¼)): D_T ∝ $T^{${show(tE, 'gauss1d.exponent_D')}}$ for N(0, ½) (D_T = ${at(tE, 'gauss1d.D_T@T=256')} → ${at(tE, 'gauss1d.D_T@T=8192')}), ` +
        `$T^{${show(tE, 'aniso8d.exponent_D')}}$ for aniso-gaussian-8d, $T^{${show(tE, 'mild1d.exponent_D')}}$ for ½N(±1, ½), ` +
        `$T^{${show(tE, 'mild8d.exponent_D')}}$ for its 8-fold product and $T^{${show(tE, 'sharp1d.exponent_D')}}$ for ½N(±1.5, ¼) (L_f = ${at(tE, 'sharp1d.L_f@T=1024')} at T = 1024); ` +
        `D_T·T/log T has slope ${show(tE, 'gauss1d.slope_D_over_logT_over_T')} (Gaussian), ${show(tE, 'mild1d.slope_D_over_logT_over_T')} (½N(±1, ½)) and ${show(tE, 'sharp1d.slope_D_over_logT_over_T')} (½N(±1.5, ¼)), ` +
        'against THEORY §5.3\'s prediction that the Gaussian D_T decays like log T/T (slope 0); the sharp mixture is not yet in that regime at T ≤ 8192. ' +
        `The idealised output's W₁ decays alike (W_ideal ∝ $T^{${show(tE, 'gauss1d.exponent_W')}}$ for the Gaussian, $T^{${show(tE, 'mild1d.exponent_W')}}$ for ½N(±1, ½), where it is the exact W₁). ` +
        `$Ĉ₁ = D_T·T/(L_f³d^{5/2}\\log⁵T)$ has slope ${show(tE, 'gauss1d.slope_C_1')} in T for the Gaussian: the theorem's T-rate is consistent (verdict: ${tE.verdict}).`,
    );
    loose.push('log⁴T (where D_T ∝ log T/T)');
  }
  const maxExponent = (e: Evidence | undefined, keys: readonly string[]): Estimate | undefined =>
    keys.map((k) => est(e, k)).filter((v): v is Estimate => v !== undefined).reduce<Estimate | undefined>((a, b) => (a === undefined || b.value > a.value ? b : a), undefined);
  if (dE) {
    out.push(
      `**In d** (1 … 64, T = 1024): D_T ∝ $d^{${show(dE, 'iso.exponent_D')}}$ (N(0, ½I_d)), $d^{${show(dE, 'aniso.exponent_D')}}$ (aniso-gaussian), ` +
        `$d^{${show(dE, 'mildProduct.exponent_D')}}$ and $d^{${show(dE, 'sharpProduct.exponent_D')}}$ (d-fold products of ½N(±1, ½) and ½N(±1.5, ¼)): ` +
        'D_T sums d independent coordinate errors, so it grows like √d once many coordinates contribute and like d while the per-coordinate ' +
        'errors are sparse (the sharp mixture, whose Δ_t is large only near the gap between its modes) — ' +
        `against the theorem's $d^{5/2}$ (verdict: ${dE.verdict}; the authors leave the optimality of $d^{5/2}$ open).`,
    );
    const e = maxExponent(dE, ['iso.exponent_D', 'aniso.exponent_D', 'mildProduct.exponent_D', 'sharpProduct.exponent_D']);
    if (e) loose.push(`$d^{${(2.5 - e.value).toFixed(1)}}$`);
  }
  if (lE) {
    out.push(
      `**In L_f** (T = 1024): D_T ∝ $L_f^{${show(lE, 'gaussScale.exponent_D')}}$ for N(0, L²) (L_f from ${at(lE, 'gaussScale.L_f_min')} to ${at(lE, 'gaussScale.L_f_max')}) and $L_f^{${show(lE, 'bimodalSeparation.exponent_D')}}$ for ½N(±m, ¼) ` +
        `(L_f from ${at(lE, 'bimodalSeparation.L_f_min')} to ${at(lE, 'bimodalSeparation.L_f_max')} as m goes from ½ to 1.75; for mixtures L_f is a witnessed lower bound) — ` +
        `against the theorem's L_f³ (verdict: ${lE.verdict}).`,
    );
    const e = maxExponent(lE, ['gaussScale.exponent_D', 'bimodalSeparation.exponent_D']);
    if (e) loose.push(`$L_f^{${(3 - e.value).toFixed(1)}}$`);
  }
  const trE = evidenceOf(report, 'studies.theorem1TrainedInT');
  if (trE) {
    const sub = trainedInTSubject(true);
    const first = sub.Ts[0]!;
    const lastT = sub.Ts[sub.Ts.length - 1]!;
    out.push(
      `**Trained sequences** (N(0, ½), the affine class fitted by LHW sequential least squares with ${sub.sequence.kind === 'affineLeastSquares' ? sub.sequence.samplesPerStep : 0} samples per step, T = ${first} … ${lastT}): ` +
        `the W₁ bound Ŵ^up falls from ${at(trE, `W_up@T=${first}`)} to ${at(trE, `W_up@T=${lastT}`)} (∝ $T^{${show(trE, 'exponent_W_up')}}$), with D_T from ${at(trE, `D_T@T=${first}`)} to ${at(trE, `D_T@T=${lastT}`)}, ` +
        `while the summed training error ε̂_tot stays at ${at(trE, `eps_tot@T=${first}`)} … ${at(trE, `eps_tot@T=${lastT}`)} (∝ $T^{${show(trE, 'exponent_eps_tot')}}$): ` +
        `the skeleton Ŵ₁ ≤ ε̂_tot + D_T holds at every T (verdict: ${trE.verdict}), but the ε + ε_F term of (24) is the loose part for trained models — per-step statistical errors do not add up in the output.`,
    );
  }
  if (loose.length > 0) out.push(`On these targets Theorem 1's rate is consistent with the exact D_T but loose by at least ${loose.join(', ')} (largest measured exponents); Ĉ₁ is reported per point in the tables below, never asserted.`);
  return out.join(' ');
}

export function theorem1RatesSuite(request: SuiteRequest): Suite {
  void request;
  const subjects = {
    'studies.theorem1RateInT': studySubject(tSubject(true)),
    'studies.theorem1RateInD': studySubject(dSubject(true)),
    'studies.theorem1RateInLf': studySubject(lfSubject(true)),
    'studies.theorem1TrainedInT': studySubject(trainedInTSubject(true)),
  };
  return {
    name: 'theorem1-rates',
    title: 'Study theorem1-rates: the idealised discretisation error of Li–Huang–Wei Theorem 1 against T, d and L_f',
    subject: {
      target: 'N(0, ½), N(0, ½I_d), N(0, L²), aniso-gaussian-<d>d, ½N(±1, ½), ½N(±m, ¼) and their d-fold products (the --target flag is not used)',
      process: `Li–Huang–Wei schedule (23), c0 = ${SCHEDULE.c0}, c1 = ${SCHEDULE.c1}, T = 256 … 8192`,
      variant: 'idealised consistency training (exact minimiser at every step; the Markov coupling as control)',
      functionClass: 'unrestricted (ε = ε_F = 0)',
    },
    checks: [theorem1RateInT, theorem1RateInD, theorem1RateInLf, theorem1TrainedInT],
    subjects,
    findings: theorem1RatesFindings,
  };
}

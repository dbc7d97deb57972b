import { Command } from 'commander';
import { runBattery } from '../../checks/runBattery.ts';
import { isBuiltInTargetName, targetFromSpec } from '../../config/targetSpec.ts';
import { mathAsPlainText } from '../../report/plainMath.ts';
import { ConfigError } from '../../core/errors.ts';
import { builtInTarget, MAX_BUILT_IN_DIM } from '../../distributions/builtInTargets.ts';
import type { Witness } from '../../checks/evidence.ts';
import type { Estimate } from '../../estimators/estimate.ts';
import { estimateLogLogSlope } from '../../estimators/logLogSlope.ts';
import { formatTableNumber } from '../../core/formatNumber.ts';
import { formatJsonFloat64 } from '../../core/formatJson.ts';
import { integerOption, parseNumber } from '../parseOptions.ts';
import { readSpecOption } from '../../config/readInput.ts';
import type { ConstantRecipe, SweepPoint } from '../../checks/suite.ts';

export interface EstimateRequest {
  readonly symbol: string;
  /** Base target (a built-in name); with a d sweep, the family `<family>-<d>d` is used instead. */
  readonly target: string;
  readonly family: string;
  readonly sweeps: Readonly<Record<'d' | 'T', readonly number[] | undefined>>;
  readonly T: number;
  readonly seed: number;
}

export interface EstimateRow {
  readonly d: number;
  readonly T: number;
  readonly target: string;
  readonly estimate: Estimate;
  readonly verdict: string;
  /** For a witnessed lower bound on a supremum: the check's sentence naming where it was attained (pair, point). */
  readonly witness?: string;
}

export interface EstimateOutput {
  readonly symbol: string;
  readonly meaning: string;
  readonly rows: readonly EstimateRow[];
  /** Fitted exponent of the constant in the swept variable (log–log OLS), when one variable has ≥ 3 points. */
  readonly exponent?: {
    readonly variable: 'd' | 'T';
    readonly estimate: Estimate;
    /** 'values' when every row is the constant itself (exact or with an interval); 'lower-bounds' when some rows are only one-sided bounds of it. */
    readonly fittedTo: 'values' | 'lower-bounds';
    /** Present when `fittedTo` is 'lower-bounds': what the fit does and does not say. */
    readonly warning?: string;
  };
}

/** A row that only bounds the constant from one side (a sampled supremum or a sure lower bound). */
function isOneSidedBound(e: Estimate): boolean {
  return e.supLowerBound === true || e.method === 'sup-lower-bound' || e.method === 'lower-bound';
}

/** Largest d of a d sweep (the built-in families' limit) and largest T of the schedule an `estimate` accepts. */
export const SWEEP_LIMITS = { d: MAX_BUILT_IN_DIM, T: 1_000_000 } as const;
/** Smallest value of each sweep variable: d ≥ 1, and schedule (23) needs T ≥ 2 steps. */
const SWEEP_MINIMA = { d: 1, T: 2 } as const;

/** Parses `d=1,2,4` into ['d', [1, 2, 4]]; a value out of range is named with the range. */
export function parseSweep(text: string): ['d' | 'T', number[]] {
  const m = /^(d|T)=(.*)$/.exec(text.trim());
  if (!m) throw new ConfigError('E_INVALID_INPUT', `must look like d=1,2,4 or T=256,512, got '${text}'`, '--sweep');
  const variable = m[1] as 'd' | 'T';
  const items = m[2]!.split(',').map((v) => v.trim());
  if (items.length === 0 || items.some((v) => v === '')) throw new ConfigError('E_INVALID_INPUT', `needs a comma-separated list of values after '${variable}=', got '${text}'`, '--sweep');
  const values = items.map((v) => parseNumber(v, { integer: true, min: SWEEP_MINIMA[variable], max: SWEEP_LIMITS[variable] }, `--sweep ${variable}`));
  return [variable, values];
}

/** A witness with its point and time in full (String round-trips a float64), so that re-evaluating it reproduces it. */
function describeWitness(w: Witness): string {
  return `${w.description}${w.time === undefined ? '' : ` at t = ${String(w.time)}`}${w.point === undefined ? '' : ` at x = (${w.point.map(String).join(', ')})`}`;
}

/** Measures one constant over the sweep grid (the testable core of `cmbounds estimate`). */
export async function estimateConstant(request: EstimateRequest, recipes: Readonly<Record<string, ConstantRecipe>>): Promise<EstimateOutput> {
  const recipe = recipes[request.symbol];
  if (recipe === undefined) throw new ConfigError('E_INVALID_INPUT', `unknown constant '${request.symbol}'; known: ${Object.keys(recipes).join(', ')}`, 'symbol');
  const ds = request.sweeps.d ?? [undefined];
  const Ts = request.sweeps.T ?? [request.T];
  const rows: EstimateRow[] = [];
  for (const d of ds) {
    const name = d === undefined ? request.target : `${request.family}-${d}d`;
    const target = d === undefined ? targetFromSpec(readSpecOption(name, '--target', isBuiltInTargetName), '--target') : builtInTarget(name, '--family');
    for (const T of Ts) {
      const point: SweepPoint = { target, targetName: name, T };
      const subject = recipe.subject(point);
      const result = await runBattery([recipe.check], { [recipe.check.id]: subject }, { seed: request.seed });
      const r = result.results[0]!;
      const estimate = r.evidence?.estimates[recipe.estimateKey];
      if (estimate === undefined) {
        throw new ConfigError('E_INVALID_INPUT', `${recipe.check.id} gave no estimate '${recipe.estimateKey}' for ${name}, T=${T}: ${r.error ?? r.evidence?.reason ?? r.status}`, 'symbol');
      }
      rows.push({ d: target.dim, T, target: name, estimate, verdict: r.evidence!.verdict, ...(estimate.supLowerBound === true ? { witness: r.evidence!.verdict === 'violated' && r.evidence!.witness ? describeWitness(r.evidence!.witness) : r.evidence!.reason } : {}) });
    }
  }
  const variable: 'd' | 'T' | undefined = (request.sweeps.d?.length ?? 0) >= 3 && request.sweeps.T === undefined ? 'd' : (request.sweeps.T?.length ?? 0) >= 3 && request.sweeps.d === undefined ? 'T' : undefined;
  const positive = rows.every((r) => r.estimate.value > 0);
  // a fit to one-sided bounds says how the bounds scale, not the constant: it is labelled as such
  const ofBounds = rows.some((r) => isOneSidedBound(r.estimate));
  const exponent = variable !== undefined && positive
    ? {
        variable,
        estimate: estimateLogLogSlope(rows.map((r) => r[variable]), rows.map((r) => r.estimate.value)),
        fittedTo: ofBounds ? ('lower-bounds' as const) : ('values' as const),
        ...(ofBounds ? { warning: `fitted to lower bounds of ${recipe.symbol}, not to ${recipe.symbol} itself: the exponent and its interval describe how the bounds scale, and say nothing certain about the constant's own exponent` } : {}),
      }
    : undefined;
  return { symbol: recipe.symbol, meaning: recipe.meaning, rows, ...(exponent === undefined ? {} : { exponent }) };
}

/** `cmbounds estimate <symbol> [--sweep d=…] [--sweep T=…]`: empirical constants with intervals, table or JSON. */
export function estimateCommand(recipes: Readonly<Record<string, ConstantRecipe>>): Command {
  return new Command('estimate')
    .description(`Empirical constants with intervals over a sweep of dimension d and steps T (known: ${Object.keys(recipes).join(', ')}).`)
    .argument('<symbol>', 'the constant, e.g. L_f')
    .option('--sweep <var=values>', 'd=1,2,4,8 (uses --family) or T=256,512,…; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--target <name|file>', 'target when d is not swept (default aniso-gaussian-2d)', 'aniso-gaussian-2d')
    .option('--family <name>', 'built-in family for a d sweep: iso-gmm or aniso-gaussian (default aniso-gaussian)', 'aniso-gaussian')
    .option('--T <n>', 'steps of the schedule when T is not swept (default 1000)', integerOption({ min: SWEEP_MINIMA.T, max: SWEEP_LIMITS.T }), 1000)
    .option('--seed <n>', 'root seed (default 1)', integerOption({ min: 0 }), 1)
    .option('--json', 'print JSON')
    .action(async (symbol: string, opts: { sweep: string[]; target: string; family: string; T: number; seed: number; json?: boolean }) => {
      if (!['iso-gmm', 'aniso-gaussian'].includes(opts.family)) throw new ConfigError('E_INVALID_INPUT', `must be iso-gmm or aniso-gaussian, got '${opts.family}'`, '--family');
      const sweeps: Record<'d' | 'T', number[] | undefined> = { d: undefined, T: undefined };
      for (const s of opts.sweep) {
        const [k, v] = parseSweep(s);
        if (sweeps[k] !== undefined) throw new ConfigError('E_INVALID_INPUT', `${k} is swept twice; give one --sweep ${k}=… with all its values`, '--sweep');
        sweeps[k] = v;
      }
      const out = await estimateConstant({ symbol, target: opts.target, family: opts.family, sweeps, T: opts.T, seed: opts.seed }, recipes);
      if (opts.json) {
        process.stdout.write(formatJsonFloat64(JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)))) + '\n');
        return;
      }
      const lines = [`${out.symbol}: ${out.meaning}`, '', 'target                 d      T  estimate    interval                  method'];
      for (const r of out.rows) {
        const e = r.estimate;
        const interval = e.method === 'exact' ? 'exact' : `[${formatTableNumber(e.interval.lower)}, ${formatTableNumber(e.interval.upper)}]`;
        lines.push(`${r.target.padEnd(20)} ${String(r.d).padStart(3)} ${String(r.T).padStart(6)}  ${formatTableNumber(e.value).padEnd(10)}  ${interval.padEnd(24)}  ${e.method}${e.supLowerBound ? ' (lower bound on a sup)' : e.method === 'lower-bound' ? ` (${out.symbol} ≥ this value)` : ''}`);
        if (r.witness !== undefined) lines.push(`    witness: ${mathAsPlainText(r.witness)}`);
      }
      if (out.exponent) {
        const e = out.exponent.estimate;
        const of = out.exponent.fittedTo === 'lower-bounds' ? ` of the lower bounds (not of ${out.symbol})` : '';
        lines.push('', `exponent in ${out.exponent.variable}${of}: ${formatTableNumber(e.value)}  (${formatTableNumber(100 * e.interval.level)}% CI [${formatTableNumber(e.interval.lower)}, ${formatTableNumber(e.interval.upper)}], OLS on log–log)`);
        if (out.exponent.warning !== undefined) lines.push(`warning: ${out.exponent.warning}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}

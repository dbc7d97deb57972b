import { FatalInputError, ValidationError } from '../core/errors.ts';
import { holmAdjust } from '../estimators/holmAdjust.ts';
import { rngFromSeed } from '../random/rng.ts';
import {
  BudgetExhaustedError,
  CheckAbortedError,
  createCheckContext,
  type ProgressSink,
  type SampleBudget,
} from './checkContext.ts';
import type { AnyCheck } from './defineCheck.ts';
import { makeEvidence, type Evidence } from './evidence.ts';
import { ResultsCache, sha256Hex } from './resultsCache.ts';
import type { Verdict } from './statement.ts';

/** A subject and the stable text that identifies it (a JSON spec of target, schedule, model, claims). */
export interface BatterySubject<S = unknown> {
  readonly value: S;
  /** Stable text identifying the value (compute it with `subjectKey(value)`); its SHA-256 is the subject hash in the results cache. */
  readonly key: string;
}

/** Subjects keyed by check id, or by subject kind as a fallback for every check of that kind. */
export type BatterySubjects = Readonly<Record<string, BatterySubject>>;

export interface RunBatteryOptions {
  readonly seed: number;
  /** Family-wise false-fail rate of the battery (Holm over the checks' p-values). @defaultValue 1e-3 */
  readonly falseFailRate?: number;
  /** Budget of every check. */
  readonly budget?: Partial<SampleBudget>;
  /** Per-check budget overrides, keyed by check id. */
  readonly budgets?: Readonly<Record<string, Partial<SampleBudget>>>;
  readonly onProgress?: ProgressSink;
  readonly signal?: AbortSignal;
  /** Called between checks and at every `ctx.checkBudget()`; may abort `signal` synchronously (see `CheckContextOptions`). */
  readonly pollInterrupt?: () => void;
  /** Resumable results: finished Evidence is stored under (check id, subject hash, seed, code version). */
  readonly cache?: { readonly dir: string; readonly codeVersion: string };
  /** Worker threads each check may use for its own independent units (`CheckContext.workers`). @defaultValue 1 */
  readonly workers?: number;
}

export type BatteryStatus = 'ran' | 'cached' | 'skipped' | 'error' | 'aborted';

export interface HolmDecision {
  /** The check's own p-value (of "the statement holds"). */
  readonly pValue: number;
  /** Holm-adjusted p-value over the battery's family (`holmAdjust`); a check that reported no violation enters the family with p = 1, so its adjusted value is 1. */
  readonly adjustedPValue: number;
  /** adjustedPValue ≤ the battery's false-fail rate: the violation survives multiplicity (never true without a violation). */
  readonly rejected: boolean;
}

export interface BatteryCheckResult {
  readonly checkId: string;
  readonly status: BatteryStatus;
  readonly subjectHash?: string;
  /** Evidence after the battery's Holm step (a 'violated' that does not survive it becomes 'inconclusive'). */
  readonly evidence?: Evidence;
  /** The verdict the check itself returned. */
  readonly rawVerdict?: Verdict;
  /** The check's own Evidence, kept when the Holm step changed it. */
  readonly rawEvidence?: Evidence;
  readonly holm?: HolmDecision;
  readonly durationMs: number;
  readonly error?: string;
}

export interface BatteryResult {
  /** In execution (dependency) order. */
  readonly results: readonly BatteryCheckResult[];
  readonly summary: Readonly<Record<Verdict | 'skipped' | 'error' | 'aborted', number>>;
  readonly aborted: boolean;
  readonly falseFailRate: number;
}

/**
 * Orders checks so every check comes after the checks it depends on (dependencies outside the battery are
 * ignored); ties keep the input order.
 * @throws ValidationError E_INVALID_INPUT on a dependency cycle or a duplicated id.
 */
export function orderByDependencies<C extends Pick<AnyCheck, 'id' | 'dependsOn'>>(checks: readonly C[]): C[] {
  const byId = new Map<string, C>();
  for (const c of checks) {
    if (byId.has(c.id)) throw new ValidationError('E_INVALID_INPUT', `check '${c.id}' appears twice in the battery`, 'checks');
    byId.set(c.id, c);
  }
  const out: C[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: C, path: string[]): void => {
    const s = state.get(c.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new ValidationError('E_INVALID_INPUT', `dependency cycle: ${[...path, c.id].join(' → ')}`, 'checks');
    state.set(c.id, 'visiting');
    for (const dep of c.dependsOn) {
      const d = byId.get(dep);
      if (d) visit(d, [...path, c.id]);
    }
    state.set(c.id, 'done');
    out.push(c);
  };
  for (const c of checks) visit(c, []);
  return out;
}

/**
 * Runs a battery of checks on their subjects, in dependency order, with Holm control of the family-wise
 * false-fail rate, per-check budgets, progress events, cancellation and a resumable results cache.
 *
 * Each check draws from `rngFromSeed(seed).child(checkId)`, so adding, removing or reordering checks never
 * changes another check's numbers, and a resumed run reproduces the Evidence of an uninterrupted one.
 * A check with no subject is 'skipped'; one that throws is 'error' (not cached); one that runs past its
 * wall-time budget returns 'inconclusive' Evidence with a `budget-exhausted` diagnostic (not cached).
 * Cancellation through `signal` stops after (or inside, at its next `ctx.checkBudget()`) the running check; the
 * battery lets the event loop run between checks, so a SIGINT listener that aborts `signal` gets its turn there.
 */
export async function runBattery(checks: readonly AnyCheck[], subjects: BatterySubjects, options: RunBatteryOptions): Promise<BatteryResult> {
  const alpha = options.falseFailRate ?? 1e-3;
  if (!(alpha > 0 && alpha < 1)) throw new ValidationError('E_INVALID_INPUT', `must be in (0, 1), got ${alpha}`, 'falseFailRate');
  const ordered = orderByDependencies(checks);
  const cache = options.cache ? new ResultsCache(options.cache.dir) : undefined;
  const emit: ProgressSink = options.onProgress ?? (() => undefined);
  const root = rngFromSeed(options.seed);
  emit({ type: 'battery-start', checks: ordered.map((c) => c.id) });

  const raw: RawCheckResult[] = [];
  let aborted = false;

  for (const [index, check] of ordered.entries()) {
    await new Promise((resolve) => setImmediate(resolve));
    options.pollInterrupt?.();
    if (options.signal?.aborted) {
      aborted = true;
      break;
    }
    emit({ type: 'check-start', checkId: check.id, index, total: ordered.length });
    const started = performance.now();
    const subject = subjects[check.id] ?? subjects[check.subject];
    if (!subject) {
      raw.push({ checkId: check.id, status: 'skipped', durationMs: 0 });
      emit({ type: 'check-end', checkId: check.id, verdict: undefined, status: 'skipped', durationMs: 0 });
      continue;
    }
    const subjectHash = sha256Hex(subject.key, 16);
    const key = { checkId: check.id, subjectHash, seed: options.seed, codeVersion: options.cache?.codeVersion ?? '' };
    const cached = cache?.get(key);
    if (cached) {
      raw.push({ checkId: check.id, status: 'cached', subjectHash, evidence: cached, durationMs: 0 });
      emit({ type: 'check-end', checkId: check.id, verdict: cached.verdict, status: 'cached', durationMs: 0 });
      continue;
    }
    const rng = root.child(check.id);
    const ctx = createCheckContext({
      rng,
      falseFailRate: alpha,
      budget: { ...options.budget, ...options.budgets?.[check.id] },
      checkId: check.id,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.pollInterrupt === undefined ? {} : { pollInterrupt: options.pollInterrupt }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    });
    try {
      const evidence = await check.run(subject.value, ctx);
      const durationMs = performance.now() - started;
      cache?.set(key, evidence);
      raw.push({ checkId: check.id, status: 'ran', subjectHash, evidence, durationMs });
      emit({ type: 'check-end', checkId: check.id, verdict: evidence.verdict, status: 'ran', durationMs });
    } catch (e) {
      const durationMs = performance.now() - started;
      if (e instanceof CheckAbortedError || options.signal?.aborted) {
        raw.push({ checkId: check.id, status: 'aborted', subjectHash, durationMs });
        emit({ type: 'check-end', checkId: check.id, verdict: undefined, status: 'aborted', durationMs });
        aborted = true;
        break;
      }
      if (e instanceof BudgetExhaustedError) {
        const evidence = makeEvidence(
          check.id,
          { seed: rng.seed, rngPath: rng.path },
          { estimates: {}, reason: `the check ran past its budget before deciding: ${e.message}`, diagnostics: [{ kind: 'budget-exhausted', message: e.message }] },
          { verdict: 'inconclusive' },
        );
        raw.push({ checkId: check.id, status: 'ran', subjectHash, evidence, durationMs });
        emit({ type: 'check-end', checkId: check.id, verdict: 'inconclusive', status: 'ran', durationMs });
        continue;
      }
      // an input every remaining check needs has failed (an external model died): stop, keep what finished
      if (e instanceof FatalInputError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      raw.push({ checkId: check.id, status: 'error', subjectHash, durationMs, error: message });
      emit({ type: 'check-end', checkId: check.id, verdict: undefined, status: 'error', durationMs });
    }
  }

  const { results, summary } = holmAcrossBattery(raw, alpha);
  emit({ type: 'battery-end', summary });
  return { results, summary, aborted, falseFailRate: alpha };
}

/** A check's outcome before the battery's multiplicity step. */
export interface RawCheckResult {
  readonly checkId: string;
  readonly status: BatteryStatus;
  readonly subjectHash?: string;
  readonly evidence?: Evidence;
  readonly durationMs: number;
  readonly error?: string;
}

/** The Evidence a result had before the Holm step (what `merge` of sharded runs re-applies Holm to). */
export function rawResultOf(r: BatteryCheckResult): RawCheckResult {
  const evidence = r.rawEvidence ?? r.evidence;
  return {
    checkId: r.checkId,
    status: r.status,
    ...(r.subjectHash === undefined ? {} : { subjectHash: r.subjectHash }),
    ...(evidence === undefined ? {} : { evidence }),
    durationMs: r.durationMs,
    ...(r.error === undefined ? {} : { error: r.error }),
  };
}

/**
 * Holm's step-down across a battery at family-wise false-fail rate `alpha`: only checks with a p-value
 * (statistical decisions) enter the family; a 'violated' that does not survive becomes 'inconclusive' (its raw
 * Evidence is kept in `rawEvidence`). Pure, so merging shards and re-applying it equals an unsharded run.
 */
export function holmAcrossBattery(raw: readonly RawCheckResult[], alpha: number): { results: BatteryCheckResult[]; summary: BatteryResult['summary'] } {
  // Holm across the battery: only checks with a p-value (statistical decisions) enter the family. A check that
  // reported no violation enters with p = 1: it counts in the family's size but cannot take a step of the step-down
  // (a small p-value beside a `holds` verdict would otherwise loosen every other check's correction). Holm's adjusted
  // p-values only grow when an input grows, so the family-wise rate stays controlled.
  const tested = raw.filter((r) => r.evidence?.pValue !== undefined);
  const pValues = tested.map((r) => r.evidence!.pValue!);
  const adjusted = holmAdjust(tested.map((r, i) => (r.evidence!.verdict === 'violated' ? pValues[i]! : 1)));
  const holmOf = new Map(tested.map((r, i) => [r, { pValue: pValues[i]!, adjustedPValue: adjusted[i]!, rejected: adjusted[i]! <= alpha }] as const));

  const results: BatteryCheckResult[] = raw.map((r) => {
    const holm = holmOf.get(r);
    let evidence = r.evidence;
    if (evidence && holm && evidence.verdict === 'violated' && !holm.rejected) {
      const { witness: _witness, verdict: _verdict, ...rest } = evidence;
      evidence = {
        ...rest,
        verdict: 'inconclusive',
        reason: `violation not significant after Holm adjustment across the battery (p = ${holm.pValue.toPrecision(3)}, Holm-adjusted ${holm.adjustedPValue.toPrecision(3)} > ${alpha}): ${evidence.reason}`,
      };
    }
    return {
      checkId: r.checkId,
      status: r.status,
      ...(r.subjectHash === undefined ? {} : { subjectHash: r.subjectHash }),
      ...(evidence === undefined ? {} : { evidence, rawVerdict: r.evidence!.verdict }),
      ...(evidence !== undefined && evidence !== r.evidence ? { rawEvidence: r.evidence! } : {}),
      ...(holm === undefined ? {} : { holm }),
      durationMs: r.durationMs,
      ...(r.error === undefined ? {} : { error: r.error }),
    };
  });
  const summary = { holds: 0, violated: 0, inconclusive: 0, skipped: 0, error: 0, aborted: 0 };
  for (const r of results) {
    if (r.evidence) summary[r.evidence.verdict] += 1;
    else if (r.status === 'skipped' || r.status === 'error' || r.status === 'aborted') summary[r.status] += 1;
  }
  return { results, summary };
}

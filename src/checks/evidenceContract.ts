import { z } from 'zod';
import { CmboundsError } from '../core/errors.ts';
import { combineVerdicts, DIAGNOSTIC_KINDS, type Evidence } from './evidence.ts';
import { VERDICTS } from './statement.ts';

/**
 * What every Evidence a check returns must satisfy, whatever its verdict: it names its check, states its reason,
 * each part and note says something (notes of a known kind), a witness says what it witnesses, thresholds name their
 * side, intervals are ordered, plots have a known mark and axis scales and pair their coordinates, and a verdict made of parts is their combination (violated if any part is, else inconclusive if any
 * is, else holds). `defineCheck` applies it to every run, so a check that returns an empty reason, an unnamed part or
 * a verdict its parts do not support fails where it runs instead of printing a report nobody can read. Given the
 * check's declared constants, every estimate must report one of them (a report must not show a number whose meaning
 * the check never states).
 */
const text = z.string().trim().min(1);
// any JavaScript number: ±∞ are legitimate interval ends (a sup lower bound's upper end is ∞)
const number = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const estimate = z
  .object({
    value: number,
    interval: z.object({ lower: number, upper: number, level: number }),
    method: text,
    n: number,
  })
  .passthrough()
  .refine((e) => !(e.interval.lower > e.interval.upper), { message: 'interval lower end above its upper end' });
const axis = z.object({ label: text, scale: z.enum(['linear', 'log']) });
const band = z.array(number).optional();
const plot = z
  .object({
    id: text,
    title: text,
    mark: z.enum(['line', 'point']),
    x: axis,
    y: axis,
    series: z.array(
      z
        .object({ name: text, x: z.array(number), y: z.array(number), lower: band, upper: band })
        .refine((s) => s.x.length === s.y.length && (s.lower ?? s.x).length === s.x.length && (s.upper ?? s.x).length === s.x.length, { message: 'x, y and the band ends of different lengths' }),
    ),
  })
  .passthrough();
const evidenceSchema = z
  .object({
    checkId: text,
    verdict: z.enum(VERDICTS),
    reason: text,
    estimates: z.record(z.string(), estimate),
    thresholds: z.array(z.object({ symbol: text, value: number, side: z.enum(['upper', 'lower']) }).passthrough()),
    parts: z.array(z.object({ name: text, verdict: z.enum(VERDICTS), reason: text })),
    diagnostics: z.array(z.object({ kind: z.enum(DIAGNOSTIC_KINDS), message: text }).passthrough()),
    plots: z.array(plot),
    witness: z.object({ description: text, value: number }).passthrough().optional(),
  })
  .passthrough();

/**
 * Whether an estimate key reports the declared constant `symbol`: the key is the symbol itself, the symbol with an
 * index (`mean_order[ct]`, `D_T_256`: D_T at T = 256), or a member of a declared family whose last part is a
 * one-letter index (`q_t` declares `q_104`, `W2_k` declares `W2_0`). A study's key names its subject and setting
 * around the symbol, `<subject>.<symbol>[.<derived>]@<setting>` (`l1.w_N@N=40`, `ring8-2d.L_f.slope`): any of its
 * dot-separated parts before the first `@` may report the symbol.
 */
export function reportsSymbol(key: string, symbol: string): boolean {
  const family = /^(.+)_[tTknsj]$/.exec(symbol);
  const matches = (part: string): boolean =>
    part === symbol || part.startsWith(`${symbol}[`) || part.startsWith(`${symbol}_`) || (family !== null && part.startsWith(`${family[1]!}_`));
  return matches(key) || key.split('@')[0]!.split('.').some(matches);
}

/** A check returned Evidence that breaks the contract above: a defect of the check, not of the user's input. */
export class EvidenceContractError extends CmboundsError {}

/**
 * Checks `evidence` against the contract; returns it unchanged.
 *
 * @throws EvidenceContractError naming the check and the first offending field, e.g.
 *   `li2024.schedule: Evidence.parts.1.reason: String must contain at least 1 character(s)`.
 */
export function assertEvidenceContract(checkId: string, evidence: Evidence, declaredSymbols?: readonly string[]): Evidence {
  const parsed = evidenceSchema.safeParse(evidence);
  const fail = (field: string, message: string): never => {
    throw new EvidenceContractError('E_EVIDENCE_CONTRACT', `${message} (a defect of the check)`, `${checkId}: Evidence.${field}`);
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(issue.path.map(String).join('.'), issue.message);
  }
  if (evidence.checkId !== checkId) fail('checkId', `names ${evidence.checkId}, returned by ${checkId}`);
  if (declaredSymbols !== undefined) {
    const undeclared = Object.keys(evidence.estimates).filter((key) => !declaredSymbols.some((symbol) => reportsSymbol(key, symbol)));
    if (undeclared.length > 0) fail('estimates', `${undeclared.map((key) => `'${key}'`).join(', ')} ${undeclared.length === 1 ? 'is not' : 'are not'} among the constants the check declares (${declaredSymbols.join(', ') || 'none'})`);
  }
  if (evidence.parts.length > 0) {
    const combined = combineVerdicts(evidence.parts.map((p) => p.verdict));
    if (combined !== evidence.verdict) fail('verdict', `is ${evidence.verdict}, but its parts combine to ${combined}`);
  }
  return evidence;
}

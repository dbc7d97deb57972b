/**
 * The constants a user declares for a suite's statements (`cmbounds run --claim NAME=VALUE`, `--schedule
 * T=…,c0=…,c1=…`, or the `claim` / `schedule` fields of `--config`): parsing at the boundary, the hypotheses each
 * statement puts on them (THEORY §1.2, §1.3, §1.6, §1.8, §2), and the table that marks which values were the
 * user's and which the suite's defaults.
 */
import { CmboundsError, ConfigError } from '../core/errors.ts';
import { lhwSchedule } from '../processes/lhwSchedule.ts';
import type { ReportConstant } from '../report/auditReport.ts';

/** One declarable constant, named as in THEORY.md. */
export interface ClaimDefinition {
  /** How reports print it. */
  readonly symbol: string;
  readonly meaning: string;
}

/**
 * Every constant a suite's statements declare. All are positive (each is a level, an exponent or a Lipschitz
 * constant; THEORY never allows 0 or a negative value); cross-constant hypotheses are in {@link CLAIM_HYPOTHESES}.
 */
export const CLAIM_DEFINITIONS = {
  c3: { symbol: 'c₃', meaning: 'typical-set level: $E_t = \\{x : −\\log p_t(x) ≤ c₃ d \\log T\\}$ (THEORY §1.8)' },
  c4: { symbol: 'c₄', meaning: 'typical-set tail exponent: $P(X_t ∉ E_t) ≤ T^{−c₄ d}$ for every t (THEORY §1.8)' },
  c5: { symbol: 'c₅', meaning: 'posterior-concentration exponent of Lemma 1; needs c₅ ≥ 2c₆ + c_R (THEORY §1.8)' },
  c6: { symbol: 'c₆', meaning: "Lemma 1's typical set: −log p_t(x) ≤ ½c₆ d log T (THEORY §1.8)" },
  cR: { symbol: 'c_R', meaning: 'bounded-support exponent (22), $‖X₀‖ ≤ T^{c_R}$; enters Lemma 1 through c₅ ≥ 2c₆ + c_R (THEORY §1.3)' },
  Lf: { symbol: 'L_f', meaning: 'Lipschitz constant of the flows $Φ_{t→k}$ (LHW Assumption 1) and of the model f(·, t) (Lyu et al. Assumption 5)' },
  Ls: { symbol: 'L_s', meaning: 'Lipschitz constant of the score ∇log p_t for all t (Lyu et al. Assumption 1)' },
} as const satisfies Readonly<Record<string, ClaimDefinition>>;

export type ClaimName = keyof typeof CLAIM_DEFINITIONS;
export type Claims = Readonly<Record<ClaimName, number>>;

/** The Li–Huang–Wei schedule (23): β₁ = T^{−c₀}, β_t = (c₁ log T/T)·min{β₁(1 + c₁ log T/T)^t, 1}. */
export interface ScheduleConstants {
  readonly T: number;
  readonly c0: number;
  readonly c1: number;
}
export type ScheduleField = keyof ScheduleConstants;

export const SCHEDULE_DEFINITIONS: Readonly<Record<ScheduleField, ClaimDefinition>> = {
  T: { symbol: 'T', meaning: 'number of steps of schedule (23) (an integer ≥ 2)' },
  c0: { symbol: 'c₀', meaning: '$β₁ = T^{−c₀}$ in schedule (23) (THEORY §1.2)' },
  c1: { symbol: 'c₁', meaning: 'growth constant of schedule (23), with c₁ log T/T < 1 (THEORY §1.2)' },
};

/** What the user declared: any subset of the claims and of the schedule's fields. */
export interface UserConstants {
  /** By name; names are checked by {@link resolveConstants} (an unknown one is refused). */
  readonly claims?: Readonly<Record<string, number | undefined>>;
  readonly schedule?: Readonly<Partial<Record<ScheduleField, number | undefined>>>;
}

/** A hypothesis of a statement that ties several constants together. */
export interface ClaimHypothesis {
  readonly statement: string;
  readonly names: readonly ClaimName[];
  /** The hypothesis as printed, e.g. 'c5 ≥ 2·c6 + cR'. */
  readonly text: string;
  holds(claims: Claims): boolean;
}

export const CLAIM_HYPOTHESES: readonly ClaimHypothesis[] = [
  { statement: 'li2024.lemma1', names: ['c5', 'c6', 'cR'], text: 'c5 ≥ 2·c6 + cR', holds: (c) => c.c5 >= 2 * c.c6 + c.cR },
];

const CLAIM_NAMES = Object.keys(CLAIM_DEFINITIONS) as ClaimName[];
const SCHEDULE_FIELDS = Object.keys(SCHEDULE_DEFINITIONS) as ScheduleField[];
const ACCEPTED_CLAIMS = `accepted names: ${CLAIM_NAMES.join(', ')}`;
const ACCEPTED_SCHEDULE = `accepted fields: ${SCHEDULE_FIELDS.join(', ')}`;

/** `L_f` → `Lf`, `c_R` → `cR`: THEORY writes both forms; the canonical one has no underscore. */
function canonicalName(name: string): string {
  return name.trim().replace(/_/g, '');
}

/** A value as the user wrote it: numbers plainly (Infinity stays Infinity), anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

function claimName(raw: string, field: string): ClaimName {
  const name = canonicalName(raw);
  if (!(CLAIM_NAMES as string[]).includes(name)) throw new ConfigError('E_INVALID_INPUT', `unknown constant '${raw}'; ${ACCEPTED_CLAIMS}`, field);
  return name as ClaimName;
}

function positiveClaim(name: ClaimName, value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new ConfigError('E_INVALID_INPUT', `${name} must be a finite number > 0, got ${shown(value)}; ${ACCEPTED_CLAIMS}`, field);
  }
  return value;
}

/** Splits 'NAME=VALUE' (one '=', a name and a number on either side). */
function splitPair(text: string, field: string, accepted: string): [string, number] {
  const parts = text.split('=');
  const value = parts.length === 2 ? parseNumber(parts[1]!) : Number.NaN;
  if (parts.length !== 2 || parts[0]!.trim() === '' || Number.isNaN(value)) {
    throw new ConfigError('E_INVALID_INPUT', `malformed '${text}': expected NAME=VALUE with a number, e.g. ${accepted.startsWith('accepted names') ? 'c3=2' : 'T=1024'}; ${accepted}`, field);
  }
  return [parts[0]!.trim(), value];
}

/**
 * Claims from the command line (a list of 'NAME=VALUE') or from `--config` (an object `{ "c3": 2 }` or a list of
 * 'NAME=VALUE' strings). Refuses, naming the field: a malformed pair, an unknown name, a name given twice, a value
 * that is not a finite positive number.
 */
export function parseClaims(input: unknown, field: string): Partial<Record<ClaimName, number>> {
  const out: Partial<Record<ClaimName, number>> = {};
  const put = (raw: string, value: unknown): void => {
    const name = claimName(raw, field);
    if (name in out) throw new ConfigError('E_INVALID_INPUT', `${name} is given twice; ${ACCEPTED_CLAIMS}`, field);
    out[name] = positiveClaim(name, value, field);
  };
  if (typeof input === 'string') input = [input];
  if (Array.isArray(input)) {
    for (const item of input) {
      if (typeof item !== 'string') throw new ConfigError('E_INVALID_INPUT', `expected 'NAME=VALUE' strings, got ${JSON.stringify(item)}; ${ACCEPTED_CLAIMS}`, field);
      put(...splitPair(item, field, ACCEPTED_CLAIMS));
    }
  } else if (input !== null && typeof input === 'object') {
    for (const [raw, value] of Object.entries(input)) put(raw, value);
  } else {
    throw new ConfigError('E_INVALID_INPUT', `expected an object like {"c3": 2} or a list like ["c3=2"]; ${ACCEPTED_CLAIMS}`, field);
  }
  return sortedByName(out, CLAIM_NAMES);
}

/**
 * The schedule from the command line ('T=1024,c0=2,c1=8') or from `--config` (that string or an object
 * `{ "T": 1024, "c0": 2, "c1": 8 }`); fields left out take the suite's defaults. Values are checked alone here
 * (T an integer ≥ 2, c0 and c1 finite and > 0) and together by {@link resolveConstants}.
 */
export function parseSchedule(input: unknown, field: string): Partial<ScheduleConstants> {
  const out: Partial<Record<ScheduleField, number>> = {};
  const put = (raw: string, value: unknown): void => {
    const name = raw.trim();
    if (!(SCHEDULE_FIELDS as string[]).includes(name)) throw new ConfigError('E_INVALID_INPUT', `unknown schedule field '${raw}'; ${ACCEPTED_SCHEDULE}`, field);
    const key = name as ScheduleField;
    if (key in out) throw new ConfigError('E_INVALID_INPUT', `${key} is given twice; ${ACCEPTED_SCHEDULE}`, field);
    const ok = typeof value === 'number' && Number.isFinite(value) && (key === 'T' ? Number.isInteger(value) && value >= 2 : value > 0);
    if (!ok) throw new ConfigError('E_INVALID_INPUT', `${key} must be ${key === 'T' ? 'an integer ≥ 2' : 'a finite number > 0'}, got ${shown(value)}; ${ACCEPTED_SCHEDULE}`, field);
    out[key] = value;
  };
  if (typeof input === 'string') {
    if (input.trim() === '') throw new ConfigError('E_INVALID_INPUT', `empty; expected e.g. T=1024,c0=2,c1=8; ${ACCEPTED_SCHEDULE}`, field);
    for (const pair of input.split(',')) put(...splitPair(pair, field, ACCEPTED_SCHEDULE));
  } else if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    for (const [raw, value] of Object.entries(input)) put(raw, value);
  } else {
    throw new ConfigError('E_INVALID_INPUT', `expected 'T=1024,c0=2,c1=8' or an object like {"T": 1024, "c0": 2, "c1": 8}; ${ACCEPTED_SCHEDULE}`, field);
  }
  return sortedByName(out, SCHEDULE_FIELDS);
}

function sortedByName<K extends string>(values: Partial<Record<K, number>>, order: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of order) if (values[k] !== undefined) out[k] = values[k];
  return out;
}

/** A suite's default constants; a suite accepts exactly the claims it lists here. */
export interface SuiteConstantDefaults {
  readonly claims: Claims;
  readonly schedule: ScheduleConstants;
}

/** The constants a suite runs with, and for each whether it came from the user or the suite's defaults. */
export interface ResolvedConstants {
  readonly claims: Claims;
  readonly schedule: ScheduleConstants;
  readonly fromUser: ReadonlySet<ClaimName | ScheduleField>;
}

/**
 * The user's constants over the suite's defaults, refused (ConfigError naming `claim` or `schedule`) where the
 * combination leaves a statement's hypotheses: c₅ < 2c₆ + c_R (Lemma 1), or c₁ log T/T ≥ 1 (schedule (23) then has
 * β_t ≥ 1). The message says which of the values involved were the suite's defaults, so the user knows which one
 * to declare.
 */
export function resolveConstants(user: UserConstants | undefined, defaults: SuiteConstantDefaults): ResolvedConstants {
  const fromUser = new Set<ClaimName | ScheduleField>();
  const claims: Record<ClaimName, number> = { ...defaults.claims };
  for (const [raw, value] of Object.entries(user?.claims ?? {})) {
    if (value === undefined) continue;
    const name = claimName(raw, 'claim');
    claims[name] = positiveClaim(name, value, 'claim');
    fromUser.add(name);
  }
  const given = Object.fromEntries(Object.entries(user?.schedule ?? {}).filter(([, v]) => v !== undefined));
  const schedule: Record<ScheduleField, number> = { ...defaults.schedule, ...parseSchedule(given, 'schedule') };
  for (const field of Object.keys(given) as ScheduleField[]) fromUser.add(field);
  const origin = (name: ClaimName | ScheduleField): string => (fromUser.has(name) ? 'yours' : 'suite default');
  for (const h of CLAIM_HYPOTHESES) {
    if (!h.holds(claims)) {
      const values = h.names.map((n) => `${n} = ${claims[n]} (${origin(n)})`).join(', ');
      throw new ConfigError('E_INVALID_INPUT', `${h.statement} needs ${h.text}, but ${values}; declare the constants with --claim NAME=VALUE; ${ACCEPTED_CLAIMS}`, 'claim');
    }
  }
  const resolved = { claims, schedule, fromUser };
  requireSchedule(resolved, schedule.T, '');
  return resolved;
}

/**
 * Refuses (ConfigError naming `schedule`) when schedule (23) with the resolved c0, c1 cannot be built at T, e.g. for
 * a statement that sweeps its own T values (`needer` names it); the message marks whose c0 and c1 are.
 */
export function requireSchedule(resolved: ResolvedConstants, T: number, needer: string): void {
  try {
    lhwSchedule({ ...resolved.schedule, T });
  } catch (e) {
    const origin = (name: ScheduleField): string => (resolved.fromUser.has(name) ? 'yours' : 'suite default');
    const values = SCHEDULE_FIELDS.map((f) => (f === 'T' && T !== resolved.schedule.T ? `T = ${T} (${needer})` : `${f} = ${f === 'T' ? T : resolved.schedule[f]} (${origin(f)})`)).join(', ');
    const reason = e instanceof CmboundsError && e.field !== undefined ? e.message.slice(e.field.length + 2) : e instanceof Error ? e.message : String(e);
    throw new ConfigError('E_INVALID_INPUT', `${reason} (${values}); ${ACCEPTED_SCHEDULE}`, 'schedule');
  }
}

/**
 * The report's table of constants: one row per schedule field and claim the suite uses, with its value, whether
 * it was the user's or the suite's default, and the statements it reached (`usedBy`, from the suite's subjects).
 */
export function constantsTable(resolved: ResolvedConstants, usedBy: Readonly<Partial<Record<ClaimName | ScheduleField, readonly string[]>>>): ReportConstant[] {
  const row = (name: ClaimName | ScheduleField, definition: ClaimDefinition, value: number): ReportConstant => ({
    name,
    symbol: definition.symbol,
    value,
    source: resolved.fromUser.has(name) ? 'user' : 'suite default',
    meaning: definition.meaning,
    usedBy: [...(usedBy[name] ?? [])],
  });
  return [...SCHEDULE_FIELDS.map((f) => row(f, SCHEDULE_DEFINITIONS[f], resolved.schedule[f])), ...CLAIM_NAMES.map((n) => row(n, CLAIM_DEFINITIONS[n], resolved.claims[n]))];
}

/** The table as a report section (Markdown with its own heading), so `cmbounds report` re-renders it. */
export function constantsMarkdown(constants: readonly ReportConstant[]): string {
  const lines = [
    '## Declared constants',
    '',
    'The constants the statements were tested against: **yours** were declared with `--claim` / `--schedule` (or the `claim` / `schedule` fields of `--config`); the others are the suite’s defaults.',
    '',
    '| constant | value | declared by | used by | meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of constants) {
    const by = c.source === 'user' ? '**you**' : 'suite default';
    const used = c.usedBy.length > 0 ? c.usedBy.map((s) => `\`${s}\``).join(', ') : '(no statement on this target)';
    lines.push(`| \`${c.name}\` (${c.symbol}) | ${c.value} | ${by} | ${used} | ${c.meaning.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

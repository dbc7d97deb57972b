import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import type { Rng } from '../random/rng.ts';
import type { CheckContext } from './checkContext.ts';
import type { Evidence } from './evidence.ts';
import { assertEvidenceContract } from './evidenceContract.ts';
import {
  DECISIONS,
  PAPER_KEY_PATTERN,
  STATEMENT_ID_PATTERN,
  STATEMENT_KINDS,
  SUBJECT_KINDS,
  VERDICTS,
  type CheckDesign,
  type StatementMeta,
  type SubjectKind,
  type Verdict,
} from './statement.ts';

/**
 * A subject the check's author ships with the check, with the verdict it must produce. Controls are tests:
 * `test/theorems/` runs every one (STYLE rule 4).
 */
export interface ControlCase<S> {
  /** Named for the defect it injects: 'inflatedScore', 'spikedSchedule' (lowerCamelCase). */
  readonly name: string;
  readonly description: string;
  readonly expected: Verdict;
  build(rng: Rng): S | Promise<S>;
}

/** An executable statement: metadata, design, controls and the measurement. */
export interface Check<S> extends StatementMeta {
  readonly subject: SubjectKind;
  readonly design: CheckDesign;
  /** ≥ 1 expecting 'holds' and ≥ 1 expecting 'violated' (validated here and linted statically). */
  readonly controls: readonly ControlCase<S>[];
  run(subject: S, ctx: CheckContext): Promise<Evidence>;
}

/** A check of any subject type (batteries hold heterogeneous checks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheck = Check<any>;

const nonEmpty = z.string().trim().min(1);
const statementId = z.string().regex(STATEMENT_ID_PATTERN, 'must be of the form <paperKey>.<name>');

const checkSchema = z.object({
  id: statementId,
  kind: z.enum(STATEMENT_KINDS),
  title: nonEmpty,
  claim: nonEmpty,
  source: z.object({
    paper: z.string().regex(PAPER_KEY_PATTERN, 'must be a lower-case paper key such as li2024'),
    label: nonEmpty,
    equation: nonEmpty.optional(),
    page: z.number().int().positive().optional(),
  }),
  dependsOn: z.array(statementId),
  constants: z.array(z.object({ symbol: nonEmpty, meaning: nonEmpty, role: z.enum(['estimated', 'assumed', 'bound']) })),
  tags: z.array(nonEmpty).optional(),
  subject: z.enum(SUBJECT_KINDS),
  design: z.object({
    estimand: nonEmpty,
    decision: z.enum(DECISIONS),
    falseFailRate: z.number().gt(0).lt(1),
    detectableDiscrepancy: z.number().positive().optional(),
    falsePassRate: z.number().gt(0).lt(1).optional(),
  }),
  controls: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be lowerCamelCase, named for the defect it injects'),
        description: nonEmpty,
        expected: z.enum(VERDICTS),
        build: z.custom<(rng: Rng) => unknown>((v) => typeof v === 'function', 'must be a function'),
      }),
    )
    .superRefine((controls, ctx) => {
      if (!controls.some((c) => c.expected === 'holds')) ctx.addIssue({ code: 'custom', message: "needs at least one control expected to 'hold'" });
      if (!controls.some((c) => c.expected === 'violated')) ctx.addIssue({ code: 'custom', message: "needs at least one control expected to be 'violated'" });
      const names = controls.map((c) => c.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `control name '${dup}' is used twice` });
    }),
  run: z.custom<unknown>((v) => typeof v === 'function', 'must be a function'),
});

/**
 * Declares a check. Validates its metadata at module load (zod) so that a malformed statement fails the
 * import, naming the field: `li2024.schedule.controls: needs at least one control expected to be 'violated'`.
 * Every Evidence its `run` returns is checked against the Evidence contract (`assertEvidenceContract`).
 *
 * @throws ValidationError E_INVALID_INPUT naming `<id>.<field path>`.
 */
export function defineCheck<S>(spec: Check<S>): Check<S> {
  const parsed = checkSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const id = typeof spec.id === 'string' ? spec.id : 'check';
    const path = issue.path.length > 0 ? `${id}.${issue.path.map(String).join('.')}` : id;
    throw new ValidationError('E_INVALID_INPUT', issue.message, path);
  }
  if (spec.dependsOn.includes(spec.id)) throw new ValidationError('E_INVALID_INPUT', 'a statement cannot depend on itself', `${spec.id}.dependsOn`);
  const symbols = spec.constants.map((c) => c.symbol);
  const dupSymbol = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (dupSymbol !== undefined) throw new ValidationError('E_INVALID_INPUT', `symbol '${dupSymbol}' is declared twice`, `${spec.id}.constants`);
  const measure = spec.run;
  const check: Check<S> = Object.freeze({
    ...spec,
    async run(subject: S, ctx: CheckContext): Promise<Evidence> {
      return assertEvidenceContract(spec.id, await measure.call(check, subject, ctx), symbols);
    },
  });
  return check;
}

import type { Evidence } from '../checks/evidence.ts';
import { formatTableNumber } from '../core/formatNumber.ts';
import type { Estimate } from '../estimators/estimate.ts';
import type { AuditReport, ReportEntry } from './auditReport.ts';

/** Where each plot of each entry is written, relative to the report: `plots/<checkId>-<plotId>.svg`. */
export function plotPath(checkId: string, plotId: string): string {
  return `plots/${checkId}-${plotId}.svg`.replace(/[^A-Za-z0-9_./-]/g, '_');
}

const VERDICT_BADGE: Record<string, string> = {
  holds: '✅ holds',
  violated: '❌ violated',
  inconclusive: '❔ inconclusive',
};

/**
 * The report as Markdown (DESIGN §5): title, subject, verdict summary, then per statement in dependency order
 * the claim with its source, estimates with intervals, thresholds, verdict and reason, witness, plots;
 * provenance at the end. Pure: renders values, computes no statistics.
 */
export function renderMarkdown(report: AuditReport): string {
  const out: string[] = [];
  out.push(`# ${report.title}`, '');
  const s = report.subject;
  out.push('| subject | |', '| --- | --- |');
  out.push(`| target | ${cell(s.target)} |`, `| process | ${cell(s.process)} |`, `| variant | ${cell(s.variant)} |`, `| function class | ${cell(s.functionClass)} |`, '');
  out.push(...readingGuide(report), '');

  if (report.findings !== undefined) out.push('## Findings', '', report.findings, '');
  for (const section of report.sections ?? []) out.push(section.markdown.trimEnd(), '');
  out.push('## Summary', '');
  const counts = Object.entries(report.summary).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  out.push(`${counts.join(', ') || 'no statements ran'}; battery false-fail rate ${formatTableNumber(report.falseFailRate)} (Holm).`, '');
  out.push('| statement | kind | verdict | reason |', '| --- | --- | --- | --- |');
  for (const e of report.entries) {
    out.push(`| [\`${e.statement.id}\`](#${anchor(e.statement.id)}) ${cell(e.statement.title)} | ${e.statement.kind} | ${verdictOf(e)} | ${cell(reasonOf(e))} |`);
  }
  out.push('');

  out.push('## Statements', '');
  const target = runTarget(report);
  for (const e of report.entries) out.push(...renderEntry(e, target, report.falseFailRate), '');

  const p = report.provenance;
  out.push('## Provenance', '');
  out.push('| | |', '| --- | --- |');
  out.push(`| command | \`${p.command}\` |`, `| seed | ${p.seed} |`, `| config hash | \`${p.configHash}\` |`);
  if (p.gitRevision !== undefined) out.push(`| git revision | \`${p.gitRevision}\` |`);
  for (const [name, v] of Object.entries(p.versions)) out.push(`| ${cell(name)} | ${cell(v)} |`);
  out.push(`| machine | ${cell(p.machine)} |`, `| started | ${p.startedAt} |`, `| wall time | ${(p.durationMs / 1000).toFixed(1)} s |`, '');
  return out.join('\n');
}

/**
 * The command that replays one check of a `cmbounds run` battery alone (`--check` runs it and what it depends on);
 * `--suite` is added for a suite other than the default `quick`.
 */
export function replayCommand(checkId: string, seed: number | string, target: string, suite?: string): string {
  return `cmbounds run${suite === undefined || suite === 'quick' ? '' : ` --suite ${suite}`} --check ${checkId} --seed ${seed} --target ${target}`;
}

/**
 * Three lines that open every report: what the verdicts mean, that a violated assumption is a finding about the
 * target or model, and the command that replays one check (with this report's seed, and its target when the
 * report comes from `cmbounds run`, whose provenance command names it).
 */
export function readingGuide(report: AuditReport): string[] {
  const run = runTarget(report);
  const fromRun = run !== undefined;
  const replay = `\`${replayCommand('<id>', report.provenance.seed, run?.target ?? '<target>', run?.suite)}\``;
  return [
    '**How to read this report.** *holds*: the claimed inequality or identity was confirmed on this subject (exactly, or at the stated confidence); ' +
      '*violated*: it fails, with a witness, and a statistical violation survived Holm’s correction across the battery; ' +
      '*inconclusive*: the evidence neither confirms nor refutes it (a sampled supremum can refute a constant, never certify it).  ',
    'A *violated* assumption or constant is a finding about the target or the model — the hypothesis does not hold there — not a bug in cmbounds ' +
      '(a broken harness shows as a failed control and exit code 3, never as a verdict).  ',
    `Next: replay one check alone with ${replay}, using the id of its heading and the seed of its \`replay:\` line` +
      (fromRun ? '' : ' (for checks of a `cmbounds run` battery; the statements of this report replay with the command under Provenance)') +
      '; a check’s random stream depends only on the seed and its id, so the replay draws the same numbers.',
  ];
}

/**
 * The target a `cmbounds run` (or `merge`) report ran on, as `--target` takes it; `<target>` when the command does
 * not name one; undefined for reports of other commands (audits, studies), whose checks `run --check` does not replay.
 */
function runTarget(report: AuditReport): { readonly target: string; readonly suite?: string } | undefined {
  const command = report.provenance.command;
  if (!/^cmbounds (run|merge)\b/.test(command)) return undefined;
  const suite = /--suite[= ](\S+)/.exec(command)?.[1];
  const target = /--target[= ](\S+)/.exec(command)?.[1] ?? (/^[\w.-]+$/.test(report.subject.target) ? report.subject.target : '<target>');
  return { target, ...(suite === undefined ? {} : { suite }) };
}

function renderEntry(entry: ReportEntry, run: { readonly target: string; readonly suite?: string } | undefined, falseFailRate: number): string[] {
  const { statement: st, result } = entry;
  const out: string[] = [];
  out.push(`### <a id="${anchor(st.id)}"></a>\`${st.id}\` — ${st.title}`, '');
  const src = [st.source.paper, st.source.label, st.source.equation, st.source.page === undefined ? undefined : `p. ${st.source.page}`].filter((v) => v !== undefined);
  out.push(`*${st.kind}* · source: ${src.join(', ')}${st.dependsOn.length > 0 ? ` · depends on ${st.dependsOn.map((d) => `\`${d}\``).join(', ')}` : ''}`, '');
  out.push(`> ${st.claim.replace(/\n/g, '\n> ')}`, '');
  const ev = result.evidence;
  if (ev === undefined) {
    out.push(`**${result.status}**${result.error === undefined ? '' : `: ${result.error}`}`);
    return out;
  }
  out.push(`**Verdict: ${VERDICT_BADGE[ev.verdict]}** — ${ev.reason}`, '');
  if (result.rawVerdict !== undefined && result.rawVerdict !== ev.verdict) {
    out.push(`(The check returned *${result.rawVerdict}*; the battery's Holm step over the family changed it to *${ev.verdict}*.)`, '');
  }
  const estimates = Object.entries(ev.estimates);
  if (estimates.length > 0) {
    out.push('| quantity | estimate | interval | method | n |', '| --- | --- | --- | --- | --- |');
    for (const [symbol, est] of estimates) out.push(`| ${cell(symbol)} | ${formatTableNumber(est.value)} | ${interval(est)} | ${est.method}${est.supLowerBound ? ' (lower bound on a sup)' : ''} | ${est.n} |`);
    out.push('');
  }
  if (ev.thresholds.length > 0) {
    out.push(`Thresholds: ${ev.thresholds.map((t) => `${t.symbol} ${t.side === 'upper' ? '≤' : '≥'} ${formatTableNumber(t.value)}`).join('; ')}.`, '');
  }
  if (ev.parts.length > 0) {
    out.push('| part | verdict | reason |', '| --- | --- | --- |');
    for (const part of ev.parts) out.push(`| ${cell(part.name)} | ${VERDICT_BADGE[part.verdict]} | ${cell(part.reason)} |`);
    out.push('');
  }
  out.push(...verdictDetails(ev));
  if (result.holm !== undefined) out.push(holmLine(result.holm, result.rawVerdict ?? ev.verdict, falseFailRate), '');
  if (ev.diagnostics.length > 0) {
    out.push('Diagnostics:', '');
    for (const d of ev.diagnostics) out.push(`- *${d.kind}*: ${d.message}${d.value === undefined ? '' : ` (${formatTableNumber(d.value)})`}`);
    out.push('');
  }
  for (const plot of ev.plots) out.push(`![${plot.title}](${plotPath(st.id, plot.id)})`, '');
  out.push(`<sub>replay: seed ${ev.provenance.seed}, stream ${ev.provenance.rngPath.join('/') || '(root)'}${run === undefined ? '' : ` — \`${replayCommand(st.id, ev.provenance.seed, run.target, run.suite)}\``}</sub>`);
  return out;
}

/**
 * Holm's outcome in the words of the verdict: only a violation is tested against the family; a check that reported
 * none is counted in the family without a p-value of its own.
 */
export function holmLine(holm: { readonly pValue: number; readonly adjustedPValue: number; readonly rejected: boolean }, rawVerdict: string, falseFailRate: number): string {
  if (rawVerdict !== 'violated') return `Holm: the check reported *${rawVerdict}*, so it has no violation to adjust; it counts in the battery's family with p = 1.`;
  return holm.rejected
    ? `Holm: p = ${formatTableNumber(holm.pValue)}, adjusted ${formatTableNumber(holm.adjustedPValue)} ≤ ${formatTableNumber(falseFailRate)}: the violation survives multiplicity.`
    : `Holm: p = ${formatTableNumber(holm.pValue)}, adjusted ${formatTableNumber(holm.adjustedPValue)} > ${formatTableNumber(falseFailRate)}: the violation does not survive multiplicity, so it is reported inconclusive.`;
}

function verdictDetails(ev: Evidence): string[] {
  switch (ev.verdict) {
    case 'violated':
      if (ev.witness === undefined) return [];
      // Time and point in full (String round-trips a float64), so that re-evaluating the witness reproduces its value.
      return [
        `Witness: ${ev.witness.description} — value ${formatTableNumber(ev.witness.value)}${ev.witness.time === undefined ? '' : ` at t = ${String(ev.witness.time)}`}${ev.witness.point === undefined ? '' : ` at x = (${ev.witness.point.map(String).join(', ')})`}.`,
        '',
      ];
    case 'inconclusive':
      return ev.samplesNeeded === undefined ? [] : [`About ${ev.samplesNeeded} samples would resolve it.`, ''];
    case 'holds':
      return [];
  }
}

function verdictOf(e: ReportEntry): string {
  return e.result.evidence ? VERDICT_BADGE[e.result.evidence.verdict]! : e.result.status;
}

function reasonOf(e: ReportEntry): string {
  return e.result.evidence?.reason ?? e.result.error ?? '';
}

function interval(e: Estimate): string {
  if (e.method === 'exact') return 'exact';
  return `[${formatTableNumber(e.interval.lower)}, ${formatTableNumber(e.interval.upper)}] (${formatTableNumber(100 * e.interval.level)}%)`;
}

/**
 * Text for a table cell: pipes escaped, newlines joined. Inside `$…$` a pipe becomes `∣` (U+2223, which KaTeX sets
 * as a relation bar), because markdown-it's table parser would otherwise leave `\|` for KaTeX to read as `‖`.
 */
function cell(text: string): string {
  return text
    .replace(/\$[^$]+\$/g, (math) => math.replace(/\|/g, '∣'))
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

function anchor(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '-').toLowerCase();
}


import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditReport } from '../report/auditReport.ts';
import { renderHtml } from '../report/renderHtml.ts';
import { renderMarkdown } from '../report/renderMarkdown.ts';
import { renderPlotSvg } from '../report/renderSvg.ts';
import { writeReportAtomically } from '../report/writeReportAtomically.ts';
import { comparisonPlots, renderComparisonMarkdown, type AuditComparison } from './comparison.ts';

/** The results document of an audit: a battery report with the comparison in its `audit` field. */
export type AuditResultsDocument = AuditReport & { readonly audit: AuditComparison };

/** The report's Markdown: renderMarkdown's document with the comparison section before the battery summary. */
export function renderAuditMarkdown(report: AuditResultsDocument): string {
  const markdown = renderMarkdown(report);
  const comparison = renderComparisonMarkdown(report.audit);
  const at = markdown.indexOf('\n## Summary\n');
  return at < 0 ? `${markdown}\n${comparison}` : `${markdown.slice(0, at + 1)}${comparison}\n${markdown.slice(at + 1)}`;
}

/**
 * Writes an audit report into `dir` atomically: `writeReportAtomically` builds the whole report (results.json with
 * the `audit` field, the battery's plots) in a staging folder, the audit adds its comparison plots and re-renders
 * report.md and report.html with the comparison section, and only then is the staging folder renamed into place.
 * @returns the report folder.
 */
export async function writeAuditReport(report: AuditResultsDocument, dir: string): Promise<string> {
  const staging = `${dir}.audit-staging-${process.pid}-${Date.now()}`;
  try {
    await writeReportAtomically(report, staging);
    for (const { path, plot } of comparisonPlots(report.audit)) writeFileSync(join(staging, path), await renderPlotSvg(plot));
    const svgs = new Map<string, string>();
    for (const name of readdirSync(join(staging, 'plots'))) svgs.set(`plots/${name}`, readFileSync(join(staging, 'plots', name), 'utf8'));
    const markdown = renderAuditMarkdown(report);
    writeFileSync(join(staging, 'report.md'), markdown);
    writeFileSync(join(staging, 'report.html'), renderHtml(markdown, report.title, svgs));
    if (existsSync(dir)) {
      const old = `${dir}.old-${process.pid}-${Date.now()}`;
      renameSync(dir, old);
      renameSync(staging, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, dir);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringifyWithNonFinite } from '../checks/resultsCache.ts';
import type { AuditReport } from './auditReport.ts';
import { renderHtml } from './renderHtml.ts';
import { plotPath, renderMarkdown } from './renderMarkdown.ts';
import { renderPlotSvg } from './renderSvg.ts';

/**
 * Writes `report.md`, `report.html`, `results.json` and `plots/*.svg` into `dir` atomically: everything is
 * written into a sibling temporary folder which is then renamed into place, so an interrupted run never
 * leaves a half-written report (an existing report at `dir` is replaced only once the new one is complete).
 * @returns the report folder.
 */
export async function writeReportAtomically(report: AuditReport, dir: string): Promise<string> {
  const svgs = new Map<string, string>();
  for (const section of report.sections ?? []) for (const { path, plot } of section.plots) svgs.set(path, await renderPlotSvg(plot));
  for (const entry of report.entries) {
    for (const plot of entry.result.evidence?.plots ?? []) svgs.set(plotPath(entry.statement.id, plot.id), await renderPlotSvg(plot));
  }
  const markdown = renderMarkdown(report);
  const html = renderHtml(markdown, report.title, svgs);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(join(tmp, 'plots'), { recursive: true });
  try {
    writeFileSync(join(tmp, 'report.md'), markdown);
    writeFileSync(join(tmp, 'report.html'), html);
    // one-sided intervals have an infinite end: kept as {"$number": "Infinity"} instead of JSON's lossy null
    writeFileSync(join(tmp, 'results.json'), stringifyWithNonFinite(report) + '\n');
    for (const [path, svg] of svgs) writeFileSync(join(tmp, path), svg);
    if (existsSync(dir)) {
      const old = `${dir}.old-${process.pid}-${Date.now()}`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

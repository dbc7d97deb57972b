import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringifyWithNonFinite } from '../checks/resultsCache.ts';
import { ConfigError } from '../core/errors.ts';
import { foreignReportEntries, makeFolders, REPORT_MARKER } from '../core/outputLocation.ts';
import type { AuditReport } from './auditReport.ts';
import { renderHtml } from './renderHtml.ts';
import { plotPath, renderMarkdown } from './renderMarkdown.ts';
import { renderPlotSvg } from './renderSvg.ts';

/**
 * Writes `report.md`, `report.html`, `results.json`, `plots/*.svg` and the marker `.cmbounds-report` (which lists
 * them) into `dir` atomically: everything is written into a sibling temporary folder which is then renamed into
 * place, so an interrupted run never leaves a half-written report. An existing folder at `dir` is replaced only
 * when it is empty or an earlier cmbounds report (nothing else in it): the tool never deletes a file it did not
 * write. Callers check the location with `assertReportFolderUsable` before computing; this re-checks at the end.
 * @param option the option that named `dir`, for error messages.
 * @returns the report folder.
 */
export async function writeReportAtomically(report: AuditReport, dir: string, option = '--out'): Promise<string> {
  const svgs = new Map<string, string>();
  for (const section of report.sections ?? []) for (const { path, plot } of section.plots) svgs.set(path, await renderPlotSvg(plot));
  for (const entry of report.entries) {
    for (const plot of entry.result.evidence?.plots ?? []) svgs.set(plotPath(entry.statement.id, plot.id), await renderPlotSvg(plot));
  }
  const markdown = renderMarkdown(report);
  const html = renderHtml(markdown, report.title, svgs);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ConfigError('E_INVALID_INPUT', `'${dir}' is a file, not a folder`, option);
    const foreign = foreignReportEntries(dir);
    if (foreign.length > 0) throw new ConfigError('E_INVALID_INPUT', `'${dir}' holds files cmbounds did not write (${foreign.slice(0, 3).join(', ')}); nothing was replaced`, option);
  }
  makeFolders(dirname(dir), option);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp);
  mkdirSync(join(tmp, 'plots'));
  try {
    const files = ['report.md', 'report.html', 'results.json', ...[...svgs.keys()].sort()];
    writeFileSync(join(tmp, REPORT_MARKER), JSON.stringify({ tool: 'cmbounds', kind: 'report', files }, null, 2) + '\n');
    writeFileSync(join(tmp, 'report.md'), markdown);
    writeFileSync(join(tmp, 'report.html'), html);
    // one-sided intervals have an infinite end: kept as {"$number": "Infinity"} instead of JSON's lossy null
    writeFileSync(join(tmp, 'results.json'), stringifyWithNonFinite(report) + '\n');
    for (const [path, svg] of svgs) writeFileSync(join(tmp, path), svg);
    if (existsSync(dir)) {
      // the old folder holds only a report's files (checked above): moving it aside and removing it loses nothing
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

import { dirname } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../../core/errors.ts';
import { assertReportFolderUsable } from '../../core/outputLocation.ts';
import type { AuditReport } from '../../report/auditReport.ts';
import { writeReportAtomically } from '../../report/writeReportAtomically.ts';
import { readFileSync } from 'node:fs';
import { parseWithNonFinite } from '../../checks/resultsCache.ts';
import { describeReadError } from '../../config/readInput.ts';

/** `cmbounds report <results.json...>`: re-renders saved results (Markdown, HTML, plots) without rerunning anything. */
export function reportCommand(): Command {
  return new Command('report')
    .description('Re-render report.md, report.html and plots from saved results.json files (nothing is recomputed).')
    .argument('<results...>', 'results.json files written by `cmbounds run`')
    .option('--out <dir>', 'output folder (only with a single results file; default: the folder of the results file)')
    .action(async (files: string[], opts: { out?: string }) => {
      if (opts.out !== undefined && files.length > 1) throw new ConfigError('E_INVALID_INPUT', 'takes a single results file; omit --out to re-render each in place', '--out');
      // every results file is read and every output folder checked before anything is written: the user's files are never replaced
      const reports: AuditReport[] = [];
      for (const file of files) {
        let report: AuditReport;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new ConfigError('E_INVALID_INPUT', describeReadError(file, e as NodeJS.ErrnoException), 'results');
        }
        try {
          report = parseWithNonFinite(text) as AuditReport;
        } catch (e) {
          throw new ConfigError('E_BAD_JSON', `cannot read results: ${(e as Error).message}`, file);
        }
        if (report === null || typeof report !== 'object' || !Array.isArray(report.entries) || typeof report.title !== 'string') {
          throw new ConfigError('E_INVALID_INPUT', 'is not a results.json written by `cmbounds run` (needs title and entries)', file);
        }
        reports.push(report);
      }
      for (const file of files) assertReportFolderUsable(opts.out ?? dirname(file), opts.out === undefined ? `${file} (re-rendered in its own folder; give --out to write elsewhere)` : '--out');
      for (const [i, file] of files.entries()) {
        const dir = await writeReportAtomically(reports[i]!, opts.out ?? dirname(file), opts.out === undefined ? file : '--out');
        process.stdout.write(`${dir}/report.md\n`);
      }
    });
}

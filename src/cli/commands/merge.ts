import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseWithNonFinite } from '../../checks/resultsCache.ts';
import { ConfigError } from '../../core/errors.ts';
import { assertReportFolderUsable } from '../../core/outputLocation.ts';
import type { AuditReport } from '../../report/auditReport.ts';
import { mergeReports } from '../../report/mergeReports.ts';
import { writeReportAtomically } from '../../report/writeReportAtomically.ts';

/** `cmbounds merge <results.json...> --out DIR`: one report from the shards of a sharded run. */
export function mergeCommand(): Command {
  return new Command('merge')
    .description('Combine the results.json files of the shards of one run (`run --shard i/n`) into one report; Holm is re-applied across all checks.')
    .argument('<results...>', 'one results.json per shard')
    .requiredOption('--out <dir>', 'folder of the merged report')
    .action(async (files: string[], opts: { out: string }) => {
      assertReportFolderUsable(opts.out, '--out');
      const shards = files.map((file) => {
        try {
          return parseWithNonFinite(readFileSync(file, 'utf8')) as AuditReport;
        } catch (e) {
          throw new ConfigError('E_BAD_JSON', `cannot read results: ${(e as Error).message}`, file);
        }
      });
      const merged = mergeReports(shards, `cmbounds merge ${files.join(' ')} --out ${opts.out}`);
      await writeReportAtomically(merged, opts.out);
      process.stdout.write(`${opts.out}/report.md\n`);
    });
}

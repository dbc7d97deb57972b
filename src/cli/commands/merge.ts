import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseWithNonFinite } from '../../checks/resultsCache.ts';
import { targetFromSpec } from '../../config/targetSpec.ts';
import { ConfigError } from '../../core/errors.ts';
import { assertReportFolderUsable } from '../../core/outputLocation.ts';
import type { AuditReport } from '../../report/auditReport.ts';
import { mergeReports } from '../../report/mergeReports.ts';
import { writeReportAtomically } from '../../report/writeReportAtomically.ts';
import { describeReadError } from '../../config/readInput.ts';
import type { SuiteBuilder } from '../../checks/suite.ts';

/** A merged report and, when its Findings could not be recomputed, why (the report then has none). */
export interface MergeOutcome {
  readonly report: AuditReport;
  readonly findingsOmitted?: string;
}

/**
 * Merges the shards of one run (the testable core of `cmbounds merge`): Holm across all checks (`mergeReports`),
 * and the Findings paragraph recomputed from the merged results by the suite's own function, with the suite rebuilt
 * from what each shard recorded (suite name, target, seed). Without the suites, the Findings are omitted and
 * `findingsOmitted` says why; a shard's own paragraph, which describes only that shard, is never kept.
 */
export async function mergeShards(shards: readonly AuditReport[], command: string, suites?: Readonly<Record<string, SuiteBuilder>>): Promise<MergeOutcome> {
  const first = shards[0];
  const info = first?.shard;
  const hadFindings = shards.some((s) => s.findings !== undefined);
  let why: string | undefined;
  let findings: ((report: AuditReport) => string) | undefined;
  if (!hadFindings) why = undefined;
  else if (info?.suite === undefined || info.target === undefined) why = 'the shards do not record their suite and target (written by an older cmbounds)';
  else if (suites === undefined || suites[info.suite] === undefined) why = `the suite '${info.suite}' is not available here`;
  else {
    const target = targetFromSpec(info.target, 'results[0].shard.target');
    const suite = await suites[info.suite]!({ target, targetName: info.targetName ?? target.name ?? 'custom', seed: first!.provenance.seed });
    findings = suite.findings;
  }
  const report = mergeReports(shards, command, findings);
  return why === undefined ? { report } : { report, findingsOmitted: why };
}

/** `cmbounds merge <results.json...> --out DIR`: one report from the shards of a sharded run. */
export function mergeCommand(suites?: Readonly<Record<string, SuiteBuilder>>): Command {
  return new Command('merge')
    .description('Combine the results.json files of the shards of one run (`run --shard i/n`) into one report; Holm is re-applied across all checks and the Findings recomputed.')
    .argument('<results...>', 'one results.json per shard')
    .requiredOption('--out <dir>', 'folder of the merged report')
    .action(async (files: string[], opts: { out: string }) => {
      assertReportFolderUsable(opts.out, '--out');
      const shards = files.map((file) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new ConfigError('E_INVALID_INPUT', describeReadError(file, e as NodeJS.ErrnoException), 'results');
        }
        try {
          return parseWithNonFinite(text) as AuditReport;
        } catch (e) {
          throw new ConfigError('E_BAD_JSON', `cannot read results: ${(e as Error).message}`, file);
        }
      });
      shards.forEach((s, i) => {
        if (s === null || typeof s !== 'object' || !Array.isArray(s.entries) || typeof s.provenance !== 'object' || s.provenance === null) {
          throw new ConfigError('E_INVALID_INPUT', `'${files[i]}' is not a results.json written by \`cmbounds run --shard\``, `results[${i}]`);
        }
      });
      const outcome = await mergeShards(shards, `cmbounds merge ${files.join(' ')} --out ${opts.out}`, suites);
      if (outcome.findingsOmitted !== undefined) process.stderr.write(`note: the merged report has no Findings paragraph: ${outcome.findingsOmitted}\n`);
      await writeReportAtomically(outcome.report, opts.out);
      process.stdout.write(`${opts.out}/report.md\n`);
    });
}

import { Command } from 'commander';
import { ConfigError } from '../../core/errors.ts';
import { numberOption } from '../parseOptions.ts';
import type { SuiteBuilder } from '../../checks/suite.ts';
import { resolveConfig, runSuite } from './run.ts';

/**
 * `cmbounds reproduce <study>` (`npm run reproduce -- <study>`): regenerates a committed reference report,
 * `reports/reference/<study>/`, with the study's own seed. Resumable: it always reuses finished checks of the
 * same configuration and code, so an interrupted reproduction continues where it stopped.
 */
export function reproduceCommand(suites: Readonly<Record<string, SuiteBuilder>>, setExitCode: (code: number) => void): Command {
  return new Command('reproduce')
    .description('Regenerate a reference report under reports/reference/<study>/ (resumable).')
    .argument('<study>', `one of: ${Object.keys(suites).join(', ')}`)
    .option('--budget <seconds>', 'wall-time budget per check', numberOption({ min: 0, exclusiveMin: true }))
    .option('--workers <n>', 'worker threads for the sweep points of the study (default: the number of cores; 1: in-process); the report does not depend on it', numberOption({ min: 1, integer: true }))
    .action(async (study: string, opts: { budget?: number; workers?: number }) => {
      if (!(study in suites)) throw new ConfigError('E_INVALID_INPUT', `unknown study '${study}'; known: ${Object.keys(suites).join(', ')}`, 'study');
      const config = resolveConfig({ suite: study, out: `reports/reference/${study}`, resume: true, ...(opts.budget === undefined ? {} : { budget: opts.budget }), ...(opts.workers === undefined ? {} : { workers: opts.workers }) });
      const outcome = await runSuite(config, suites, `reproduce ${study}`);
      setExitCode(outcome.exitCode);
    });
}

import { Command, CommanderError } from 'commander';
import { CmboundsError } from '../core/errors.ts';
import { exactCommand } from './commands/exact.ts';
import { runCommand } from './commands/run.ts';
import type { CliPlugins } from './suite.ts';
import { catalogCommand } from './commands/catalog.ts';
import { distanceCommand } from './commands/distance.ts';
import { trainCommand } from './commands/train.ts';
import { sampleCommand } from './commands/sample.ts';
import { evaluateCommand } from './commands/evaluate.ts';

/** Version from package.json, read once. */
async function packageVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the commander program (exported for tests and for `--help` generation). */
export async function buildProgram(plugins: CliPlugins = {}, setExitCode: (code: number) => void = () => undefined): Promise<Command> {
  const program = new Command('cmbounds')
    .description('Consistency-model theory as executable checks on Gaussian-mixture targets with exact scores.')
    .version(await packageVersion())
    .option('--verbose', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(exactCommand());
  if (plugins.suites !== undefined) program.addCommand(runCommand(plugins.suites, setExitCode));
  program.addCommand(catalogCommand());
  program.addCommand(distanceCommand());
  program.addCommand(trainCommand());
  program.addCommand(sampleCommand());
  program.addCommand(evaluateCommand());
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 for a failed command (one line `error: …` on
 * stderr), 2 for a usage error. Only this layer touches the process and the terminal.
 */
export async function main(argv: readonly string[], plugins: CliPlugins = {}): Promise<number> {
  let exitCode = 0;
  const program = await buildProgram(plugins, (code) => {
    exitCode = code;
  });
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit through here with exitCode 0; usage errors were already printed by commander
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CmboundsError) {
      process.stderr.write(`error: ${e.message}\n`);
      if (verbose) process.stderr.write(`${e.stack ?? ''}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    process.stderr.write(verbose ? `${(e as Error).stack ?? ''}\n` : 'hint: run with --verbose for the stack trace\n');
    return 1;
  }
}


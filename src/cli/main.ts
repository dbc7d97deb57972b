import { Command, CommanderError } from 'commander';
import { isMainThread } from 'node:worker_threads';
import { CmboundsError } from '../core/errors.ts';
import { adoptSupervisorTerminal, isSupervisedWorker, reportExitCode, superviseCli, SUPERVISED_COMMANDS } from './interrupt.ts';
import { nameOptionErrors } from './parseOptions.ts';
import type { CliPlugins } from './suite.ts';

type CommandLoader = (plugins: CliPlugins, setExitCode: (code: number) => void) => Promise<Command | undefined>;

/**
 * Every subcommand, loaded on demand: a command's module (tfjs, ts-morph, vega, …) is imported only when that
 * command runs, so `cmbounds exact` does not pay for the training stack. `--help` loads them all.
 */
const COMMANDS: Readonly<Record<string, CommandLoader>> = {
  exact: async () => (await import('./commands/exact.ts')).exactCommand(),
  reproduce: async (plugins, setExitCode) => (plugins.suites ? (await import('./commands/reproduce.ts')).reproduceCommand(await plugins.suites(), setExitCode) : undefined),
  run: async (plugins, setExitCode) => (plugins.suites ? (await import('./commands/run.ts')).runCommand(await plugins.suites(), setExitCode) : undefined),
  estimate: async (plugins) => (plugins.constants ? (await import('./commands/estimate.ts')).estimateCommand(await plugins.constants()) : undefined),
  report: async () => (await import('./commands/report.ts')).reportCommand(),
  merge: async (plugins) => (await import('./commands/merge.ts')).mergeCommand(plugins.suites ? await plugins.suites() : undefined),
  catalog: async () => (await import('./commands/catalog.ts')).catalogCommand(),
  distance: async () => (await import('./commands/distance.ts')).distanceCommand(),
  train: async (_plugins, setExitCode) => (await import('./commands/train.ts')).trainCommand(setExitCode),
  sample: async () => (await import('./commands/sample.ts')).sampleCommand(),
  evaluate: async () => (await import('./commands/evaluate.ts')).evaluateCommand(),
  data: async () => (await import('./commands/data.ts')).dataCommand(),
  audit: async (plugins, setExitCode) => (await import('./commands/audit.ts')).auditCommand(plugins.audits ? await plugins.audits() : undefined, setExitCode),
};

/** Version from package.json, read once. */
async function packageVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the commander program (exported for tests and for `--help` generation). */
export async function buildProgram(plugins: CliPlugins = {}, setExitCode: (code: number) => void = () => undefined, only?: string): Promise<Command> {
  const program = new Command('cmbounds')
    .description('Consistency-model theory as executable checks on Gaussian-mixture targets with exact scores.')
    .version(await packageVersion())
    .option('--verbose', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const names = only !== undefined && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  for (const name of names) {
    const command = await COMMANDS[name]!(plugins, setExitCode);
    if (command !== undefined) program.addCommand(command);
  }
  for (const c of program.commands) c.exitOverride();
  // every numeric option of every command is parsed by one strict parser; this names the option in its errors
  nameOptionErrors(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 for a failed command (one line `error: …` on
 * stderr), 2 for a usage error. Only this layer touches the process and the terminal.
 */
export async function main(argv: readonly string[], plugins: CliPlugins = {}): Promise<number> {
  let exitCode = 0;
  const subcommand = argv.slice(2).find((a) => !a.startsWith('-'));
  const program = await buildProgram(plugins, (code) => {
    exitCode = code;
  }, subcommand);
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


/**
 * The executable's entry (bin/cmbounds.js passes its own URL as `entry`): long commands (run, audit, train,
 * reproduce) run on a worker thread started from `entry`, so the main thread receives Ctrl-C while they compute
 * (see `superviseCli`); in that worker, and for every other command, this is `main`.
 */
export async function runCli(argv: readonly string[], plugins: CliPlugins, entry: URL): Promise<number> {
  if (isSupervisedWorker()) {
    adoptSupervisorTerminal();
    const code = await main(argv, plugins);
    reportExitCode(code);
    return code;
  }
  const subcommand = argv.slice(2).find((a) => !a.startsWith('-'));
  if (isMainThread && subcommand !== undefined && SUPERVISED_COMMANDS.has(subcommand)) return superviseCli(entry, argv);
  return main(argv, plugins);
}

#!/usr/bin/env node
// The `cmbounds` executable and the composition root: it hands the CLI (src/) the suites built from
// theorems/ (src/ never imports theorems/). The package ships TypeScript sources; tsx (a runtime dependency)
// compiles them on the fly, so `npm ci` needs no build step and the CLI always matches the sources.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const suites = async () => (await import('../suites/index.ts')).suites;
const constants = async () => (await import('../suites/constants.ts')).constants;
const audits = async () => (await import('../suites/audit.ts')).auditBattery;
// long commands run on a worker thread started from this file, so Ctrl-C reaches the main thread (src/cli/interrupt.ts)
process.exitCode = await runCli(process.argv, { suites, constants, audits }, new URL(import.meta.url));

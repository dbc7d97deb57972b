#!/usr/bin/env node
// The `cmbounds` executable and the composition root: it hands the CLI (src/) the suites built from
// theorems/ (src/ never imports theorems/). The package ships TypeScript sources; tsx (a runtime dependency)
// compiles them on the fly, so `npm ci` needs no build step and the CLI always matches the sources.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const suites = async () => (await import('../suites/index.ts')).suites;
const constants = async () => (await import('../suites/constants.ts')).constants;
const audits = async () => (await import('../suites/audit.ts')).auditBattery;
process.exitCode = await main(process.argv, { suites, constants, audits });

// The suites `cmbounds run --suite <name>` knows, composed from theorems/ and src/ (the composition root's view).
import type { SuiteBuilder } from '../src/cli/suite.ts';
import { quickSuite } from './quick.ts';

export const suites: Readonly<Record<string, SuiteBuilder>> = { quick: quickSuite };

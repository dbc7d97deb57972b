// The suites `cmbounds run --suite <name>` knows, composed from theorems/ and src/ (the composition root's view).
import type { SuiteBuilder } from '../src/cli/suite.ts';
import { quickSuite } from './quick.ts';
import { theorem1RatesSuite } from '../studies/theorem1Rates.ts';
import { constantsSuite } from '../studies/constants.ts';

export const suites: Readonly<Record<string, SuiteBuilder>> = {
  quick: quickSuite,
  // studies (issue 8): `npm run reproduce -- <name>` regenerates reports/reference/<name>/
  'theorem1-rates': theorem1RatesSuite,
  constants: constantsSuite,
};

// The suites `cmbounds run --suite <name>` knows, composed from theorems/ and src/ (the composition root's view).
import type { SuiteBuilder } from '../src/index.ts';
import { quickSuiteWithTrainedModel } from './quick.ts';
import { trainedSuite } from './trained.ts';
import { theorem1RatesSuite } from '../studies/theorem1Rates.ts';
import { constantsSuite } from '../studies/constants.ts';
import { ctVsCdSuite } from '../studies/ctVsCd.ts';
import { multistepSuite } from '../studies/multistep.ts';
import { pdeResidualSuite } from '../studies/pdeResidual.ts';

export const suites: Readonly<Record<string, SuiteBuilder>> = {
  quick: quickSuiteWithTrainedModel,
  trained: trainedSuite,
  // studies (issue 8): `npm run reproduce -- <name>` regenerates reports/reference/<name>/
  'theorem1-rates': theorem1RatesSuite,
  constants: constantsSuite,
  'ct-vs-cd': ctVsCdSuite,
  multistep: multistepSuite,
  'pde-residual': pdeResidualSuite,
};

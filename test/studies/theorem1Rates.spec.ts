import { describe, expect, it } from 'vitest';
import { gaussian } from '../../src/index.ts';
import { theorem1RateInD, theorem1RateInLf, theorem1RateInT, theorem1RatesSuite, theorem1TrainedInT } from '../../studies/theorem1Rates.ts';
import { describeControls } from '../theorems/controlHarness.ts';

describe('theorem1-rates suite', () => {
  it('builds the three rate checks and the trained-sequence check with their subjects', async () => {
    const suite = await theorem1RatesSuite({ target: gaussian([0], [1]), targetName: 'unused', seed: 1 });
    expect(suite.checks.map((c) => c.id)).toEqual(['studies.theorem1RateInT', 'studies.theorem1RateInD', 'studies.theorem1RateInLf', 'studies.theorem1TrainedInT']);
    for (const c of suite.checks) expect(suite.subjects[c.id]).toBeDefined();
  });
});

describeControls(theorem1RateInT);
describeControls(theorem1RateInD);
describeControls(theorem1RateInLf);
describeControls(theorem1TrainedInT);

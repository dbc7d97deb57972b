/**
 * A deliberately malformed variant (for `cmbounds audit` tests): the factory forgets `makePairs` and gives
 * `teacherEmaRate` as a number instead of a function of the step. `cmbounds audit` must name both members with
 * their lines and train nothing.
 */
import { karrasSchedule, squaredL2Loss, uniformIndexSampler, type VariantFactoryContext } from '../../src/index.ts';

export default function brokenMissingMakePairs({ process }: VariantFactoryContext) {
  return {
    id: 'broken-missing-make-pairs',
    title: 'Broken example: no makePairs, teacherEmaRate is a number',
    schedule: karrasSchedule({ N: 18, tMin: process.tMin, tMax: process.tMax }),
    indexSampler: uniformIndexSampler(),
    loss: squaredL2Loss(),
    teacherEmaRate: 0.95,
  };
}

/**
 * A deliberately malformed variant (for `cmbounds audit` tests): `loss` is a string where a ConsistencyLoss object
 * belongs, and the hand-written schedule has no `times` method. Exported as `variant` (an object, not a factory).
 */
import { sharedNoisePairs, squaredL2Loss, uniformIndexSampler, varianceExploding } from '../../src/index.ts';

const process = varianceExploding();

export const variant = {
  id: 'broken-loss-type',
  title: 'Broken example: loss given by name, schedule without times()',
  schedule: {
    id: 'hand-made',
    tMin: 0.002,
    tMax: 80,
    stageAt: () => 18,
  },
  indexSampler: uniformIndexSampler(),
  loss: 'squared-l2',
  teacherEmaRate: () => 0.95,
  makePairs: (x0: Parameters<typeof sharedNoisePairs>[0], times: Float64Array, indices: Int32Array, _ctx: unknown, rng: Parameters<typeof sharedNoisePairs>[5]) =>
    sharedNoisePairs(x0, times, indices, process, squaredL2Loss(), rng),
};

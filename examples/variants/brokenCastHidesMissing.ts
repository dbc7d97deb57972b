/**
 * A deliberately malformed variant (for `cmbounds audit` tests): a double cast to TrainingVariant silences the
 * compiler, but the object has no `indexSampler` and its loss has no `tensorDistanceAndGradient` (so it could never
 * train). `cmbounds audit` looks at the object as written, not at the cast.
 */
import { karrasSchedule, sharedNoisePairs, squaredL2Loss, uniformWeighting, type PointBatch, type TrainingVariant } from '../../src/index.ts';

const schedule = karrasSchedule({ N: 18, tMin: 0.002, tMax: 80 });
const loss = {
  id: 'squared-l2-float64-only',
  weighting: uniformWeighting(),
  distance: (a: PointBatch, b: PointBatch) => Float64Array.from(a.data, (v, i) => (v - b.data[i]!) ** 2),
};
const makePairs: TrainingVariant['makePairs'] = (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, squaredL2Loss(), rng);

export default {
  id: 'broken-cast',
  title: 'Broken example: a cast hides a missing indexSampler and an incomplete loss',
  schedule,
  loss,
  teacherEmaRate: () => 0.95,
  makePairs,
} as unknown as TrainingVariant;

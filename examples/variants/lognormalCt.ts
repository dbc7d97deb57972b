/**
 * A worked example of a user's own training variant: consistency training with shared noise (Song et al. 2023's
 * CT coupling) on a fixed Karras grid, but with iCT's lognormal interval distribution and an EMA teacher with a
 * constant rate. Everything comes from cmbounds' public API; the loop never needs to know this variant exists.
 *
 *   npx cmbounds train --variant examples/variants/lognormalCt.ts --target bimodal-1d --steps 500 --seed 1 --out runs/lognormalCt
 *
 * The module exports a factory as `default`: `cmbounds train` calls it with the process, the target and the number
 * of steps, and validates the returned object (a missing member is named in the error).
 */
import {
  karrasSchedule,
  lognormalIndexSampler,
  sharedNoisePairs,
  squaredL2Loss,
  type TrainingVariant,
  type VariantFactoryContext,
} from '../../src/index.ts';

export default function lognormalCt({ process }: VariantFactoryContext): TrainingVariant {
  const loss = squaredL2Loss();
  return {
    id: 'example-lognormal-ct',
    title: 'Example: CT pairs on a fixed 40-point Karras grid, lognormal intervals (P_mean −1.1, P_std 2), EMA teacher μ = 0.99',
    schedule: karrasSchedule({ N: 40, tMin: process.tMin, tMax: process.tMax }),
    indexSampler: lognormalIndexSampler(),
    loss,
    teacherEmaRate: () => 0.99,
    makePairs: (x0, times, indices, ctx, rng) => sharedNoisePairs(x0, times, indices, ctx.process, loss, rng),
  };
}

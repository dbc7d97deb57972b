import { describe, expect, it } from 'vitest';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { mapInParallel } from '../../../src/flows/mapInParallel.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { lhwSchedule } from '../../../src/processes/lhwSchedule.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

describe('mapInParallel', () => {
  it.each([
    ['ve', varianceExploding()],
    ['vp-ou', ornsteinUhlenbeck()],
  ])('is bit-identical to the single-threaded map (%s, 2 threads, chunks of whole blocks)', async (_name, process) => {
    const target = builtInTarget('ring8-2d');
    const x = target.noised(process.signalScale(3), process.noiseScale(3)).sample(150, rngFromSeed(4));
    const options = { rtol: 1e-8, atol: 1e-10, blockSize: 16 };
    const serial = referenceFlow(target, process, options).map(x, 3, process.tMin);
    const parallel = await mapInParallel(target, process, x, 3, process.tMin, { ...options, threads: 2 });
    expect(Array.from(parallel.y.data)).toEqual(Array.from(serial.y.data));
    expect(parallel.stats!.evaluationsPerPoint).toBeCloseTo(serial.stats!.evaluationsPerPoint, 9);
  });

  it('falls back to the single-threaded map for a process without a spec a worker can rebuild', async () => {
    const target = builtInTarget('ring8-2d');
    const process = lhwSchedule({ T: 100 }).withBetas({ 50: 0.3 }).process();
    const x = target.sample(20, rngFromSeed(5));
    const serial = referenceFlow(target, process).map(x, process.tMax, process.tMin);
    const parallel = await mapInParallel(target, process, x, process.tMax, process.tMin, { threads: 2 });
    expect(Array.from(parallel.y.data)).toEqual(Array.from(serial.y.data));
  });

  it('validates times before starting workers, naming the field', async () => {
    const target = builtInTarget('ring8-2d');
    const x = target.sample(200, rngFromSeed(6));
    await expect(mapInParallel(target, varianceExploding(), x, 100, 1, { threads: 2 })).rejects.toThrow(/^from: t=100 is outside/);
  });
});

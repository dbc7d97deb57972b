import { energyDistance, energyDistanceByProjection } from '../src/metrics/energyDistance.ts';
import { Rng } from '../src/random/rng.ts';
import type { PointBatch } from '../src/core/pointBatch.ts';

function gaussianSet(n: number, d: number, shift: number, rng: Rng): PointBatch {
  const data = rng.fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++) data[i * d] = data[i * d]! + shift;
  return { n, d, data };
}

/**
 * Energy distance without stored distance matrices (`energyDistanceByProjection`): wall and CPU time (the machine is
 * shared: CPU seconds are the load-independent figure), pairs per CPU second, and memory
 * (RSS growth over the call) for two Gaussian sets in
 * d = 8, up to n = n_a + n_b = 100,000 — far beyond the stored-matrix bootstrap's ~2,360 points per set, whose time at
 * its largest size is printed alongside.
 */
export async function benchEnergyDistance(): Promise<void> {
  const d = 8;
  console.log(`\n## energy distance, d = ${d}: tiled U-statistic with variance interval, O(n) memory (one thread)`);
  console.log('| n_a + n_b | method | wall seconds | CPU seconds | pairs per CPU second | RSS growth (MiB) | value ± SE |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const rng = new Rng(1, ['bench', 'energy']);
  {
    const a = gaussianSet(2300, d, 0.1, rng), b = gaussianSet(2300, d, 0, rng);
    const c0 = process.cpuUsage().user;
    const t0 = performance.now();
    const e = energyDistance(a, b, new Rng(2), { interval: 'bootstrap', resamples: 500 });
    const s = (performance.now() - t0) / 1000;
    const cpu = (process.cpuUsage().user - c0) / 1e6;
    console.log(`| 4600 | stored matrices (121 MiB) + 500 bootstrap resamples | ${s.toFixed(2)} | ${cpu.toFixed(2)} | – | – | ${e.value.toExponential(3)} ± ${e.standardError!.toExponential(1)} |`);
  }
  for (const half of [5_000, 20_000, 50_000]) {
    const a = gaussianSet(half, d, 0.1, rng), b = gaussianSet(half, d, 0, rng);
    const base = process.memoryUsage().rss;
    const c0 = process.cpuUsage().user;
    const t0 = performance.now();
    // the computation is synchronous and allocates only the O(n) row sums at its start: RSS after it is its peak
    const e = energyDistanceByProjection(a, b);
    const s = (performance.now() - t0) / 1000;
    const cpu = (process.cpuUsage().user - c0) / 1e6;
    const grown = process.memoryUsage().rss - base;
    const pairs = (2 * half * (half - 1)) / 2 + half * half;
    console.log(`| ${2 * half} | tiled projection | ${s.toFixed(2)} | ${cpu.toFixed(2)} | ${(pairs / cpu / 1e6).toFixed(0)}M | ${(grown / 2 ** 20).toFixed(1)} | ${e.value.toExponential(3)} ± ${e.standardError!.toExponential(1)} |`);
  }
}

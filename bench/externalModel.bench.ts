import { spawnSync } from 'node:child_process';
import { pointBatch } from '../src/core/pointBatch.ts';
import { startExternalModel } from '../src/models/externalModel.ts';
import { rngFromSeed } from '../src/random/rng.ts';

const SIZES = [1_000, 20_000] as const;
const DIMS = [2, 8] as const;

/** An echo server in stdlib Python through the reference adapter: f(x, t) = x, so only the protocol is timed. */
const ECHO = (d: number): string =>
  `python3 -c "import sys; sys.path.insert(0, 'examples/external'); from cmbounds_protocol import serve; serve(lambda x, t: x, dim=${d}, process={'kind': 've', 'tMin': 0.002, 'tMax': 80})"`;

/** Fastest of `repeats` wall times in ms. */
function fastest(repeats: number, run: () => void): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * `npm run bench external`: throughput of the external-model protocol (points per second through the stdlib Python
 * echo server, batches of 4096) against the same map evaluated in process (a copy of the batch, the floor of any
 * in-process model), as a ratio measured in the same run.
 */
export async function benchExternalModel(): Promise<void> {
  if (spawnSync('python3', ['-c', 'import json'], { encoding: 'utf8' }).status !== 0) {
    process.stdout.write('\n## External-model protocol\n\nskipped: no python3 on PATH\n');
    return;
  }
  const rows: string[] = [];
  for (const d of DIMS) {
    const model = startExternalModel(`cmd:${ECHO(d)}`);
    try {
      for (const n of SIZES) {
        const x = pointBatch(n, d, rngFromSeed(1).child(`bench-${n}-${d}`).fillNormal(new Float64Array(n * d)));
        const external = fastest(3, () => model.evaluate(x, 1));
        const inProcess = fastest(3, () => pointBatch(n, d, Float64Array.from(x.data)));
        rows.push(`| ${n} | ${d} | ${((n / external) * 1000).toExponential(2)} | ${((n / inProcess) * 1000).toExponential(2)} | ${(inProcess / external).toExponential(2)} |`);
      }
    } finally {
      model.close();
    }
  }
  process.stdout.write(['', '## External-model protocol (stdlib Python echo server, batches of 4096)', '', '| n | d | points/s external | points/s in process | ratio |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n'));
}

import { spawnSync } from 'node:child_process';
import { pointBatch } from '../src/core/pointBatch.ts';
import { mapInParallel } from '../src/flows/mapInParallel.ts';
import { referenceFlow } from '../src/flows/referenceFlow.ts';
import { varianceExploding } from '../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../src/random/rng.ts';
import { denseBenchMixture } from './benchMixture.ts';

const K = 8;
const T_MAX = 80;
const T_MIN = 0.002;
const RTOL = 1e-8;
const ATOL = 1e-10;

function hasScipy(): boolean {
  return spawnSync('python3', ['-c', 'import scipy, numpy'], { encoding: 'utf8' }).status === 0;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, count: number): number {
  let m = 0;
  for (let i = 0; i < count; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Reference-flow throughput: a K = 8 dense-covariance mixture, VE from tMax = 80 to tMin = 0.002 at rtol 1e-8.
 * Prints points/s, field evaluations per point, max error against a tight (rtol 1e-12) solve of a subset,
 * the achieved GFLOP/s of the score kernel, and the ratio to scipy's stacked RK45 in the same run when
 * python3 has scipy.
 */
export async function benchOracleFlow(): Promise<void> {
  const scipy = hasScipy();
  console.log(`\n## reference flow: K=${K} dense mixture, VE ${T_MAX} → ${T_MIN}, rtol ${RTOL}, atol ${ATOL}`);
  console.log(scipy ? '(scipy baseline: solve_ivp RK45, whole batch stacked, same ODE in log σ)' : '(python3 with scipy not found: scipy column skipped)');
  console.log('| d | points | points/s | evals/point | max err vs rtol 1e-12 | kernel GFLOP/s | 2 threads points/s | scipy points/s | scipy max err | ratio (ours/scipy) | ratio at matched accuracy | ratio, 2 threads, matched |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [d, n] of [[2, 10_000], [8, 10_000], [32, 2_000]] as const) {
    const target = denseBenchMixture(K, d);
    const process = varianceExploding({ tMin: T_MIN, tMax: T_MAX });
    const x = target.noised(1, T_MAX).sample(n, rngFromSeed(1).child(`bench-${d}`));
    const flow = referenceFlow(target, process, { method: 'ode', rtol: RTOL, atol: ATOL });
    const start = performance.now();
    const r = flow.map(x, T_MAX, T_MIN);
    const seconds = (performance.now() - start) / 1000;
    const subset = Math.min(200, n);
    const xs = pointBatch(subset, d, x.data.slice(0, subset * d));
    const tight = referenceFlow(target, process, { method: 'ode', rtol: 1e-12, atol: 1e-14 }).map(xs, T_MAX, T_MIN).y;
    const err = maxAbsDiff(r.y.data, tight.data, subset * d);
    const evals = r.stats!.evaluationsPerPoint;
    // posterior-mean kernel per point and component: rotate (d²), quadratic form (2d), rotate back (d²) ≈ 4d² + 6d flops
    const flops = n * evals * K * (4 * d * d + 6 * d);
    const gflops = flops / seconds / 1e9;
    const p0 = performance.now();
    await mapInParallel(target, process, x, T_MAX, T_MIN, { rtol: RTOL, atol: ATOL, threads: 2 });
    const parallelRate = n / ((performance.now() - p0) / 1000);
    let scipyCols = '– | – | – | – | –';
    if (scipy) {
      const job = JSON.stringify({
        weights: Array.from(target.weights),
        means: target.means.map((m) => Array.from(m)),
        covariances: target.covariances.map((c) => Array.from({ length: d }, (_, i) => Array.from(c.subarray(i * d, (i + 1) * d)))),
        x: Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * d, (i + 1) * d))),
        sigmaFrom: T_MAX, sigmaTo: T_MIN, rtol: RTOL, atol: ATOL,
      });
      const out = spawnSync('python3', ['bench/scipyStackedFlow.py'], { input: job, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (out.status === 0) {
        const res = JSON.parse(out.stdout) as { seconds: number; y: number[] };
        const scipyErr = maxAbsDiff(res.y, tight.data, subset * d);
        const scipyRate = n / res.seconds;
        // "equal or better accuracy": the loosest of our tolerances whose max error is ≤ scipy's, timed on the same points
        let matched = `${(n / seconds / scipyRate).toFixed(2)}× (rtol ${RTOL})`;
        let matchedRtol = RTOL;
        for (const rtol of [1e-7, 5e-8, 2e-8]) {
          const t0 = performance.now();
          const loose = referenceFlow(target, process, { method: 'ode', rtol, atol: rtol / 100 }).map(x, T_MAX, T_MIN);
          const s2 = (performance.now() - t0) / 1000;
          if (maxAbsDiff(loose.y.data, tight.data, subset * d) <= scipyErr) {
            matched = `${(n / s2 / scipyRate).toFixed(2)}× (rtol ${rtol})`;
            matchedRtol = rtol;
            break;
          }
        }
        const t1 = performance.now();
        await mapInParallel(target, process, x, T_MAX, T_MIN, { rtol: matchedRtol, atol: matchedRtol / 100, threads: 2 });
        const parallelMatched = `${(n / ((performance.now() - t1) / 1000) / scipyRate).toFixed(2)}×`;
        scipyCols = `${scipyRate.toFixed(0)} | ${scipyErr.toExponential(1)} | ${(n / seconds / scipyRate).toFixed(2)}× | ${matched} | ${parallelMatched}`;
      } else {
        scipyCols = `failed: ${out.stderr.trim().split('\n').pop() ?? ''} | – | – | – | –`;
      }
    }
    console.log(`| ${d} | ${n} | ${(n / seconds).toFixed(0)} | ${evals.toFixed(0)} | ${err.toExponential(1)} | ${gflops.toFixed(2)} | ${parallelRate.toFixed(0)} | ${scipyCols} |`);
  }
}

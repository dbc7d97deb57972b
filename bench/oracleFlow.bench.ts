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

interface ScipyRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly y: number[];
  readonly blas: { numpy: string; name?: string; version?: string; kernel: string; threads?: number };
}

/**
 * The scipy baseline on `threads` BLAS threads. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from this
 * command's environment alone (set on these machines for older OpenBLAS builds, they make a current numpy pick a
 * slower kernel), so OpenBLAS selects its kernel for the actual CPU; the kernel it chose is returned in `blas`.
 */
function runScipy(job: string, threads: number): ScipyRun | { failed: string } {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...inherited } = process.env;
  const env = { ...inherited, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const out = spawnSync('python3', ['bench/scipyStackedFlow.py'], { input: job, encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (out.status !== 0) return { failed: out.stderr.trim().split('\n').pop() ?? '' };
  return JSON.parse(out.stdout) as ScipyRun;
}

/**
 * Reference-flow throughput: a K = 8 dense-covariance mixture, VE from tMax = 80 to tMin = 0.002 at rtol 1e-8.
 * Prints points/s, field evaluations per point, max error against a tight (rtol 1e-12) solve of a subset, the
 * achieved GFLOP/s of the score kernel, and, when python3 has scipy, the ratios to scipy's stacked RK45 (numpy's
 * batched-gemm form of the same ODE) in the same run at equal resources: one thread against scipy on one BLAS
 * thread, two worker threads against scipy on two BLAS threads, each at matched accuracy.
 */
export async function benchOracleFlow(): Promise<void> {
  const scipy = hasScipy();
  console.log(`\n## reference flow: K=${K} dense mixture, VE ${T_MAX} → ${T_MIN}, rtol ${RTOL}, atol ${ATOL}`);
  console.log(scipy ? '(scipy baseline: solve_ivp RK45, whole batch stacked, same ODE in log σ, rotations as batched `@` (BLAS gemm); OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for it)' : '(python3 with scipy not found: scipy column skipped)');
  console.log('| d | points | points/s | evals/point | max err vs rtol 1e-12 | kernel GFLOP/s | 2 threads points/s | scipy points/s (1 BLAS thread, 2) | scipy max err | ratio (ours/scipy, 1 thread) | 1 thread vs 1, CPU time | 1 thread vs 1, matched accuracy | 2 threads vs 2, matched accuracy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const blasLines = new Set<string>();
  for (const [d, n] of [[2, 10_000], [8, 10_000], [32, 2_000]] as const) {
    const target = denseBenchMixture(K, d);
    const process = varianceExploding({ tMin: T_MIN, tMax: T_MAX });
    const x = target.noised(1, T_MAX).sample(n, rngFromSeed(1).child(`bench-${d}`));
    const flow = referenceFlow(target, process, { method: 'ode', rtol: RTOL, atol: ATOL });
    const cpuStart = globalThis.process.cpuUsage().user;
    const start = performance.now();
    const r = flow.map(x, T_MAX, T_MIN);
    const seconds = (performance.now() - start) / 1000;
    // CPU seconds of the one-thread solve: on a shared machine the load-independent figure (both sides single-threaded)
    const cpuSeconds = (globalThis.process.cpuUsage().user - cpuStart) / 1e6;
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
    let scipyCols = '– | – | – | – | – | –';
    if (scipy) {
      const job = JSON.stringify({
        weights: Array.from(target.weights),
        means: target.means.map((m) => Array.from(m)),
        covariances: target.covariances.map((c) => Array.from({ length: d }, (_, i) => Array.from(c.subarray(i * d, (i + 1) * d)))),
        x: Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * d, (i + 1) * d))),
        sigmaFrom: T_MAX, sigmaTo: T_MIN, rtol: RTOL, atol: ATOL,
      });
      const one = runScipy(job, 1);
      const two = runScipy(job, 2);
      if ('failed' in one || 'failed' in two) {
        scipyCols = `failed: ${'failed' in one ? one.failed : 'failed' in two ? two.failed : ''} | – | – | – | – | –`;
      } else {
        for (const run of [one, two]) blasLines.add(`numpy ${run.blas.numpy}, BLAS ${run.blas.name ?? '?'} ${run.blas.version ?? ''}, kernel ${run.blas.kernel}, ${run.blas.threads ?? '?'} thread(s)`);
        const scipyErr = Math.max(maxAbsDiff(one.y, tight.data, subset * d), maxAbsDiff(two.y, tight.data, subset * d));
        const scipyRate = n / one.seconds;
        const scipyRate2 = n / two.seconds;
        // "equal or better accuracy": the loosest of our tolerances whose max error is ≤ scipy's, timed on the same points
        let matchedRate = n / seconds;
        let matchedRtol = RTOL;
        for (const rtol of [1e-7, 5e-8, 2e-8]) {
          const t0 = performance.now();
          const loose = referenceFlow(target, process, { method: 'ode', rtol, atol: rtol / 100 }).map(x, T_MAX, T_MIN);
          const s2 = (performance.now() - t0) / 1000;
          if (maxAbsDiff(loose.y.data, tight.data, subset * d) <= scipyErr) {
            matchedRate = n / s2;
            matchedRtol = rtol;
            break;
          }
        }
        const t1 = performance.now();
        await mapInParallel(target, process, x, T_MAX, T_MIN, { rtol: matchedRtol, atol: matchedRtol / 100, threads: 2 });
        const parallelMatchedRate = n / ((performance.now() - t1) / 1000);
        scipyCols = `${scipyRate.toFixed(0)}, ${scipyRate2.toFixed(0)} | ${scipyErr.toExponential(1)} | ${(n / seconds / scipyRate).toFixed(2)}× | ${(one.cpuSeconds / cpuSeconds).toFixed(2)}× (errors ${err.toExponential(1)} vs ${scipyErr.toExponential(1)}) | ${(matchedRate / scipyRate).toFixed(2)}× (rtol ${matchedRtol}) | ${(parallelMatchedRate / scipyRate2).toFixed(2)}×`;
      }
    }
    console.log(`| ${d} | ${n} | ${(n / seconds).toFixed(0)} | ${evals.toFixed(0)} | ${err.toExponential(1)} | ${gflops.toFixed(2)} | ${parallelRate.toFixed(0)} | ${scipyCols} |`);
  }
  for (const line of blasLines) console.log(`scipy baseline BLAS: ${line}`);
}

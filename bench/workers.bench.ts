// `npm run bench workers`: wall time of the same work at --workers 1 and --workers 2, measured in one run, and the
// ratio (goal ≤ 0.6 on 2 cores). Two workloads:
//   - the quick audit (`cmbounds audit examples/variants/lognormalCt.ts`, 3 rungs × 4 MLPs × 2000 steps), as the CLI
//     runs it (a child process per measurement; --no-controls, so the models' training and checks are what is timed);
//   - the constants study's sweep, reduced (T = 256 … 1024 instead of 256 … 4096, 2 trainings per T instead of 4) so
//     that it fits a shared 2-core machine; `CMBOUNDS_BENCH_FULL=1` runs the full study (`run --suite constants`,
//     about 10 minutes per measurement on 2 cores) into a temporary folder instead (never reports/reference/).
// `CMBOUNDS_BENCH_REDUCED=1` (for a heavily shared machine): the audit with 300 steps per model, the sweep to T = 512.
// Each pair also checks that the two outputs agree (results.json without timings; the study's Evidence).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createCheckContext, rngFromSeed } from '../src/index.ts';
import { stringifyWithNonFinite } from '../src/checks/resultsCache.ts';
import { constantsInT, constantsSubject, halfOctaves } from '../studies/constants.ts';

const TIMING = new Set(['durationMs', 'trainingMs', 'startedAt', 'command']);
function withoutTiming(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMING.has(k)).map(([k, v]) => [k, withoutTiming(v)]));
  return value;
}

/** Runs `cmbounds <args> --workers N --out <tmp>`; wall seconds and results.json without timings. */
function cliRun(args: readonly string[], workers: number, scratch: string): { seconds: number; results: string } {
  const out = path.join(scratch, `${args[0]}-${workers}`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['bin/cmbounds.js', ...args, '--workers', String(workers), '--out', out, '--cache-dir', path.join(scratch, `cache-${workers}`)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`cmbounds ${args.join(' ')} --workers ${workers} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, results: JSON.stringify(withoutTiming(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')))) };
}

/** The constants study's check on a reduced sweep, in this process; wall seconds and its Evidence. */
async function reducedConstants(workers: number, maxT: number): Promise<{ seconds: number; results: string }> {
  const subject = { ...constantsSubject(), Ts: halfOctaves(256, maxT), replicates: 2 };
  const ctx = createCheckContext({ rng: rngFromSeed(1).child('studies.constantsInT'), falseFailRate: 1e-3, workers });
  const started = performance.now();
  const evidence = await constantsInT.run(subject, ctx);
  return { seconds: (performance.now() - started) / 1000, results: stringifyWithNonFinite(evidence) };
}

function report(name: string, one: { seconds: number; results: string }, two: { seconds: number; results: string }): void {
  const ratio = two.seconds / one.seconds;
  console.log(`${name.padEnd(44)} ${one.seconds.toFixed(1).padStart(7)} s ${two.seconds.toFixed(1).padStart(7)} s   ${ratio.toFixed(2)}×${ratio <= 0.6 ? '' : '  (goal ≤ 0.6×)'}   outputs ${one.results === two.results ? 'identical' : 'DIFFER'}`);
}

export async function benchWorkers(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cmbounds-bench-workers-'));
  try {
    console.log(`\n--workers 1 against --workers 2 (${availableParallelism()} cores; load average ${loadavg()[0]!.toFixed(1)} at the start: on a shared machine the ratio includes other processes' load)`);
    console.log(`${'workload'.padEnd(44)} ${'1 worker'.padStart(9)} ${'2 workers'.padStart(9)}   ratio`);
    const reduced = process.env['CMBOUNDS_BENCH_REDUCED'] === '1';
    const steps = reduced ? 300 : 2000;
    const audit = ['audit', 'examples/variants/lognormalCt.ts', '--no-controls', '--steps', String(steps)];
    report(`quick audit (12 MLPs × ${steps} steps + checks)`, cliRun(audit, 1, scratch), cliRun(audit, 2, scratch));
    if (process.env['CMBOUNDS_BENCH_FULL'] === '1') {
      const study = ['run', '--suite', 'constants', '--no-controls'];
      report('constants study (full, run --suite constants)', cliRun(study, 1, scratch), cliRun(study, 2, scratch));
    } else {
      const maxT = reduced ? 512 : 1024;
      report(`constants sweep (T = 256…${maxT}, 2 trainings)`, await reducedConstants(1, maxT), await reducedConstants(2, maxT));
    }
    console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWorkers();

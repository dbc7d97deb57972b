// Ctrl-C as a user sends it: a real SIGINT to a `node bin/cmbounds.js` child process (the executable, with its
// supervisor thread), then the command the interruption message prints, run as printed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/checks/evidence.ts';
import { parseWithNonFinite } from '../../src/checks/resultsCache.ts';
import type { AuditReport } from '../../src/report/auditReport.ts';
import { auditBattery } from '../../suites/audit.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cmbounds-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  readonly process: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  /** Resolves when stdout + stderr match `pattern` (rejects if the child exits first). */
  waitFor(pattern: RegExp): Promise<void>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startCli(args: readonly string[]): Child {
  const child = spawn(process.execPath, ['bin/cmbounds.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.pattern.test(out + err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), check()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return {
    process: child,
    out: () => out,
    err: () => err,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exit.then(() => reject(new Error(`the child exited before printing ${pattern}; stderr:\n${err}`)));
      }),
    exit,
  };
}

/** Runs a printed `cmbounds …` command line (plain words, as the messages print them for these arguments). */
function runPrinted(commandLine: string): { status: number | null; stdout: string; stderr: string } {
  const words = commandLine.trim().split(/\s+/);
  expect(words[0]).toBe('cmbounds');
  const r = spawnSync(process.execPath, ['bin/cmbounds.js', ...words.slice(1)], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const finishedCheck = /\] (\S+): (holds|violated|inconclusive) in \d/;

describe('Ctrl-C (a real SIGINT)', () => {
  let fullRun: AuditReport | undefined;

  it('run: stops at the next safe point, exits 130, keeps finished checks; the printed --resume command finishes without redoing them', async () => {
    const out = path.join(dir, 'run-report');
    const cache = path.join(dir, 'run-cache');
    const child = startCli(['run', '--suite', 'quick', '--target', 'bimodal-1d', '--no-controls', '--out', out, '--cache-dir', cache]);
    await child.waitFor(finishedCheck);
    child.process.kill('SIGINT');
    const { code } = await child.exit;
    expect(code).toBe(130);
    // the statements on f* and the model-level battery on the quick suite's trained model
    const message = /interrupted: (\d+) of (\d+) checks finished and are kept in (\S+); to finish, run: (cmbounds run .*--resume)\n/.exec(child.err());
    expect(message, child.err()).not.toBeNull();
    const kept = Number(message![1]);
    const total = Number(message![2]);
    expect(total).toBeGreaterThanOrEqual(11 + 3);
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(total);
    expect(existsSync(out)).toBe(false); // no report from an interrupted run
    const finishedBefore = [...child.err().matchAll(new RegExp(finishedCheck, 'g'))].map((m) => m[1]);

    const resumed = runPrinted(message![4]!);
    expect(resumed.status, resumed.stderr).toBe(0);
    const keptNow = [...resumed.stderr.matchAll(/\] (\S+): \w+ \(kept from an earlier run\)/g)].map((m) => m[1]);
    expect(keptNow).toEqual(finishedBefore); // exactly the checks finished before Ctrl-C are reused, none recomputed
    expect(keptNow).toHaveLength(kept);
    expect(resumed.stderr).toMatch(finishedCheck); // and the rest ran
    fullRun = parseWithNonFinite(readFileSync(path.join(out, 'results.json'), 'utf8')) as AuditReport;
    expect(fullRun.entries).toHaveLength(total);
  }, 240_000);

  it('run --check <id> --seed <seed> --target <target> replays a check with the numbers of the full battery', () => {
    expect(fullRun).toBeDefined();
    const r = spawnSync(process.execPath, ['bin/cmbounds.js', 'run', '--check', 'li2024.lemma1', '--seed', '1', '--target', 'bimodal-1d', '--no-controls', '--json', '--out', path.join(dir, 'replay'), '--cache-dir', path.join(dir, 'replay-cache')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const replay = parseWithNonFinite(r.stdout) as AuditReport;
    // the named statement and what it depends on
    expect(replay.entries.map((e) => e.statement.id)).toEqual(['li2024.schedule', 'li2024.typicalSet', 'li2024.lemma1']);
    const raw = (report: AuditReport, id: string): Evidence => {
      const result = report.entries.find((e) => e.statement.id === id)!.result;
      return (result.rawEvidence ?? result.evidence)!;
    };
    for (const id of ['li2024.schedule', 'li2024.typicalSet', 'li2024.lemma1']) expect(raw(replay, id)).toEqual(raw(fullRun!, id));
  }, 120_000);

  it('run --check refuses an unknown id in one line naming it and the closest id', () => {
    const r = spawnSync(process.execPath, ['bin/cmbounds.js', 'run', '--check', 'li2024.typicalset', '--target', 'bimodal-1d', '--out', path.join(dir, 'never')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: --check: no check 'li2024.typicalset' in the quick suite on bimodal-1d; did you mean 'li2024.typicalSet'?\n");
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  }, 60_000);

  it('audit: stops in training, then in the model checks, exits 130 each time; the printed command finishes without redoing what was kept', async () => {
    // small sizes (200 steps, 10,000 check draws, the default): each Ctrl-C still lands with a model's training or
    // 11 checks left to do (seconds of work, against the milliseconds a signal takes to arrive)
    const args = ['audit', 'examples/variants/lognormalCt.ts', '--targets', 'bimodal-1d', '--steps', '200', '--width', '8', '--depth', '1', '--batch-size', '32', '--n', '64', '--seeds', '1', '--check-samples', '10000', '--backend', 'cpu', '--no-controls', '--out', path.join(dir, 'audit'), '--cache-dir', path.join(dir, 'audit-cache')];
    const trainedModel = /\[model \d\/4 [\d.]+ s\] \S+ on bimodal-1d: trained in [\d.]+ s/;
    // 1: Ctrl-C while the second model trains
    const first = startCli(args);
    await first.waitFor(trainedModel);
    first.process.kill('SIGINT');
    expect((await first.exit).code).toBe(130);
    const inTraining = /interrupted during training \((\d+) of 4 models finished and are kept in \S+\); no report was written\. To finish without redoing them, run the same command again: (cmbounds audit .*)\n/.exec(first.err());
    expect(inTraining, first.err()).not.toBeNull();
    const modelsKept = Number(inTraining![1]);
    expect(modelsKept).toBeGreaterThanOrEqual(1);
    expect(modelsKept).toBeLessThan(4);

    // 2: the printed command restores those models, trains the rest; Ctrl-C in the model checks
    const words = inTraining![2]!.split(/\s+/).slice(1);
    const second = startCli(words);
    await second.waitFor(finishedCheck);
    second.process.kill('SIGINT');
    expect((await second.exit).code).toBe(130);
    expect(second.err().match(/: trained in [\d.]+ s \(final loss \S+\), kept from an earlier run/g)).toHaveLength(modelsKept);
    const inChecks = /interrupted during the model checks \(all 4 models and (\d+) of (\d+) checks finished and are kept in \S+\); no report was written\. To finish without redoing them, run the same command again: (cmbounds audit .*)\n/.exec(second.err());
    expect(inChecks, second.err()).not.toBeNull();
    const checksKept = Number(inChecks![1]);
    // every model-level check of suites/audit.ts on each of the 4 models
    expect(Number(inChecks![2])).toBe(4 * auditBattery.checks.length);
    expect(checksKept).toBeGreaterThanOrEqual(1);
    expect(checksKept).toBeLessThan(Number(inChecks![2]));
    expect(existsSync(path.join(dir, 'audit'))).toBe(false);

    // 3: nothing is retrained, the finished checks are reused (same weights, so the same cached subjects), the report is written
    const third = runPrinted(inChecks![3]!);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr.match(/, kept from an earlier run\n/g)).toHaveLength(4);
    expect(third.stderr.match(/\(kept from an earlier run\)\n/g)).toHaveLength(checksKept);
    expect(existsSync(path.join(dir, 'audit', 'report.md'))).toBe(true);
  }, 400_000);

  const trainArgs = (out: string): string[] => ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', '200', '--seed', '2', '--width', '16', '--depth', '2', '--batch-size', '32', '--log-every', '10', '--checkpoint-every', '1000', '--backend', 'cpu', '--out', out];

  it('train: writes its checkpoint at the step it reached, says where and how to resume; resuming gives the uninterrupted weights', async () => {
    const out = path.join(dir, 'train-cut');
    const child = startCli(trainArgs(out));
    await child.waitFor(/step 20\/200/);
    child.process.kill('SIGINT');
    const { code } = await child.exit;
    expect(code).toBe(130);
    const message = /interrupted after step (\d+) of 200: the checkpoint (\S+) holds these \d+ steps; to continue, run: (cmbounds train .* --resume)\n/.exec(child.err());
    expect(message, child.err()).not.toBeNull();
    const steps = Number(message![1]);
    expect(steps).toBeGreaterThanOrEqual(20);
    expect(steps).toBeLessThan(200);
    expect(message![2]).toBe(path.join(out, 'checkpoint.json'));
    const checkpoint = JSON.parse(readFileSync(message![2]!, 'utf8')) as { stepsDone: number };
    expect(checkpoint.stepsDone).toBe(steps);

    const resumed = runPrinted(message![3]!);
    expect(resumed.status, resumed.stderr).toBe(0);
    const whole = path.join(dir, 'train-whole');
    const uninterrupted = spawnSync(process.execPath, ['bin/cmbounds.js', ...trainArgs(whole)], { encoding: 'utf8' });
    expect(uninterrupted.status, uninterrupted.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'weights.bin')).equals(readFileSync(path.join(whole, 'weights.bin')))).toBe(true);
    expect(readFileSync(path.join(out, 'weights-ema.bin')).equals(readFileSync(path.join(whole, 'weights-ema.bin')))).toBe(true);
  }, 300_000);

  it('a second Ctrl-C quits at once, without waiting for the running step to end', async () => {
    const out = path.join(dir, 'train-slow');
    const child = startCli(['train', '--variant', 'test/cli/fixtures/slowStepVariant.ts', '--target', 'bimodal-1d', '--steps', '50', '--width', '8', '--depth', '1', '--batch-size', '8', '--backend', 'cpu', '--out', out]);
    await child.waitFor(/slow step 1 begins/);
    // each step blocks its thread for 2 s: the first Ctrl-C is noted and waits for the step's end ...
    child.process.kill('SIGINT');
    await child.waitFor(/interrupting: stopping at the next safe point/);
    // ... the second one does not wait
    const second = performance.now();
    child.process.kill('SIGINT');
    const { code, at } = await child.exit;
    expect(code).toBe(130);
    expect(child.err()).toContain('interrupted again: quitting at once');
    expect(child.err()).not.toContain('interrupted after step'); // the step never reached its end
    expect(at - second).toBeLessThan(1500); // under the 2 s the step blocks for
  }, 120_000);
});

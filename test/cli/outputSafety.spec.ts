import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import type { SuiteBuilder } from '../../src/checks/suite.ts';
import { assertModelFolderUsable, assertOutputFileUsable, assertReportFolderUsable, REPORT_MARKER, removeStaleReportTemporaries } from '../../src/core/outputLocation.ts';
import { lhwSchedule } from '../../src/processes/lhwSchedule.ts';
import { scheduleProperties } from '../../theorems/li2024/schedule.ts';

/** The smallest real battery: one closed-form check, no controls (milliseconds). */
const oneCheck: SuiteBuilder = (req) => ({
  name: 'one',
  title: `one check on ${req.targetName}`,
  subject: { target: req.targetName, process: 'LHW T=200', variant: 'exact', functionClass: 'f*' },
  checks: [scheduleProperties],
  subjects: { 'li2024.schedule': { value: lhwSchedule({ T: 200 }), key: 'lhw-200' } },
});

function fresh(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cmbounds-${prefix}-`));
}

/** Every file under `dir` with its contents, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${rel}${name.name}/`);
      else out[`${rel}${name.name}`] = readFileSync(join(d, name.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

function runOne(dir: string, out: string) {
  return runSuite(resolveConfig({ suite: 'one', target: 'bimodal-1d', out, cacheDir: join(dir, 'cache'), controls: false }), { one: oneCheck }, 'run');
}

function cli(args: string[], timeoutMs = 60_000) {
  return spawnSync(process.execPath, ['bin/cmbounds.js', ...args], { encoding: 'utf8', timeout: timeoutMs });
}

describe('report folders: nothing of the user is deleted or overwritten', () => {
  it('refuses a non-empty folder that is not a cmbounds report, before any work, and leaves it untouched', async () => {
    const dir = fresh('victim');
    const victim = join(dir, 'victim');
    mkdirSync(join(victim, 'mydata'), { recursive: true });
    writeFileSync(join(victim, 'mydata', 'thesis.tex'), 'precious');
    writeFileSync(join(victim, 'README.txt'), 'mine');
    const before = snapshot(victim);
    await expect(runOne(dir, victim)).rejects.toThrow(/^--out: '.*victim' holds files cmbounds did not write \(README\.txt, mydata\/\)/);
    expect(snapshot(victim)).toEqual(before);
    expect(existsSync(join(dir, 'cache'))).toBe(false); // refused before the battery ran
  });

  it('refuses a regular file given as the report folder', async () => {
    const dir = fresh('file');
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    await expect(runOne(dir, file)).rejects.toThrow(/^--out: '.*notes\.txt' is a file, not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('replaces its own report (marked), and a report from before the marker, but not one the user added files to', async () => {
    const dir = fresh('own');
    const out = join(dir, 'report');
    await runOne(dir, out);
    const marker = JSON.parse(readFileSync(join(out, REPORT_MARKER), 'utf8')) as { files: string[] };
    expect(marker.files).toEqual(expect.arrayContaining(['report.md', 'report.html', 'results.json']));
    await runOne(dir, out); // a second run replaces the first
    expect(readdirSync(out).sort()).toEqual([REPORT_MARKER, 'plots', 'report.html', 'report.md', 'results.json'].sort());

    // a legacy report folder (no marker, only report files) is recognised and replaced
    const legacy = join(dir, 'legacy');
    mkdirSync(join(legacy, 'plots'), { recursive: true });
    for (const f of ['report.md', 'report.html', 'results.json', 'plots/a.svg']) writeFileSync(join(legacy, f), 'old');
    await runOne(dir, legacy);
    expect(readFileSync(join(legacy, 'report.md'), 'utf8')).not.toBe('old');

    // the user's note inside a report: the report is no longer ours alone
    writeFileSync(join(out, 'notes.txt'), 'my reading of the verdicts');
    writeFileSync(join(legacy, 'plots', 'mine.png'), 'png');
    await expect(runOne(dir, out)).rejects.toThrow(/holds files cmbounds did not write \(notes\.txt\)/);
    await expect(runOne(dir, legacy)).rejects.toThrow(/holds files cmbounds did not write \(plots\/mine\.png\)/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my reading of the verdicts');
  });

  it('`cmbounds report` does not re-render into a folder that holds the user’s files (the old defect deleted them)', () => {
    const dir = fresh('report-cmd');
    const results = join(dir, 'results.json');
    writeFileSync(results, JSON.stringify({ title: 't', entries: [], summary: {}, falseFailRate: 1e-3, subject: {}, provenance: {} }));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'data.csv'), '1,2,3');
    writeFileSync(join(dir, 'README.txt'), 'mine');
    const before = snapshot(dir);
    const r = cli(['report', results]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/results\.json \(re-rendered in its own folder; give --out to write elsewhere\): '.*' holds files cmbounds did not write/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('`cmbounds merge --out` refuses a folder of the user’s before reading the shards', () => {
    const dir = fresh('merge');
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    const r = cli(['merge', join(dir, 'missing.json'), '--out', dir]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^error: --out: '.*' holds files cmbounds did not write \(thesis\.tex\)/m);
    expect(readFileSync(join(dir, 'thesis.tex'), 'utf8')).toBe('precious');
  });
});

describe('unwritable output is found before any work', () => {
  it('a path under /proc fails at once with the option named (Node’s recursive mkdir loops there)', () => {
    const r = cli(['run', '--suite', 'quick', '--target', 'ring8-2d', '--out', '/proc/nope/x'], 30_000);
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --out: cannot write in '\/proc' \(E[A-Z]+\)/m);
  });

  it('a path under a regular file names the file', () => {
    const dir = fresh('under-file');
    writeFileSync(join(dir, 'plain'), 'x');
    expect(() => assertReportFolderUsable(join(dir, 'plain', 'sub', 'out'), '--out')).toThrow(/^--out: cannot create '.*': '.*plain' is a file, not a folder/);
    const r = cli(['audit', 'examples/variants/lognormalCt.ts', '--out', join(dir, 'plain', 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --out: cannot create '.*': '.*plain' is a file, not a folder/m);
    expect(r.stdout).toBe(''); // nothing trained
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder is refused up front (skipped as root: permission bits do not bind root)', () => {
    const dir = fresh('readonly');
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    expect(() => assertReportFolderUsable(join(ro, 'out'), '--out')).toThrow(/^--out: cannot write in '.*ro' \(EACCES\)/);
  });
});

describe('leftovers of killed runs', () => {
  it('removes stale temporaries of dead processes that hold only report files, and nothing else', () => {
    const dir = fresh('stale');
    const out = join(dir, 'out');
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: no such process
    const staleTmp = join(dir, `out.tmp-${dead}-1`);
    const staleOld = join(dir, `out.old-${dead}-2`);
    const userLookalike = join(dir, `out.tmp-${dead}-3`);
    const alive = join(dir, `out.tmp-${process.pid}-4`);
    for (const d of [staleTmp, staleOld, userLookalike, alive]) mkdirSync(join(d, 'plots'), { recursive: true });
    writeFileSync(join(staleTmp, 'report.md'), 'half');
    writeFileSync(join(staleOld, 'results.json'), '{}');
    writeFileSync(join(userLookalike, 'thesis.tex'), 'precious');
    writeFileSync(join(alive, 'report.md'), 'being written');
    const removed = removeStaleReportTemporaries(out);
    expect(removed.sort()).toEqual([staleOld, staleTmp].sort());
    expect(existsSync(join(userLookalike, 'thesis.tex'))).toBe(true);
    expect(existsSync(join(alive, 'report.md'))).toBe(true);
  });
});

describe('model folders and output files', () => {
  it('train refuses a folder with an interrupted run, a finished model, or the user’s files', () => {
    const dir = fresh('train');
    const interrupted = join(dir, 'interrupted');
    mkdirSync(interrupted);
    writeFileSync(join(interrupted, 'checkpoint.json'), '{}');
    expect(() => assertModelFolderUsable(interrupted, '--out', { resume: false, force: false })).toThrow(/holds an interrupted training run \(checkpoint\.json\); continue it with --resume \(same options\), or start over with --force/);
    expect(() => assertModelFolderUsable(interrupted, '--out', { resume: true, force: false })).not.toThrow();
    expect(() => assertModelFolderUsable(interrupted, '--out', { resume: false, force: true })).not.toThrow();
    const finished = join(dir, 'finished');
    mkdirSync(finished);
    for (const f of ['model.json', 'weights.bin', 'weights-ema.bin', 'history.json', 'checkpoint.json']) writeFileSync(join(finished, f), 'x');
    expect(() => assertModelFolderUsable(finished, '--out', { resume: false, force: false })).toThrow(/already holds a trained model; pass --force/);
    const users = join(dir, 'users');
    mkdirSync(users);
    writeFileSync(join(users, 'thesis.tex'), 'precious');
    expect(() => assertModelFolderUsable(users, '--out', { resume: false, force: true })).toThrow(/holds files that are not a cmbounds model \(thesis\.tex\)/);
  });

  it('`cmbounds train` into an interrupted run without --resume stops before training and keeps the checkpoint', () => {
    const dir = fresh('train-cli');
    const out = join(dir, 'm');
    mkdirSync(out);
    writeFileSync(join(out, 'checkpoint.json'), '{"format":"cmbounds-training-checkpoint-1"}');
    const r = cli(['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', '10', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --out: '.*m' holds an interrupted training run/m);
    expect(readFileSync(join(out, 'checkpoint.json'), 'utf8')).toBe('{"format":"cmbounds-training-checkpoint-1"}');
  });

  it('an output file is not overwritten without --force, and a folder is not taken for a file', () => {
    const dir = fresh('outfile');
    const file = join(dir, 'samples.json');
    writeFileSync(file, '[[1]]');
    expect(() => assertOutputFileUsable(file, '--out', { force: false })).toThrow(/^--out: '.*samples\.json' exists and was not written by cmbounds; pass --force/);
    expect(() => assertOutputFileUsable(file, '--out', { force: true })).not.toThrow();
    expect(() => assertOutputFileUsable(dir, '--out', { force: true })).toThrow(/^--out: '.*' is a folder; give a file name/);
    expect(() => assertOutputFileUsable(join(dir, 'new.json'), '--out', { force: false })).not.toThrow();
  });
});

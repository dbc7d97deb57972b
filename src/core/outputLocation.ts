import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.ts';

/**
 * Where cmbounds writes, and what it may replace there. The rule everywhere: the tool never deletes or overwrites
 * a file it did not write, and it finds out whether an output location is usable *before* any computation.
 *
 * A report folder is recognised as ours by its marker file (`REPORT_MARKER`, which lists the files the report
 * wrote) or, for reports written before the marker existed, by holding nothing but the files a report consists of
 * (`report.md`, `report.html`, `results.json`, `plots/*.svg`). Only such a folder is ever replaced.
 */
export const REPORT_MARKER = '.cmbounds-report';

/** The names a report folder is made of (besides `plots/*.svg` and the marker). */
const REPORT_FILES = new Set(['report.md', 'report.html', 'results.json']);

/** Names of the files a model folder from `cmbounds train` holds. */
const MODEL_FILE = /^(model\.json|history\.json|checkpoint\.json|weights(-[A-Za-z0-9_]+)?\.bin)$/;

/** What a report folder may contain, per its marker (or the legacy layout when it has none). */
function allowedReportEntries(dir: string): { files: Set<string>; marked: boolean } {
  const markerPath = path.join(dir, REPORT_MARKER);
  if (existsSync(markerPath)) {
    try {
      const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as { files?: unknown };
      if (Array.isArray(marker.files) && marker.files.every((f) => typeof f === 'string')) return { files: new Set(marker.files as string[]), marked: true };
    } catch {
      // an unreadable marker recognises nothing: fall through to the strict legacy layout
    }
  }
  return { files: new Set(), marked: false };
}

/**
 * Lists the entries of `dir` (relative paths, `plots/x.svg` style) that cmbounds did not write as part of a
 * report: empty when the folder may be replaced by a new report.
 */
export function foreignReportEntries(dir: string): string[] {
  const { files, marked } = allowedReportEntries(dir);
  const foreign: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = lstatSync(full);
    if (name === REPORT_MARKER && st.isFile()) continue;
    if (name === 'plots' && st.isDirectory()) {
      for (const plot of readdirSync(full).sort()) {
        const rel = `plots/${plot}`;
        const ok = lstatSync(path.join(full, plot)).isFile() && (marked ? files.has(rel) : plot.endsWith('.svg'));
        if (!ok) foreign.push(rel);
      }
      continue;
    }
    const ok = st.isFile() && (marked ? files.has(name) : REPORT_FILES.has(name));
    if (!ok) foreign.push(st.isDirectory() ? `${name}/` : name);
  }
  return foreign;
}

/** The nearest existing ancestor of `target` (the path itself when it exists). */
function nearestExisting(target: string): string {
  let p = path.resolve(target);
  while (!existsSync(p)) {
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return p;
}

/**
 * Checks that the folders leading to `target` can be created and written, without creating `target` itself:
 * the nearest existing ancestor must be a folder in which a folder can really be made (a probe folder is created
 * and removed: permission bits alone do not tell, e.g. for root or under /proc).
 */
function assertCreatable(target: string, option: string): void {
  const ancestor = nearestExisting(target);
  const st = statSync(ancestor);
  if (!st.isDirectory()) {
    throw new ConfigError('E_INVALID_INPUT', `cannot create '${target}': '${ancestor}' is a file, not a folder`, option);
  }
  try {
    accessSync(ancestor, constants.W_OK);
    const probe = path.join(ancestor, `.cmbounds-probe-${process.pid}-${Date.now()}`);
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (e) {
    throw new ConfigError('E_INVALID_INPUT', `cannot write in '${ancestor}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable location`, option);
  }
}

/**
 * Creates `dir` and its missing parents one level at a time (Node's recursive mkdir can loop forever on some
 * special file systems, e.g. under /proc), naming the option in any error.
 */
export function makeFolders(dir: string, option: string): void {
  const missing: string[] = [];
  let p = path.resolve(dir);
  while (!existsSync(p)) {
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue;
      throw new ConfigError('E_INVALID_INPUT', `cannot create '${folder}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, option);
    }
  }
}

/** True when process `pid` is alive (signal 0 probes without signalling). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries an earlier, killed run left beside `dir` (`<dir>.tmp-<pid>-<ms>`, `<dir>.old-<pid>-<ms>`):
 * only those whose process is gone and whose content is a report's (nothing foreign is ever removed).
 * @returns the removed paths.
 */
export function removeStaleReportTemporaries(dir: string): string[] {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(path.resolve(dir));
  if (!existsSync(parent)) return [];
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)-(\\d+)$`);
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const full = path.join(parent, name);
    if (processAlive(Number(m[2])) || !lstatSync(full).isDirectory()) continue;
    if (foreignReportEntries(full).length > 0) continue;
    rmSync(full, { recursive: true, force: true });
    removed.push(full);
  }
  return removed;
}

/**
 * Validates a report output folder before any work: it must not be a file; if it exists and is not empty, it must
 * be a cmbounds report (which the new report will replace); otherwise its location must be creatable and writable.
 * Cleans stale temporaries of killed runs beside it. Throws a `ConfigError` naming `option`.
 */
export function assertReportFolderUsable(dir: string, option: string): void {
  const resolved = path.resolve(dir);
  if (existsSync(resolved)) {
    const st = statSync(resolved);
    if (!st.isDirectory()) throw new ConfigError('E_INVALID_INPUT', `'${dir}' is a file, not a folder; give a new or empty folder (or an earlier cmbounds report to replace)`, option);
    const foreign = foreignReportEntries(resolved);
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
      throw new ConfigError(
        'E_INVALID_INPUT',
        `'${dir}' holds files cmbounds did not write (${shown}); a report replaces only an earlier cmbounds report, so give a new or empty folder`,
        option,
      );
    }
    try {
      accessSync(resolved, constants.W_OK);
      accessSync(path.dirname(resolved), constants.W_OK);
    } catch (e) {
      throw new ConfigError('E_INVALID_INPUT', `cannot write in '${dir}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, option);
    }
  }
  assertCreatable(path.dirname(resolved), option);
  removeStaleReportTemporaries(resolved);
}

/**
 * Validates the output folder of `cmbounds train` before any work. A new or empty folder is fine; a folder with an
 * interrupted run (checkpoint.json, no model.json) needs `--resume` (or `--force` to start over); a folder with a
 * finished model needs `--force` to be replaced; a folder holding anything else is refused (only our own files are
 * ever overwritten, even with `--force`).
 */
export function assertModelFolderUsable(dir: string, option: string, mode: { resume: boolean; force: boolean }): void {
  const resolved = path.resolve(dir);
  if (!existsSync(resolved)) {
    if (mode.resume) return; // train reports the missing checkpoint with its own message
    assertCreatable(resolved, option);
    return;
  }
  if (!statSync(resolved).isDirectory()) throw new ConfigError('E_INVALID_INPUT', `'${dir}' is a file, not a folder`, option);
  const entries = readdirSync(resolved).filter((n) => !/^\..+\.tmp$/.test(n));
  const foreign = entries.filter((n) => !MODEL_FILE.test(n));
  if (foreign.length > 0 && !mode.resume) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
    throw new ConfigError('E_INVALID_INPUT', `'${dir}' holds files that are not a cmbounds model (${shown}); give a new or empty folder`, option);
  }
  if (mode.resume || mode.force) return;
  if (entries.includes('model.json')) {
    throw new ConfigError('E_INVALID_INPUT', `'${dir}' already holds a trained model; pass --force to replace it or choose another folder`, option);
  }
  if (entries.includes('checkpoint.json')) {
    throw new ConfigError(
      'E_INVALID_INPUT',
      `'${dir}' holds an interrupted training run (checkpoint.json); continue it with --resume (same options), or start over with --force`,
      option,
    );
  }
}

/**
 * Validates an output file before any work: not a folder; an existing file is replaced only with `force`
 * (or when `ownedBy(existing text)` recognises it as ours); its folder must be creatable and writable.
 */
export function assertOutputFileUsable(file: string, option: string, mode: { force: boolean; ownedBy?: (text: string) => boolean }): void {
  const resolved = path.resolve(file);
  if (existsSync(resolved)) {
    const st = statSync(resolved);
    if (st.isDirectory()) throw new ConfigError('E_INVALID_INPUT', `'${file}' is a folder; give a file name, e.g. ${path.join(file, 'samples.json')}`, option);
    let ours = false;
    if (mode.ownedBy !== undefined && st.size < 512 * 1024 * 1024) {
      try {
        ours = mode.ownedBy(readFileSync(resolved, 'utf8'));
      } catch {
        ours = false;
      }
    }
    if (!ours && !mode.force) throw new ConfigError('E_INVALID_INPUT', `'${file}' exists and was not written by cmbounds; pass --force to overwrite it or choose another name`, option);
  }
  assertCreatable(path.dirname(resolved), option);
}

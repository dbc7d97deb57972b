/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium` package, which `.ci/run` installs when
 * absent) loads a report.html written by `cmbounds run` for a small battery of real checks, and the test asserts
 * what a reader sees: every plot is a non-empty SVG with axes and marks, every internal link lands on an element,
 * mathematics is typeset (MathML laid out with a width, no `$…$`, `_{…}` or `^{…}` left in the visible text),
 * verdict marks are CSS-styled text (no emoji), and the page logs no console error.
 *
 * Skipped, with the reason in the test name, when no Chromium executable is found (CHROMIUM_PATH or
 * /usr/bin/chromium).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, runSuite } from '../../src/cli/commands/run.ts';
import { parseWithNonFinite } from '../../src/checks/resultsCache.ts';
import type { AuditReport } from '../../src/report/auditReport.ts';
import { quickSuite } from '../../suites/quick.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const skipReason = available ? '' : ` (skipped: no Chromium at ${CHROMIUM}; install Debian's chromium package, as .ci/run does, or set CHROMIUM_PATH)`;
if (!available) console.warn(`test/browser/reportInBrowser.spec.ts${skipReason}`);

/** Quick-suite checks that finish in about 3 s on bimodal-1d and give both holds and violated verdicts, with plots and math. */
const CHECKS = ['li2024.schedule', 'li2024.assumption1', 'li2024.scoreSecondMoment', 'li2024.typicalSet', 'lyu2023.scoreLipschitz', 'lyu2023.modelLipschitz'];

let dir = '';
let context: BrowserContext | undefined;
let page: Page | undefined;
let seen: Seen | undefined;
let report: AuditReport | undefined;
const consoleErrors: string[] = [];

/** What the page shows, collected inside the browser. */
interface Seen {
  readonly figures: { width: number; height: number; axes: number; marks: number; title: string }[];
  readonly links: { id: string; found: boolean }[];
  readonly mathWidths: number[];
  readonly katexErrors: string[];
  /** The page's rendered text, without the TeX annotations of formulas and without the plots' SVG text. */
  readonly visibleText: string;
  readonly verdictMarks: { text: string; color: string; width: number }[];
}

/** Runs in the page (a string, so this file needs no DOM types). */
const INSPECT = `(() => {
  const box = (el) => el.getBoundingClientRect();
  const figures = [...document.querySelectorAll('figure > svg')].map((svg) => ({
    width: box(svg).width,
    height: box(svg).height,
    axes: svg.querySelectorAll('g.role-axis').length,
    marks: [...svg.querySelectorAll('.role-mark path, .role-mark line')].filter((m) => box(m).width > 0 || box(m).height > 0).length,
    title: svg.querySelector('.role-title-text')?.textContent ?? '',
  }));
  const links = [...document.querySelectorAll('a[href^="#"]')].map((a) => {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    return { id, found: document.getElementById(id) !== null || document.getElementsByName(id).length > 0 };
  });
  const mathWidths = [...document.querySelectorAll('math')].map((m) => box(m).width);
  const katexErrors = [...document.querySelectorAll('.katex-error')].map((n) => n.getAttribute('title') ?? n.textContent);
  const clone = document.body.cloneNode(true);
  for (const node of clone.querySelectorAll('annotation, svg')) node.remove();
  document.body.appendChild(clone);
  const visibleText = clone.innerText;
  clone.remove();
  const verdictMarks = [...document.querySelectorAll('.verdict')].map((n) => ({ text: n.textContent, color: getComputedStyle(n).color, width: box(n).width }));
  return { figures, links, mathWidths, katexErrors, visibleText, verdictMarks };
})()`;

describe.skipIf(!available)(`report.html in headless Chromium${skipReason}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmbounds-browser-'));
    const outcome = await runSuite(
      resolveConfig({ suite: 'quick', target: 'bimodal-1d', seed: 7, out: join(dir, 'report'), cacheDir: join(dir, 'cache'), controls: false }),
      { quick: (request) => { const suite = quickSuite(request); return { ...suite, checks: suite.checks.filter((c) => CHECKS.includes(c.id)) }; } },
      'run --suite quick --target bimodal-1d --seed 7',
    );
    expect(outcome.exitCode).toBe(0);
    report = parseWithNonFinite(readFileSync(join(dir, 'report', 'results.json'), 'utf8')) as AuditReport;
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('requestfailed', (request) => consoleErrors.push(`request failed: ${request.url()}`));
    await page.goto(pathToFileURL(join(dir, 'report', 'report.html')).href, { waitUntil: 'load' });
    seen = (await page.evaluate(INSPECT)) as Seen;
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ran the intended checks, with holds and violated verdicts', () => {
    expect(report!.entries.map((e) => e.statement.id).sort()).toEqual([...CHECKS].sort());
    const verdicts = new Set(report!.entries.map((e) => e.result.evidence?.verdict));
    expect(verdicts).toContain('holds');
    expect(verdicts).toContain('violated');
  });

  it('renders every plot as a non-empty SVG with two axes and drawn marks', () => {
    const plots = report!.entries.reduce((n, e) => n + (e.result.evidence?.plots.length ?? 0), 0);
    expect(plots).toBeGreaterThan(0);
    expect(seen!.figures).toHaveLength(plots);
    for (const f of seen!.figures) {
      expect(f.width, f.title).toBeGreaterThan(100);
      expect(f.height, f.title).toBeGreaterThan(100);
      expect(f.axes, f.title).toBeGreaterThanOrEqual(2);
      expect(f.marks, f.title).toBeGreaterThan(0);
    }
  });

  it('resolves every internal link to an element of the page', () => {
    expect(seen!.links.length).toBeGreaterThanOrEqual(CHECKS.length);
    expect(seen!.links.filter((l) => !l.found)).toEqual([]);
  });

  it('typesets mathematics: MathML with a laid-out width, no TeX source or $ delimiters in the visible text', () => {
    expect(seen!.mathWidths.length).toBeGreaterThan(0);
    expect(seen!.mathWidths.every((w) => w > 0)).toBe(true);
    expect(seen!.katexErrors).toEqual([]);
    const raw = seen!.visibleText.split('\n').filter((line) => /[_^]\{|\$[^$\s][^$]*\$/.test(line));
    expect(raw).toEqual([]);
  });

  it('opens with how to read the report, marks verdicts with styled text rather than emoji, and logs no console error', () => {
    expect(seen!.visibleText).toContain('How to read this report.');
    expect(seen!.visibleText).toContain('cmbounds run --check <id> --seed 7 --target bimodal-1d');
    expect(seen!.visibleText).not.toMatch(/[✅❌❔]/u);
    expect(seen!.verdictMarks.length).toBeGreaterThanOrEqual(CHECKS.length);
    expect(new Set(seen!.verdictMarks.map((m) => m.text))).toEqual(new Set(['holds', 'violated']));
    expect(new Set(seen!.verdictMarks.map((m) => m.color)).size).toBe(2);
    expect(seen!.verdictMarks.every((m) => m.width > 0)).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckAbortedError, createCheckContext, type ProgressEvent } from '../../../src/checks/checkContext.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { defineCheck, type AnyCheck } from '../../../src/checks/defineCheck.ts';
import { makeEvidence, provenanceOf } from '../../../src/checks/evidence.ts';
import { exactEstimate } from '../../../src/checks/exactEstimate.ts';
import { parseWithNonFinite, stringifyWithNonFinite } from '../../../src/checks/resultsCache.ts';
import { orderByDependencies, runBattery } from '../../../src/checks/runBattery.ts';
import { ValidationError } from '../../../src/core/errors.ts';

interface Probe {
  /** p-value the check reports (undefined: exact decision). */
  p?: number;
  verdict: 'holds' | 'violated' | 'inconclusive';
  /** Busy-waits this many ms, calling checkBudget. */
  workMs?: number;
}

const runs: string[] = [];

function probeCheck(id: string, dependsOn: string[] = []): AnyCheck {
  return defineCheck<Probe>({
    id: id as `${string}.${string}`,
    kind: 'lemma',
    title: id,
    claim: 'probe',
    source: { paper: 'p2024', label: 'Probe' },
    dependsOn: dependsOn as `${string}.${string}`[],
    constants: [
      { symbol: 'u', meaning: 'a uniform draw from the check’s stream', role: 'estimated' },
      { symbol: 'inf', meaning: 'an estimate with an infinite upper end', role: 'estimated' },
    ],
    subject: 'distribution',
    design: { estimand: 'probe', decision: 'upper-bound', falseFailRate: 1e-3 },
    controls: [
      { name: 'ok', description: 'd', expected: 'holds', build: () => ({ verdict: 'holds' }) },
      { name: 'bad', description: 'd', expected: 'violated', build: () => ({ verdict: 'violated' }) },
    ],
    async run(subject, ctx) {
      runs.push(id);
      const until = performance.now() + (subject.workMs ?? 0);
      while (performance.now() < until) ctx.checkBudget();
      ctx.checkBudget();
      const u = ctx.rng.uniform();
      return makeEvidence(
        id as `${string}.${string}`,
        provenanceOf(ctx.rng),
        { estimates: { u: exactEstimate(u), inf: { value: 1, interval: { lower: 0, upper: Infinity, level: 0.999 }, method: 'clt-mean', n: 10 } }, reason: 'probe', ...(subject.p === undefined ? {} : { pValue: subject.p }) },
        { verdict: subject.verdict },
      );
    },
  });
}

let dir = '';
afterEach(() => {
  runs.length = 0;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('orderByDependencies', () => {
  it('puts every check after its dependencies and keeps the input order otherwise', () => {
    const order = orderByDependencies([probeCheck('p.theorem', ['p.lemma', 'p.assumption']), probeCheck('p.other'), probeCheck('p.lemma', ['p.assumption']), probeCheck('p.assumption')]);
    expect(order.map((c) => c.id)).toEqual(['p.assumption', 'p.lemma', 'p.theorem', 'p.other']);
  });

  it('rejects a cycle, naming it', () => {
    expect(() => orderByDependencies([probeCheck('p.a', ['p.b']), probeCheck('p.b', ['p.a'])])).toThrow(ValidationError);
    expect(() => orderByDependencies([probeCheck('p.a', ['p.b']), probeCheck('p.b', ['p.a'])])).toThrow(/p\.a → p\.b → p\.a/);
  });
});

describe('runBattery', () => {
  const subject = (value: Probe, key = JSON.stringify(value)) => ({ value, key });

  it('runs in dependency order, emits progress, and downgrades violations that do not survive Holm', async () => {
    const checks = [probeCheck('p.theorem', ['p.lemma']), probeCheck('p.lemma'), probeCheck('p.exact')];
    const events: ProgressEvent[] = [];
    const result = await runBattery(
      checks,
      {
        // Holm over m = 2 (the exact check has no p-value): adjusted p's are 2·0.0004 = 0.0008 ≤ 1e-3 (rejected)
        // and max(0.0008, 1·0.002) = 0.002 > 1e-3 (not rejected: downgraded to inconclusive).
        'p.theorem': subject({ verdict: 'violated', p: 0.002 }),
        'p.lemma': subject({ verdict: 'violated', p: 0.0004 }),
        'p.exact': subject({ verdict: 'violated' }), // exact: outside the Holm family
      },
      { seed: 1, falseFailRate: 1e-3, onProgress: (e) => events.push(e) },
    );
    expect(runs).toEqual(['p.lemma', 'p.theorem', 'p.exact']);
    expect(result.results.map((r) => [r.checkId, r.rawVerdict, r.evidence?.verdict])).toEqual([
      ['p.lemma', 'violated', 'violated'],
      ['p.theorem', 'violated', 'inconclusive'],
      ['p.exact', 'violated', 'violated'],
    ]);
    expect(result.results[1]!.evidence!.reason).toMatch(/Holm/);
    expect(result.results[0]!.holm).toEqual({ pValue: 0.0004, adjustedPValue: 0.0008, rejected: true });
    expect(result.results[2]!.holm).toBeUndefined();
    expect(result.summary).toMatchObject({ violated: 2, inconclusive: 1 });
    expect(events.map((e) => e.type)).toEqual(['battery-start', 'check-start', 'check-end', 'check-start', 'check-end', 'check-start', 'check-end', 'battery-end']);
  });

  it('lets a check that reported no violation neither be rejected by Holm nor loosen the others', async () => {
    // A holding check with a spurious tiny p-value (what a zero-tolerance equality test on a rounding residual
    // gave li2024.scoreSecondMoment) used to take the first step of the step-down: p.lemma was then compared with
    // α/(m − 1) = 5e-4 instead of α/m = 3.33e-4. It now enters with p = 1: p.lemma's adjusted p is 3·0.0004 = 0.0012
    // > 1e-3, so its violation does not survive; with the old family it was max(3·3.6e-73, 2·0.0004) = 0.0008.
    const checks = [probeCheck('p.holds'), probeCheck('p.lemma'), probeCheck('p.other')];
    const result = await runBattery(
      checks,
      { 'p.holds': subject({ verdict: 'holds', p: 3.6e-73 }), 'p.lemma': subject({ verdict: 'violated', p: 0.0004 }), 'p.other': subject({ verdict: 'inconclusive', p: 0.2 }) },
      { seed: 1, falseFailRate: 1e-3 },
    );
    const [holds, lemma, other] = result.results;
    expect(holds!.holm).toEqual({ pValue: 3.6e-73, adjustedPValue: 1, rejected: false });
    expect(holds!.evidence!.verdict).toBe('holds');
    expect(lemma!.holm).toEqual({ pValue: 0.0004, adjustedPValue: 3 * 0.0004, rejected: false });
    expect(lemma!.evidence!.verdict).toBe('inconclusive');
    expect(other!.holm!.rejected).toBe(false);
  });

  it('skips checks without a subject and resolves subjects by subject kind', async () => {
    const result = await runBattery([probeCheck('p.a'), probeCheck('p.b')], { 'p.a': subject({ verdict: 'holds' }) }, { seed: 1 });
    expect(result.results.map((r) => r.status)).toEqual(['ran', 'skipped']);
    const byKind = await runBattery([probeCheck('p.a'), probeCheck('p.b')], { distribution: subject({ verdict: 'holds' }) }, { seed: 1 });
    expect(byKind.results.map((r) => r.status)).toEqual(['ran', 'ran']);
  });

  it('draws each check from its own labelled stream, independent of the battery composition', async () => {
    const alone = await runBattery([probeCheck('p.b')], { distribution: subject({ verdict: 'holds' }) }, { seed: 7 });
    const together = await runBattery([probeCheck('p.a'), probeCheck('p.b')], { distribution: subject({ verdict: 'holds' }) }, { seed: 7 });
    expect(together.results[1]!.evidence!.estimates['u']!.value).toBe(alone.results[0]!.evidence!.estimates['u']!.value);
    expect(together.results[1]!.evidence!.provenance).toEqual({ seed: 7, rngPath: ['p.b'] });
  });

  it('turns a check that runs past its wall-time budget into inconclusive Evidence with a budget diagnostic', async () => {
    const result = await runBattery([probeCheck('p.slow')], { 'p.slow': subject({ verdict: 'holds', workMs: 200 }) }, { seed: 1, budget: { maxWallMs: 20 } });
    const e = result.results[0]!.evidence!;
    expect(e.verdict).toBe('inconclusive');
    expect(e.diagnostics.map((d) => d.kind)).toEqual(['budget-exhausted']);
  });

  it('stops at cancellation and reports the run as aborted', async () => {
    const controller = new AbortController();
    const checks = [probeCheck('p.a'), probeCheck('p.b')];
    const result = await runBattery(checks, { distribution: subject({ verdict: 'holds', workMs: 5 }) }, {
      seed: 1,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'check-end') controller.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(result.results.map((r) => r.checkId)).toEqual(['p.a']);
  });

  it('resumes from the results cache without redoing finished checks, and reproduces their Evidence', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmbounds-cache-'));
    const checks = [probeCheck('p.a'), probeCheck('p.b', ['p.a'])];
    const subjects = { distribution: subject({ verdict: 'holds' }) };
    const cache = { dir, codeVersion: 'test-1' };
    // An interrupted first run: cancelled after p.a finished.
    const controller = new AbortController();
    await runBattery(checks, subjects, { seed: 3, cache, signal: controller.signal, onProgress: (e) => e.type === 'check-end' && controller.abort() });
    expect(runs).toEqual(['p.a']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    runs.length = 0;
    const resumed = await runBattery(checks, subjects, { seed: 3, cache });
    expect(runs).toEqual(['p.b']);
    expect(resumed.results.map((r) => r.status)).toEqual(['cached', 'ran']);
    runs.length = 0;
    const fresh = await runBattery(checks, subjects, { seed: 3 });
    expect(stringifyWithNonFinite(resumed.results.map((r) => r.evidence))).toBe(stringifyWithNonFinite(fresh.results.map((r) => r.evidence)));
    // A different code version, seed or subject is a cache miss.
    runs.length = 0;
    await runBattery(checks, subjects, { seed: 3, cache: { dir, codeVersion: 'test-2' } });
    await runBattery(checks, { distribution: subject({ verdict: 'holds' }, 'other') }, { seed: 3, cache });
    expect(runs).toEqual(['p.a', 'p.b', 'p.a', 'p.b']);
  });
});

describe('results cache JSON', () => {
  it('round-trips non-finite numbers', () => {
    const v = { a: Infinity, b: -Infinity, c: Number.NaN, d: [1, Infinity] };
    const back = parseWithNonFinite(stringifyWithNonFinite(v)) as typeof v;
    expect(back.a).toBe(Infinity);
    expect(back.b).toBe(-Infinity);
    expect(Number.isNaN(back.c)).toBe(true);
    expect(back.d).toEqual([1, Infinity]);
  });
});

describe('check context', () => {
  it('checkBudget() reports that the check is alive at most once a second, and polls for cancellation first', () => {
    let time = 0;
    const events: ProgressEvent[] = [];
    const controller = new AbortController();
    let polls = 0;
    const ctx = createCheckContext({
      rng: rngFromSeed(1),
      falseFailRate: 1e-3,
      checkId: 'a.slow',
      now: () => time,
      onProgress: (e) => events.push(e),
      signal: controller.signal,
      pollInterrupt: () => {
        polls += 1;
        if (polls === 30) controller.abort(); // as the CLI's shared flag does, synchronously
      },
    });
    for (let i = 1; i < 30; i++) {
      time += 250;
      ctx.checkBudget();
    }
    expect(events).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000].map((elapsedMs) => ({ type: 'check-alive', checkId: 'a.slow', elapsedMs })));
    expect(() => ctx.checkBudget()).toThrow(CheckAbortedError);
  });
});

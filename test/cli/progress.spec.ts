import { describe, expect, it } from 'vitest';
import { createProgressReporter, createTrainingReporter } from '../../src/cli/progress.ts';
import { closestIds, selectChecks } from '../../src/cli/selectChecks.ts';

/** A stream that keeps what is written, and a clock the test moves. */
function fakeTerminal() {
  const lines: string[] = [];
  let time = 0;
  return {
    stream: { write: (text: string) => lines.push(text) },
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    lines,
  };
}

describe('progress when stderr is not a terminal', () => {
  it('writes one line per finished check with the elapsed time, and lines that move inside a long check', () => {
    const t = fakeTerminal();
    const p = createProgressReporter({ mode: 'lines', stream: t.stream, now: t.now, lineIntervalMs: 10_000 });
    p.onProgress({ type: 'battery-start', checks: ['a.one', 'a.two', 'a.three'] });
    p.onProgress({ type: 'check-start', checkId: 'a.one', index: 0, total: 3 });
    t.advance(2500);
    p.onProgress({ type: 'check-end', checkId: 'a.one', verdict: 'holds', status: 'ran', durationMs: 2500 });
    p.onProgress({ type: 'check-start', checkId: 'a.two', index: 1, total: 3 });
    // a 25 s check reporting every second: a line at 10 s and 20 s, none in between
    for (let s = 1; s <= 25; s++) {
      t.advance(1000);
      p.onProgress({ type: 'check-progress', checkId: 'a.two', fraction: s / 25, message: `step ${s}` });
    }
    p.onProgress({ type: 'check-end', checkId: 'a.two', verdict: 'violated', status: 'ran', durationMs: 25_000 });
    p.onProgress({ type: 'check-start', checkId: 'a.three', index: 2, total: 3 });
    p.onProgress({ type: 'check-end', checkId: 'a.three', verdict: 'inconclusive', status: 'cached', durationMs: 0 });
    p.stop();
    expect(t.lines).toEqual([
      'battery: 3 checks\n',
      '[1/3 2.5 s] a.one: holds in 2.5 s\n',
      '[2/3 12.5 s] a.two: 40% (step 10) after 10.0 s\n',
      '[2/3 22.5 s] a.two: 80% (step 20) after 20.0 s\n',
      '[2/3 27.5 s] a.two: violated in 25.0 s\n',
      '[3/3 27.5 s] a.three: inconclusive (kept from an earlier run)\n',
    ]);
  });

  it('shows that a check which reports no fraction is still running', () => {
    const t = fakeTerminal();
    const p = createProgressReporter({ mode: 'lines', stream: t.stream, now: t.now, lineIntervalMs: 10_000 });
    p.onProgress({ type: 'battery-start', checks: ['a.one'] });
    p.onProgress({ type: 'check-start', checkId: 'a.one', index: 0, total: 1 });
    for (let s = 1; s <= 12; s++) {
      t.advance(1000);
      p.onProgress({ type: 'check-alive', checkId: 'a.one', elapsedMs: 1000 * s });
    }
    expect(t.lines).toEqual(['battery: 1 check\n', '[1/1 10.0 s] a.one: running for 10.0 s\n']);
  });

  it('names aborted and failed checks', () => {
    const t = fakeTerminal();
    const p = createProgressReporter({ mode: 'lines', stream: t.stream, now: t.now });
    p.onProgress({ type: 'battery-start', checks: ['a.one', 'a.two'] });
    p.onProgress({ type: 'check-start', checkId: 'a.one', index: 0, total: 2 });
    t.advance(100);
    p.onProgress({ type: 'check-end', checkId: 'a.one', verdict: undefined, status: 'error', durationMs: 100 });
    p.onProgress({ type: 'check-start', checkId: 'a.two', index: 1, total: 2 });
    t.advance(900);
    p.onProgress({ type: 'check-end', checkId: 'a.two', verdict: undefined, status: 'aborted', durationMs: 900 });
    expect(t.lines.slice(1)).toEqual(['[1/2 0.1 s] a.one: error after 0.1 s\n', '[2/2 1.0 s] a.two: aborted after 0.9 s\n']);
  });

  it('writes one line per trained model, and the step inside a long training', () => {
    const t = fakeTerminal();
    const r = createTrainingReporter({ mode: 'lines', stream: t.stream, now: t.now, lineIntervalMs: 10_000 });
    const cell = (index: number, variant: string) => ({ index, total: 2, variant, target: 'ring8-2d', steps: 2000 });
    r.start(cell(0, 'ct'));
    for (let step = 100; step <= 2000; step += 100) {
      t.advance(1000);
      r.update({ index: 0, step, steps: 2000, loss: 0.5 });
    }
    r.end(cell(0, 'ct'), { status: 'trained', trainingMs: 20_000, finalLoss: 0.0123 });
    r.start(cell(1, 'mine'));
    t.advance(300);
    r.end(cell(1, 'mine'), { status: 'failed', trainingMs: 300, error: 'loss is NaN at step 3' });
    r.stop();
    expect(t.lines).toEqual([
      'training: 2 models, 2000 steps each\n',
      '[model 1/2 10.0 s] ct on ring8-2d: step 1000/2000, loss 5.00e-1, 10.0 s\n',
      '[model 1/2 20.0 s] ct on ring8-2d: step 2000/2000, loss 5.00e-1, 20.0 s\n',
      '[model 1/2 20.0 s] ct on ring8-2d: trained in 20.0 s (final loss 1.23e-2)\n',
      '[model 2/2 20.3 s] mine on ring8-2d: failed after 0.3 s: loss is NaN at step 3\n',
    ]);
  });
});

describe('selecting checks (`run --check`)', () => {
  const checks = [
    { id: 'li2024.schedule', dependsOn: [] },
    { id: 'li2024.typicalSet', dependsOn: ['li2024.schedule'] },
    { id: 'li2024.lemma1', dependsOn: ['li2024.typicalSet'] },
    { id: 'lyu2023.modelLipschitz', dependsOn: [] },
    { id: 'li2024.theorem1', dependsOn: ['li2024.schedule', 'li2024.assumption2'] },
  ] as const;

  it('keeps the named checks and, transitively, what they depend on, in battery order', () => {
    expect(selectChecks(checks, ['li2024.lemma1'], 'quick suite').map((c) => c.id)).toEqual(['li2024.schedule', 'li2024.typicalSet', 'li2024.lemma1']);
    expect(selectChecks(checks, ['lyu2023.modelLipschitz', 'li2024.schedule'], 'quick suite').map((c) => c.id)).toEqual(['li2024.schedule', 'lyu2023.modelLipschitz']);
    // a dependency outside the battery is not run (as in the full battery)
    expect(selectChecks(checks, ['li2024.theorem1'], 'quick suite').map((c) => c.id)).toEqual(['li2024.schedule', 'li2024.theorem1']);
  });

  it('refuses an unknown id in one line that names it and the closest ids', () => {
    expect(() => selectChecks(checks, ['li2024.typicalset'], 'quick suite on ring8-2d')).toThrow(/^--check: no check 'li2024\.typicalset' in the quick suite on ring8-2d; did you mean 'li2024\.typicalSet'\?$/);
    expect(() => selectChecks(checks, ['lemma1'], 'quick suite')).toThrow(/did you mean 'li2024\.lemma1'\?$/);
    expect(() => selectChecks(checks, ['li2024.shedule'], 'quick suite')).toThrow(/did you mean 'li2024\.schedule'\?$/);
    expect(() => selectChecks(checks, ['zzz'], 'quick suite')).toThrow(/^--check: no check 'zzz' in the quick suite; its checks: li2024\.schedule, li2024\.typicalSet, /);
    expect(closestIds('modelLipschitz', ['lyu2023.modelLipschitz', 'lyu2023.scoreLipschitz'])).toEqual(['lyu2023.modelLipschitz']);
  });
});

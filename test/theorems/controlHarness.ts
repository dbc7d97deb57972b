import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/defineCheck.ts';
import type { Evidence } from '../../src/checks/evidence.ts';
import { runControl } from '../../src/checks/runControl.ts';
import { stringifyWithNonFinite } from '../../src/checks/resultsCache.ts';

export interface ControlSuiteOptions {
  /** Seed of every control run. @defaultValue 20240213 */
  readonly seed?: number;
  /** Controls whose Evidence is re-run and compared byte for byte (determinism for a fixed seed). @defaultValue every control */
  readonly determinism?: readonly string[];
  /** Extra assertions on a control's Evidence, keyed by control name. */
  readonly inspect?: Readonly<Record<string, (evidence: Evidence) => void>>;
  /** Time limit of each control's test in ms. @defaultValue vitest's testTimeout */
  readonly timeout?: number;
}

/**
 * The contract every check must meet (STYLE rule 4): each control gives its declared verdict — a check that
 * cannot come out `violated` on its violated control fails here, it is never skipped — and the Evidence is
 * a pure function of the seed.
 */
export function describeControls<S>(check: Check<S>, options: ControlSuiteOptions = {}): void {
  const seed = options.seed ?? 20240213;
  const deterministic = new Set(options.determinism ?? check.controls.map((c) => c.name));
  describe(`${check.id} controls`, () => {
    for (const control of check.controls) {
      it(`reports ${control.expected} for the ${control.name} control`, { ...(options.timeout === undefined ? {} : { timeout: options.timeout }) }, async () => {
        const evidence = await runControl(check, control.name, { seed });
        expect(evidence.checkId).toBe(check.id);
        expect(evidence.verdict, `${control.name}: ${evidence.reason}`).toBe(control.expected);
        expect(evidence.reason.length).toBeGreaterThan(0);
        if (evidence.verdict === 'violated') expect(evidence.witness, 'a violated verdict carries a witness').toBeDefined();
        expect(evidence.provenance.rngPath.slice(0, 3), 'provenance names the stream the check drew from').toEqual([check.id, control.name, 'run']);
        options.inspect?.[control.name]?.(evidence);
        if (deterministic.has(control.name)) {
          const again = await runControl(check, control.name, { seed });
          expect(stringifyWithNonFinite(again)).toBe(stringifyWithNonFinite(evidence));
        }
      });
    }
  });
}

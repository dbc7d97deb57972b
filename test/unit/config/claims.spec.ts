import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.ts';
import { constantsMarkdown, constantsTable, parseClaims, parseSchedule, resolveConstants, type SuiteConstantDefaults } from '../../../src/config/claims.ts';

const DEFAULTS: SuiteConstantDefaults = { claims: { c3: 2, c4: 1, c5: 5, c6: 2, cR: 1, Lf: 10, Ls: 1e4 }, schedule: { T: 1000, c0: 2, c1: 8 } };
const ACCEPTED = 'accepted names: c3, c4, c5, c6, cR, Lf, Ls';

/** The one-line message a refusal prints (`field: reason`), and that it is a ConfigError. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message.includes('\n'), 'one line').toBe(false);
    return message;
  }
  throw new Error('expected a refusal');
}

describe('parseClaims', () => {
  it('reads NAME=VALUE lists (flags) and objects (--config), canonical names sorted as THEORY lists them', () => {
    expect(parseClaims(['c4=1.857', 'c3=2'], '--claim')).toEqual({ c3: 2, c4: 1.857 });
    expect(Object.keys(parseClaims(['Ls=1e4', 'c4=1', 'L_f=3'], '--claim'))).toEqual(['c4', 'Lf', 'Ls']);
    expect(parseClaims({ c_R: 0.5, c5: 6 }, 'config.claim')).toEqual({ c5: 6, cR: 0.5 });
    expect(parseClaims('Lf=2.5', '--claim')).toEqual({ Lf: 2.5 });
  });

  it('refuses an unknown name, naming it and listing the accepted names', () => {
    expect(refusal(() => parseClaims(['c7=1'], '--claim'))).toBe(`--claim: unknown constant 'c7'; ${ACCEPTED}`);
    expect(refusal(() => parseClaims({ epsilon: 1 }, 'config.claim'))).toBe(`config.claim: unknown constant 'epsilon'; ${ACCEPTED}`);
  });

  it('refuses a malformed pair, naming it', () => {
    for (const bad of ['c3', 'c3=', '=2', 'c3=abc', 'c3=1=2', 'c3:2']) {
      expect(refusal(() => parseClaims([bad], '--claim'))).toBe(`--claim: malformed '${bad}': expected NAME=VALUE with a number, e.g. c3=2; ${ACCEPTED}`);
    }
    expect(refusal(() => parseClaims([3], 'config.claim'))).toBe(`config.claim: expected 'NAME=VALUE' strings, got 3; ${ACCEPTED}`);
    expect(refusal(() => parseClaims(42, 'config.claim'))).toMatch(/^config\.claim: expected an object like/);
  });

  it('refuses non-positive and non-finite values (every constant is a level, an exponent or a Lipschitz constant)', () => {
    expect(refusal(() => parseClaims(['c4=-1'], '--claim'))).toBe(`--claim: c4 must be a finite number > 0, got -1; ${ACCEPTED}`);
    expect(refusal(() => parseClaims(['Lf=0'], '--claim'))).toBe(`--claim: Lf must be a finite number > 0, got 0; ${ACCEPTED}`);
    expect(refusal(() => parseClaims(['Ls=Infinity'], '--claim'))).toBe(`--claim: Ls must be a finite number > 0, got Infinity; ${ACCEPTED}`);
    expect(refusal(() => parseClaims({ c3: '2' }, 'config.claim'))).toBe(`config.claim: c3 must be a finite number > 0, got "2"; ${ACCEPTED}`);
  });

  it('refuses a name given twice, also under its other spelling', () => {
    expect(refusal(() => parseClaims(['Lf=2', 'L_f=3'], '--claim'))).toBe(`--claim: Lf is given twice; ${ACCEPTED}`);
  });
});

describe('parseSchedule', () => {
  it('reads T=…,c0=…,c1=… and objects; fields may be left out', () => {
    expect(parseSchedule('T=1024,c0=2,c1=8', '--schedule')).toEqual({ T: 1024, c0: 2, c1: 8 });
    expect(parseSchedule(' c1 = 6 , T=2048', '--schedule')).toEqual({ T: 2048, c1: 6 });
    expect(parseSchedule({ T: 512 }, 'config.schedule')).toEqual({ T: 512 });
  });

  it('refuses unknown fields, malformed pairs and values outside (23)', () => {
    const accepted = 'accepted fields: T, c0, c1';
    expect(refusal(() => parseSchedule('T=1024,c2=3', '--schedule'))).toBe(`--schedule: unknown schedule field 'c2'; ${accepted}`);
    expect(refusal(() => parseSchedule('T=1024,,c0=1', '--schedule'))).toBe(`--schedule: malformed '': expected NAME=VALUE with a number, e.g. T=1024; ${accepted}`);
    expect(refusal(() => parseSchedule('T=10.5', '--schedule'))).toBe(`--schedule: T must be an integer ≥ 2, got 10.5; ${accepted}`);
    expect(refusal(() => parseSchedule('T=1', '--schedule'))).toBe(`--schedule: T must be an integer ≥ 2, got 1; ${accepted}`);
    expect(refusal(() => parseSchedule({ c0: 0 }, 'config.schedule'))).toBe(`config.schedule: c0 must be a finite number > 0, got 0; ${accepted}`);
    expect(refusal(() => parseSchedule('', '--schedule'))).toBe(`--schedule: empty; expected e.g. T=1024,c0=2,c1=8; ${accepted}`);
    expect(refusal(() => parseSchedule([1], 'config.schedule'))).toMatch(/^config\.schedule: expected 'T=1024,c0=2,c1=8' or an object/);
  });
});

describe('resolveConstants', () => {
  it("lays the user's constants over the suite's defaults and remembers whose each value is", () => {
    const r = resolveConstants({ claims: { c4: 1.857 }, schedule: { T: 1024 } }, DEFAULTS);
    expect(r.claims).toEqual({ ...DEFAULTS.claims, c4: 1.857 });
    expect(r.schedule).toEqual({ T: 1024, c0: 2, c1: 8 });
    expect([...r.fromUser].sort()).toEqual(['T', 'c4']);
    expect(resolveConstants(undefined, DEFAULTS).fromUser.size).toBe(0);
  });

  it("refuses Lemma 1's constants outside its hypothesis c5 ≥ 2c6 + cR, saying which values were defaults", () => {
    expect(refusal(() => resolveConstants({ claims: { c6: 3 } }, DEFAULTS))).toBe(
      `claim: li2024.lemma1 needs c5 ≥ 2·c6 + cR, but c5 = 5 (suite default), c6 = 3 (yours), cR = 1 (suite default); declare the constants with --claim NAME=VALUE; ${ACCEPTED}`,
    );
    // the boundary itself meets the hypothesis; just below it does not
    expect(resolveConstants({ claims: { c5: 5, c6: 2, cR: 1 } }, DEFAULTS).claims.c5).toBe(5);
    expect(refusal(() => resolveConstants({ claims: { c5: 4.999 } }, DEFAULTS))).toMatch(/needs c5 ≥ 2·c6 \+ cR, but c5 = 4\.999 \(yours\)/);
    expect(refusal(() => resolveConstants({ claims: { cR: 1.001 } }, DEFAULTS))).toMatch(/cR = 1\.001 \(yours\)/);
  });

  it('refuses a schedule whose β_t would reach 1 (c1 log T/T ≥ 1)', () => {
    // c1 log T / T = 8·log 10/10 ≈ 1.84
    expect(refusal(() => resolveConstants({ schedule: { T: 10 } }, DEFAULTS))).toBe(
      'schedule: c1·log T / T = 1.8420680743952367 must be < 1 for β_t < 1; increase T or lower c1 (T = 10 (yours), c0 = 2 (suite default), c1 = 8 (suite default)); accepted fields: T, c0, c1',
    );
  });

  it('refuses unknown names and bad values that reach it without parseClaims', () => {
    expect(refusal(() => resolveConstants({ claims: { c9: 1 } }, DEFAULTS))).toBe(`claim: unknown constant 'c9'; ${ACCEPTED}`);
    expect(refusal(() => resolveConstants({ claims: { c3: -2 } }, DEFAULTS))).toBe(`claim: c3 must be a finite number > 0, got -2; ${ACCEPTED}`);
  });
});

describe('constantsTable', () => {
  it("marks each schedule field and claim as the user's or the suite default, with the statements it reached", () => {
    const r = resolveConstants({ claims: { c3: 2, c4: 1.857 }, schedule: { T: 1024, c0: 2, c1: 8 } }, DEFAULTS);
    const table = constantsTable(r, { c4: ['li2024.typicalSet'] });
    expect(table.map((c) => c.name)).toEqual(['T', 'c0', 'c1', 'c3', 'c4', 'c5', 'c6', 'cR', 'Lf', 'Ls']);
    const byName = Object.fromEntries(table.map((c) => [c.name, c]));
    // c3 = 2 equals the default but the user declared it: it is theirs
    expect(['T', 'c0', 'c1', 'c3', 'c4'].map((n) => byName[n]!.source)).toEqual(['user', 'user', 'user', 'user', 'user']);
    expect(['c5', 'c6', 'cR', 'Lf', 'Ls'].map((n) => byName[n]!.source)).toEqual(['suite default', 'suite default', 'suite default', 'suite default', 'suite default']);
    expect(byName['c4']).toMatchObject({ value: 1.857, usedBy: ['li2024.typicalSet'] });
    expect(byName['Lf']).toMatchObject({ value: 10, usedBy: [] });
    const markdown = constantsMarkdown(table);
    expect(markdown).toContain('| `c4` (c₄) | 1.857 | **you** | `li2024.typicalSet` |');
    expect(markdown).toContain('| `Lf` (L_f) | 10 | suite default | (no statement on this target) |');
  });
});

import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../../src/checks/defineCheck.ts';
import { runBattery, type BatterySubjects } from '../../../src/checks/runBattery.ts';
import { stringifyWithNonFinite } from '../../../src/checks/resultsCache.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { allChecks } from '../../../theorems/index.ts';

const li2024 = allChecks.filter((c) => c.id.startsWith('li2024.'));

/** Subjects of a battery: each check on its first `holds` control (built from the control's own stream). */
async function holdsSubjects(checks: readonly AnyCheck[]): Promise<BatterySubjects> {
  const out: Record<string, { value: unknown; key: string }> = {};
  for (const c of checks) {
    const control = c.controls.find((k) => k.expected === 'holds')!;
    out[c.id] = { value: await control.build(rngFromSeed(0).child(c.id).child(control.name).child('build')), key: `${c.id}:${control.name}` };
  }
  return out;
}

describe('the li2024 battery', () => {
  it('registers the eight Li–Huang–Wei statements', () => {
    expect(li2024.map((c) => c.id).sort()).toEqual([
      'li2024.assumption1',
      'li2024.assumption2',
      'li2024.errorRecursion',
      'li2024.lemma1',
      'li2024.schedule',
      'li2024.scoreSecondMoment',
      'li2024.theorem1',
      'li2024.typicalSet',
    ]);
  });

  it('runs in dependency order on the holds controls, every check holding after Holm, reproducibly', async () => {
    const subjects = await holdsSubjects(li2024);
    const first = await runBattery(li2024, subjects, { seed: 5, falseFailRate: 1e-3 });
    const order = first.results.map((r) => r.checkId);
    for (const c of li2024) for (const dep of c.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(c.id));
    expect(order[order.length - 1]).toBe('li2024.theorem1');
    expect(first.results.map((r) => [r.checkId, r.evidence?.verdict])).toEqual(order.map((id) => [id, 'holds']));
    const again = await runBattery(li2024, subjects, { seed: 5, falseFailRate: 1e-3 });
    expect(stringifyWithNonFinite(again.results.map((r) => r.evidence))).toBe(stringifyWithNonFinite(first.results.map((r) => r.evidence)));
  });
});

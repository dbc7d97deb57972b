// li2024.assumption1 beyond its controls' verdicts: the subject key that tells subjects apart, and the finite-difference
// step a trained model's note states for its precision. These tests kill mutants that survived the check's controls
// (docs/testing.md, mutation testing).
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { exactModelAsTrained, gaussian, lhwSchedule, varianceExploding } from '../../../src/index.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { assumption1LipschitzFlows, subjectKey } from '../../../theorems/li2024/assumption1LipschitzFlows.ts';

describe('li2024.assumption1 subject key', () => {
  const base = { target: gaussian([0], [0.5]), schedule: lhwSchedule({ T: 100, c0: 2, c1: 8 }), claimed: { Lf: 2 } };

  it('is the same for equal subjects and differs when the claim, the steps or the draws differ', () => {
    expect(subjectKey({ ...base })).toBe(subjectKey({ ...base, claimed: { Lf: 2 } }));
    const keys = [subjectKey(base), subjectKey({ ...base, claimed: { Lf: 3 } }), subjectKey({ ...base, steps: [1, 50, 100] }), subjectKey({ ...base, samples: 32 }), subjectKey({ ...base, target: gaussian([0], [0.25]) })];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('li2024.assumption1 on a trained model', () => {
  const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-12 });

  it('states the central-difference step of the model’s precision: 10⁻⁷·scale for float64, 10⁻³·scale for float32', async () => {
    const subject = exactModelAsTrained(gaussian([0], [0.5]), varianceExploding(), 50, { claimed: { Lf: 1e6 } });
    const note = (e: { diagnostics: readonly { message: string }[] }): string => e.diagnostics.find((d) => d.message.startsWith('L_f (a lower bound)'))!.message;
    const float64 = await assumption1LipschitzFlows.run(subject, context());
    expect(note(float64)).toContain('(h = 10⁻⁷·scale, the model is float64)');
    const model32 = { ...subject.trained.model, precision: 'float32' as const };
    const float32 = await assumption1LipschitzFlows.run({ ...subject, trained: { ...subject.trained, model: model32 } }, context());
    expect(note(float32)).toContain('(h = 10⁻³·scale, the model is float32)');
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { builtInTarget, createCheckContext, exactConsistencyFunction, ornsteinUhlenbeck, referenceFlow, rngFromSeed } from '../../../src/index.ts';
import { auditBattery } from '../../../suites/audit.ts';

describe('the model-level battery on a model trained on the OU clock', () => {
  const target = builtInTarget('aniso-gaussian-2d');
  const process = ornsteinUhlenbeck();
  const model = exactConsistencyFunction(referenceFlow(target, process));
  const cases = auditBattery.casesFor({ target, targetName: 'aniso-gaussian-2d', process, model, variantId: 'ct', modelKey: 'f*', samples: 2000 });
  const subjectOf = (id: string) => cases.find((c) => c.check.id === id)!.subject.value as { process: { kind: string; tMin: number; tMax: number; sigma(t: number): number } };

  it('runs the Song et al. statements through the VE view of the same noise levels instead of skipping them', async () => {
    expect(cases.map((c) => c.check.id).sort()).toEqual(['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1', 'lyu2023.consistencyError', 'lyu2023.modelLipschitz', 'lyu2023.multistep', 'lyu2023.oneStep', 'lyu2023.scoreError', 'song2023.multistepSampling', 'song2023.pdeResidual']);
    for (const id of ['song2023.multistepSampling', 'song2023.pdeResidual']) {
      const view = subjectOf(id).process;
      expect(view.kind).toBe('ve');
      // σ_VE = t at the ends equals σ_OU = √(e^{2t} − 1) at the model's ends
      expect(Math.abs(view.tMin / Math.sqrt(Math.expm1(2 * 0.002)) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(view.tMax / Math.sqrt(Math.expm1(16)) - 1)).toBeLessThan(1e-12);
    }
    // the Lyu–Feng–Chen statements are on OU already: no view
    expect(subjectOf('lyu2023.oneStep').process).toBe(process);
    const song = cases.find((c) => c.check.id === 'song2023.multistepSampling')!;
    const e = await song.check.run(song.subject.value as never, createCheckContext({ rng: rngFromSeed(5), falseFailRate: 1e-3 }));
    expect(e.verdict).toBe('holds'); // f* of OU, viewed on VE, is the VE f*
  }, 60_000);

  it('says that a CT model has no teacher score', async () => {
    const c = cases.find((x) => x.check.id === 'lyu2023.scoreError')!;
    const e = await c.check.run(c.subject.value as never, createCheckContext({ rng: rngFromSeed(5), falseFailRate: 1e-3 }));
    expect(e.parts[0]!.reason).toBe('not applicable: ct trains without a teacher score; ε_sc does not enter this model\'s bound');
  });
});

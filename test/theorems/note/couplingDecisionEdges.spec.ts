// note.coupling at t = 2 (at the default t = 1, t·t = t/t and h/t = h·t, so a wrong power of t in a coupling's
// conditional law is invisible): aniso-gaussian-2d (eigenvalues 4 and ¼, mean 0), where every conditional law is
// Gaussian in closed form per eigen-direction; and the summary a user reads, with and without a CT pair.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { formatNumber } from '../../../src/index.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { couplingOrders } from '../../../theorems/note/coupling.ts';

const context = () => createCheckContext({ rng: rngFromSeed(7), falseFailRate: 1e-3 });
const target = builtInTarget('aniso-gaussian-2d');
const process = varianceExploding();
const lambdas = [4, 0.25];
const t = 2;
const h = t / 256;
const s = t - h;
const v = t * t - s * s;
const ALL = [
  { kind: 'ct' as const, label: 'CT (shared noise)', meanOrder: 2, spreadOrder: 1 },
  { kind: 'markov' as const, label: 'Markov (independent increments)', meanOrder: 1, spreadOrder: 0.5 },
  { kind: 'independent' as const, label: 'independent', meanOrder: 0, spreadOrder: 0 },
];

describe('note.coupling at t = 2 (Gaussian, closed form)', () => {
  it('spreads exactly, mean errors within 10% of their population values, orders and summary', async () => {
    const e = await couplingOrders.run({ target, process, couplings: ALL, t, samples: 2000 }, context());
    expect(e.verdict, e.reason).toBe('holds');
    // conditional trace per eigen-direction: CT (h/t)²·λt²/(λ+t²); Markov v − v²/(λ+t²); independent λt²/(λ+t²) + s²
    const spreads = {
      ct: Math.sqrt(lambdas.reduce((a, l) => a + (h * h * l) / (l + t * t), 0)),
      markov: Math.sqrt(lambdas.reduce((a, l) => a + v - (v * v) / (l + t * t), 0)),
      independent: Math.sqrt(lambdas.reduce((a, l) => a + (l * t * t) / (l + t * t) + s * s, 0)),
    };
    for (const [kind, value] of Object.entries(spreads)) expect(Math.abs(e.estimates[`spread[${kind}]`]!.value / value - 1), kind).toBeLessThan(1e-10);
    // conditional-mean gains per eigen-direction against the flow's √((λ + s²)/(λ + t²)); y ~ N(0, λ + t²)
    const flowGain = (l: number) => Math.sqrt((l + s * s) / (l + t * t));
    const gains = { ct: (l: number) => (l + s * t) / (l + t * t), markov: (l: number) => 1 - v / (l + t * t), independent: (l: number) => l / (l + t * t) };
    for (const [kind, gain] of Object.entries(gains)) {
      const population = Math.sqrt(lambdas.reduce((a, l) => a + (gain(l) - flowGain(l)) ** 2 * (l + t * t), 0));
      // RMS over 2000 draws of a Gaussian quadratic form: relative SD ≲ 1.6%; 10% is > 6 SE
      expect(Math.abs(e.estimates[`mean_error[${kind}]`]!.value / population - 1), kind).toBeLessThan(0.1);
    }
    const est = (k: string) => e.estimates[k]!.value;
    const summary = ALL.map((c) => `${c.label}: mean error ${formatNumber(est(`mean_error[${c.kind}]`))} ∝ h^${formatNumber(est(`mean_order[${c.kind}]`))}, spread ${formatNumber(est(`spread[${c.kind}]`))} ∝ h^${formatNumber(est(`spread_order[${c.kind}]`))} at h = ${formatNumber(h)}`);
    expect(e.diagnostics[0]!.message).toBe(summary.join('; '));
    expect(e.diagnostics[1]!.message).toContain('2000 draws of y ~ p_t (t = 2)');
    expect(e.reason).toBe(
      `The CT pair is right in conditional mean to second order (RMS $‖E[X_{t_n}∣y] − Φ(y)‖$ = ${formatNumber(est('mean_error[ct]'))} ∝ h^${formatNumber(est('mean_order[ct]'))} at h = ${formatNumber(h)}) but wrong in spread at first order (${formatNumber(est('spread[ct]'))} ∝ h^${formatNumber(est('spread_order[ct]'))} = h·√E tr Cov(z|y)), while independent increments are wrong already in the mean (∝ h^${formatNumber(est('mean_order[markov]'))}); all declared orders hold.`,
    );
  });

  it('without a CT pair: the summary and the contradicted declarations; with CT and a wrong declaration: named as contradicting', async () => {
    const wrong = { kind: 'markov' as const, label: 'CT (noise redrawn)', meanOrder: 2, spreadOrder: 1 };
    const e = await couplingOrders.run({ target, process, couplings: [wrong], t, samples: 200 }, context());
    expect(e.verdict).toBe('violated');
    const est = (k: string) => e.estimates[k]!.value;
    const summary = `CT (noise redrawn): mean error ${formatNumber(est('mean_error[markov]'))} ∝ h^${formatNumber(est('mean_order[markov]'))}, spread ${formatNumber(est('spread[markov]'))} ∝ h^${formatNumber(est('spread_order[markov]'))} at h = ${formatNumber(h)}`;
    expect(e.reason).toBe(`${summary}; CT (noise redrawn): mean error order, CT (noise redrawn): spread order contradict the declared orders.`);
    if (e.verdict !== 'violated') throw new Error('expected violated');
    expect(e.witness!.time).toBe(h);
    expect(e.witness!.value).toBe(est('mean_order[markov]'));
    expect(e.witness!.description).toBe(`CT (noise redrawn): the conditional mean error scales like h^${formatNumber(est('mean_order[markov]'))}, not h^2 (${formatNumber(est('mean_error[markov]'))} at h = ${formatNumber(h)})`);

    const withCt = await couplingOrders.run({ target, process, couplings: [ALL[0]!, wrong], t, samples: 200 }, context());
    expect(withCt.verdict).toBe('violated');
    expect(withCt.reason).toMatch(/; CT \(noise redrawn\): mean error order, CT \(noise redrawn\): spread order contradict the declared orders\.$/);
  });
});

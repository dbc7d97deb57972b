// song2023.multistepSampling's closed-form branch on a process whose signal scale is not 1 (OU, ε = 0.5: a_ε = e^{−0.5}):
// a correct round re-noises x·a_τ/a_ε with variance s_τ² − (a_τ s_ε/a_ε)², and returns p_ε exactly. A test on VE
// (a ≡ 1) cannot tell a_τ s_ε/a_ε from a_τ s_ε a_ε. These tests kill the mutants that survived the check's controls
// (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { exactConsistencyFunction } from '../../../src/models/exactConsistency.ts';
import { ProductMixture } from '../../../src/distributions/productMixture.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { formatNumber } from '../../../src/index.ts';
import type { ConsistencyFunction } from '../../../src/index.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { multistepSampling } from '../../../theorems/song2023/multistepSampling.ts';

describe('song2023.multistepSampling on OU (a_t = e^{−t})', () => {
  it('returns p_ε after every round with the exact f* and the correct re-noise (closed form)', async () => {
    const target = builtInTarget('aniso-gaussian-2d');
    const process = ornsteinUhlenbeck({ tMin: 0.5 });
    expect(process.signalScale(0.5)).toBeCloseTo(Math.exp(-0.5), 12);
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const e = await multistepSampling.run({ target, process, model, taus: [2, 1] }, createCheckContext({ rng: rngFromSeed(3), falseFailRate: 1e-3 }));
    expect(e.verdict, e.reason).toBe('holds');
    expect(e.parts.map((p) => p.name)).toEqual(['round 0 (T)', 'round 1 (τ=2)', 'round 2 (τ=1)']);
    for (const k of [0, 1, 2]) expect(e.estimates[`W2_${k}`]!.value).toBeLessThan(1e-6);
    // the closed form is used because f* is affine for Gaussian data: the probe fits it to rounding
    const note = /largest probe residual (\S+)\)/.exec(e.diagnostics.find((d) => d.kind === 'note')!.message);
    expect(Number(note![1])).toBeLessThan(1e-9);
  });
});

describe('song2023.multistepSampling decision edges', () => {
  const ctxOf = (seed: number) => createCheckContext({ rng: rngFromSeed(seed), falseFailRate: 1e-3 });

  it('probes affinity over the bulk of p_t: offset noiseScale(t) + √λ_max(Σ) from a_t·m at T and at every τ', async () => {
    // aniso-gaussian-2d has eigenvalues 4 and ¼: the probe offset is s_t + 2 (not s_t + ½, which would miss the outer law)
    const target = builtInTarget('aniso-gaussian-2d');
    const process = varianceExploding({ tMin: 0.1 });
    const exact = exactConsistencyFunction(referenceFlow(target, process));
    const offsets = new Map<number, number>();
    const model: ConsistencyFunction = {
      id: 'recording-f*',
      precision: 'float64',
      evaluate: (x, t) => {
        // the first batch of d + 1 = 3 points at each time is the probe: centre, centre + offset·e₁, centre + offset·e₂
        if (typeof t === 'number' && x.n === 3 && !offsets.has(t)) offsets.set(t, x.data[2]! - x.data[0]!);
        return exact.evaluate(x, t);
      },
    };
    const e = await multistepSampling.run({ target, process, model, taus: [2, 0.5] }, ctxOf(4));
    expect(e.verdict, e.reason).toBe('holds');
    for (const t of [process.tMax, 2, 0.5]) expect(offsets.get(t)).toBeCloseTo(process.noiseScale(t) + 2, 9);
  });

  it('reports inconclusive (not violated) when every D_k ≤ r_δ but n is too small to certify the band', async () => {
    // n = 300, one round, one direction: r_δ = √(log(2/10⁻³)/600) ≈ 0.113 > 0.05, so `holds` is impossible, while the
    // exact f* keeps D_0 ≈ 0.87/√300 ≈ 0.05 < r_δ (false-fail 10⁻³): inconclusive.
    const target = builtInTarget('bimodal-1d');
    const process = varianceExploding();
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const e = await multistepSampling.run({ target, process, model, taus: [], samples: 300 }, ctxOf(5));
    const radius = Math.sqrt(Math.log(2 / 1e-3) / 600);
    expect(e.thresholds[1]!.value).toBeCloseTo(radius, 12);
    expect(e.thresholds[0]!.value).toBeCloseTo(0.05 - radius, 12);
    expect(e.verdict, e.reason).toBe('inconclusive');
    const D = e.estimates['D_0']!.value;
    expect(e.reason).toBe(
      `With ${model.id}: no round departs from p_ε beyond r_δ = ${formatNumber(radius)}, but max D_k = ${formatNumber(D)} > 0.05 − r_δ = ${formatNumber(0.05 - radius)}: 300 draws do not certify the 0.05 band.`,
    );
    expect(e.parts[0]!.reason).toContain(`sliced Kolmogorov distance to p_ε ${formatNumber(D)} over 1 directions`);
    expect(e.diagnostics[0]!.message).toBe(`300 draws per round; 1 directions (1 axes); DKW–Massart radius r_δ = ${formatNumber(radius)} per round and direction (false-fail rate 0.001 in total)`);
  });

  it('reports holds with the certified band D_k + r_δ when n = 10⁴ and f* is exact', async () => {
    const target = builtInTarget('bimodal-1d');
    const process = varianceExploding();
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const e = await multistepSampling.run({ target, process, model, taus: [], samples: 10_000 }, ctxOf(6));
    const radius = Math.sqrt(Math.log(2 / 1e-3) / 20_000);
    expect(e.verdict, e.reason).toBe('holds');
    const D = e.estimates['D_0']!.value;
    expect(e.reason).toBe(
      `With ${model.id} and correct re-noise every round stays within sliced Kolmogorov distance ${formatNumber(D + radius)} of p_ε (max D_k ${formatNumber(D)} ≤ 0.05 − r_δ = ${formatNumber(0.05 - radius)}, n = 10000).`,
    );
  });

  it('refuses the Monte Carlo branch for a target that is not a Gaussian mixture (no exact projected CDFs): inconclusive, saying why', async () => {
    const target = new ProductMixture([{ weights: [1], means: [0], variances: [1] }, { weights: [0.5, 0.5], means: [-1, 1], variances: [0.5, 0.5] }]);
    const identity: ConsistencyFunction = { id: 'identity', precision: 'float64', evaluate: (x) => x };
    const e = await multistepSampling.run({ target, process: varianceExploding(), model: identity, taus: [1], samples: 100 }, ctxOf(7));
    expect(e.verdict).toBe('inconclusive');
    expect(e.parts.map((p) => [p.name, p.verdict, p.reason])).toEqual([['Monte Carlo', 'inconclusive', 'the Monte Carlo branch needs a Gaussian-mixture target (coordinate marginals)']]);
    expect(e.reason).toBe('No closed form and no exact coordinate marginals for this target.');
  });
});

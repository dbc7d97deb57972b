import { describe, expect, it } from 'vitest';
import { runControl } from '../../../src/checks/runControl.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { estimateMeanByClt } from '../../../src/estimators/meanByClt.ts';
import { referenceFlow } from '../../../src/flows/referenceFlow.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { karrasTimes } from '../../../src/training/schedules/karrasSchedule.ts';
import { MIXTURE_LOSS_RTOL, theorem2CtApproximatesCd, type Theorem2Coupling } from '../../../theorems/song2023/theorem2.ts';
import { createCheckContext, GaussianMixture } from '../../../src/index.ts';
import { describeControls } from '../controlHarness.ts';

describeControls(theorem2CtApproximatesCd, {
  determinism: ['gaussianSharedNoise'],
  inspect: {
    gaussianSharedNoise: (e) => {
      expect(Math.abs(e.estimates['order(ΔL)']!.value - 2)).toBeLessThan(0.15);
      // THEORY §5.4 / Issenhuth et al.: the o(Δt) offset is far larger than L_CD itself for the exact f.
      expect(e.estimates['L_CT']!.value).toBeGreaterThan(1e3 * e.estimates['L_CD']!.value);
    },
    mixtureSharedNoise: (e) => expect(Math.abs(e.estimates['order(ΔL)']!.value - 2)).toBeLessThan(0.3),
    gaussianIndependentCoupling: (e) => expect(Math.abs(e.estimates['order(ΔL)']!.value)).toBeLessThan(0.05),
  },
});

describe('song2023.theorem2', () => {
  // Simulate the loss pairs directly: x ~ p_data, z, ξ ~ N(0, I), y = x + t_{n+1}z, X_s = x + t_n(cz + √(1 − c²)ξ),
  // Euler point x̄ = y − h(y − E[X₀|y])/t_{n+1}; student (1 + κ)f*, teacher f* from the reference flow.
  async function simulateAndReport(gainError: number, coupling: Theorem2Coupling, mixture = false): Promise<void> {
    const target = mixture ? new GaussianMixture([0.3, 0.7], [[-1], [0.5]], [[0.5], [0.3]]) : builtInTarget('aniso-gaussian-2d');
    const process = varianceExploding(mixture ? { tMax: 2 } : {});
    const d = target.dim;
    const flow = referenceFlow(target, process);
    const times = karrasTimes(8, { tMin: 0.002, tMax: process.tMax });
    const n = 4000;
    const rng = rngFromSeed(7);
    const diffSamples = new Float64Array(7 * n);
    const cdSamples = new Float64Array(7 * n);
    for (let k = 1; k < 8; k++) {
      const [s, t] = [times[k - 1]!, times[k]!];
      const c = coupling === 'shared-noise' ? 1 : coupling === 'independent' ? 0 : 1 - ((t - s) / t) ** coupling.exponent;
      const x = target.sample(n, rng.child(`x${k}`));
      const z = rng.child(`z${k}`).fillNormal(new Float64Array(d * n));
      const xi = rng.child(`xi${k}`).fillNormal(new Float64Array(d * n));
      const y = { n, d, data: x.data.map((v, i) => v + t * z[i]!) };
      const xs = { n, d, data: x.data.map((v, i) => v + s * (c * z[i]! + Math.sqrt(1 - c * c) * xi[i]!)) };
      const post = target.noised(1, t).posteriorMean(y);
      const xBar = { n, d, data: y.data.map((v, i) => v - ((t - s) / t) * (v - post.data[i]!)) };
      const f = flow.map(y, t, 0.002).y.data.map((v) => (1 + gainError) * v);
      const gs = flow.map(xs, s, 0.002).y.data;
      const gb = flow.map(xBar, s, 0.002).y.data;
      for (let i = 0; i < n; i++) {
        let ct = 0;
        let cd = 0;
        for (let j = 0; j < d; j++) {
          ct += (f[d * i + j]! - gs[d * i + j]!) ** 2;
          cd += (f[d * i + j]! - gb[d * i + j]!) ** 2;
        }
        diffSamples[(k - 1) * n + i] = ct - cd;
        cdSamples[(k - 1) * n + i] = cd;
      }
    }
    // n ~ U{1..7} with equal counts: the plain mean over all samples is the loss average.
    const diff = estimateMeanByClt(diffSamples);
    const cd = estimateMeanByClt(cdSamples);
    const e = await theorem2CtApproximatesCd.run({ target, process, coupling, studentGainError: gainError, gridSizes: [8, 16, 32, 64] }, createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 }));
    const lct = Number(/L_CT = ([0-9.e+-]+),/.exec(e.diagnostics[0]!.message)![1]);
    const lcd = Number(/L_CD = ([0-9.e+-]+),/.exec(e.diagnostics[0]!.message)![1]);
    // 5 SE two-sided: false-fail ≈ 6e-7 per comparison for this seed; the diagnostic's 4 printed digits add ≤ 5e-4
    // relative; the mixture's 10-node Gauss–Hermite losses carry their stated quadrature error (≤ 3%, THEORY's check design)
    const quadrature = mixture ? MIXTURE_LOSS_RTOL : 0;
    expect(Math.abs(diff.value - (lct - lcd))).toBeLessThan(5 * diff.standardError! + (5e-4 + quadrature) * (Math.abs(lct) + Math.abs(lcd)));
    expect(Math.abs(cd.value - lcd)).toBeLessThan(5 * cd.standardError! + (5e-4 + quadrature) * Math.abs(lcd));
  }

  it('matches a Monte Carlo simulation of L_CT − L_CD and L_CD (shared noise, N = 8) on the Gaussian within 5 SE', async () => {
    await simulateAndReport(0, 'shared-noise');
  });

  it('matches the simulation on the mild mixture (10-node Gauss–Hermite losses) within 5 SE + their stated 3%', async () => {
    await simulateAndReport(0, 'shared-noise', true);
    await simulateAndReport(0.2, 'shared-noise', true);
  });

  it('matches the simulation with a perturbed student (1.3·f*) and with a decorrelated pair (closed forms with κ and c)', async () => {
    await simulateAndReport(0.3, 'shared-noise');
    await simulateAndReport(0.3, { kind: 'decorrelated', exponent: 1 });
  });

  it('the perturbed student makes the cross term of L_CT − L_CD enter for a nonlinear teacher', async () => {
    const ctx = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 });
    const gapOf = (e: Awaited<ReturnType<typeof theorem2CtApproximatesCd.run>>): number => {
      const lct = /L_CT = ([^;]+) for/.exec(e.diagnostics[0]!.message)![1]!.split(', ').map(Number);
      const lcd = /L_CD = ([^;]+);/.exec(e.diagnostics[0]!.message)![1]!.split(', ').map(Number);
      return lct[lct.length - 1]! - lcd[lcd.length - 1]!;
    };
    const mild = new GaussianMixture([0.3, 0.7], [[-1], [0.5]], [[0.5], [0.3]]);
    const [plain, student] = await Promise.all([0, 0.2].map((k) => theorem2CtApproximatesCd.run({ target: mild, process: varianceExploding({ tMax: 2 }), studentGainError: k }, ctx())));
    // measured 4.530e-4 against 4.652e-4 at N = 64: a 2.7% cross term, far above the 4-digit printing (1e-3 relative)
    expect(Math.abs(gapOf(student!) / gapOf(plain!) - 1)).toBeGreaterThan(0.01);
    // (for an affine teacher the cross term is 0 exactly: the closed form's gap does not involve κ, and the simulation
    // test above confirms L_CT − L_CD with κ = 0.3 on the Gaussian)
  });

  it('calls a slowly vanishing ratio inconclusive, not violated (|ΔL| ∝ Δt^1.25 is o(Δt))', async () => {
    const e = await theorem2CtApproximatesCd.run(
      { target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), coupling: { kind: 'decorrelated', exponent: 1.25 } },
      createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 }),
    );
    expect(e.verdict).toBe('inconclusive');
  });
});

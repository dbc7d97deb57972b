// The decision logic of lyu2023.scoreLipschitz beyond its controls: the number of probed points, which pair of
// components the boundary scan uses, the witness when no boundary point exceeds the claim, a boundary along which the
// Hessian stops growing (a wide third component takes over: inconclusive), and the harness self-check against a
// wrong score Hessian. Small hand-built subjects (16 draws per time).
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { GaussianMixture } from '../../../src/distributions/gaussianMixture.ts';
import { ornsteinUhlenbeck } from '../../../src/processes/ornsteinUhlenbeck.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { formatNumber } from '../../../src/index.ts';
import { scoreLipschitz } from '../../../theorems/lyu2023/scoreLipschitz.ts';

const context = (seed: number) => createCheckContext({ rng: rngFromSeed(seed).child('edges'), falseFailRate: 1e-3 });
const process = ornsteinUhlenbeck();
/** The crossed pair (components 0 and 1) plus a wide isotropic component 2, whose tails dominate far out. */
const crossedPlusWide = new GaussianMixture(
  [0.45, 0.45, 0.1],
  [[0, 0], [0, 0], [0, 0]],
  [[1, 0, 0, 0.25], [0.25, 0, 0, 1], [100, 0, 0, 100]],
  { name: 'crossed + wide' },
);

describe('lyu2023.scoreLipschitz edges', () => {
  it('probes the requested draws plus every pair midpoint at each of the 16 times', async () => {
    const e = await scoreLipschitz.run({ target: builtInTarget('bimodal-1d') as GaussianMixture, process, claimed: { Ls: 64 }, samples: 4 }, context(1));
    // 16 times × (4 draws + 1 midpoint of the two modes)
    expect(e.estimates['L_s_lower']!.n).toBe(16 * 5);
    expect(e.verdict).toBe('holds');
  }, 30_000);

  it('a claim no boundary point exceeds: still violated by the r² growth, witness at the largest radius scanned', async () => {
    const e = await scoreLipschitz.run({ target: builtInTarget('crossed-2d') as GaussianMixture, process, claimed: { Ls: 1e300 }, samples: 16 }, context(2));
    expect(e.verdict).toBe('violated');
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const boundaryPlot = e.plots.find((p) => p.id === 'score-lipschitz-boundary')!;
    expect(boundaryPlot.y.scale).toBe('log');
    const norms = boundaryPlot.series[0]!.y;
    // the witness is the last (largest-radius) boundary point, on |x₁| = |x₂|
    expect(e.witness!.value).toBe(norms[norms.length - 1]);
    const [x1, x2] = e.witness!.point!;
    expect(Math.abs(Math.abs(x1!) - Math.abs(x2!))).toBeLessThan(1e-6 * Math.abs(x1!));
    expect(e.witness!.description).toContain(`r = ${boundaryPlot.series[0]!.x[norms.length - 1]}`);
  }, 30_000);

  it('scans the first indefinite pair (0, 1); where a wide component takes over far out, growth is not shown: inconclusive', async () => {
    const e = await scoreLipschitz.run({ target: crossedPlusWide, process, claimed: { Ls: 1e6 }, samples: 16 }, context(3));
    const growth = e.parts.find((p) => p.name === 'decision-boundary growth')!;
    expect(growth.reason).toContain('components 0 and 1');
    // far out the wide N(0, 100 I) dominates: ‖∇²log p‖ → 1/100, no r² growth
    expect(e.estimates['boundary_slope']!.interval.lower).toBeLessThanOrEqual(1);
    expect(growth.verdict).toBe('inconclusive');
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toBe(`L_s = 1000000 is not refuted (largest ‖∇²log p_t‖ found ${formatNumber(e.estimates['L_s_lower']!.value)}) but cannot be certified without a closed form.`);
  }, 30_000);

  it('reports a harness bug when a sampled Hessian norm exceeds the closed-form bound (a score Hessian 10× too large)', async () => {
    const target = builtInTarget('bimodal-1d') as GaussianMixture;
    const wrong = Object.create(target) as GaussianMixture;
    wrong.noised = (a: number, s: number) => {
      const noised = target.noised(a, s);
      const faulty = Object.create(noised) as typeof noised;
      faulty.scoreHessian = (x) => noised.scoreHessian(x).map((v) => 10 * v);
      return faulty;
    };
    const e = await scoreLipschitz.run({ target: wrong, process, claimed: { Ls: 1e4 }, samples: 4 }, context(4));
    const selfCheck = e.parts.find((p) => p.name === 'closed form ≥ lower bound');
    expect(selfCheck?.verdict).toBe('violated');
    expect(e.verdict).toBe('violated');
  }, 30_000);
  it('equal covariances, a claim between the largest norm found and the closed-form bound: inconclusive, and the summary says why', async () => {
    // bimodal-1d at δ: H(0) ≈ 58 < 60 < the bound ≈ 62.2 (the bound a²D²/4‖C⁻¹‖² exceeds H(0) by ‖C⁻¹‖ ≈ 4)
    const e = await scoreLipschitz.run({ target: builtInTarget('bimodal-1d') as GaussianMixture, process, claimed: { Ls: 60 }, samples: 4 }, context(5));
    const [lower, upper] = [e.estimates['L_s_lower']!.value, e.estimates['L_s_upper']!.value];
    expect(lower).toBeLessThan(60);
    expect(upper).toBeGreaterThan(60);
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toBe(`L_s = 60 is not refuted (largest ‖∇²log p_t‖ found ${formatNumber(lower)}) but not certified either: the closed-form upper bound ${formatNumber(upper)} exceeds it.`);
    // a claim equal to the closed-form bound is certified by it (≤, not <)
    const atBound = await scoreLipschitz.run({ target: builtInTarget('bimodal-1d') as GaussianMixture, process, claimed: { Ls: upper }, samples: 4 }, context(5));
    expect(atBound.estimates['L_s_upper']!.value).toBe(upper);
    expect(atBound.verdict).toBe('holds');
  }, 30_000);
});

// What song2023.theorem1 reports on a short sweep (N = 32, 64, 128; Euler teacher on aniso-gaussian-2d, closed form): the
// plotted errors and grid steps and the summary's first and last errors, against an independent recursion of the
// Euler gains. These tests kill the mutants that survived the check's controls (docs/testing.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { formatNumber } from '../../../src/index.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { karrasTimes } from '../../../src/training/schedules/karrasSchedule.ts';
import { theorem1ZeroCdLoss as theorem1 } from '../../../theorems/song2023/theorem1.ts';

/**
 * The sup over the 5-sd box and over every grid time of |f_θ − f*| for the zero-loss Euler solution on N(0, diag(4, ¼))
 * under VE, from the exact Euler factor (λ + t_n t_{n+1})/(λ + t_{n+1}²) of THEORY §5.3; and the largest grid step.
 */
function independent(N: number): { error: number; dt: number } {
  const t = karrasTimes(N, { tMin: 0.002, tMax: 80 });
  let error = 0;
  let dt = 0;
  const G = [1, 1];
  for (let n = 1; n < N; n++) {
    dt = Math.max(dt, t[n]! - t[n - 1]!);
    let e2 = 0;
    [4, 0.25].forEach((lam, i) => {
      G[i] = G[i]! * ((lam + t[n - 1]! * t[n]!) / (lam + t[n]! ** 2));
      e2 += (G[i]! - Math.sqrt((lam + 0.002 ** 2) / (lam + t[n]! ** 2))) ** 2 * 25 * (lam + t[n]! ** 2);
    });
    error = Math.max(error, Math.sqrt(e2));
  }
  return { error, dt };
}

describe('song2023.theorem1 on a short Euler sweep', () => {
  it('plots the sup error against Δt and names the first and last errors in its summary', async () => {
    const e = await theorem1.run(
      { target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), solver: 'euler', order: 1, gridSizes: [32, 64, 128] },
      createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 }),
    );
    const sweep = [independent(32), independent(64), independent(128)];
    expect(e.plots.map((p) => p.id)).toEqual(['theorem1-rate']);
    const series = e.plots[0]!.series;
    expect(series.map((s) => s.name)).toEqual(['euler']);
    // the same products of step gains in a different order: equal to ~1e-12 relative
    series[0]!.y.forEach((y, k) => expect(Math.abs(y / sweep[k]!.error - 1)).toBeLessThan(1e-9));
    expect(series[0]!.x).toEqual(sweep.map((s) => s.dt));
    expect(e.reason).toContain(`(E = ${formatNumber(sweep[0]!.error)} → ${formatNumber(sweep[2]!.error)} over N = 32…128)`);
  });
});

describe('song2023.theorem1 summary, witness and notes, read back from the Evidence', () => {
  const runEuler = (order: number) =>
    theorem1.run(
      { target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), solver: 'euler', order, gridSizes: [32, 64, 128] },
      createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 }),
    );
  const summary = (order: number, e: Awaited<ReturnType<typeof runEuler>>, words: string): string => {
    const errors = e.plots[0]!.series[0]!.y;
    return `euler teacher: the zero-loss CD solution's sup error decays like Δt^${formatNumber(e.estimates['order']!.value)} (E = ${formatNumber(errors[0]!)} → ${formatNumber(errors[2]!)} over N = 32…128), so the claimed O(Δt^${order}) ${words} (slope of E/Δt^${order}: ${formatNumber(e.estimates['slope(E/Δt^p)']!.value)}).`;
  };

  it('Euler declared p = 1 holds; the notes name the closed form and list the errors at each Δt', async () => {
    const e = await runEuler(1);
    expect(e.verdict).toBe('holds');
    expect(e.reason).toBe(summary(1, e, 'holds'));
    expect(e.parts.map((p) => p.name)).toEqual(['rate O(Δt^1)']);
    const { x, y } = e.plots[0]!.series[0]!;
    expect(e.diagnostics.map((d) => d.message)).toEqual([
      'single Gaussian: the zero-loss solution is a product of step gains; sup over the 5-sd box in closed form, over every n',
      `errors ${y.map(formatNumber).join(', ')} at Δt ${x.map(formatNumber).join(', ')}`,
    ]);
    // C = max E/Δt (exact for the closed form)
    expect(e.estimates['C']!.value).toBe(Math.max(...y.map((err, k) => err / x[k]!)));
    expect(e.estimates['p']!.value).toBe(1);
  });

  it('Euler declared p = 2 fails, with a witness at the finest Δt naming E and N', async () => {
    const e = await runEuler(2);
    expect(e.verdict).toBe('violated');
    expect(e.reason).toBe(summary(2, e, 'fails'));
    if (e.verdict !== 'violated') throw new Error('unreachable');
    const { x, y } = e.plots[0]!.series[0]!;
    expect(e.witness?.description).toBe(`E/Δt^2 grows like (1/Δt)^${formatNumber(e.estimates['slope(E/Δt^p)']!.value)}: E = ${formatNumber(y[2]!)} at Δt = ${formatNumber(x[2]!)} (N = 128)`);
    expect(e.witness?.time).toBe(x[2]);
  });
});

describe('song2023.theorem1 refusal, undecided arm and the mixture note', () => {
  const context = () => createCheckContext({ rng: rngFromSeed(1).child('edges'), falseFailRate: 1e-3 });

  it('refuses a non-VE process, naming process', async () => {
    const { ornsteinUhlenbeck } = await import('../../../src/processes/ornsteinUhlenbeck.ts');
    const ou = ornsteinUhlenbeck();
    await expect(theorem1.run({ target: builtInTarget('aniso-gaussian-2d'), process: ou, solver: 'euler', order: 1, gridSizes: [32, 64] }, context())).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      field: 'process',
      message: expect.stringContaining(`Theorem 1 is checked on VE (σ(t) = t); got ${ou.kind}`),
    });
  });

  it('Euler declared p = 1.52 is undecided: the local slopes of E/Δt^1.52 straddle the 0.5 midpoint', async () => {
    // on N = 32…128 the local slopes of E/Δt^p lie in [0.472, 0.487] + (p − 1.5): [0.492, 0.507] for p = 1.52
    const e = await theorem1.run({ target: builtInTarget('aniso-gaussian-2d'), process: varianceExploding(), solver: 'euler', order: 1.52, gridSizes: [32, 64, 128] }, context());
    const slope = e.estimates['slope(E/Δt^p)']!.interval;
    expect(slope.lower).toBeLessThan(0.5);
    expect(slope.upper).toBeGreaterThan(0.5);
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toContain(`so the claimed O(Δt^1.52) is undecided (slope of E/Δt^1.52: ${formatNumber(e.estimates['slope(E/Δt^p)']!.value)}).`);
  });

  it('a 1-D mixture: the note names the 41 box points at 8 grid positions, and C is a sampled (lower) estimate', async () => {
    const e = await theorem1.run({ target: builtInTarget('bimodal-1d'), process: varianceExploding(), solver: 'heun', order: 2, gridSizes: [16, 32, 64] }, context());
    expect(e.diagnostics[0]!.message).toBe('mixture: sup over 41 draws at 8 grid positions per N (a lower estimate of the sup; common random numbers across N)');
    expect(e.estimates['C']!.method).toBe('sup-lower-bound');
  });
});

// note.cdEulerStep on the closed-form branch (aniso-gaussian-2d, eigenvalues 4 and ¼): the global error of the
// zero-loss chain against an independent per-eigen-direction product of step gains on the Karras grid, the Heun step
// (local order 3, its own summary), and the note's step's full summary and witness.
import { describe, expect, it } from 'vitest';
import { createCheckContext } from '../../../src/checks/checkContext.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { formatNumber } from '../../../src/index.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { cdEulerStep } from '../../../theorems/note/cdEulerStep.ts';

const context = () => createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3 });
const target = builtInTarget('aniso-gaussian-2d');
const process = varianceExploding();
const LAMBDAS = [4, 0.25];

/** The Karras grid (ρ = 7) on [0.002, 80], written out: t_i = (a + i/(N−1)(b − a))^7, a = 0.002^{1/7}, b = 80^{1/7}. */
function karras(N: number): number[] {
  const [a, b] = [0.002 ** (1 / 7), 80 ** (1 / 7)];
  return Array.from({ length: N }, (_, i) => (i === 0 ? 0.002 : i === N - 1 ? 80 : (a + (i / (N - 1)) * (b - a)) ** 7));
}

/**
 * sup over the 5-sd box of p_{t_m} and m ≤ round(0.75(N − 1)) of |chain(x) − f*(x)|: per eigen-direction the chain of
 * steps t_m → … → t_0 multiplies x by Π gains, f* by √((λ + t_0²)/(λ + t_m²)), and the box reaches 5√(λ + t_m²).
 */
function globalError(N: number, gain: (lam: number, from: number, to: number) => number): number {
  const times = karras(N);
  let worst = 0;
  const product = LAMBDAS.map(() => 1);
  for (let m = 1; m <= Math.round(0.75 * (N - 1)); m++) {
    let squared = 0;
    LAMBDAS.forEach((lam, i) => {
      product[i]! *= gain(lam, times[m]!, times[m - 1]!);
      const radius = 5 * Math.sqrt(lam + times[m]! ** 2);
      squared += ((product[i]! - Math.sqrt((lam + 0.002 ** 2) / (lam + times[m]! ** 2))) * radius) ** 2;
    });
    worst = Math.max(worst, Math.sqrt(squared));
  }
  return worst;
}
// dx/dt = −t∇log p_t = t·x/(λ + t²) per eigen-direction; a step from t to t − h:
const euler = (lam: number, from: number, to: number) => 1 + ((to - from) * from) / (lam + from * from);
const noteStep = (lam: number, from: number, to: number) => 1 + (to - from) / (lam + from * from);

describe('note.cdEulerStep closed form', () => {
  it('E_global(64) and E_global(512) equal an independent chain of Euler gains on the Karras grid (rtol 1e-9)', async () => {
    const e = await cdEulerStep.run({ target, process, step: 'euler' }, context());
    expect(e.verdict).toBe('holds');
    for (const N of [64, 512]) expect(Math.abs(e.estimates[`E_global(${N})`]!.value / globalError(N, euler) - 1)).toBeLessThan(1e-9);
    expect(e.estimates['E_global(64)']!.method).toBe('exact');
  });

  it("the note's step: E_global as the independent chain, and the full summary and witness", async () => {
    const e = await cdEulerStep.run({ target, process, step: 'euler-missing-t-factor' }, context());
    expect(e.verdict).toBe('violated');
    const [g64, g512] = [64, 512].map((N) => globalError(N, noteStep));
    expect(Math.abs(e.estimates['E_global(64)']!.value / g64! - 1)).toBeLessThan(1e-9);
    expect(Math.abs(e.estimates['E_global(512)']!.value / g512! - 1)).toBeLessThan(1e-9);
    const q = e.estimates['q']!.value;
    const lastLocal = /local errors .*, ([0-9.e+-]+) at h/.exec(e.diagnostics[0]!.message)![1];
    expect(e.reason).toBe(
      `The note’s step without $t_{n+1}$ has local error ∝ h^${formatNumber(q)} (${lastLocal} at h = ${formatNumber(2 / 256)}, t = 2), so the zero-loss CD solution's sup error is ${formatNumber(e.estimates['E_global(64)']!.value)} at N = 64 and ${formatNumber(e.estimates['E_global(512)']!.value)} at N = 512: it does not vanish — the factor $t_{n+1}$ is needed.`,
    );
    expect(e.diagnostics[0]!.message).toMatch(/\(t = 2, closed form\)$/);
    // every local error (printed to 4 digits) is the exact one-step error over the 5-sd box at t = 2
    const printed = /local errors (.*) at h = /.exec(e.diagnostics[0]!.message)![1]!.split(', ').map(Number);
    [3, 4, 5, 6, 7, 8].forEach((k, j) => {
      const h = 2 / 2 ** k;
      const exact = Math.sqrt(LAMBDAS.reduce((a, lam) => a + ((noteStep(lam, 2, 2 - h) - Math.sqrt((lam + (2 - h) ** 2) / (lam + 4))) * 5 * Math.sqrt(lam + 4)) ** 2, 0));
      expect(Math.abs(printed[j]! / exact - 1)).toBeLessThan(1e-3);
    });
    if (e.verdict !== 'violated') throw new Error('expected violated');
    expect(e.witness!.time).toBe(2);
    expect(e.witness!.value).toBe(q);
    expect(e.witness!.description).toBe(`local error ${lastLocal} at h = ${formatNumber(2 / 256)} (t = 2) scales like h^${formatNumber(q)}: the step is first order locally, so the scheme is inconsistent`);
  });

  it('the Heun step: local order ≈ 3, holds, and its own summary without the violated clause', async () => {
    const e = await cdEulerStep.run({ target, process, step: 'heun' }, context());
    expect(e.verdict).toBe('holds');
    expect(Math.abs(e.estimates['q']!.value - 3)).toBeLessThan(0.1);
    expect(e.reason).toMatch(/^The Heun step has local error ∝ h\^/);
    expect(e.reason).toMatch(new RegExp(`at N = 512\\.$`));
    expect(e.reason).toContain(`${formatNumber(e.estimates['E_global(512)']!.value)} at N = 512.`);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hungarianW1 } from '../reference/hungarianW1.ts';

interface EstimateJson { value: number; interval: { lower: number; upper: number | { $number: string } } }
interface EntryJson { statement: { id: string }; result: { evidence?: { verdict: string; estimates: Record<string, EstimateJson> } } }

/** A seeded uniform stream (mulberry32), independent of src/random. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n draws of X₁ for ring8-2d on the VE model's boundary: 8 equal modes at radius 2, covariance (0.04 + 0.002²)·I. */
function ring8(n: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const sd = Math.sqrt(0.04 + 0.002 ** 2);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(u() * 8);
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const a = 2 * Math.PI * u();
    out[2 * i] = 2 * Math.cos((2 * Math.PI * k) / 8) + sd * r * Math.cos(a);
    out[2 * i + 1] = 2 * Math.sin((2 * Math.PI * k) / 8) + sd * r * Math.sin(a);
  }
  return out;
}

function meanAndSe(values: readonly number[]): { mean: number; se: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, se: Math.sqrt(variance / values.length) };
}

const upperOf = (e: EstimateJson): number => (typeof e.interval.upper === 'number' ? e.interval.upper : Number(e.interval.upper.$number));

describe('the Li–Huang–Wei chain on a model trained through the CLI', () => {
  it('train → run --suite trained → sample: the chain reports its estimates, and W1_measured agrees with an independent assignment of `sample` output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-lhw-chain-'));
    const cli = (args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, ['bin/cmbounds.js', ...args], { encoding: 'utf8', timeout: 240_000 });
    const train = cli(['train', '--variant', 'cd-exact', '--target', 'ring8-2d', '--steps', '20', '--width', '16', '--depth', '2', '--batch-size', '64', '--log-every', '10', '--out', join(dir, 'm')]);
    expect(train.status, String(train.stderr)).toBe(0);
    const run = cli(['run', '--suite', 'trained', '--model', join(dir, 'm'), '--check', 'li2024.theorem1', '--no-controls', '--json', '--out', join(dir, 'r')]);
    expect(run.status, String(run.stderr)).toBe(0);
    const report = JSON.parse(String(run.stdout)) as { entries: EntryJson[] };
    const byId = Object.fromEntries(report.entries.map((e) => [e.statement.id, e.result.evidence!]));
    // --check li2024.theorem1 runs it and the statements it depends on
    expect(Object.keys(byId).sort()).toEqual(['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1']);
    for (const e of Object.values(byId)) expect(['holds', 'violated', 'inconclusive']).toContain(e.verdict);
    expect(byId['li2024.assumption1']!.estimates['L_f']!.value).toBeGreaterThan(0);
    expect(byId['li2024.assumption2']!.estimates['eps_tot']!.value).toBeGreaterThan(0);
    const t1 = byId['li2024.theorem1']!.estimates;
    const measured = t1['W1_measured']!;
    const bound = t1['W1_bound']!;
    expect(t1['tightness']!.value).toBeCloseTo(bound.value / measured.value, 10);

    // independent: 4 × 256 one-step samples from `sample` (X_T from the exact marginal, as the chain draws it) against
    // fresh ring8 draws from a sampler written here, W₁ by the Hungarian method of test/reference
    const n = 256;
    const repetitions = 4;
    const out = join(dir, 's.json');
    const sample = cli(['sample', '--model', join(dir, 'm'), '--n', String(n * repetitions), '--start', 'exact-marginal', '--seed', '11', '--out', out]);
    expect(sample.status, String(sample.stderr)).toBe(0);
    const points = (JSON.parse(readFileSync(out, 'utf8')) as number[][]).flat();
    const chunk = (k: number): number[] => points.slice(2 * n * k, 2 * n * (k + 1));
    const cross: number[] = [];
    const floors: number[] = [];
    for (let k = 0; k < repetitions; k++) {
      cross.push(hungarianW1(chunk(k), ring8(n, 100 + k), 2));
      floors.push(hungarianW1(chunk(k), chunk((k + 1) % repetitions), 2) + hungarianW1(ring8(n, 200 + k), ring8(n, 300 + k), 2));
    }
    const plugIn = meanAndSe(cross);
    const floor = meanAndSe(floors);
    // E W₁(μ_n, ν_n) ≥ W₁(μ, ν) ≥ W1_measured's lower end, and E W₁(μ_n, ν_n) − E(floors) ≤ W₁(μ, ν) ≤ its upper end
    // (the bias argument of estimateWasserstein1ToLaw); 4 standard errors of the independent means as tolerance
    expect(plugIn.mean + 4 * plugIn.se).toBeGreaterThanOrEqual(measured.interval.lower);
    expect(plugIn.mean - floor.mean - 4 * (plugIn.se + floor.se)).toBeLessThanOrEqual(upperOf(measured));
    // and the plug-in value itself lies in the measured interval widened by the finite-sample bias (the mean floors)
    expect(plugIn.mean).toBeLessThanOrEqual(upperOf(measured) + floor.mean + 4 * plugIn.se);

    // a second, external assignment where python3 has scipy: the reference Hungarian agrees to rounding
    const scipy = spawnSync('python3', ['-c', 'import json,sys\nimport numpy as np\nfrom scipy.optimize import linear_sum_assignment\nfrom scipy.spatial.distance import cdist\na,b=json.load(sys.stdin)\nc=cdist(np.array(a),np.array(b))\nr,k=linear_sum_assignment(c)\nprint(repr(float(c[r,k].mean())))'], {
      input: JSON.stringify([Array.from({ length: n }, (_, i) => chunk(0).slice(2 * i, 2 * i + 2)), Array.from({ length: n }, (_, i) => Array.from(ring8(n, 100).slice(2 * i, 2 * i + 2)))]),
      encoding: 'utf8',
    });
    if (scipy.status === 0) expect(Math.abs(Number(scipy.stdout.trim()) - cross[0]!)).toBeLessThanOrEqual(1e-12 * cross[0]!);
    else console.warn(`scipy cross-check skipped: python3 without scipy (${String(scipy.stderr).split('\n').filter(Boolean).pop() ?? 'not found'})`);
  }, 300_000);
});

describe('--schedule and --claim reach the Li–Huang–Wei statements of the trained suite', () => {
  it('fits (c₀, c₁) to the model by default, takes the user’s fields, and a schedule outside the model’s range is reported, not extrapolated', async () => {
    const { trainedSuite } = await import('../../suites/trained.ts');
    const { builtInTarget, exactConsistencyFunction, referenceFlow, varianceExploding, createCheckContext, rngFromSeed, lhwScheduleForModelRange } = await import('../../src/index.ts');
    const { theorem1 } = await import('../../theorems/index.ts');
    const target = builtInTarget('bimodal-1d');
    const process = varianceExploding();
    const model = { model: exactConsistencyFunction(referenceFlow(target, process)), process, spec: 'test', variantId: 'exact', modelKey: 'f*' };
    const request = { target, targetName: 'bimodal-1d', seed: 1, model };
    const byDefault = await trainedSuite(request);
    const schedule = (s: Awaited<ReturnType<typeof trainedSuite>>, id: string): unknown => (s.subjects[id]!.value as { schedule: unknown }).schedule;
    expect(schedule(byDefault, 'li2024.theorem1')).toEqual(lhwScheduleForModelRange(process, 1000));
    expect(byDefault.constants!.find((c) => c.name === 'c1')).toMatchObject({ source: 'suite default', usedBy: ['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1'] });

    const declared = await trainedSuite({ ...request, constants: { schedule: { c0: 2, c1: 8 }, claims: { Lf: 3 } } });
    expect(schedule(declared, 'li2024.theorem1')).toEqual({ T: 1000, c0: 2, c1: 8 });
    expect((declared.subjects['li2024.assumption1']!.value as { claimed: { Lf: number } }).claimed.Lf).toBe(3);
    expect(declared.constants!.find((c) => c.name === 'Lf')).toMatchObject({ source: 'user', value: 3 });
    const subject = declared.subjects['li2024.theorem1']!.value;
    const ctx = createCheckContext({ rng: rngFromSeed(1), falseFailRate: 1e-3, checkId: 'li2024.theorem1' });
    const e = await theorem1.run(subject as Parameters<typeof theorem1.run>[0], ctx);
    expect(e.verdict).toBe('inconclusive');
    expect(e.reason).toMatch(/^Not evaluated: schedule \(23\) with T = 1000, c₀ = 2, c₁ = 8 leaves the range the model was trained on .*σ\(tMin\) = 0\.002.*σ\(tMax\) = 80.*not extrapolated/);

    const shorter = await trainedSuite({ ...request, constants: { schedule: { T: 300 } } });
    expect(schedule(shorter, 'li2024.theorem1')).toEqual(lhwScheduleForModelRange(process, 300));
    await expect(async () => trainedSuite({ ...request, constants: { schedule: { T: 1000, c1: 400 } } })).rejects.toThrow(/schedule/);
  }, 60_000);
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainOrReuseModel, type CachedModelRequest } from '../../../src/audit/cachedModel.ts';
import { builtInTarget } from '../../../src/distributions/builtInTargets.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { varianceExploding } from '../../../src/processes/varianceExploding.ts';

describe('trainOrReuseModel', () => {
  it('trains once, reuses the kept folder with the same weights, and keys every setting that changes them', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cmbounds-cached-model-'));
    const target = builtInTarget('bimodal-1d');
    const request: CachedModelRequest = { variant: 'cd-exact', target, process: varianceExploding(), steps: 4, seed: 1, width: 4, depth: 1, batchSize: 16, learningRate: 3e-3, emaDecay: 0.9, gridSize: 6, cacheDir };
    const first = await trainOrReuseModel(request);
    expect(first.reused).toBe(false);
    expect(first.dir.startsWith(join(cacheDir, 'models', 'cd-exact-'))).toBe(true);
    const again = await trainOrReuseModel(request);
    expect(again).toMatchObject({ reused: true, dir: first.dir, key: first.key });
    // the same model: same outputs at the same points
    const x = target.sample(32, rngFromSeed(3));
    expect(Array.from(again.loaded.model.evaluate(x, 5).data)).toEqual(Array.from(first.loaded.model.evaluate(x, 5).data));
    expect(JSON.parse(readFileSync(join(first.dir, 'model.json'), 'utf8'))).toMatchObject({ kind: 'mlp', variant: { id: 'cd-exact' }, training: { steps: 4, seed: 1, cacheKey: first.key } });
    // another seed, step count, width or grid gives another model, hence another folder
    const keys = new Set([first.key]);
    for (const change of [{ seed: 2 }, { steps: 5 }, { width: 5 }, { gridSize: 7 }]) keys.add((await trainOrReuseModel({ ...request, ...change })).key);
    expect(keys.size).toBe(5);
    for (const m of [first, again]) m.loaded.dispose();
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJsonFloat64 } from '../../src/core/formatJson.ts';
import { fromRows } from '../../src/core/pointBatch.ts';
import { builtInTarget } from '../../src/distributions/builtInTargets.ts';
import { referenceFlow } from '../../src/flows/referenceFlow.ts';
import { answerExactRequest } from '../../src/oracle/exactRequest.ts';
import { varianceExploding } from '../../src/processes/varianceExploding.ts';
import { ornsteinUhlenbeck } from '../../src/processes/ornsteinUhlenbeck.ts';

const gmmSpec = {
  kind: 'gmm',
  weights: [0.25, 0.75],
  means: [[0, 0], [1, -1]],
  covariances: [[[1, 0.2], [0.2, 0.5]], [[0.3, 0], [0, 0.3]]],
};

describe('cmbounds exact', () => {
  it('answers every op in query order with the contract shapes', () => {
    const res = answerExactRequest({
      target: gmmSpec,
      process: { kind: 've', tMin: 0.002, tMax: 80 },
      queries: [
        { op: 'logDensity', t: 1, x: [[0, 0], [1, 1]] },
        { op: 'score', t: 1, x: [[0, 0]] },
        { op: 'scoreHessian', t: 0.5, x: [[0, 0]] },
        { op: 'flow', from: 10, to: 0.002, x: [[1, 2]] },
        { op: 'flowJacobian', from: 10, to: 0.002, x: [[1, 2]] },
      ],
    });
    expect(res.results.map((r) => r.op)).toEqual(['logDensity', 'score', 'scoreHessian', 'flow', 'flowJacobian']);
    expect((res.results[0]!.value as number[]).length).toBe(2);
    expect((res.results[1]!.value as number[][])[0]!.length).toBe(2);
    expect((res.results[2]!.value as number[][][])[0]!.length).toBe(2);
    expect((res.results[4]!.value as number[][][])[0]![1]!.length).toBe(2);
  });

  it('accepts a built-in name as the target and returns the library values', () => {
    const res = answerExactRequest({ target: 'ring8-2d', process: { kind: 'vp-ou', tMin: 0.01, tMax: 5 }, queries: [{ op: 'flow', from: 3, to: 0.01, x: [[0.5, -0.5]] }] });
    const lib = referenceFlow(builtInTarget('ring8-2d'), ornsteinUhlenbeck({ tMin: 0.01, tMax: 5 })).map(fromRows([[0.5, -0.5]]), 3, 0.01).y.data;
    expect((res.results[0]!.value as number[][])[0]).toEqual(Array.from(lib));
  });

  it('prints floats with 17 significant digits that round-trip exactly', () => {
    const v = referenceFlow(builtInTarget('ring8-2d'), varianceExploding()).map(fromRows([[1, 1]]), 5, 0.002).y.data;
    const text = formatJsonFloat64({ value: Array.from(v) });
    expect(text).toMatch(/\d\.\d{16}/);
    expect((JSON.parse(text) as { value: number[] }).value).toEqual(Array.from(v));
  });

  describe('bad input names the field', () => {
    it.each([
      ['non-PD covariance', { target: { ...gmmSpec, covariances: [[[1, 0], [0, 1]], [[1, 2], [2, 1]]] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.covariances\[1\]: not positive definite/],
      ['weights not summing to 1', { target: { ...gmmSpec, weights: [0.5, 0.6] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.weights: must sum to 1/],
      ['negative weight', { target: { ...gmmSpec, weights: [-0.25, 1.25] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.weights\[0\]: must be ≥ 0/],
      ['non-symmetric covariance', { target: { ...gmmSpec, covariances: [[[1, 0.1], [0.2, 1]], [[1, 0], [0, 1]]] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.covariances\[0\]: not symmetric/],
      ['covariance of the wrong size', { target: { ...gmmSpec, covariances: [[[1, 0], [0, 1]], [[1]]] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.covariances\[1\]: has 1 rows, expected 2/],
      ['a string in a mean', { target: { ...gmmSpec, means: [[0, 'a'], [1, 1]] }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target\.means\[0\]\[1\]/],
      ['t outside [tMin, tMax]', { target: 'ring8-2d', process: { kind: 've', tMin: 0.002, tMax: 80 }, queries: [{ op: 'score', t: 1 }, { op: 'score', t: 90, x: [[0, 0]] }] }, /^queries\[0\]\.x/],
      ['t beyond tMax', { target: 'ring8-2d', queries: [{ op: 'score', t: 90, x: [[0, 0]] }] }, /^queries\[0\]\.t: t=90 is outside \[tMin, tMax\]/],
      ['a non-numeric t', { target: 'ring8-2d', queries: [{ op: 'score', t: 'soon', x: [[0, 0]] }] }, /^queries\[0\]\.t: must be a finite number/],
      ['flow times outside the clock', { target: 'ring8-2d', queries: [{ op: 'flow', from: 1, to: 0, x: [[0, 0]] }] }, /^queries\[0\]\.to: t=0 is outside/],
      ['ragged points', { target: 'ring8-2d', queries: [{ op: 'score', t: 1, x: [[0, 0], [1]] }] }, /^queries\[0\]\.x\[1\]: has 1 coordinates, expected 2/],
      ['points of the wrong dimension', { target: 'ring8-2d', queries: [{ op: 'score', t: 1, x: [[0, 0, 0]] }] }, /^queries\[0\]\.x: points have dimension 3, the target has dimension 2/],
      ['a null coordinate', { target: 'ring8-2d', queries: [{ op: 'score', t: 1, x: [[0, null]] }] }, /^queries\[0\]\.x\[0\]\[1\]: must be a finite number/],
      ['an unknown op', { target: 'ring8-2d', queries: [{ op: 'entropy', t: 1, x: [[0, 0]] }] }, /^queries\[0\]/],
      ['an unknown process', { target: 'ring8-2d', process: { kind: 'sde' }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^process\.kind/],
      ['tMax below tMin', { target: 'ring8-2d', process: { kind: 've', tMin: 1, tMax: 0.5 }, queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^process\.tMax: tMax must be finite and > tMin/],
      ['an unknown built-in', { target: 'ring7-2d', queries: [{ op: 'score', t: 1, x: [[0, 0]] }] }, /^target: unknown built-in target 'ring7-2d'/],
      ['a target object without kind', { target: { weights: [1] }, queries: [{ op: 'score', t: 1, x: [[0]] }] }, /^target: must be a built-in name or an object with "kind"/],
      ['no queries', { target: 'ring8-2d', queries: [] }, /^queries: must contain at least one query/],
    ])('%s', (_name, request, message) => {
      expect(() => answerExactRequest(request)).toThrow(message);
    });
  });

  it('runs as a real command: JSON on stdout, and one error line with a non-zero exit on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmbounds-exact-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ target: 'bimodal-1d', queries: [{ op: 'logDensity', t: 1, x: [[0]] }] }));
    const ok = spawnSync(process.execPath, ['bin/cmbounds.js', 'exact', '--request', good], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const value = (JSON.parse(ok.stdout) as { results: { value: number[] }[] }).results[0]!.value[0]!;
    // p_1 = ½N(−2, 1.25) + ½N(2, 1.25) at 0: log N(0; 2, 1.25)
    expect(value).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 1.25) - 4 / 2.5, 14);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"target": "ring8-2d", "queries": [');
    const err = spawnSync(process.execPath, ['bin/cmbounds.js', 'exact', '--request', bad], { encoding: 'utf8' });
    expect(err.status).toBe(1);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^error: --request: '.*bad\.json' is not valid JSON/);
  });

  it("gives a point the same flow, bit for bit, whatever else the request asks (each point has its own steps)", () => {
    const point = [10, -5];
    const others = [[0.3, 0.1], [-40, 25], [2, 0], [60, -70], [0.01, -1.99]];
    const ask = (x: number[][]) =>
      answerExactRequest({
        target: 'ring8-2d',
        process: { kind: 've', tMin: 0.002, tMax: 80 },
        queries: [
          { op: 'flow', from: 80, to: 0.002, x },
          { op: 'flowJacobian', from: 20, to: 0.01, x },
        ],
      }).results.map((r) => r.value as unknown[]);
    const [aloneFlow, aloneJacobian] = ask([point]);
    const [batchFlow, batchJacobian] = ask([others[0]!, others[1]!, point, ...others.slice(2)]);
    expect(batchFlow![2]).toEqual(aloneFlow![0]);
    expect(batchJacobian![2]).toEqual(aloneJacobian![0]);
    // toEqual on doubles is Object.is per entry: bit-identical, not merely close. A shared step (the library's
    // batched default) does move this point: the contract's per-point answer is a real difference.
    const shared = referenceFlow(builtInTarget('ring8-2d'), varianceExploding({ tMin: 0.002, tMax: 80 })).map(fromRows([others[0]!, others[1]!, point, ...others.slice(2)]), 80, 0.002).y.data;
    expect(Array.from(shared.subarray(4, 6))).not.toEqual(aloneFlow![0]);
  });

  it("prints the digits README's example shows (request and output taken from README.md)", () => {
    const readme = readFileSync('README.md', 'utf8');
    const request = /echo '([\s\S]*?)' \\\n\s*\| npx cmbounds exact --request -/.exec(readme)?.[1];
    expect(request, 'README has the exact example').toBeDefined();
    const shown = /prints `(\{"results":[^`]*\})`/.exec(readme)?.[1];
    expect(shown, 'README shows its output').toBeDefined();
    const run = spawnSync(process.execPath, ['bin/cmbounds.js', 'exact', '--request', '-'], { input: request, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // README elides the score values; the flow value is printed in full, and must match digit for digit
    const flowOf = (text: string): string | undefined => /\{"op":"flow","value":(\[\[[^\]]*\]\])\}/.exec(text)?.[1];
    expect(flowOf(shown!)).toBeDefined();
    expect(flowOf(run.stdout)).toBe(flowOf(shown!));
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

/**
 * Bad input on every command: each case must exit non-zero with one `error: …` line that names the option, field or
 * file and says what is wrong — no stack trace, no "run with --verbose" hint (the sign of an error nobody named), no
 * hang, and no file of the user's touched. Cases run in-process through `main` (the CLI's entry point, which returns
 * the exit code instead of exiting); a few also spawn the real executable.
 */

const dir = mkdtempSync(join(tmpdir(), 'cmbounds-bad-input-'));
const at = (name: string): string => join(dir, name);
const PRECIOUS = 'precious: a file the tool must never touch\n';

const FILES: Record<string, string> = {
  'precious.txt': PRECIOUS,
  'bad.json': '{"target": "ring8-2d", "queries": [',
  'array.json': '[1, 2]',
  'empty.json': '',
  'config-bad-seed.json': '{"seed": "seven"}',
  'config-unknown.json': '{"sed": 3}',
  'config-array.json': '[]',
  'config-bad-rate.json': '{"falseFailRate": 5}',
  'target-weights.json': '{"kind": "gmm", "weights": [0.5, 0.6], "means": [[0], [1]], "covariances": [[[1]], [[1]]]}',
  'target-not-pd.json': '{"kind": "gaussian", "mean": [0, 0], "covariance": [[1, 2], [2, 1]]}',
  'target-kindless.json': '{"weights": [1]}',
  'points-2d.json': '[[0, 0], [1, 1], [2, 0]]',
  'points-1d.json': '[[0], [1], [2]]',
  'points-ragged.json': '[[0, 0], [1]]',
  'points-nan.json': '[[0, 0], [NaN, 1], [2, 0]]',
  'not-results.json': '{"hello": "world"}',
  'unsharded.json': JSON.stringify({ title: 't', subject: { target: 'x', process: 'p', variant: 'v', functionClass: 'f' }, entries: [], summary: {}, falseFailRate: 0.001, provenance: { command: 'c', seed: 1, configHash: 'h', versions: {}, startedAt: 's', durationMs: 0, machine: 'm' } }),
  'request-no-target.json': '{"queries": [{"op": "score", "t": 1, "x": [[0, 0]]}]}',
  'request-bad-op.json': '{"target": "ring8-2d", "queries": [{"op": "entropy", "t": 1, "x": [[0, 0]]}]}',
  'request-bad-t.json': '{"target": "ring8-2d", "queries": [{"op": "score", "t": 900, "x": [[0, 0]]}]}',
  'folder/keep.txt': PRECIOUS,
  'model-without-json/notes.txt': PRECIOUS,
};

/** [name, argv after `cmbounds`, expected exit code, what the first stderr line must match]. */
type Case = readonly [string, readonly string[], 1 | 2, RegExp];

const V = 'examples/variants/lognormalCt.ts';
const CASES: readonly Case[] = [
  // run
  ['run: non-integer seed', ['run', '--seed', 'abc'], 1, /^error: --seed: must be an integer, got 'abc'$/],
  ['run: fractional seed', ['run', '--seed', '1.5'], 1, /^error: --seed: must be an integer, got '1\.5'$/],
  ['run: negative seed', ['run', '--seed', '-1'], 1, /^error: --seed: .*0/],
  ['run: empty seed', ['run', '--seed', ''], 1, /^error: --seed: must be an integer, got ''$/],
  ['run: hexadecimal seed', ['run', '--seed', '0x10'], 1, /^error: --seed: must be an integer, got '0x10'$/],
  ['run: missing target file', ['run', '--target', at('missing.json')], 1, /^error: --target: no such file '.*missing\.json'$/],
  ['run: target is a folder', ['run', '--target', at('folder')], 1, /^error: --target: '.*folder' is a directory, not a JSON file$/],
  ['run: target not JSON', ['run', '--target', at('bad.json')], 1, /^error: --target: '.*bad\.json' is not valid JSON/],
  ['run: target weights', ['run', '--target', at('target-weights.json')], 1, /^error: --target\.weights: must sum to 1/],
  ['run: target not positive definite', ['run', '--target', at('target-not-pd.json')], 1, /^error: --target\.covariance: not positive definite/],
  ['run: target without kind', ['run', '--target', at('target-kindless.json')], 1, /^error: --target: must be a built-in name or an object with "kind"/],
  ['run: unknown built-in target', ['run', '--target', 'ring7-2d'], 1, /^error: --target: unknown built-in target 'ring7-2d'/],
  ['run: unknown suite', ['run', '--suite', 'nope'], 2, /^error: option '--suite <name>' argument 'nope' is invalid/],
  ['run: false-fail rate above 1', ['run', '--false-fail-rate', '2'], 1, /^error: --false-fail-rate: /],
  ['run: false-fail rate not a number', ['run', '--false-fail-rate', 'often'], 1, /^error: --false-fail-rate: must be a number, got 'often'$/],
  ['run: false-fail rate with junk', ['run', '--false-fail-rate', '1e-3x'], 1, /^error: --false-fail-rate: must be a number, got '1e-3x'$/],
  ['run: zero max-samples', ['run', '--max-samples', '0'], 1, /^error: --max-samples: /],
  ['run: negative budget', ['run', '--budget', '-5'], 1, /^error: --budget: /],
  ['run: shard out of range', ['run', '--shard', '3/2'], 1, /^error: --shard: needs 1 ≤ i ≤ n$/],
  ['run: malformed shard', ['run', '--shard', 'half'], 1, /^error: --shard: must look like i\/n/],
  ['run: missing config', ['run', '--config', at('missing.json')], 1, /^error: --config: no such file/],
  ['run: config not JSON', ['run', '--config', at('bad.json')], 1, /^error: --config: .* is not valid JSON/],
  ['run: config is an array', ['run', '--config', at('config-array.json')], 1, /^error: --config .*config-array\.json: must contain a JSON object$/],
  ['run: config field of the wrong type', ['run', '--config', at('config-bad-seed.json')], 1, /^error: --config .*config-bad-seed\.json: seed: /],
  ['run: config with an unknown field', ['run', '--config', at('config-unknown.json')], 1, /^error: --config .*config-unknown\.json: .*sed/],
  ['run: config field out of range', ['run', '--config', at('config-bad-rate.json')], 1, /^error: --config .*: falseFailRate: /],
  ['run: unknown option', ['run', '--bogus'], 2, /^error: unknown option '--bogus'$/],
  ['run: option without its value', ['run', '--seed'], 2, /^error: option '--seed <n>' argument missing$/],
  // report
  ['report: missing results', ['report', at('missing.json')], 1, /^error: results: no such file '.*missing\.json'$/],
  ['report: results is a folder', ['report', at('folder')], 1, /^error: results: '.*folder' is a directory, not a file$/],
  ['report: results not JSON', ['report', at('bad.json')], 1, /^error: .*bad\.json: cannot read results/],
  ['report: not a results document', ['report', at('not-results.json')], 1, /^error: .*not-results\.json: is not a results\.json/],
  ['report: --out with two files', ['report', at('not-results.json'), at('array.json'), '--out', at('out')], 1, /^error: --out: takes a single results file/],
  ['report: no file', ['report'], 2, /^error: missing required argument 'results'$/],
  // merge
  ['merge: missing results', ['merge', at('missing.json'), '--out', at('merged')], 1, /^error: results: no such file '.*missing\.json'$/],
  ['merge: not JSON', ['merge', at('bad.json'), '--out', at('merged')], 1, /^error: .*bad\.json: cannot read results/],
  ['merge: not a results document', ['merge', at('array.json'), '--out', at('merged')], 1, /^error: results\[0\]: '.*array\.json' is not a results\.json/],
  ['merge: not a shard', ['merge', at('unsharded.json'), '--out', at('merged')], 1, /^error: results\[0\]: is not the result of a sharded run/],
  ['merge: no --out', ['merge', at('unsharded.json')], 2, /^error: required option '--out <dir>' not specified$/],
  // estimate
  ['estimate: sweep values out of range', ['estimate', 'c_2', '--sweep', 'T=0,-5'], 1, /^error: --sweep T: must be an integer in \[2, 1000000\], got '0'$/],
  ['estimate: sweep of an unknown variable', ['estimate', 'c_2', '--sweep', 'k=1,2'], 1, /^error: --sweep: must look like d=1,2,4 or T=256,512/],
  ['estimate: sweep without values', ['estimate', 'c_2', '--sweep', 'T='], 1, /^error: --sweep: needs a comma-separated list of values/],
  ['estimate: sweep value not a number', ['estimate', 'c_2', '--sweep', 'T=256,lots'], 1, /^error: --sweep T: must be an integer, got 'lots'$/],
  ['estimate: d beyond the built-ins', ['estimate', 'L_f', '--sweep', 'd=2,4096'], 1, /^error: --sweep d: must be an integer in \[1, 1024\], got '4096'$/],
  ['estimate: a variable swept twice', ['estimate', 'c_2', '--sweep', 'T=4,8', '--sweep', 'T=16'], 1, /^error: --sweep: T is swept twice/],
  ['estimate: T not a number', ['estimate', 'c_2', '--T', 'abc'], 1, /^error: --T: must be an integer, got 'abc'$/],
  ['estimate: T too small', ['estimate', 'c_2', '--T', '1'], 1, /^error: --T: must be an integer in \[2, 1000000\], got '1'$/],
  ['estimate: negative seed', ['estimate', 'c_2', '--seed', '-1'], 1, /^error: --seed: must be an integer ≥ 0, got '-1'$/],
  ['estimate: unknown constant', ['estimate', 'C_9'], 1, /^error: symbol: unknown constant 'C_9'; known: /],
  ['estimate: unknown family', ['estimate', 'L_f', '--family', 'ring'], 1, /^error: --family: must be iso-gmm or aniso-gaussian, got 'ring'$/],
  ['estimate: missing target file', ['estimate', 'L_f', '--target', at('missing.json')], 1, /^error: --target: no such file/],
  ['estimate: unknown target', ['estimate', 'L_f', '--target', 'ring7-2d'], 1, /^error: --target: unknown built-in target/],
  // train
  ['train: steps not a number', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', 'many', '--out', at('run')], 1, /^error: --steps: must be an integer, got 'many'$/],
  ['train: zero steps', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', '0', '--out', at('run')], 1, /^error: --steps: must be an integer ≥ 1, got '0'$/],
  ['train: bad seed', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', '5', '--seed', 'x', '--out', at('run')], 1, /^error: --seed: must be an integer, got 'x'$/],
  ['train: missing target file', ['train', '--variant', 'ct', '--target', at('missing.json'), '--steps', '5', '--out', at('run')], 1, /^error: --target: no such file/],
  ['train: target is a folder', ['train', '--variant', 'ct', '--target', at('folder'), '--steps', '5', '--out', at('run')], 1, /^error: --target: '.*folder' is a directory/],
  ['train: unknown variant', ['train', '--variant', 'nope', '--target', 'bimodal-1d', '--steps', '5', '--out', at('run')], 1, /^error: --variant: unknown variant 'nope'/],
  ['train: missing variant module', ['train', '--variant', at('missing.ts'), '--target', 'bimodal-1d', '--steps', '5', '--out', at('run')], 1, /^error: variant: no such module/],
  ['train: unknown process', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--process', 'sde', '--steps', '5', '--out', at('run')], 1, /^error: --process/],
  ['train: inline process JSON broken', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--process', '{"kind":', '--steps', '5', '--out', at('run')], 1, /^error: --process: inline JSON does not parse/],
  ['train: grid size too small', ['train', '--variant', 'cd-exact', '--target', 'bimodal-1d', '--grid-size', '1', '--steps', '5', '--out', at('run')], 1, /^error: --grid-size: must be an integer ≥ 2, got '1'$/],
  ['train: unknown function class', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--function-class', 'cnn', '--steps', '5', '--out', at('run')], 2, /^error: option '--function-class <class>' argument 'cnn' is invalid/],
  ['train: no --out', ['train', '--variant', 'ct', '--target', 'bimodal-1d', '--steps', '5'], 2, /^error: required option '--out <DIR>' not specified$/],
  // sample
  ['sample: n beyond the limit', ['sample', '--model', at('model-without-json'), '--n', '1000000000', '--out', at('s.json')], 1, /^error: --n: 1000000000 points in d = 1 .* need at least .* of memory; the limit is 10000000 values/],
  ['sample: n not a number', ['sample', '--model', at('model-without-json'), '--n', 'lots', '--out', at('s.json')], 1, /^error: --n: must be an integer, got 'lots'$/],
  ['sample: zero n', ['sample', '--model', at('model-without-json'), '--n', '0', '--out', at('s.json')], 1, /^error: --n: must be an integer ≥ 1, got '0'$/],
  ['sample: zero steps', ['sample', '--model', at('model-without-json'), '--n', '5', '--steps', '0', '--out', at('s.json')], 1, /^error: --steps: /],
  ['sample: negative seed', ['sample', '--model', at('model-without-json'), '--n', '5', '--seed', '-2', '--out', at('s.json')], 1, /^error: --seed: must be an integer ≥ 0, got '-2'$/],
  ['sample: --out is a folder', ['sample', '--model', at('model-without-json'), '--n', '5', '--out', at('folder')], 1, /^error: --out: '.*folder' is a folder; give a file name/],
  ['sample: --out is a user file', ['sample', '--model', at('model-without-json'), '--n', '5', '--out', at('precious.txt')], 1, /^error: --out: '.*precious\.txt' exists and was not written by cmbounds; pass --force/],
  ['sample: --out under a file', ['sample', '--model', at('model-without-json'), '--n', '5', '--out', at('precious.txt/s.json')], 1, /^error: --out: cannot create '.*': '.*precious\.txt' is a file, not a folder/],
  ['sample: no model there', ['sample', '--model', at('model-without-json'), '--n', '5', '--out', at('s.json')], 1, /^error: --model: no model\.json in/],
  ['sample: unknown weights', ['sample', '--model', at('model-without-json'), '--n', '5', '--weights', 'best', '--out', at('s.json')], 2, /^error: option '--weights <w>' argument 'best' is invalid/],
  // evaluate
  ['evaluate: n beyond the limit', ['evaluate', '--model', at('model-without-json'), '--n', '1000000000000'], 1, /^error: --n: 1000000000000 points in d = 1 are 1\.00e\+12 float64 values, which would need at least 40\.0 TB of memory/],
  ['evaluate: n in exponent form beyond the limit', ['evaluate', '--model', at('model-without-json'), '--n', '1e12'], 1, /^error: --n: 1000000000000 points/],
  ['evaluate: n of one', ['evaluate', '--model', at('model-without-json'), '--n', '1'], 1, /^error: --n: must be an integer ≥ 2, got '1'$/],
  ['evaluate: level above 1', ['evaluate', '--model', at('model-without-json'), '--level', '1.5'], 1, /^error: --level: must be a number in \(0, 1\), got '1\.5'$/],
  ['evaluate: level not a number', ['evaluate', '--model', at('model-without-json'), '--level', 'high'], 1, /^error: --level: must be a number, got 'high'$/],
  ['evaluate: bad seed', ['evaluate', '--model', at('model-without-json'), '--seed', '1.5'], 1, /^error: --seed: must be an integer, got '1\.5'$/],
  ['evaluate: no model there', ['evaluate', '--model', at('nowhere')], 1, /^error: --model: no model\.json in/],
  ['evaluate: no --model', ['evaluate'], 2, /^error: required option '--model <DIR\|cmd:…>' not specified$/],
  // distance
  ['distance: unknown metric', ['distance', '--metric', 'w3', '--a', at('points-2d.json'), '--b', at('points-2d.json')], 1, /^error: --metric: must be one of w1, w2, sliced-w2, energy; got 'w3'$/],
  ['distance: missing file', ['distance', '--metric', 'w2', '--a', at('missing.json'), '--b', at('points-2d.json')], 1, /^error: --a: no such file/],
  ['distance: folder', ['distance', '--metric', 'w2', '--a', at('points-2d.json'), '--b', at('folder')], 1, /^error: --b: '.*folder' is a directory/],
  ['distance: not JSON', ['distance', '--metric', 'w2', '--a', at('bad.json'), '--b', at('points-2d.json')], 1, /^error: --a: .* is not valid JSON/],
  ['distance: NaN in a point', ['distance', '--metric', 'w2', '--a', at('points-nan.json'), '--b', at('points-2d.json')], 1, /^error: --a\[1\]\[0\]: must be a finite number, got NaN$/],
  ['distance: ragged points', ['distance', '--metric', 'w2', '--a', at('points-ragged.json'), '--b', at('points-2d.json')], 1, /^error: --a\[1\]: has 1 coordinate, expected 2$/],
  ['distance: dimensions differ', ['distance', '--metric', 'w2', '--a', at('points-2d.json'), '--b', at('points-1d.json')], 1, /^error: --b: /],
  ['distance: too few projections', ['distance', '--metric', 'sliced-w2', '--a', at('points-2d.json'), '--b', at('points-2d.json'), '--projections', '1'], 1, /^error: --projections: must be an integer in \[2, 100000\], got '1'$/],
  ['distance: too many projections', ['distance', '--metric', 'sliced-w2', '--a', at('points-2d.json'), '--b', at('points-2d.json'), '--projections', '1e9'], 1, /^error: --projections: must be an integer in \[2, 100000\], got '1e9'$/],
  ['distance: resamples not a number', ['distance', '--metric', 'energy', '--a', at('points-2d.json'), '--b', at('points-2d.json'), '--resamples', 'some'], 1, /^error: --resamples: must be an integer, got 'some'$/],
  ['distance: negative seed', ['distance', '--metric', 'sliced-w2', '--a', at('points-2d.json'), '--b', at('points-2d.json'), '--seed', '-1'], 1, /^error: --seed: must be an integer in|^error: --seed: must be an integer ≥ 0/],
  // audit
  ['audit: missing module', ['audit', at('missing.ts')], 1, /^error: variant: no such module/],
  ['audit: steps not a number', ['audit', V, '--steps', 'abc'], 1, /^error: --steps: must be an integer, got 'abc'$/],
  ['audit: zero steps', ['audit', V, '--steps', '0'], 1, /^error: --steps: /],
  ['audit: learning rate not a number', ['audit', V, '--lr', 'fast'], 1, /^error: --lr: must be a number, got 'fast'$/],
  ['audit: negative learning rate', ['audit', V, '--lr', '-0.1'], 1, /^error: --lr: /],
  ['audit: one draw', ['audit', V, '--n', '1'], 1, /^error: --n: /],
  ['audit: empty time in a list', ['audit', V, '--times', '80,,5'], 1, /^error: --times: must be a comma-separated list of numbers, got '80,,5'$/],
  ['audit: a time not a number', ['audit', V, '--times', '80,soon'], 1, /^error: --times: must be a number, got 'soon'$/],
  ['audit: a negative time', ['audit', V, '--times', '80,-5'], 1, /^error: --times\[1\]: /],
  ['audit: unknown built-in', ['audit', V, '--built-ins', 'ct,gan'], 1, /^error: --built-ins\[1\]: /],
  ['audit: EMA decay above 1', ['audit', V, '--ema-decay', '1.5'], 1, /^error: --ema-decay: /],
  ['audit: zero false-fail rate', ['audit', V, '--false-fail-rate', '0'], 1, /^error: --false-fail-rate: /],
  ['audit: missing config', ['audit', V, '--config', at('missing.json')], 1, /^error: --config: no such file/],
  ['audit: unknown process', ['audit', V, '--process', 'sde'], 2, /^error: option '--process <kind>' argument 'sde' is invalid/],
  ['audit: no module', ['audit'], 1, /^error: variant: give a TrainingVariant module to train \(e\.g\. examples\/variants\/lognormalCt\.ts\) or --model <DIR\|cmd:…>$/],
  // catalog, reproduce, exact, and the program itself
  ['catalog: missing folder', ['catalog', '--dir', at('nowhere')], 1, /^error: theoremsDir: '.*nowhere' is not a directory$/],
  ['catalog: a file as the folder', ['catalog', '--dir', at('precious.txt')], 1, /^error: theoremsDir: '.*precious\.txt' is not a directory$/],
  ['catalog: unknown option', ['catalog', '--everything'], 2, /^error: unknown option '--everything'$/],
  ['reproduce: unknown study', ['reproduce', 'nope'], 1, /^error: study: unknown study 'nope'; known: /],
  ['reproduce: budget not a number', ['reproduce', 'multistep', '--budget', 'soon'], 1, /^error: --budget: must be a number, got 'soon'$/],
  ['reproduce: negative budget', ['reproduce', 'multistep', '--budget', '-1'], 1, /^error: --budget: must be a number > 0, got '-1'$/],
  ['exact: missing request', ['exact', '--request', at('missing.json')], 1, /^error: --request: no such file/],
  ['exact: request is a folder', ['exact', '--request', at('folder')], 1, /^error: --request: '.*folder' is a directory/],
  ['exact: request not JSON', ['exact', '--request', at('bad.json')], 1, /^error: --request: '.*bad\.json' is not valid JSON/],
  ['exact: empty request file', ['exact', '--request', at('empty.json')], 1, /^error: --request: '.*empty\.json' is not valid JSON/],
  ['exact: request without target', ['exact', '--request', at('request-no-target.json')], 1, /^error: target: /],
  ['exact: unknown op', ['exact', '--request', at('request-bad-op.json')], 1, /^error: queries\[0\]\.op: must be one of /],
  ['exact: time outside the clock', ['exact', '--request', at('request-bad-t.json')], 1, /^error: queries\[0\]\.t: t=900 is outside/],
  ['exact: no --request', ['exact'], 2, /^error: required option '--request <file>' not specified$/],
  ['unknown command', ['certify'], 2, /^error: unknown command 'certify'$/],
];

/** Every file under `root` with a hash of its contents and its modification time. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const s = statSync(path);
      if (s.isDirectory()) {
        out[`${path}/`] = String(s.mtimeMs);
        walk(path);
      } else out[path] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${s.mtimeMs}`;
    }
  };
  walk(root);
  return out;
}

let plugins: Parameters<typeof main>[1];
let before: Record<string, string>;
/** What a command writes by default in the working folder: report folders and the results cache. */
const repoEntries = (): string[] => ['reports', '.cmbounds-cache'].flatMap((d) => (existsSync(d) ? readdirSync(d).map((e) => `${d}/${e}`) : [])).sort();
let repoBefore: string[];

beforeAll(async () => {
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(at(name), text);
  }
  before = snapshot(dir);
  repoBefore = repoEntries();
  plugins = {
    suites: async () => (await import('../../suites/index.ts')).suites,
    constants: async () => (await import('../../suites/constants.ts')).constants,
    audits: async () => (await import('../../suites/audit.ts')).auditBattery,
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process and captures what it writes. */
async function runInProcess(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await Promise.race([
      main(['node', 'cmbounds', ...argv], plugins),
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no answer within 30 s: cmbounds ${argv.join(' ')}`)), 30_000)),
    ]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

function expectNamedError(name: string, result: { code: number; stdout: string; stderr: string }, code: number, message: RegExp): void {
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(result.code, `${name}: exit code (stderr: ${result.stderr})`).toBe(code);
  expect(lines[0] ?? '', name).toMatch(message);
  // one line naming the problem (commander may add its usage hint)
  expect(lines.slice(1).filter((l) => l !== '(run with --help for usage)'), `${name}: extra stderr lines`).toEqual([]);
  expect(result.stderr, `${name}: a stack trace`).not.toMatch(/^\s+at /m);
  expect(result.stderr, `${name}: an unnamed error`).not.toMatch(/--verbose/);
}

describe('bad input on every command', () => {
  it(`has cases for every command (${CASES.length} in all)`, () => {
    const commands = new Set(CASES.map(([, argv]) => argv[0]));
    for (const c of ['run', 'report', 'merge', 'estimate', 'train', 'sample', 'evaluate', 'distance', 'audit', 'catalog', 'reproduce', 'exact']) expect(commands.has(c), c).toBe(true);
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(CASES)('%s', async (name, argv, code, message) => {
    expectNamedError(name, await runInProcess(argv), code, message);
  });

  it('touched no file of the user and left nothing behind', () => {
    expect(snapshot(dir)).toEqual(before);
    expect(readFileSync(at('precious.txt'), 'utf8')).toBe(PRECIOUS);
    expect(repoEntries()).toEqual(repoBefore);
  });

  it('says the same through the real executable (spawned, in parallel)', async () => {
    const spawned = CASES.filter(([name]) => ['run: non-integer seed', 'sample: --out is a folder'].includes(name));
    expect(spawned).toHaveLength(2);
    const results = await Promise.all(
      spawned.map(
        ([, argv]) =>
          new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['bin/cmbounds.js', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
            child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
            child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
          }),
      ),
    );
    spawned.forEach(([name, , code, message], i) => expectNamedError(name, results[i]!, code, message));
  }, 120_000);
});

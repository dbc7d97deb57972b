import { createHash } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { ValidationError } from '../core/errors.ts';

/**
 * Replayable randomness. Every function that draws takes an `Rng`; nothing reads a global.
 *
 * A stream is identified by `(seed, path)`. Its generator state is a pure function of that pair (SHA-256 of the
 * seed and the labels), so `rng.child('a')` is the same stream on every machine, in every run, however many draws
 * the parent or its siblings made. Adding a new consumer under a new label never shifts anyone else's numbers.
 *
 * Uniforms use 53 random bits (two 32-bit outputs of xoroshiro128+ from pure-rand). Normals use our own
 * Box–Muller transform (both outputs used, in order), so the sequence does not depend on a library's internals.
 */
export class Rng {
  readonly seed: number;
  readonly path: readonly string[];
  private readonly gen: RandomGenerator;
  private spare = Number.NaN;

  constructor(seed: number, path: readonly string[] = []) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ValidationError('E_INVALID_INPUT', `must be a non-negative safe integer, got ${seed}`, 'seed');
    }
    this.seed = seed;
    this.path = path;
    this.gen = xoroshiro128plusFromState(deriveState(seed, path));
  }

  /** An independent stream: a pure function of (seed, path, label). */
  child(label: string): Rng {
    return new Rng(this.seed, [...this.path, label]);
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller on (0, 1] uniforms, both outputs used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Fills `out` with standard normals, in order. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** Integer uniform on {0, …, n−1}. */
  integer(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** A string that replays this stream: `seed=7 path=audit/li2024.lemma1`. */
  describe(): string {
    return `seed=${this.seed} path=${this.path.join('/')}`;
  }
}

/** The root stream for a seed. */
export function rngFromSeed(seed: number): Rng {
  return new Rng(seed);
}

function deriveState(seed: number, path: readonly string[]): number[] {
  const h = createHash('sha256').update(JSON.stringify([seed, ...path])).digest();
  const state: number[] = [h.readInt32LE(0), h.readInt32LE(4), h.readInt32LE(8), h.readInt32LE(12)];
  if (!state.some((s) => s !== 0)) state[0] = 1; // xoroshiro's all-zero state is absorbing
  return state;
}

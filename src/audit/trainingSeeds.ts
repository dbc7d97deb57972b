import { ValidationError } from '../core/errors.ts';
import { rngFromSeed } from '../random/rng.ts';

/**
 * The training seeds of an audit with `count` replicates per variant, derived deterministically from the root seed:
 * the first is the root seed itself (so `--seeds 1` trains exactly the model a one-seed audit always trained), the
 * k-th (k ≥ 1) is a 31-bit integer drawn from the stream `(seed, ['training-seed', k])`. Two audits with different
 * root seeds therefore share no replicate except by a 2⁻³¹ chance, unlike `seed + k`.
 * @throws ValidationError (`seeds`) unless count is an integer ≥ 1.
 */
export function trainingSeeds(seed: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 1, got ${count}`, 'seeds');
  const out = [seed];
  for (let k = 1; k < count; k++) {
    const rng = rngFromSeed(seed).child('training-seed').child(String(k));
    let derived = Math.floor(rng.uniform() * 2 ** 31);
    // distinct replicates even in the 2⁻³¹ event of a collision
    while (out.includes(derived)) derived = Math.floor(rng.uniform() * 2 ** 31);
    out.push(derived);
  }
  return out;
}

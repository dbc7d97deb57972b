import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Rng } from '../random/rng.ts';
import type { ConsistencyFunction } from './consistencyFunction.ts';

/**
 * How the sampler re-noises a boundary sample x (≈ X_tMin) to time τ.
 * 'correct': x̂ = (a_τ/a_min)·x + √(s_τ² − (a_τ s_min/a_min)²)·z — the forward transition from tMin to τ, which for VE
 * is Algorithm 1's x + √(τ² − tMin²)·z (Song et al. 2023; THEORY §3.4) and for VP/OU the OU kernel from tMin.
 * 'naive-tau': NEGATIVE CONTROL — x + s_τ·z (VE: τz), which ignores the noise already in X_tMin; for Gaussian data the
 * output variance becomes (λ+ε²)(1 + ε²/(λ+τ²)) per direction instead of λ+ε² (THEORY §6.3 CM-MS).
 */
export type RenoiseRule = 'correct' | 'naive-tau';

export interface MultistepSamplingOptions {
  /** Number of samples. */
  readonly n: number;
  readonly rng: Rng;
  /** Re-noise times τ₁ > τ₂ > … in (tMin, tMax] (strictly decreasing — the `ts` order bug of ANCHORS §3 is refused). @defaultValue [] (one step) */
  readonly taus?: readonly number[];
  /**
   * The initial draw at tMax: 'exact-marginal' samples the true p_T of `target` (so the result isolates the model's
   * error); 'gaussian-prior' draws a_T·0 + s_T·z, the paper's N(0, T²I) for VE. @defaultValue 'gaussian-prior'
   */
  readonly start?: 'exact-marginal' | 'gaussian-prior';
  /** Needed for start = 'exact-marginal'. */
  readonly target?: ExactTarget;
  /** @defaultValue 'correct' */
  readonly renoise?: RenoiseRule;
}

/**
 * Multistep consistency sampling (Song et al. 2023, Algorithm 1; the OU counterpart of Lyu et al., THEORY §2.4):
 * x ← f(x_T, T); for each τ: x ← f(renoise(x, τ), τ). Returns the final batch. Every draw comes from `rng`
 * (child streams 'start' and 'renoise-k'), so results are reproducible and independent of the number of rounds
 * already drawn.
 */
export function multistepConsistencySampling(f: ConsistencyFunction, process: ForwardProcess, options: MultistepSamplingOptions): PointBatch {
  const { n, rng } = options;
  const taus = options.taus ?? [];
  const rule = options.renoise ?? 'correct';
  if (!Number.isInteger(n) || n < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${n}`, 'n');
  taus.forEach((tau, k) => {
    if (!Number.isFinite(tau) || !(tau > process.tMin) || tau > process.tMax) {
      throw new ValidationError('E_TIME_RANGE', `τ = ${tau} must lie in (tMin, tMax] = (${process.tMin}, ${process.tMax}]`, `taus[${k}]`);
    }
    if (k > 0 && !(tau < taus[k - 1]!)) {
      throw new ValidationError('E_INVALID_INPUT', `re-noise times must strictly decrease; τ[${k}] = ${tau} ≥ τ[${k - 1}] = ${taus[k - 1]} (ascending ts is a known bug)`, `taus[${k}]`);
    }
  });
  const T = process.tMax;
  const start = options.start ?? 'gaussian-prior';
  let x: PointBatch;
  if (start === 'exact-marginal') {
    if (options.target === undefined) throw new ValidationError('E_INVALID_INPUT', "start 'exact-marginal' needs the target", 'target');
    x = options.target.noised(process.signalScale(T), process.noiseScale(T)).sample(n, rng.child('start'));
  } else {
    const d = dimOf(f, options.target);
    const sT = process.noiseScale(T);
    x = { n, d, data: rng.child('start').fillNormal(new Float64Array(n * d)).map((v) => sT * v) };
  }
  x = f.evaluate(x, T);
  const aMin = process.signalScale(process.tMin);
  const sMin = process.noiseScale(process.tMin);
  taus.forEach((tau, k) => {
    const a = process.signalScale(tau);
    const s = process.noiseScale(tau);
    const scale = rule === 'correct' ? a / aMin : 1;
    const noise = rule === 'correct' ? Math.sqrt(Math.max(0, s * s - ((a * sMin) / aMin) ** 2)) : s;
    const z = rng.child(`renoise-${k}`).fillNormal(new Float64Array(x.data.length));
    const data = new Float64Array(x.data.length);
    for (let q = 0; q < data.length; q++) data[q] = scale * x.data[q]! + noise * z[q]!;
    x = f.evaluate({ n: x.n, d: x.d, data }, tau);
  });
  return x;
}

function dimOf(f: ConsistencyFunction, target: ExactTarget | undefined): number {
  const d = target?.dim ?? (f as { dim?: number; architecture?: { dim: number } }).dim ?? (f as { architecture?: { dim: number } }).architecture?.dim;
  if (d === undefined) throw new ValidationError('E_INVALID_INPUT', 'pass `target` so the sampler knows the dimension', 'target');
  return d;
}

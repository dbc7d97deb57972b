import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from '../../core/errors.ts';
import type { PointBatch } from '../../core/pointBatch.ts';
import { squaredDistances } from '../../models/modelDiagnostics.ts';

/** λ(t_i, t_{i+1}): the per-interval loss weight. Members end with `Weighting`. */
export interface LossWeighting {
  readonly id: string;
  weight(tLow: number, tHigh: number): number;
}

/**
 * d(f_student, f_teacher) with its weighting: the metric of a consistency loss (Song et al. 2023, Def. 1).
 * `distance` is the float64 reference; `tensorDistanceAndGradient` is the same formula on tfjs tensors together
 * with its gradient in the difference (rows are points). Training back-propagates by hand (tfjs-core registers no
 * op gradients by itself, and a hand-written backward pass lets us keep every matrix product untransposed), so a
 * loss states its own derivative.
 */
export interface ConsistencyLoss {
  /** 'squared-l2', 'pseudo-huber(c=…)'. */
  readonly id: string;
  readonly weighting: LossWeighting;
  /** Per-point distance between two batches. */
  distance(a: PointBatch, b: PointBatch): Float64Array;
  /** A plain-data description from which `lossFromSpec` rebuilds the metric (built-in losses; lets a worker thread share the work). */
  readonly spec?: LossSpec;
  /** Per-row distance of a difference tensor (n×d → n) and its gradient ∂d_i/∂diff_i (n×d). */
  tensorDistanceAndGradient(diff: tf.Tensor2D): { readonly distance: tf.Tensor1D; readonly gradient: tf.Tensor2D };
}

/** Serializable description of a built-in metric. */
export type LossSpec = { readonly kind: 'squared-l2' } | { readonly kind: 'pseudo-huber'; readonly c: number; readonly dim: number };

/** Rebuilds a built-in loss from its spec (the weighting is not part of the spec: weights travel per point). */
export function lossFromSpec(spec: LossSpec): ConsistencyLoss {
  return spec.kind === 'squared-l2' ? squaredL2Loss() : pseudoHuberLoss({ dim: spec.dim, c: spec.c });
}

/** λ ≡ 1 (Song et al. 2023). */
export function uniformWeighting(): LossWeighting {
  return { id: 'uniform', weight: () => 1 };
}

/** λ(σ_i) = 1/(σ_{i+1} − σ_i) (iCT, Song & Dhariwal 2024 §3.7 item 1). */
export function inverseStepWeighting(): LossWeighting {
  return {
    id: 'inverse-step',
    weight: (tLow, tHigh) => {
      const h = tHigh - tLow;
      if (!(h > 0)) throw new ValidationError('E_INVALID_INPUT', `needs tHigh > tLow, got [${tLow}, ${tHigh}]`, 'weighting');
      return 1 / h;
    },
  };
}

/** d(a, b) = ‖a − b‖₂². */
export function squaredL2Loss(options: { readonly weighting?: LossWeighting } = {}): ConsistencyLoss {
  return {
    id: 'squared-l2',
    spec: { kind: 'squared-l2' },
    weighting: options.weighting ?? uniformWeighting(),
    distance: (a, b) => perPoint(a, b, (s) => s),
    tensorDistanceAndGradient: (diff) => ({ distance: tf.sum(tf.square(diff), 1), gradient: tf.mul(diff, 2) }),
  };
}

export interface PseudoHuberOptions {
  /** Data dimension d; sets the default c. */
  readonly dim: number;
  /** @defaultValue 0.00054·√d (iCT, Song & Dhariwal 2024 Eq. 8) */
  readonly c?: number;
  /** @defaultValue inverseStepWeighting() */
  readonly weighting?: LossWeighting;
}

/** d(a, b) = √(‖a − b‖² + c²) − c with c = 0.00054·√d (iCT, THEORY §3.7 item 3). */
export function pseudoHuberLoss(options: PseudoHuberOptions): ConsistencyLoss {
  if (!Number.isInteger(options.dim) || options.dim < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${options.dim}`, 'dim');
  const c = options.c ?? 0.00054 * Math.sqrt(options.dim);
  if (!(c > 0) || !Number.isFinite(c)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${c}`, 'c');
  return {
    id: `pseudo-huber(c=${c})`,
    spec: { kind: 'pseudo-huber', c, dim: options.dim },
    weighting: options.weighting ?? inverseStepWeighting(),
    // √(s + c²) − c = s/(√(s + c²) + c): no cancellation when s ≪ c²
    distance: (a, b) => perPoint(a, b, (s) => s / (Math.sqrt(s + c * c) + c)),
    // d = s/(√(s + c²) + c), ∂d/∂diff = diff/√(s + c²)
    tensorDistanceAndGradient: (diff) => {
      const s = tf.sum(tf.square(diff), 1);
      const root = tf.sqrt(tf.add(s, c * c));
      const distance = tf.div(s, tf.add(root, c)) as tf.Tensor1D;
      const gradient = tf.div(diff, tf.reshape(root, [-1, 1])) as tf.Tensor2D;
      s.dispose();
      root.dispose();
      return { distance, gradient };
    },
  };
}

function perPoint(a: PointBatch, b: PointBatch, lossOfSquaredNorm: (squaredNorm: number) => number): Float64Array {
  return squaredDistances(a, b).map(lossOfSquaredNorm);
}

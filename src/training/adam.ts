import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from '../core/errors.ts';

export interface AdamOptions {
  /** @defaultValue 1e-3 */
  readonly learningRate?: number;
  /** @defaultValue 0.9 */
  readonly beta1?: number;
  /** @defaultValue 0.999 */
  readonly beta2?: number;
  /** @defaultValue 1e-8 */
  readonly epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015) with its state held as explicit tensors, so a checkpoint can save and restore it exactly
 * (tfjs's built-in optimiser keeps its slots internal). Bias corrections are computed in float64.
 */
export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied. */
  step = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];

  constructor(parameters: readonly tf.Variable[], options: AdamOptions = {}) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    if (!(this.learningRate > 0) || !Number.isFinite(this.learningRate)) {
      throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${this.learningRate}`, 'learningRate');
    }
    for (const [name, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new ValidationError('E_INVALID_INPUT', `must be in [0, 1), got ${b}`, name);
    }
    // inside tidy so the zero tensors the variables are initialised from are released (variables survive tidy)
    this.m = tf.tidy(() => parameters.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => parameters.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /** θ ← θ − lr·m̂/(√v̂ + ε) for each parameter with its gradient (same order as the constructor's list). */
  apply(parameters: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    this.step += 1;
    const c1 = 1 - Math.pow(this.beta1, this.step);
    const c2 = 1 - Math.pow(this.beta2, this.step);
    const stepSize = (this.learningRate * Math.sqrt(c2)) / c1;
    const epsHat = this.epsilon * Math.sqrt(c2);
    tf.tidy(() => {
      parameters.forEach((p, i) => {
        const g = gradients[i]!;
        const m = this.m[i]!;
        const v = this.v[i]!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        p.assign(tf.sub(p, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), epsHat))));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { Rng } from '../random/rng.ts';
import { evaluateByTimeGroups, timesPerPoint, type FunctionClass, type Parameterization, type ParameterSnapshot, type TrainableConsistencyFunction } from './consistencyFunction.ts';
import { assertTfjsReady, entryToTensor, float64ToTensor2D, tensorToBatch, tensorToEntry } from './tfjsBoundary.ts';

export type MlpActivation = 'silu' | 'relu' | 'tanh';

/**
 * How the backward pass forms dW = hᵀ·dz and dh = dz·Wᵀ. 'transposed-operand': matMul with a transpose flag, as
 * tfjs's own matMul gradient does (the slow path of XNNPACK in tfjs-wasm, < 2 GFLOP/s measured here).
 * 'explicit-transpose': transpose the operand first (an O(n·width) copy) and multiply untransposed (fast path).
 */
export type LinearGradient = 'transposed-operand' | 'explicit-transpose';

export interface MlpOptions {
  /** Hidden width. @defaultValue 128 */
  readonly width?: number;
  /** Number of hidden layers. @defaultValue 3 */
  readonly depth?: number;
  /** @defaultValue 'silu' */
  readonly activation?: MlpActivation;
  /** Number of sinusoidal time features of c_noise (even). @defaultValue 16 */
  readonly embeddingSize?: number;
  /** @defaultValue 'explicit-transpose' */
  readonly linearGradient?: LinearGradient;
}

/** The resolved architecture, stored in model.json. */
export interface MlpArchitecture {
  readonly dim: number;
  readonly width: number;
  readonly depth: number;
  readonly activation: MlpActivation;
  readonly embeddingSize: number;
  readonly linearGradient: LinearGradient;
}

export function resolveMlpArchitecture(dim: number, options: MlpOptions = {}): MlpArchitecture {
  const arch = {
    dim,
    width: options.width ?? 128,
    depth: options.depth ?? 3,
    activation: options.activation ?? 'silu',
    embeddingSize: options.embeddingSize ?? 16,
    linearGradient: options.linearGradient ?? 'explicit-transpose',
  };
  const positiveInt = (v: number, field: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new ValidationError('E_INVALID_INPUT', `must be a positive integer, got ${v}`, field);
  };
  positiveInt(dim, 'dim');
  positiveInt(arch.width, 'width');
  positiveInt(arch.depth, 'depth');
  if (!Number.isInteger(arch.embeddingSize) || arch.embeddingSize < 0 || arch.embeddingSize % 2 !== 0) {
    throw new ValidationError('E_INVALID_INPUT', `must be an even integer ≥ 0, got ${arch.embeddingSize}`, 'embeddingSize');
  }
  if (!['silu', 'relu', 'tanh'].includes(arch.activation)) {
    throw new ValidationError('E_INVALID_INPUT', `must be silu, relu or tanh, got '${arch.activation}'`, 'activation');
  }
  if (!['transposed-operand', 'explicit-transpose'].includes(arch.linearGradient)) {
    throw new ValidationError('E_INVALID_INPUT', `must be transposed-operand or explicit-transpose, got '${arch.linearGradient}'`, 'linearGradient');
  }
  return arch;
}

/**
 * Time features of c_noise, 1 + `size` values written at out[offset…]: c itself, then sin(ω_k c), cos(ω_k c) at
 * ω_k = π·2^{k−1}, k = 0 … size/2 − 1 (c_noise = ¼ log σ lies in about [−1.6, 1.1] for σ ∈ [0.002, 80]).
 */
export function timeFeatures(cNoise: number, size: number, out: Float64Array, offset: number): void {
  out[offset] = cNoise;
  for (let k = 0; k < size / 2; k++) {
    const w = Math.PI * 2 ** (k - 1);
    out[offset + 1 + 2 * k] = Math.sin(w * cNoise);
    out[offset + 2 + 2 * k] = Math.cos(w * cNoise);
  }
}

/** Float64 inputs of the network for a batch: rows [c_in(t)·x, time features], plus c_skip(t), c_out(t) per point. */
export interface NetworkInputs {
  readonly input: Float64Array;
  readonly cSkip: Float64Array;
  readonly cOut: Float64Array;
  readonly inputWidth: number;
}

/**
 * A tfjs MLP consistency function f(x, t) = c_skip(t)·x + c_out(t)·F(c_in(t)·x, c_noise(t)) (THEORY §3.2).
 *
 * Float32 inside (the tfjs network F), float64 outside: c_skip·x and c_out·F are formed in float64 from the
 * network's float32 output, so f(x, tMin) = x holds exactly (c_out(tMin) = 0) whatever the backend. Away from the
 * boundary the model carries float32 error in F: relative ≈ 1e-6 of |c_out·F|.
 */
export class MlpConsistency implements TrainableConsistencyFunction {
  readonly id: string;
  readonly precision = 'float32' as const;
  readonly parameterization: Parameterization;
  readonly architecture: MlpArchitecture;
  /** W₀, b₀, W₁, b₁, …: W_l is [in, out] so the forward product x·W is untransposed. */
  readonly variables: tf.Variable[];

  /**
   * Needs `await initTfjsBackend()` first. `init` is either the parameter values (in `variables` order) or an Rng to
   * draw them from; `zeros` creates zero parameters (a replica whose values will be assigned, e.g. in a worker).
   */
  constructor(parameterization: Parameterization, architecture: MlpArchitecture, init: Float64Array[] | Rng, trainable = true, zeros = false) {
    assertTfjsReady();
    this.parameterization = parameterization;
    this.architecture = architecture;
    const a = architecture;
    this.id = `mlp-${a.depth}x${a.width}-${a.activation}`;
    const shapes = layerShapes(a);
    const values = zeros ? shapes.map((s) => new Float64Array(s.reduce((p, v) => p * v, 1))) : init instanceof Array ? init : initialValues(shapes, init);
    if (values.length !== shapes.length) throw new ValidationError('E_DIMENSION', `has ${values.length} parameter arrays, expected ${shapes.length}`, 'parameters');
    this.variables = shapes.map((shape, i) => {
      const entry = { name: parameterName(i), shape, values: values[i]! };
      if (entry.values.length !== shape.reduce((p, s) => p * s, 1)) {
        throw new ValidationError('E_DIMENSION', `has ${entry.values.length} values, expected shape [${shape.join(', ')}]`, `parameters.${entry.name}`);
      }
      const t = entryToTensor(entry);
      const v = tf.variable(t, trainable, `${this.id}/${entry.name}/${variableCounter++}`);
      t.dispose();
      return v;
    });
  }

  /** The network inputs of a batch at per-point times, in float64. */
  networkInputs(x: PointBatch, times: Float64Array): NetworkInputs {
    const { n, d } = x;
    if (d !== this.architecture.dim) throw new ValidationError('E_DIMENSION', `points have dimension ${d}, the model has ${this.architecture.dim}`, 'x');
    const E = this.architecture.embeddingSize;
    const w = d + 1 + E;
    const input = new Float64Array(n * w);
    const cSkip = new Float64Array(n);
    const cOut = new Float64Array(n);
    const p = this.parameterization;
    let lastT = Number.NaN;
    let cSkipAtT = 0;
    let cOutAtT = 0;
    let cInAtT = 0;
    let cNoiseAtT = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i]!;
      if (t !== lastT) {
        cSkipAtT = p.cSkip(t);
        cOutAtT = p.cOut(t);
        cInAtT = p.cIn(t);
        cNoiseAtT = p.cNoise(t);
        lastT = t;
      }
      cSkip[i] = cSkipAtT;
      cOut[i] = cOutAtT;
      for (let j = 0; j < d; j++) input[i * w + j] = cInAtT * x.data[i * d + j]!;
      timeFeatures(cNoiseAtT, E, input, i * w + d);
    }
    return { input, cSkip, cOut, inputWidth: w };
  }

  /** F on a float32 input tensor [n, d + 1 + E] → [n, d]; differentiable in `variables`. */
  network(input: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = input;
      const L = this.architecture.depth;
      for (let l = 0; l <= L; l++) {
        const W = this.variables[2 * l] as tf.Tensor2D;
        const b = this.variables[2 * l + 1] as tf.Tensor1D;
        h = tf.add(tf.matMul(h, W), b);
        if (l < L) h = activate(h, this.architecture.activation);
      }
      return h;
    });
  }

  /**
   * Loss and its exact gradient in every parameter, by a hand-written backward pass (tfjs-core registers no op
   * gradients; writing the pass also keeps every product in the fast untransposed layout).
   *
   * The per-point residual is diff_i = c_out,i·F(input_i) − r_i with r_i = target_i − c_skip,i·x_i formed in float64
   * by the caller; the loss is Σ_i w_i·dist(diff_i) / n. `distanceAndGradient` gives dist and ∂dist/∂diff.
   * Returns tensors the caller must dispose: the scalar loss, the per-point distances, and one gradient per variable.
   */
  lossAndGradients(
    input: tf.Tensor2D,
    residualTarget: tf.Tensor2D,
    cOut: tf.Tensor2D,
    weights: tf.Tensor2D,
    distanceAndGradient: (diff: tf.Tensor2D) => { readonly distance: tf.Tensor1D; readonly gradient: tf.Tensor2D },
  ): { loss: tf.Scalar; perPoint: tf.Tensor1D; gradients: tf.Tensor[] } {
    return tf.tidy(() => {
      const L = this.architecture.depth;
      const n = input.shape[0];
      const hs: tf.Tensor2D[] = [input];
      const zs: tf.Tensor2D[] = [];
      // silu keeps σ(z) from the forward pass for its derivative
      const sigmoids: tf.Tensor2D[] = [];
      const silu = this.architecture.activation === 'silu';
      let h = input;
      for (let l = 0; l <= L; l++) {
        const z = tf.add(tf.matMul(h, this.variables[2 * l] as tf.Tensor2D), this.variables[2 * l + 1]!) as tf.Tensor2D;
        zs.push(z);
        if (l < L) {
          if (silu) {
            const sig = tf.sigmoid(z);
            sigmoids.push(sig);
            h = tf.mul(z, sig);
          } else {
            h = activate(z, this.architecture.activation);
          }
          hs.push(h);
        }
      }
      const F = zs[L]!;
      const diff = tf.sub(tf.mul(cOut, F), residualTarget) as tf.Tensor2D;
      const { distance, gradient } = distanceAndGradient(diff);
      const perPoint = tf.mul(distance, tf.reshape(weights, [-1])) as tf.Tensor1D;
      const loss = tf.div(tf.sum(perPoint), n) as tf.Scalar;
      let dz = tf.mul(tf.mul(gradient, cOut), tf.div(weights, n)) as tf.Tensor2D;
      const gradients: tf.Tensor[] = new Array(2 * (L + 1));
      const explicit = this.architecture.linearGradient === 'explicit-transpose';
      // bias gradients as 1ᵀ·dz: tfjs-wasm's column reduction sum(dz, 0) is strided and ~60× slower than this product
      const onesRow = explicit ? tf.ones([1, n]) : undefined;
      for (let l = L; l >= 0; l--) {
        const W = this.variables[2 * l] as tf.Tensor2D;
        const hl = hs[l]!;
        gradients[2 * l] = explicit ? tf.matMul(tf.transpose(hl), dz) : tf.matMul(hl, dz, true, false);
        gradients[2 * l + 1] = onesRow ? tf.reshape(tf.matMul(onesRow as tf.Tensor2D, dz), [W.shape[1]]) : tf.sum(dz, 0);
        if (l > 0) {
          const dh = explicit ? tf.matMul(dz, tf.transpose(W)) : tf.matMul(dz, W, false, true);
          const derivative = silu
            ? tf.add(sigmoids[l - 1]!, tf.mul(hs[l]!, tf.sub(1, sigmoids[l - 1]!))) // σ + h(1 − σ)
            : activationDerivative(zs[l - 1]!, hs[l]!, this.architecture.activation);
          dz = tf.mul(dh, derivative) as tf.Tensor2D;
        }
      }
      return { loss, perPoint, gradients };
    });
  }

  evaluate(x: PointBatch, t: number | Float64Array): PointBatch {
    const times = timesPerPoint(t, x.n);
    const { input, cSkip, cOut, inputWidth } = this.networkInputs(x, times);
    const F = tf.tidy(() => this.network(float64ToTensor2D(input, x.n, inputWidth)));
    const out = tensorToBatch(F);
    F.dispose();
    const d = x.d;
    for (let i = 0; i < x.n; i++) {
      for (let j = 0; j < d; j++) out.data[i * d + j] = cSkip[i]! * x.data[i * d + j]! + cOut[i]! * out.data[i * d + j]!;
    }
    return out;
  }

  snapshot(): ParameterSnapshot {
    return { dtype: 'float32', entries: this.variables.map((v, i) => tensorToEntry(parameterName(i), v)) };
  }

  restore(snapshot: ParameterSnapshot): void {
    if (snapshot.entries.length !== this.variables.length) {
      throw new ValidationError('E_DIMENSION', `has ${snapshot.entries.length} entries, the model ${this.variables.length}`, 'snapshot');
    }
    snapshot.entries.forEach((e, i) => {
      const v = this.variables[i]!;
      if (e.shape.length !== v.shape.length || e.shape.some((s, k) => s !== v.shape[k])) {
        throw new ValidationError('E_DIMENSION', `has shape [${e.shape.join(', ')}], expected [${v.shape.join(', ')}]`, `snapshot.${e.name}`);
      }
      const t = entryToTensor(e);
      v.assign(t);
      t.dispose();
    });
  }

  /** θ⁻ ← μθ⁻ + (1 − μ)θ from a model of the same architecture (EMA teacher update). */
  emaUpdateFrom(source: MlpConsistency, rate: number): void {
    if (rate === 1) return;
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        v.assign(rate === 0 ? source.variables[i]! : tf.add(tf.mul(v, rate), tf.mul(source.variables[i]!, 1 - rate)));
      });
    });
  }

  /** A model with the same architecture and a copy of the parameters (non-trainable: a teacher). */
  cloneFrozen(): MlpConsistency {
    const m = new MlpConsistency(this.parameterization, this.architecture, this.snapshot().entries.map((e) => e.values), false);
    return m;
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** The MLP function class: `mlpFunctionClass(parameterization, { width, depth, activation })`. */
export function mlpFunctionClass(parameterization: Parameterization, options: MlpOptions = {}): FunctionClass<MlpConsistency> {
  const probe = resolveMlpArchitecture(1, options);
  return {
    id: `mlp-${probe.depth}x${probe.width}-${probe.activation}`,
    parameterization,
    instantiate: (dim, rng) => new MlpConsistency(parameterization, resolveMlpArchitecture(dim, options), rng),
  };
}

let variableCounter = 0;

function parameterName(i: number): string {
  return `${i % 2 === 0 ? 'W' : 'b'}${i >> 1}`;
}

function layerShapes(a: MlpArchitecture): number[][] {
  const shapes: number[][] = [];
  let fanIn = a.dim + 1 + a.embeddingSize;
  for (let l = 0; l < a.depth; l++) {
    shapes.push([fanIn, a.width], [a.width]);
    fanIn = a.width;
  }
  shapes.push([fanIn, a.dim], [a.dim]);
  return shapes;
}

/** W ~ N(0, gain²/fan_in) (He-style, gain √2 for relu/silu, 1 for tanh), b = 0; the output layer scaled by ¼. */
function initialValues(shapes: number[][], rng: Rng): Float64Array[] {
  return shapes.map((shape, i) => {
    const size = shape.reduce((p, s) => p * s, 1);
    if (shape.length === 1) return new Float64Array(size);
    const fanIn = shape[0]!;
    const isOutput = i === shapes.length - 2;
    const scale = (isOutput ? 0.25 : Math.SQRT2) / Math.sqrt(fanIn);
    return rng.child(parameterName(i)).fillNormal(new Float64Array(size)).map((v) => scale * v);
  });
}

function activate(h: tf.Tensor2D, activation: MlpActivation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(h);
    case 'tanh':
      return tf.tanh(h);
    case 'silu':
      return tf.mul(h, tf.sigmoid(h));
  }
}

/** act′(z), given z and h = act(z). */
function activationDerivative(z: tf.Tensor2D, h: tf.Tensor2D, activation: MlpActivation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.step(z, 0);
    case 'tanh':
      return tf.sub(1, tf.square(h));
    case 'silu': {
      // silu′(z) = σ(z)·(1 + z(1 − σ(z))) = σ(z) + h(1 − σ(z))
      const sig = tf.sigmoid(z);
      return tf.add(sig, tf.mul(h, tf.sub(1, sig)));
    }
  }
}

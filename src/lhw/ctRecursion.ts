import { ValidationError } from '../core/errors.ts';
import { pointBatch, type PointBatch } from '../core/pointBatch.ts';
import { GaussianMixture } from '../distributions/gaussianMixture.ts';
import { referenceFlow, type ReferenceFlow } from '../flows/referenceFlow.ts';
import type { LhwSchedule } from '../processes/lhwSchedule.ts';
import { gaussHermite } from '../numerics/gaussHermite.ts';
import type { LhwSetting } from '../checks/lhw/lhwSetting.ts';
import { posteriorMixture } from './posteriorMixture.ts';

/**
 * How X_{t−1} is paired with X_t in the consistency-training objective (THEORY §1.5, §5.2–5.3):
 * 'ct' — the shared-noise coupling of Li–Huang–Wei's objective (14): X_{t−1} = A_t x + B_t X₀ given X_t = x;
 * 'markov' — the forward Markov chain (DDPM posterior): X_{t−1} = c_x x + c₀ X₀ + √β̃_t ξ, the negative control
 * whose idealised recursion collapses to E[X₁ | X_t];
 * { kind: 'partial-markov', weight, decay } — the DDIM-type interpolation between the two, X_{t−1} = a_x x + a₀X₀ + σξ
 * with a_x = (1 − w)A_t + w·c_x, a₀ = √ᾱ_{t−1} − a_x√ᾱ_t, σ² = (1 − ᾱ_{t−1}) − a_x²(1 − ᾱ_t) ≥ 0 (c_x ≤ A_t), so X_{t−1}
 * keeps its marginal; the Markov weight w = min(1, weight·T^{−decay}/log T) is the same at every step. The Markov part
 * shrinks the idealised gains by a factor 1 − O(β_t/(1−ᾱ_t)) per step, Σ_t β_t/(1−ᾱ_t) ≈ c₀ log T in all, so for small w
 * the idealised output error is ≈ w·c₀ log T × const ∝ T^{−decay}: a coupling whose error decays at a chosen rate.
 */
export type Coupling = 'ct' | 'markov' | { readonly kind: 'partial-markov'; readonly weight: number; readonly decay: number };

/** X_{t−1} = ax·x + a0·X₀ + noise·ξ given X_t = x and X₀ (ξ standard normal, independent). */
export interface CouplingCoefficients {
  readonly ax: number;
  readonly a0: number;
  readonly noise: number;
}

/** Coefficients of the coupling at step t (2 ≤ t ≤ T). */
export function couplingCoefficients(schedule: LhwSchedule, coupling: Coupling, t: number): CouplingCoefficients {
  const abPrev = schedule.alphaBars[t - 1]!;
  const ab = schedule.alphaBars[t]!;
  const omPrev = schedule.oneMinusAlphaBars[t - 1]!;
  const om = schedule.oneMinusAlphaBars[t]!;
  if (coupling === 'ct') {
    const A = Math.sqrt(omPrev / om);
    return { ax: A, a0: Math.sqrt(abPrev) - Math.sqrt(ab) * A, noise: 0 };
  }
  const beta = schedule.betas[t]!;
  if (coupling === 'markov') {
    return {
      ax: (Math.sqrt(1 - beta) * omPrev) / om,
      a0: (Math.sqrt(abPrev) * beta) / om,
      noise: Math.sqrt((omPrev * beta) / om),
    };
  }
  const A = Math.sqrt(omPrev / om);
  if (!(coupling.weight >= 0 && Number.isFinite(coupling.weight))) throw new ValidationError('E_INVALID_INPUT', `must be finite and ≥ 0, got ${coupling.weight}`, 'coupling.weight');
  if (!Number.isFinite(coupling.decay)) throw new ValidationError('E_INVALID_INPUT', `must be finite, got ${coupling.decay}`, 'coupling.decay');
  const w = Math.min(1, (coupling.weight * schedule.T ** -coupling.decay) / Math.log(schedule.T));
  // a_x = A(1 − wδ) with δ = 1 − c_x/A, so σ² = (1−ᾱ_{t−1})(1 − (1 − wδ)²) = (1−ᾱ_{t−1})·wδ(2 − wδ) without cancellation
  const delta = -Math.expm1(0.5 * (Math.log1p(-beta) + Math.log(omPrev / om)));
  const ax = A * (1 - w * delta);
  return { ax, a0: Math.sqrt(abPrev) - Math.sqrt(ab) * ax, noise: Math.sqrt(omPrev * w * delta * (2 - w * delta)) };
}

/** A short name of a coupling for reports. */
export function couplingName(coupling: Coupling): string {
  if (coupling === 'ct') return 'shared-noise (CT)';
  if (coupling === 'markov') return 'Markov';
  return `partial-Markov (weight ${coupling.weight}·T^{−${coupling.decay}}/log T)`;
}

/** Time of step t on the flow clock of the schedule (u = −log ᾱ_t). */
export function flowTime(schedule: LhwSchedule, t: number): number {
  return schedule.timeOfStep(t);
}

/** The exact flows of a setting on the schedule's ᾱ-clock: Φ_{t→k}(x), with Jacobians. */
export function settingFlow(setting: LhwSetting, method: 'auto' | 'ode' | 'closed-form' | 'quantile-map' = 'auto'): ReferenceFlow {
  return referenceFlow(setting.target, setting.schedule.process(), { method });
}

/** E[X_{t−1} | X_t = x] = ax·x + a0·E[X₀ | x] (closed form; for 'ct' this is the DDIM step with the exact score). */
export function conditionalPreviousMean(setting: LhwSetting, coupling: Coupling, t: number, x: PointBatch): PointBatch {
  const { ax, a0 } = couplingCoefficients(setting.schedule, coupling, t);
  const s = setting.schedule;
  const post = setting.target.noised(Math.sqrt(s.alphaBars[t]!), Math.sqrt(s.oneMinusAlphaBars[t]!)).posteriorMean(x);
  const out = pointBatch(x.n, x.d);
  for (let i = 0; i < out.data.length; i++) out.data[i] = ax * x.data[i]! + a0 * post.data[i]!;
  return out;
}

/**
 * E[g(X_{t−1}) | X_t = x] for every point of x, by tensor Gauss–Hermite quadrature (G nodes per dimension) over
 * each Gaussian component of the law of X_{t−1} given x (the posterior mixture of X₀ pushed through the
 * coupling). Exact for polynomial g of degree ≤ 2G − 1 (in particular affine g); `g` is called once on all nodes.
 * Needs a GaussianMixture target; cost n·K·G^d evaluations of g. With `minWeight` > 0, posterior components of
 * weight below it are left out (the result then differs by at most minWeight·K·max‖g‖ from the full rule): far from
 * the boundary between modes most posteriors sit on one component, so this cuts the cost by up to K.
 */
export function conditionalExpectation(setting: LhwSetting, coupling: Coupling, t: number, x: PointBatch, g: (y: PointBatch) => PointBatch, G = 8, minWeight = 0): PointBatch {
  const target = setting.target;
  if (!(target instanceof GaussianMixture)) throw new ValidationError('E_UNSUPPORTED', 'conditional expectations need a GaussianMixture target', 'target');
  const d = x.d;
  const s = setting.schedule;
  const { ax, a0, noise } = couplingCoefficients(s, coupling, t);
  const marginal = target.noised(Math.sqrt(s.alphaBars[t]!), Math.sqrt(s.oneMinusAlphaBars[t]!));
  const rule = gaussHermite(G);
  const nodesPerComponent = G ** d;
  const K = target.components;
  const nodeData: number[] = [];
  const weights: number[] = [];
  /** rows[i] = first node row of point i; rows[n] = the total. */
  const rows = new Int32Array(x.n + 1);
  const idx = new Int32Array(d);
  for (let i = 0; i < x.n; i++) {
    rows[i] = weights.length;
    const xi = x.data.subarray(i * d, (i + 1) * d);
    const post = posteriorMixture(target, marginal, xi);
    for (let k = 0; k < K; k++) {
      if (minWeight > 0 && post.weights[k]! < minWeight) continue;
      const U = post.vectors[k]!;
      const sd = post.variances[k]!.map((v) => Math.sqrt(a0 * a0 * v + noise * noise));
      const mean = post.means[k]!;
      for (let q = 0; q < nodesPerComponent; q++) {
        let rem = q;
        let w = post.weights[k]!;
        for (let j = 0; j < d; j++) {
          idx[j] = rem % G;
          rem = Math.floor(rem / G);
          w *= rule.weights[idx[j]!]!;
        }
        weights.push(w);
        for (let a = 0; a < d; a++) {
          let v = ax * xi[a]! + a0 * mean[a]!;
          for (let j = 0; j < d; j++) v += U[a * d + j]! * sd[j]! * rule.nodes[idx[j]!]!;
          nodeData.push(v);
        }
      }
    }
  }
  rows[x.n] = weights.length;
  const values = g(pointBatch(weights.length, d, Float64Array.from(nodeData)));
  const out = pointBatch(x.n, values.d);
  for (let i = 0; i < x.n; i++) {
    for (let row = rows[i]!; row < rows[i + 1]!; row++) {
      for (let a = 0; a < values.d; a++) out.data[i * values.d + a] = out.data[i * values.d + a]! + weights[row]! * values.data[row * values.d + a]!;
    }
  }
  return out;
}

/** A consistency-training sequence f_t, t = 1..T, on the LHW grid (f₁ = id); f_T(N(0, I)) is the sampler's output. */
export interface ConsistencySequence {
  readonly label: string;
  readonly T: number;
  evaluate(t: number, x: PointBatch): PointBatch;
}

/**
 * A consistency function on the schedule's own clock (u = −log ᾱ, tMin = u₁ — e.g. a model trained with
 * `lhwSequentialTrainingVariant`) seen as the sequence f_t = f(·, u_t); f₁ = id is enforced.
 */
export function sequenceFromConsistencyFunction(model: { readonly id: string; evaluate(x: PointBatch, t: number): PointBatch }, schedule: LhwSchedule): ConsistencySequence {
  return {
    label: model.id,
    T: schedule.T,
    evaluate: (t, x) => (t === 1 ? pointBatch(x.n, x.d, Float64Array.from(x.data)) : model.evaluate(x, schedule.timeOfStep(t))),
  };
}

/** f_t = Φ_t = Φ_{t→1}: the exact flow (the target of consistency training). */
export function flowSequence(setting: LhwSetting): ConsistencySequence {
  const flow = settingFlow(setting);
  const s = setting.schedule;
  return {
    label: 'exact flow Φ_t',
    T: s.T,
    evaluate: (t, x) => (t === 1 ? pointBatch(x.n, x.d, Float64Array.from(x.data)) : flow.map(x, s.timeOfStep(t), s.timeOfStep(1)).y),
  };
}

/**
 * For a single Gaussian N(μ, Σ): the idealised sequence f_t = E[f_{t−1}(X_{t−1}) | X_t] (+ δ) in closed form
 * (THEORY §5.3). Every f_t is affine, f_t(x) = √ᾱ₁μ + U diag(G_t) Uᵀ(x − √ᾱ_tμ) + (t−1)δ, with G₁ = 1 and
 * G_t = G_{t−1}·e_t, e_t = ax + a0·√ᾱ_tλ/c_t, c_t = ᾱ_tλ + 1 − ᾱ_t (the posterior-mean gain pushed through the
 * coupling). For 'ct', e_t = cos(φ_t − φ_{t−1})·√(c_{t−1}/c_t) with φ = atan2(√(1−ᾱ), √(ᾱλ)); for 'markov' the
 * recursion collapses to E[X₁ | X_t]. A constant offset δ added at every step accumulates to (t−1)δ.
 */
export function gaussianIdealisedSequence(setting: LhwSetting, coupling: Coupling, offset?: readonly number[]): ConsistencySequence & { readonly gains: readonly Float64Array[] } {
  const target = setting.target;
  if (!(target instanceof GaussianMixture) || target.components !== 1) {
    throw new ValidationError('E_UNSUPPORTED', 'the closed-form idealised sequence needs a single Gaussian target', 'target');
  }
  const s = setting.schedule;
  const d = target.dim;
  const { values: lambdas, vectors: U } = target.eigen[0]!;
  const mu = target.means[0]!;
  const gains: Float64Array[] = [Float64Array.from({ length: d }, () => 1), Float64Array.from({ length: d }, () => 1)];
  for (let t = 2; t <= s.T; t++) {
    const { ax, a0 } = couplingCoefficients(s, coupling, t);
    const ab = s.alphaBars[t]!;
    const om = s.oneMinusAlphaBars[t]!;
    const prev = gains[t - 1]!;
    gains.push(Float64Array.from(lambdas, (lam, i) => prev[i]! * (ax + (a0 * Math.sqrt(ab) * lam) / (ab * lam + om))));
  }
  const delta = offset ?? new Array<number>(d).fill(0);
  return {
    label: `idealised ${coupling === 'ct' ? 'CT' : 'Markov-coupled CT'} (closed form)${offset ? ` + offset δ = [${offset.join(', ')}] per step` : ''}`,
    T: s.T,
    gains,
    evaluate(t, x) {
      const out = pointBatch(x.n, d);
      const gt = gains[t]!;
      const a1 = Math.sqrt(s.alphaBars[1]!);
      const at = Math.sqrt(s.alphaBars[t]!);
      const rotated = new Float64Array(d);
      for (let i = 0; i < x.n; i++) {
        for (let j = 0; j < d; j++) {
          let v = 0;
          for (let a = 0; a < d; a++) v += U[a * d + j]! * (x.data[i * d + a]! - at * mu[a]!);
          rotated[j] = gt[j]! * v;
        }
        for (let a = 0; a < d; a++) {
          let v = t === 1 ? x.data[i * d + a]! : a1 * mu[a]! + (t - 1) * delta[a]!;
          if (t !== 1) for (let j = 0; j < d; j++) v += U[a * d + j]! * rotated[j]!;
          out.data[i * d + a] = v;
        }
      }
      return out;
    },
  };
}

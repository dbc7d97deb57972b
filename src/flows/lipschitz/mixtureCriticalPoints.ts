import { pointBatch, type PointBatch } from '../../core/pointBatch.ts';
import type { GaussianMixture, NoisedMixture } from '../../distributions/gaussianMixture.ts';
import { symmetricEigen } from '../../numerics/symmetricEigen.ts';

/**
 * Where a flow Jacobian of a Gaussian mixture is largest is where p_t is small between modes: by Liouville,
 * det ∂Φ_{t→k}(x) = p_t(x)/p_k(Φ_{t→k}(x)), so points whose image lies at a saddle or a local minimum of p_k (between
 * modes; the centre of a ring) are stretched most. These are the starting points of the Lipschitz searches.
 *
 * The seeds of a noised mixture p = Σ w_k N(a·μ_k, a²Σ_k + s²I): its modes' centres a·μ_k, the midpoints a(μ_i + μ_j)/2
 * of every pair, the mean a·μ̄, and the critical points of log p (∇log p = 0: maxima, saddles, minima) that Newton's
 * method reaches from each of them.
 */
export function mixtureSeeds(target: GaussianMixture, marginal: NoisedMixture, signal: number): PointBatch {
  const d = target.dim;
  const K = target.components;
  const rows: number[][] = [Array.from(target.mean(), (v) => signal * v)];
  for (let i = 0; i < K; i++) rows.push(Array.from(target.means[i]!, (v) => signal * v));
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) rows.push(Array.from({ length: d }, (_, c) => (signal * (target.means[i]![c]! + target.means[j]![c]!)) / 2));
  const seeds = pointBatch(rows.length, d, Float64Array.from(rows.flat()));
  const critical = criticalPointsOfLogDensity(marginal, seeds, mixtureLengthScale(target, signal, marginal.noise));
  return distinctPoints([seeds, critical], 1e-12 * (1 + maxAbs(seeds.data)));
}

/** A length scale of the noised mixture: the largest component standard deviation √(a²λ_max + s²). */
export function mixtureLengthScale(target: GaussianMixture, signal: number, noise: number): number {
  let lambdaMax = 0;
  for (const e of target.eigen) lambdaMax = Math.max(lambdaMax, ...e.values);
  return Math.sqrt(signal * signal * lambdaMax + noise * noise);
}

/**
 * Critical points of log p (∇log p(x) = 0) by Newton's method on the score from each seed, steps capped at `scale`
 * (a component standard deviation), 100 iterations at most; the points where it converged (‖step‖ ≤ 1e-13·(scale + ‖x‖)),
 * distinct to 1e-9·scale. Newton's method is attracted to maxima, saddles and minima alike.
 */
export function criticalPointsOfLogDensity(marginal: NoisedMixture, seeds: PointBatch, scale: number): PointBatch {
  const d = seeds.d;
  const found: number[][] = [];
  for (let i = 0; i < seeds.n; i++) {
    const x = pointBatch(1, d, Float64Array.from(seeds.data.subarray(i * d, (i + 1) * d)));
    let converged = false;
    for (let iteration = 0; iteration < 100 && !converged; iteration++) {
      const score = marginal.score(x).data;
      const hessian = marginal.scoreHessian(x);
      for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) hessian[b * d + a] = hessian[a * d + b] = (hessian[a * d + b]! + hessian[b * d + a]!) / 2;
      const { values, vectors } = symmetricEigen(hessian, d);
      const largest = Math.max(...Array.from(values, Math.abs));
      const step = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        if (!(Math.abs(values[j]!) > 1e-14 * largest)) continue;
        let projection = 0;
        for (let c = 0; c < d; c++) projection += vectors[c * d + j]! * score[c]!;
        for (let c = 0; c < d; c++) step[c] = step[c]! - (projection / values[j]!) * vectors[c * d + j]!;
      }
      const length = Math.hypot(...step);
      if (!Number.isFinite(length)) break;
      const shrink = length > scale ? scale / length : 1;
      for (let c = 0; c < d; c++) x.data[c] = x.data[c]! + shrink * step[c]!;
      converged = length <= 1e-13 * (scale + Math.hypot(...x.data));
    }
    if (converged) found.push(Array.from(x.data));
  }
  return distinctPoints([pointBatch(found.length, d, Float64Array.from(found.flat()))], 1e-9 * scale);
}

/** The points of the batches with near-duplicates (max-norm distance ≤ tolerance) dropped, first occurrence kept. */
export function distinctPoints(batches: readonly PointBatch[], tolerance: number): PointBatch {
  const d = batches[0]!.d;
  const kept: Float64Array[] = [];
  for (const batch of batches) {
    for (let i = 0; i < batch.n; i++) {
      const p = batch.data.subarray(i * d, (i + 1) * d);
      if (kept.some((q) => q.every((v, c) => Math.abs(v - p[c]!) <= tolerance))) continue;
      kept.push(Float64Array.from(p));
    }
  }
  const out = pointBatch(kept.length, d);
  kept.forEach((p, i) => out.data.set(p, i * d));
  return out;
}

function maxAbs(data: Float64Array): number {
  let m = 0;
  for (const v of data) m = Math.max(m, Math.abs(v));
  return m;
}

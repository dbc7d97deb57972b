/**
 * The numerics of Lyu–Feng–Chen's score-Lipschitz assumption on Gaussian-mixture targets (THEORY §4.2, §6.2 LYU-A1):
 * ‖∇²log p_t‖ per point, the closed-form sup bound for equal covariances, and the scan along the decision boundary
 * of two components with unequal covariances, where the Hessian norm can grow without bound.
 */
import type { PointBatch } from '../core/pointBatch.ts';
import type { GaussianMixture } from '../distributions/gaussianMixture.ts';
import { symmetricEigen } from '../numerics/symmetricEigen.ts';

/** Radii 2^0 … 2^16 of the boundary scan. */
const RADII = 17;
/** Covariances equal to this relative tolerance count as equal (the closed form applies). */
const EQUAL_RTOL = 1e-12;

/** Largest |eigenvalue| of each d×d symmetric block. */
export function symmetricOperatorNorms(h: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const block = h.subarray(i * d * d, (i + 1) * d * d);
    if (d === 1) out[i] = Math.abs(block[0]!);
    else {
      const e = symmetricEigen(Float64Array.from(block), d);
      out[i] = Math.max(...Array.from(e.values, Math.abs));
    }
  }
  return out;
}

/** Whether every component's covariance equals the first's to EQUAL_RTOL relative (then the closed form applies). */
export function covariancesEqual(target: GaussianMixture): boolean {
  const c0 = target.covariances[0]!;
  const scale = Math.max(...Array.from(c0, Math.abs));
  return target.covariances.every((c) => c.every((v, i) => Math.abs(v - c0[i]!) <= EQUAL_RTOL * scale));
}

/** Closed-form sup_x ‖∇²log p_t‖ bound for equal covariances: max(‖C⁻¹‖, a²D²/4·‖C⁻¹‖²). */
export function equalCovarianceScoreLipschitz(target: GaussianMixture, a: number, s: number): number {
  const lamMin = Math.min(...target.eigen[0]!.values);
  const inv = 1 / (a * a * lamMin + s * s);
  let diam2 = 0;
  for (const mj of target.means) for (const mk of target.means) diam2 = Math.max(diam2, mj.reduce((acc, v, i) => acc + (v - mk[i]!) ** 2, 0));
  return Math.max(inv, ((a * a * diam2) / 4) * inv * inv);
}

/** C_k⁻¹ (d×d) of component k at (a, s). */
export function componentPrecision(target: GaussianMixture, k: number, a: number, s: number): Float64Array {
  const d = target.dim;
  const { values, vectors: U } = target.eigen[k]!;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let v = 0;
    for (let m = 0; m < d; m++) v += (U[i * d + m]! * U[j * d + m]!) / (a * a * values[m]! + s * s);
    out[i * d + j] = v;
  }
  return out;
}

/** Boundary points of one component pair at growing radius, with ‖∇²log p_t‖ there. */
export interface BoundaryScan {
  readonly pair: [number, number];
  readonly radii: number[];
  readonly norms: number[];
  readonly points: number[][];
}

/**
 * Points on the decision boundary of components j and k at growing radius along a null direction of
 * C_j⁻¹ − C_k⁻¹ (THEORY §4.2): x(r) = a·μ̄ + r·u + σ·v with σ found by bisection so that the two weighted log-densities
 * agree (v: the positive eigen-direction, along which the log-ratio is a concave parabola).
 */
export function decisionBoundaryScan(target: GaussianMixture, j: number, k: number, a: number, s: number): BoundaryScan | undefined {
  const d = target.dim;
  const Pj = componentPrecision(target, j, a, s);
  const Pk = componentPrecision(target, k, a, s);
  const delta = Pj.map((v, i) => v - Pk[i]!);
  const e = symmetricEigen(delta, d);
  const vals = Array.from(e.values);
  const scale = Math.max(...vals.map(Math.abs));
  const iPos = vals.indexOf(Math.max(...vals));
  const iNeg = vals.indexOf(Math.min(...vals));
  if (!(vals[iPos]! > 1e-9 * scale && vals[iNeg]! < -1e-9 * scale)) return undefined;
  const vPos = Array.from({ length: d }, (_, i) => e.vectors[i * d + iPos]!);
  const vNeg = Array.from({ length: d }, (_, i) => e.vectors[i * d + iNeg]!);
  const lp = vals[iPos]!;
  const ln = -vals[iNeg]!;
  const u = vPos.map((v, i) => Math.sqrt(ln) * v + Math.sqrt(lp) * vNeg[i]!);
  const un = Math.hypot(...u);
  for (let i = 0; i < d; i++) u[i] = u[i]! / un;
  const noised = target.noised(a, s);
  // log det C = −log det C⁻¹
  const logDet = (P: Float64Array): number => -symmetricEigen(P, d).values.reduce((acc, v) => acc + Math.log(v), 0);
  const ldj = logDet(Pj);
  const ldk = logDet(Pk);
  const mj = target.means[j]!.map((v) => a * v);
  const mk = target.means[k]!.map((v) => a * v);
  const quad = (P: Float64Array, x: number[], m: Float64Array): number => {
    let q = 0;
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) q += (x[r]! - m[r]!) * P[r * d + c]! * (x[c]! - m[c]!);
    return q;
  };
  const g = (x: number[]): number =>
    Math.log(target.weights[j]!) - 0.5 * ldj - 0.5 * quad(Pj, x, mj) - (Math.log(target.weights[k]!) - 0.5 * ldk - 0.5 * quad(Pk, x, mk));
  const centre = mj.map((v, i) => 0.5 * (v + mk[i]!));
  const radii: number[] = [];
  const norms: number[] = [];
  const points: number[][] = [];
  for (let q = 0; q < RADII; q++) {
    const r = 2 ** q;
    const base = Array.from(centre, (c, i) => c + r * u[i]!);
    const along = (sigma: number): number[] => base.map((b, i) => b + sigma * vPos[i]!);
    // g(along(σ)) is a concave parabola in σ (leading coefficient −λ₊/2); find its top, then the root below it.
    const g0 = g(along(0));
    const g1 = g(along(1));
    const gm = g(along(-1));
    const curv = 0.5 * (g1 + gm - 2 * g0);
    const top = -(g1 - gm) / (4 * curv);
    if (!(g(along(top)) >= 0)) continue;
    let lo = top - 1;
    while (g(along(lo)) > 0) lo = top - 2 * (top - lo);
    let hi = top;
    for (let it = 0; it < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(top)); it++) {
      const mid = 0.5 * (lo + hi);
      if (g(along(mid)) > 0) hi = mid;
      else lo = mid;
    }
    const x = along(0.5 * (lo + hi));
    const batch: PointBatch = { n: 1, d, data: Float64Array.from(x) };
    radii.push(r);
    norms.push(symmetricOperatorNorms(noised.scoreHessian(batch), 1, d)[0]!);
    points.push(Array.from(x));
  }
  return radii.length >= 3 ? { pair: [j, k], radii, norms, points } : undefined;
}


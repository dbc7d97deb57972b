import { ValidationError } from '../core/errors.ts';
import type { ExactTarget } from './exactTarget.ts';
import { GaussianMixture, gaussian } from './gaussianMixture.ts';

/** One entry of the built-in target zoo: the name other tools use, what it is, and why it is there. */
export interface BuiltInTargetInfo {
  readonly name: string;
  readonly description: string;
  readonly why: string;
}

/** The fixed-dimension built-ins, and the two families with a dimension suffix. */
export const builtInTargetCatalog: readonly BuiltInTargetInfo[] = [
  {
    name: 'bimodal-1d',
    description: '½N(−2, 0.25) + ½N(2, 0.25) in 1-D',
    why: 'exact flows by quantile maps; flow Lipschitz constant ~e^{m²/2v} (Φ′(0) ≈ 326 from t=4 to 0.01, THEORY §4.5): the L_f knob in its simplest form',
  },
  {
    name: 'ring8-2d',
    description: '8 equal modes on the circle of radius 2, covariance 0.04·I',
    why: 'the standard 2-D multimodal benchmark; the default target of `npm start`',
  },
  {
    name: 'grid9-2d',
    description: '3×3 grid of equal modes at {−2, 0, 2}², covariance 0.04·I',
    why: 'modes at different distances from the origin: posteriors of different shapes at the same t',
  },
  {
    name: 'iso-gmm-<d>d',
    description: 'min(2d, 8) equal modes at ±2·e_j (j < min(d, 4)), covariance 0.25·I, any d ≥ 1 (e.g. iso-gmm-8d)',
    why: 'a multimodal target in any dimension for d-sweeps (the d^{5/2} of Li–Huang–Wei Theorem 1)',
  },
  {
    name: 'aniso-gaussian-<d>d',
    description: 'N(½·1, Σ) with eigenvalues geometric from 4 to 1/4, rotated by fixed Givens rotations, any d ≥ 1',
    why: 'closed-form flows with a full covariance; λ_max = 4 makes L_f ≈ 2 (THEORY §6.1 control (i))',
  },
  {
    name: 'crossed-2d',
    description: '½N(0, diag(1, ¼)) + ½N(0, diag(¼, 1))',
    why: 'covariances with an indefinite difference: the score Hessian grows like ‖x‖² along |x₁| = |x₂|, so the score is not globally Lipschitz (THEORY §4.2, v9) — the negative control of Lyu et al.\'s Assumption 1',
  },
];

export const MAX_BUILT_IN_DIM = 1024;

/**
 * A built-in target by name: `bimodal-1d`, `ring8-2d`, `grid9-2d`, `iso-gmm-<d>d`, `aniso-gaussian-<d>d`,
 * `crossed-2d`.
 * @throws ValidationError E_UNKNOWN_TARGET listing the names.
 */
export function builtInTarget(name: string, field = 'target'): ExactTarget {
  switch (name) {
    case 'bimodal-1d':
      return new GaussianMixture([0.5, 0.5], [[-2], [2]], [[0.25], [0.25]], { name });
    case 'ring8-2d': {
      const means = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]);
      return new GaussianMixture(Array(8).fill(1 / 8), means, means.map(() => [0.04, 0, 0, 0.04]), { name });
    }
    case 'grid9-2d': {
      const means: number[][] = [];
      for (const a of [-2, 0, 2]) for (const b of [-2, 0, 2]) means.push([a, b]);
      return new GaussianMixture(Array(9).fill(1 / 9), means, means.map(() => [0.04, 0, 0, 0.04]), { name });
    }
    case 'crossed-2d':
      return new GaussianMixture([0.5, 0.5], [[0, 0], [0, 0]], [[1, 0, 0, 0.25], [0.25, 0, 0, 1]], { name });
  }
  const iso = /^iso-gmm-(\d+)d$/.exec(name);
  if (iso) return isoGmm(parseDim(iso[1]!, name, field), name);
  const aniso = /^aniso-gaussian-(\d+)d$/.exec(name);
  if (aniso) return anisoGaussian(parseDim(aniso[1]!, name, field), name);
  throw new ValidationError('E_UNKNOWN_TARGET', `unknown built-in target '${name}'; known: ${builtInTargetCatalog.map((t) => t.name).join(', ')}`, field);
}

function parseDim(text: string, name: string, field: string): number {
  const d = Number(text);
  if (!Number.isInteger(d) || d < 1 || d > MAX_BUILT_IN_DIM) {
    throw new ValidationError('E_UNKNOWN_TARGET', `'${name}': the dimension must be an integer in [1, ${MAX_BUILT_IN_DIM}]`, field);
  }
  return d;
}

function isoGmm(d: number, name: string): GaussianMixture {
  const axes = Math.min(d, 4);
  const means: number[][] = [];
  for (let j = 0; j < axes; j++) {
    for (const sign of [1, -1]) {
      const m = new Array<number>(d).fill(0);
      m[j] = 2 * sign;
      means.push(m);
    }
  }
  const cov = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) cov[i * d + i] = 0.25;
  return new GaussianMixture(Array(means.length).fill(1 / means.length), means, means.map(() => cov), { name });
}

function anisoGaussian(d: number, name: string): GaussianMixture {
  const values = Array.from({ length: d }, (_, i) => (d === 1 ? 4 : Math.pow(4, 1 - (2 * i) / (d - 1))));
  // Q = product of Givens rotations G(i, i+1, π/6): a fixed, well-conditioned, fully dense rotation.
  const Q: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  for (let i = 0; i + 1 < d; i++) {
    for (let r = 0; r < d; r++) {
      const a = Q[r]![i]!, b = Q[r]![i + 1]!;
      Q[r]![i] = c * a - s * b;
      Q[r]![i + 1] = s * a + c * b;
    }
  }
  const cov = new Array<number>(d * d).fill(0);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += Q[a]![k]! * values[k]! * Q[b]![k]!;
      cov[a * d + b] = v;
    }
  }
  // exact symmetry (the sum above is evaluated in a different order for (a, b) and (b, a))
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) cov[b * d + a] = cov[a * d + b]!;
  return gaussian(new Array<number>(d).fill(0.5), cov, { name });
}

/**
 * 1-D Gaussian mixtures Σ_k w_k N(m_k, v_k) as plain weights, means and variances: their laws under a·X + noise,
 * posteriors under additive Gaussian noise, moments, medians and expectations by Gauss–Hermite quadrature.
 *
 * The CDF and density are those of `GaussianMixture` (one implementation); the posterior *components* (needed for
 * quadrature of E[g(·) | y] and for medians, where the posterior oracle gives only moments) are three lines for a
 * 1-D mixture (THEORY §4.2).
 */
import { ValidationError } from '../core/errors.ts';
import { increasingRoot } from '../numerics/bracketedRoot.ts';
import type { GaussHermiteRule } from '../numerics/gaussHermite.ts';
import type { ExactTarget } from './exactTarget.ts';
import { GaussianMixture, type NoisedMixture } from './gaussianMixture.ts';

/** Σ_k w_k N(m_k, v_k) in 1-D. */
export interface Mixture1d {
  readonly w: readonly number[];
  readonly m: readonly number[];
  readonly v: readonly number[];
}

/** The 1-D mixture of a 1-D `GaussianMixture` target. */
export function mixture1d(target: ExactTarget, field = 'target'): Mixture1d {
  if (!(target instanceof GaussianMixture) || target.dim !== 1) throw new ValidationError('E_UNSUPPORTED', 'needs a 1-D Gaussian mixture', field);
  return { w: Array.from(target.weights), m: target.means.map((x) => x[0]!), v: target.covariances.map((c) => c[0]!) };
}

/** The law of a·X + noise·Z for X ~ mix, Z ~ N(0, 1) independent. */
export function noisedMixture1d(mix: Mixture1d, a: number, noise: number): Mixture1d {
  return { w: mix.w, m: mix.m.map((x) => a * x), v: mix.v.map((x) => a * a * x + noise * noise) };
}

/** Law of X given X + √noiseVar·ξ = y (a mixture again: responsibilities, shrunk means, reduced variances). */
export function posterior(mix: Mixture1d, y: number, noiseVar: number): Mixture1d {
  const logs = mix.w.map((w, k) => Math.log(w) - 0.5 * Math.log(mix.v[k]! + noiseVar) - (0.5 * (y - mix.m[k]!) ** 2) / (mix.v[k]! + noiseVar));
  const top = Math.max(...logs);
  const raw = logs.map((l) => Math.exp(l - top));
  const total = raw.reduce((a, b) => a + b, 0);
  return {
    w: raw.map((r) => r / total),
    m: mix.m.map((m, k) => m + (mix.v[k]! / (mix.v[k]! + noiseVar)) * (y - m)),
    v: mix.v.map((v) => (v * noiseVar) / (v + noiseVar)),
  };
}

export function mixtureMean(mix: Mixture1d): number {
  return mix.w.reduce((a, w, k) => a + w * mix.m[k]!, 0);
}

export function mixtureVariance(mix: Mixture1d): number {
  const mu = mixtureMean(mix);
  return mix.w.reduce((a, w, k) => a + w * (mix.v[k]! + (mix.m[k]! - mu) ** 2), 0);
}

/** The library's 1-D mixture law of `mix` (cached per object): its CDF and density are the one implementation. */
const laws = new WeakMap<Mixture1d, NoisedMixture>();
function lawOf(mix: Mixture1d): NoisedMixture {
  let law = laws.get(mix);
  if (!law) {
    law = new GaussianMixture(mix.w, mix.m.map((m) => [m]), mix.v.map((v) => [v])).noised(1, 0);
    laws.set(mix, law);
  }
  return law;
}

export function mixtureCdf(mix: Mixture1d, x: number): number {
  return lawOf(mix).cdf(x);
}

export function mixtureDensity(mix: Mixture1d, x: number): number {
  return lawOf(mix).density1d(x);
}

/** 1 − CDF, accurate in the upper tail. */
export function mixtureSurvival(mix: Mixture1d, x: number): number {
  return lawOf(mix).survival(x);
}

/** Points of the bracketing table of {@link Mixture1dLaw.quantile}, on ±38 sd of every component. */
const QUANTILE_TABLE_POINTS = 4097;

/**
 * A 1-D mixture law with its quantiles: CDF, survival and density are the library's (`GaussianMixture`, full tail
 * precision on both sides); the quantile brackets the level on a table of 4097 points over ±38 sd of every component
 * (entries computed on first use, so a law asked for a few quantiles costs a few dozen evaluations) and finishes with a
 * safeguarded Newton iteration to about 1e-16 relative.
 */
export class Mixture1dLaw {
  readonly mix: Mixture1d;
  private readonly law: NoisedMixture;
  private readonly lo: number;
  private readonly hi: number;
  private readonly cdfTable = new Float64Array(QUANTILE_TABLE_POINTS).fill(Number.NaN);
  private readonly survivalTable = new Float64Array(QUANTILE_TABLE_POINTS).fill(Number.NaN);
  private readonly densityTable = new Float64Array(QUANTILE_TABLE_POINTS).fill(Number.NaN);

  constructor(mix: Mixture1d) {
    this.mix = mix;
    this.law = lawOf(mix);
    let lo = Infinity;
    let hi = -Infinity;
    mix.m.forEach((m, k) => {
      const sd = Math.sqrt(mix.v[k]!);
      lo = Math.min(lo, m - 38 * sd);
      hi = Math.max(hi, m + 38 * sd);
    });
    this.lo = lo;
    this.hi = hi;
  }

  cdf(x: number): number {
    return this.law.cdf(x);
  }

  survival(x: number): number {
    return this.law.survival(x);
  }

  density(x: number): number {
    return this.law.density1d(x);
  }

  private tablePoint(i: number): number {
    return this.lo + ((this.hi - this.lo) * i) / (QUANTILE_TABLE_POINTS - 1);
  }

  private tableValue(i: number, lower: boolean): number {
    const table = lower ? this.cdfTable : this.survivalTable;
    let value = table[i]!;
    if (Number.isNaN(value)) {
      value = lower ? this.cdf(this.tablePoint(i)) : this.survival(this.tablePoint(i));
      table[i] = value;
    }
    return value;
  }

  private tableDensity(i: number): number {
    let value = this.densityTable[i]!;
    if (Number.isNaN(value)) {
      value = this.density(this.tablePoint(i));
      this.densityTable[i] = value;
    }
    return value;
  }

  /** Whether table point i lies at or before the level p: F ≤ p (lower) or S ≥ p. */
  private isBelowLevel(i: number, p: number, lower: boolean): boolean {
    return lower ? this.tableValue(i, true) <= p : this.tableValue(i, false) >= p;
  }

  /** The x with F(x) = p (lower = true) or S(x) = p (lower = false); the table's ends outside its range. */
  quantile(p: number, lower: boolean): number {
    const n = QUANTILE_TABLE_POINTS;
    // F increases, S decreases along the table: find a with the level between the values at a and a + 1
    if (!this.isBelowLevel(0, p, lower)) return this.tablePoint(0);
    if (this.isBelowLevel(n - 1, p, lower)) return this.tablePoint(n - 1);
    let a = 0;
    let b = n - 1;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (this.isBelowLevel(mid, p, lower)) a = mid;
      else b = mid;
    }
    let xa = this.tablePoint(a);
    let xb = this.tablePoint(b);
    // g(x) = F(x) − p or p − S(x): increasing, g(xa) ≤ 0 ≤ g(xb)
    const ga = lower ? this.tableValue(a, true) - p : p - this.tableValue(a, false);
    const gb = lower ? this.tableValue(b, true) - p : p - this.tableValue(b, false);
    // start: cubic Hermite interpolation of x as a function of g (slopes 1/density at the ends), linear if that misbehaves
    const dg = gb - ga;
    let x = dg === 0 ? 0.5 * (xa + xb) : xa - (ga * (xb - xa)) / dg;
    const ma = (1 / this.tableDensity(a)) * dg;
    const mb = (1 / this.tableDensity(b)) * dg;
    if (dg > 0 && Number.isFinite(ma) && Number.isFinite(mb)) {
      const r = -ga / dg;
      const r2 = r * r;
      const r3 = r2 * r;
      const cubic = (2 * r3 - 3 * r2 + 1) * xa + (r3 - 2 * r2 + r) * ma + (-2 * r3 + 3 * r2) * xb + (r3 - r2) * mb;
      if (cubic > xa && cubic < xb) x = cubic;
    }
    for (let iteration = 0; iteration < 60; iteration++) {
      const g = lower ? this.cdf(x) - p : p - this.survival(x);
      if (g === 0) return x;
      if (g < 0) xa = x;
      else xb = x;
      const density = this.density(x);
      let next = density > 0 ? x - g / density : Number.NaN;
      if (!(next > xa && next < xb)) next = 0.5 * (xa + xb);
      // Newton converges quadratically: after a step below 1e-9 the next one would be below 1e-16 relative
      else if (Math.abs(next - x) <= 1e-9 * Math.max(1, Math.abs(x))) return next;
      if (xb - xa <= 4e-16 * Math.max(1, Math.abs(x))) return next;
      x = next;
    }
    return x;
  }
}

/**
 * The increasing rearrangement Φ(x) = F_to⁻¹(F_from(x)) between two 1-D laws (every 1-D flow is one, THEORY §4.5),
 * evaluated on the smaller tail (CDF below the median, survival above) so that it keeps full precision in both tails.
 */
export function quantileTransport1d(from: Mixture1dLaw, to: Mixture1dLaw, x: number): number {
  const F = from.cdf(x);
  if (F <= 0.5) return to.quantile(F, true);
  return to.quantile(from.survival(x), false);
}

/** d/dx log density. */
export function mixtureScore(mix: Mixture1d, x: number): number {
  let density = 0;
  let derivative = 0;
  mix.w.forEach((w, k) => {
    const componentDensity = (w * Math.exp(-((x - mix.m[k]!) ** 2) / (2 * mix.v[k]!))) / Math.sqrt(2 * Math.PI * mix.v[k]!);
    density += componentDensity;
    derivative -= (componentDensity * (x - mix.m[k]!)) / mix.v[k]!;
  });
  return derivative / density;
}

/** Median of a 1-D mixture (bisection on the CDF to 1e-14 relative). */
export function mixtureMedian(mix: Mixture1d): number {
  const mu = mixtureMean(mix);
  const sd = Math.sqrt(mixtureVariance(mix));
  return increasingRoot((x) => mixtureCdf(mix, x) - 0.5, mu - 2 * sd, mu + 2 * sd, 1e-14);
}

/** E f(X) for X ~ mix by a Gauss–Hermite rule (`gaussHermite(n)`) per component; components with w < 1e-300 are skipped. */
export function mixtureExpectation(mix: Mixture1d, f: (x: number) => number, rule: GaussHermiteRule): number {
  let s = 0;
  mix.w.forEach((w, k) => {
    if (w < 1e-300) return;
    const sd = Math.sqrt(mix.v[k]!);
    let inner = 0;
    for (let j = 0; j < rule.nodes.length; j++) inner += rule.weights[j]! * f(mix.m[k]! + sd * rule.nodes[j]!);
    s += w * inner;
  });
  return s;
}

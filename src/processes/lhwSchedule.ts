import { ValidationError } from '../core/errors.ts';
import type { ForwardProcess } from './forwardProcess.ts';

export interface LhwScheduleOptions {
  /** Number of steps T (≥ 2). */
  readonly T: number;
  /** β₁ = T^{−c0}. @defaultValue 2 */
  readonly c0?: number;
  /** Growth constant of (23). @defaultValue 8 */
  readonly c1?: number;
  /**
   * 'report': β_t = (c1 log T/T)·min{β₁(1 + c1 log T/T)^t, 1} (LHW, report Eq. 23b).
   * 'li2023': the same with exponent t − 1 (Li et al. 2023 write β_{t+1} with exponent t) — the off-by-one
   * changes β_t by the factor 1 + c1 log T/T (THEORY §1.2). @defaultValue 'report'
   */
  readonly indexing?: 'report' | 'li2023';
}

/** Realised constants of the schedule (THEORY §1.2, (27a–d)); each is what the proof needs bounded. */
export interface LhwRealisedConstants {
  /** max_{t≥2} β_t·T/(c1 log T); (27a) needs ≤ 1. */
  readonly betaRatio: number;
  /** max_{t≥2} β_t/(1−ᾱ_{t−1}) · T/(c1 log T); (27b) needs ≤ 4. */
  readonly betaOverNoiseRatio: number;
  /** min_{t≥2} (1−ᾱ_t)/(1−ᾱ_{t−1}), i.e. the ratio of the two sides of (27b)'s left inequality; needs ≥ 1/2. */
  readonly noiseGrowthMin: number;
  /** max_{t≥2} (1−ᾱ_{t−1})/(1−ᾱ_t); (27c) needs ≤ 1 + 4c1 log T/T. */
  readonly noiseRatioMax: number;
  /** ĉ₂ = −log ᾱ_T / log T; (27d) asks ≥ 1000, which no practical run attains. */
  readonly c2: number;
  /** β₁·T^{c0}; 1 for a schedule of form (23). */
  readonly beta1Scaled: number;
  /** max_t β_t·T/log T: the c1 any schedule with β_t < 1 realises. */
  readonly c1Realised: number;
}

/**
 * The Li–Huang–Wei discrete VP schedule (23): X_t = √(1−β_t) X_{t−1} + √β_t W_t, t = 1..T, with
 * ᾱ_t = ∏_{k≤t}(1−β_k) (LHW write α_t for this product; THEORY §0.2 notation clash).
 * Arrays are indexed 1..T (index 0 is unused and NaN) to match the paper's t.
 */
export class LhwSchedule {
  readonly T: number;
  readonly c0: number;
  readonly c1: number;
  readonly betas: Float64Array;
  /** ᾱ_t, index 1..T. */
  readonly alphaBars: Float64Array;
  /** 1 − ᾱ_t computed as −expm1(Σ log1p(−β_k)), accurate when ᾱ_t ≈ 1. */
  readonly oneMinusAlphaBars: Float64Array;

  constructor(T: number, c0: number, c1: number, betas: Float64Array) {
    this.T = T;
    this.c0 = c0;
    this.c1 = c1;
    this.betas = betas;
    this.alphaBars = new Float64Array(T + 1).fill(Number.NaN);
    this.oneMinusAlphaBars = new Float64Array(T + 1).fill(Number.NaN);
    let logAlphaBar = 0;
    for (let t = 1; t <= T; t++) {
      const b = betas[t]!;
      if (!(b > 0 && b < 1)) throw new ValidationError('E_INVALID_INPUT', `β_${t} must be in (0, 1), got ${b}`, `schedule.betas[${t}]`);
      logAlphaBar += Math.log1p(-b);
      this.alphaBars[t] = Math.exp(logAlphaBar);
      this.oneMinusAlphaBars[t] = -Math.expm1(logAlphaBar);
    }
  }

  /** Time of step t on the continuous clock u = −log ᾱ (increasing with noise). */
  timeOfStep(t: number): number {
    return -Math.log(this.alphaBars[t]!);
  }

  /** The continuous ᾱ-time process: a = √ᾱ = e^{−u/2}, s = √(1−ᾱ), on u ∈ [u₁, u_T], u = −log ᾱ. */
  process(): ForwardProcess {
    const tMin = this.timeOfStep(1);
    const tMax = this.timeOfStep(this.T);
    const spec = { kind: 'lhw', T: this.T, c0: this.c0, c1: this.c1, tMin, tMax };
    return {
      kind: 'lhw',
      tMin,
      tMax,
      signalScale: (u) => Math.exp(-0.5 * u),
      noiseScale: (u) => Math.sqrt(-Math.expm1(-u)),
      sigma: (u) => Math.sqrt(Math.expm1(u)),
      toSpec: () => spec,
    };
  }

  /** (27a–d) as realised by this schedule against its declared (c0, c1). */
  realisedConstants(): LhwRealisedConstants {
    const { T, c1 } = this;
    const logT = Math.log(T);
    const unit = (c1 * logT) / T;
    let betaRatio = 0;
    let betaOverNoiseRatio = 0;
    let noiseGrowthMin = Infinity;
    let noiseRatioMax = 0;
    let c1Realised = 0;
    for (let t = 1; t <= T; t++) c1Realised = Math.max(c1Realised, (this.betas[t]! * T) / logT);
    for (let t = 2; t <= T; t++) {
      const b = this.betas[t]!;
      const prev = this.oneMinusAlphaBars[t - 1]!;
      const cur = this.oneMinusAlphaBars[t]!;
      betaRatio = Math.max(betaRatio, b / unit);
      betaOverNoiseRatio = Math.max(betaOverNoiseRatio, b / prev / unit);
      noiseGrowthMin = Math.min(noiseGrowthMin, cur / prev);
      noiseRatioMax = Math.max(noiseRatioMax, prev / cur);
    }
    return {
      betaRatio,
      betaOverNoiseRatio,
      noiseGrowthMin,
      noiseRatioMax,
      c2: -Math.log(this.alphaBars[T]!) / logT,
      beta1Scaled: this.betas[1]! * Math.pow(T, this.c0),
      c1Realised,
    };
  }

  /** A copy with some β_t replaced (negative controls, e.g. one spike β_{t*} = 0.5). */
  withBetas(replace: Readonly<Record<number, number>>): LhwSchedule {
    const betas = Float64Array.from(this.betas);
    for (const [t, b] of Object.entries(replace)) betas[Number(t)] = b;
    return new LhwSchedule(this.T, this.c0, this.c1, betas);
  }
}

/** Builds schedule (23) from (T, c0, c1). */
export function lhwSchedule(options: LhwScheduleOptions): LhwSchedule {
  const { T } = options;
  const c0 = options.c0 ?? 2;
  const c1 = options.c1 ?? 8;
  if (!Number.isInteger(T) || T < 2) throw new ValidationError('E_INVALID_INPUT', `must be an integer ≥ 2, got ${T}`, 'schedule.T');
  if (!(c0 > 0) || !Number.isFinite(c0)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${c0}`, 'schedule.c0');
  if (!(c1 > 0) || !Number.isFinite(c1)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${c1}`, 'schedule.c1');
  const unit = (c1 * Math.log(T)) / T;
  if (!(unit < 1)) {
    throw new ValidationError('E_INVALID_INPUT', `c1·log T / T = ${unit} must be < 1 for β_t < 1; increase T or lower c1`, 'schedule.c1');
  }
  const offset = options.indexing === 'li2023' ? 1 : 0;
  const beta1 = Math.pow(T, -c0);
  const betas = new Float64Array(T + 1).fill(Number.NaN);
  betas[1] = beta1;
  const logGrowth = Math.log1p(unit);
  for (let t = 2; t <= T; t++) {
    // β₁(1+u)^t overflows for large t: compare in logs
    const logTerm = Math.log(beta1) + (t - offset) * logGrowth;
    betas[t] = unit * Math.min(Math.exp(Math.min(logTerm, 0)), 1);
  }
  return new LhwSchedule(T, c0, c1, betas);
}

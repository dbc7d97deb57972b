import type { PointBatch } from '../core/pointBatch.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import { evaluateByTimeGroups, type ConsistencyFunction } from './consistencyFunction.ts';

/** What the exact wrapper needs from the oracle: `ReferenceFlow` satisfies it. */
export interface ConsistencyOracle {
  readonly process: ForwardProcess;
  /** f*(x, t) = Φ_{t→tMin}(x), float64. */
  consistency(x: PointBatch, t: number): PointBatch;
}

/**
 * The true consistency function f*(x, t) = Φ_{t→tMin}(x) of the reference flow (closed form, quantile maps or a
 * certified float64 ODE solve), as a `ConsistencyFunction`. Points sharing a time are solved together.
 * At t = tMin it returns x itself (the boundary condition holds exactly, without a solve).
 */
export function exactConsistencyFunction(oracle: ConsistencyOracle): ConsistencyFunction {
  const tMin = oracle.process.tMin;
  return {
    id: 'exact',
    precision: 'float64',
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => (time === tMin ? { n: xs.n, d: xs.d, data: Float64Array.from(xs.data) } : oracle.consistency(xs, time))),
  };
}

/**
 * The denoiser D(x, t) = E[X₀ | X_t = x] rescaled to the boundary, a_min·E[X₀ | X_t = x], used as if it were a
 * consistency function. NEGATIVE CONTROL (THEORY §5.5, §6.1 LHW-T1(ii)): it collapses towards the mean at large t
 * (its one-step samples under-disperse), has a non-zero transport residual, and at tMin differs from x by the
 * posterior shrinkage (≈ σ_min²/λ relative), so the boundary condition fails at the 1e-5 level.
 */
export function denoiserAsConsistencyFunction(target: ExactTarget, process: ForwardProcess): ConsistencyFunction {
  const aMin = process.signalScale(process.tMin);
  return {
    id: 'denoiserAsConsistencyFunction',
    precision: 'float64',
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => {
        const y = target.noised(process.signalScale(time), process.noiseScale(time)).posteriorMean(xs);
        for (let k = 0; k < y.data.length; k++) y.data[k] = aMin * y.data[k]!;
        return y;
      }),
  };
}

/**
 * The Markov-coupled CT solution (THEORY §5.3, negative control): with independent increments instead of shared
 * noise, the idealised sequential CT recursion telescopes (tower property) into f(x, t) = E[X_tMin | X_t = x]
 * under the Markov chain X_t = (a_t/a_min)·X_tMin + noise. Writing X_t = a_t X₀ + s_t Z with the boundary noise
 * a part of Z: E[X_tMin | x] = a_min x̂₀ + (s_min² a_t / (a_min s_t²))·(x − a_t x̂₀), x̂₀ = E[X₀ | x].
 * It meets the boundary condition exactly (x̂₀ cancels at t = tMin) but collapses at large t: its one-step
 * samples have W₂ ≈ √tr Cov(X_tMin) to the target, however fine the grid.
 */
export function markovCoupledCtSolution(target: ExactTarget, process: ForwardProcess): ConsistencyFunction {
  const tMin = process.tMin;
  const aMin = process.signalScale(tMin);
  const sMin = process.noiseScale(tMin);
  return {
    id: 'markovCoupledCtSolution',
    precision: 'float64',
    evaluate: (x, t) =>
      evaluateByTimeGroups(x, t, (xs, time) => {
        if (time === tMin) return { n: xs.n, d: xs.d, data: Float64Array.from(xs.data) };
        const a = process.signalScale(time);
        const s = process.noiseScale(time);
        const x0 = target.noised(a, s).posteriorMean(xs);
        const gain = (sMin * sMin * a) / (aMin * s * s);
        const out = new Float64Array(xs.data.length);
        for (let k = 0; k < out.length; k++) out[k] = aMin * x0.data[k]! + gain * (xs.data[k]! - a * x0.data[k]!);
        return { n: xs.n, d: xs.d, data: out };
      }),
  };
}

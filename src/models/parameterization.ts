import { ValidationError } from '../core/errors.ts';
import type { ForwardProcess } from '../processes/forwardProcess.ts';
import type { Parameterization } from './consistencyFunction.ts';

export interface ParameterizationOptions {
  /** σ_data, the data standard deviation the scalings assume. @defaultValue 0.5 (Song et al. 2023) */
  readonly sigmaData?: number;
}

/**
 * The consistency-model scalings of Song et al. (2023, Eq. 5 and App. C; THEORY §3.2), written on the process's
 * VE-equivalent noise level σ = s_t/a_t so that one formula serves VE, OU and the LHW clock:
 *
 *   c_skip(t) = (a_min/a_t) · σ_d² / ((σ_t − σ_min)² + σ_d²)
 *   c_out(t)  = a_min · σ_d (σ_t − σ_min) / √(σ_d² + σ_t²)
 *   c_in(t)   = 1 / (a_t √(σ_t² + σ_d²))
 *   c_noise(t) = ¼ log σ_t
 *
 * with σ_min = σ(tMin), a_min = a(tMin). For VE (a ≡ 1, σ = t) these are exactly the paper's. At t = tMin,
 * σ_t − σ_min is exactly 0 and a_min/a_t exactly 1 in float64, so c_skip = 1, c_out = 0 and f(x, tMin) = x
 * holds bit for bit for any finite network output.
 *
 * The factor a_min/a_t and a_min come from f(x, t) = a_min·f^{VE}(x/a_t, σ_t) (THEORY §0.2, VP↔VE dictionary).
 */
export function edmParameterization(process: ForwardProcess, options: ParameterizationOptions = {}): Parameterization {
  const sigmaData = validatedSigmaData(options.sigmaData);
  const tMin = process.tMin;
  const sigmaMin = process.sigma(tMin);
  const aMin = process.signalScale(tMin);
  return {
    id: 'edm-boundary',
    tMin,
    sigmaData,
    cSkip: (t) => {
      const ds = process.sigma(t) - sigmaMin;
      return (aMin / process.signalScale(t)) * ((sigmaData * sigmaData) / (ds * ds + sigmaData * sigmaData));
    },
    cOut: (t) => {
      const s = process.sigma(t);
      return (aMin * sigmaData * (s - sigmaMin)) / Math.sqrt(sigmaData * sigmaData + s * s);
    },
    cIn: (t) => {
      const s = process.sigma(t);
      return 1 / (process.signalScale(t) * Math.sqrt(s * s + sigmaData * sigmaData));
    },
    cNoise: (t) => 0.25 * Math.log(process.sigma(t)),
  };
}

/**
 * NEGATIVE CONTROL — the boundary scalings without tMin, as in diffusers' consistency-training research script
 * (ANCHORS §2, fix PR #6833): c_skip = σ_d²/(σ² + σ_d²), c_out = σ σ_d/√(σ_d² + σ²). Then c_skip(tMin) ≈ 1 − σ_min²/σ_d²
 * and c_out(tMin) ≈ σ_min, so |f(x, tMin) − x| ≈ 1.6e-5|x| + 2e-3|F| for the paper's constants (THEORY §6.3 CM-PARAM).
 */
export function droppedTMinParameterization(process: ForwardProcess, options: ParameterizationOptions = {}): Parameterization {
  const base = edmParameterization(process, options);
  const sd = base.sigmaData;
  return {
    ...base,
    id: 'droppedTMinBoundaryScalings',
    cSkip: (t) => {
      const s = process.sigma(t);
      return (sd * sd) / (s * s + sd * sd);
    },
    cOut: (t) => {
      const s = process.sigma(t);
      return (s * sd) / Math.sqrt(sd * sd + s * s);
    },
  };
}

/**
 * NEGATIVE CONTROL — c_in without the square root, c_in = 1/(a_t(σ_t² + σ_d²)), as in diffusers'
 * `get_input_preconditioning` (ANCHORS §2). The boundary condition still holds; the defect is that the network
 * input no longer has unit scale (at σ = 80 it is shrunk by a further factor ≈ 80).
 */
export function missingSqrtCInParameterization(process: ForwardProcess, options: ParameterizationOptions = {}): Parameterization {
  const base = edmParameterization(process, options);
  const sd = base.sigmaData;
  return {
    ...base,
    id: 'missingSqrtCIn',
    cIn: (t) => {
      const s = process.sigma(t);
      return 1 / (process.signalScale(t) * (s * s + sd * sd));
    },
  };
}

/** How far a parameterisation is from the identities every valid one satisfies (THEORY §6.3 CM-PARAM). */
export interface ParameterizationDefects {
  /** |c_skip(tMin) − 1|; 0 for a valid parameterisation. */
  readonly cSkipAtTMin: number;
  /** |c_out(tMin)|; 0 for a valid parameterisation. */
  readonly cOutAtTMin: number;
  /**
   * max over `times` of |c_in(t)·a_t·√(σ_t² + σ_d²) − 1|: the network input c_in·x has unit scale for data of
   * standard deviation σ_d. Rounding-level for the EDM scalings.
   */
  readonly inputScale: number;
}

/** Evaluates the conformance identities on a grid of times. */
export function parameterizationDefects(param: Parameterization, process: ForwardProcess, times: ArrayLike<number>): ParameterizationDefects {
  let inputScale = 0;
  const sd = param.sigmaData;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const s = process.sigma(t);
    inputScale = Math.max(inputScale, Math.abs(param.cIn(t) * process.signalScale(t) * Math.sqrt(s * s + sd * sd) - 1));
  }
  return {
    cSkipAtTMin: Math.abs(param.cSkip(process.tMin) - 1),
    cOutAtTMin: Math.abs(param.cOut(process.tMin)),
    inputScale,
  };
}

function validatedSigmaData(value: number | undefined): number {
  const v = value ?? 0.5;
  if (!Number.isFinite(v) || !(v > 0)) throw new ValidationError('E_INVALID_INPUT', `must be finite and > 0, got ${v}`, 'sigmaData');
  return v;
}

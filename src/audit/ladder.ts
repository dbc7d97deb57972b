import { ConfigError } from '../core/errors.ts';
import { builtInTarget } from '../distributions/builtInTargets.ts';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { ProductMixture } from '../distributions/productMixture.ts';

/** One rung of the audit ladder: a target and what it varies. */
export interface LadderRung {
  readonly name: string;
  /** d, separation and weights in words, for the report. */
  readonly description: string;
  readonly target: ExactTarget;
}

export type LadderName = 'quick' | 'full';

/**
 * A product of d identical 1-D two-component mixtures w·N(−s/2, v) + (1 − w)·N(s/2, v): 2^d modes, separation s
 * (in units of the component sd, s/√v), unbalanced when w ≠ ½. Flows are exact 1-D quantile maps in every d, so a
 * rung costs no ODE solves however large d is.
 */
export function productRung(d: number, separation: number, weight: number, variance = 0.25): LadderRung {
  const factor = { weights: [weight, 1 - weight], means: [-separation / 2, separation / 2], variances: [variance, variance] };
  const name = `product-${d}d-sep${separation}-w${Math.round(weight * 100)}`;
  return {
    name,
    description: `d = ${d}, 2^${d} modes at ±${separation / 2} per coordinate (separation ${(separation / Math.sqrt(variance)).toFixed(0)} sd), weights ${weight}/${(1 - weight).toFixed(2)}`,
    target: new ProductMixture(Array.from({ length: d }, () => factor), { name }),
  };
}

function builtInRung(name: string, description: string): LadderRung {
  return { name, description, target: builtInTarget(name) };
}

/**
 * The ladders of `cmbounds audit`. `quick` (the default) is three rungs chosen to run fast (two with exact
 * quantile-map flows, one 2-D mixture with ODE flows) while varying d, separation and weights; `full` adds a grid
 * mixture and products up to d = 8 with tighter and unbalanced modes.
 */
export function ladder(name: LadderName): LadderRung[] {
  const quick = [
    builtInRung('bimodal-1d', 'd = 1, two modes at ±2 (separation 8 sd), equal weights'),
    builtInRung('ring8-2d', 'd = 2, eight modes on a circle of radius 2 (sd 0.2), equal weights'),
    productRung(3, 3, 0.25),
  ];
  if (name === 'quick') return quick;
  return [...quick, builtInRung('grid9-2d', 'd = 2, 3×3 grid of modes at radii 0, 2, 2√2 (sd 0.2)'), productRung(2, 2, 0.5), productRung(4, 3, 0.1), productRung(8, 3, 0.25)];
}

/** Rungs from explicit names: built-in targets or `product-<d>d-sep<s>-w<percent>`. */
export function rungsFromNames(names: readonly string[]): LadderRung[] {
  return names.map((name) => {
    const m = /^product-(\d+)d-sep([0-9.]+)-w(\d+)$/.exec(name);
    if (m) {
      const w = Number(m[3]) / 100;
      if (!(w > 0 && w < 1)) throw new ConfigError('E_INVALID_INPUT', `weight percent must be in (0, 100), got ${m[3]}`, 'targets');
      return productRung(Number(m[1]), Number(m[2]), w);
    }
    return { name, description: 'built-in target', target: builtInTarget(name, 'targets') };
  });
}


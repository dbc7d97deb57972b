import { ValidationError } from '../core/errors.ts';
import type { PointBatch } from '../core/pointBatch.ts';
import type { ConsistencyFunction } from './consistencyFunction.ts';

/** Where and how the step of {@link hiddenStepAtTime} sits. */
export interface HiddenStepOptions {
  /** The step is added where the first coordinate is below this value. */
  readonly edge: number;
  /** The displacement of the first coordinate on the far side of the edge (negative: downwards). */
  readonly height: number;
  /** Width of the logistic edge; the model's Lipschitz constant grows like |height|/(4·width). */
  readonly width: number;
}

/**
 * A negative-control model: `base` everywhere except at the single time `time`, where the first output coordinate is
 * displaced by height·σ((edge − x₁)/width) (σ the logistic function): a smooth step, so the model stays Lipschitz
 * (constant ≈ |height|/(4·width) at the edge) and keeps the boundary condition if `time` is not the smallest time.
 *
 * @remarks Built to hide an expansion from a sampled Lipschitz witness search: with a width far below the probes'
 * difference step and their spacing, the search almost surely sees only `base`'s Lipschitz constant, while a law that
 * puts much mass below the edge is moved by `height`.
 *
 * @throws ValidationError for a non-finite edge, height or time, or a width ≤ 0.
 */
export function hiddenStepAtTime(base: ConsistencyFunction, time: number, options: HiddenStepOptions): ConsistencyFunction {
  const { edge, height, width } = options;
  if (!Number.isFinite(time)) throw new ValidationError('E_INVALID_INPUT', `must be finite, got ${time}`, 'time');
  if (!Number.isFinite(edge)) throw new ValidationError('E_INVALID_INPUT', `must be finite, got ${edge}`, 'edge');
  if (!Number.isFinite(height)) throw new ValidationError('E_INVALID_INPUT', `must be finite, got ${height}`, 'height');
  if (!(width > 0) || !Number.isFinite(width)) throw new ValidationError('E_INVALID_INPUT', `must be a finite number > 0, got ${width}`, 'width');
  return {
    id: `${base.id}+hiddenStep(t=${time})`,
    precision: base.precision,
    evaluate(x: PointBatch, t: number | Float64Array): PointBatch {
      const out = base.evaluate(x, t);
      const data = new Float64Array(out.data);
      for (let i = 0; i < x.n; i++) {
        const ti = typeof t === 'number' ? t : t[i]!;
        if (ti !== time) continue;
        const z = (edge - x.data[i * x.d]!) / width;
        data[i * out.d] = data[i * out.d]! + height / (1 + Math.exp(-z));
      }
      return { n: out.n, d: out.d, data };
    },
  };
}

import { z } from 'zod';
import type { ExactTarget } from '../distributions/exactTarget.ts';
import { builtInTarget } from '../distributions/builtInTargets.ts';
import { GaussianMixture, gaussian } from '../distributions/gaussianMixture.ts';
import { ProductMixture } from '../distributions/productMixture.ts';
import { ValidationError } from '../core/errors.ts';
import { parseWithSchema } from './formatIssuePath.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const vector = z.array(finite).min(1);
const matrix = z.array(vector).min(1);

/**
 * DESIGN §4 `TargetSpec`: a built-in name, `{"kind":"gmm",weights,means,covariances}`,
 * `{"kind":"gaussian",mean,covariance}`, or the extension `{"kind":"product","factors":[{weights,means,variances}]}`.
 * Shapes are checked here; numerical constraints (weights sum to 1 within 1e-12, symmetric positive-definite
 * covariances, equal dimensions) by the constructors, which name the same field paths.
 */
const gmmSchema = z.object({ kind: z.literal('gmm'), weights: vector, means: matrix, covariances: z.array(matrix).min(1) }).strict();
const gaussianSchema = z.object({ kind: z.literal('gaussian'), mean: vector, covariance: matrix }).strict();
const productSchema = z
  .object({
    kind: z.literal('product'),
    factors: z.array(z.object({ weights: vector, means: vector, variances: vector }).strict()).min(1),
  })
  .strict();
export const targetSpecSchema = z.union([z.string().min(1), gmmSchema, gaussianSchema, productSchema]);

export type TargetSpec = z.infer<typeof targetSpecSchema>;

/** Whether `name` is a built-in target (a fixed name or a family member such as `iso-gmm-4d`). */
export function isBuiltInTargetName(name: string): boolean {
  try {
    builtInTarget(name);
    return true;
  } catch {
    return false;
  }
}

/** Validates a TargetSpec and builds the target. @throws ConfigError / ValidationError naming the field. */
export function targetFromSpec(spec: unknown, field = 'target'): ExactTarget {
  // Dispatch on the kind first, so a schema error names the deepest field instead of "no union member matched".
  if (typeof spec === 'string') return builtInTarget(spec, field);
  const kind = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as { kind?: unknown }).kind : undefined;
  const schema = kind === 'gmm' ? gmmSchema : kind === 'gaussian' ? gaussianSchema : kind === 'product' ? productSchema : undefined;
  if (schema === undefined) {
    throw new ValidationError('E_INVALID_INPUT', 'must be a built-in name or an object with "kind": "gmm" | "gaussian" | "product"', field);
  }
  const s = parseWithSchema<z.infer<typeof gmmSchema> | z.infer<typeof gaussianSchema> | z.infer<typeof productSchema>>(schema, spec, field);
  switch (s.kind) {
    case 'gmm': {
      const d = s.means[0]!.length;
      const covs = s.covariances.map((c, k) => flattenSquare(c, d, `${field}.covariances[${k}]`));
      return new GaussianMixture(s.weights, s.means, covs, { field });
    }
    case 'gaussian':
      try {
        return gaussian(s.mean, flattenSquare(s.covariance, s.mean.length, `${field}.covariance`), { field });
      } catch (e) {
        // the constructor names a mixture's fields; a Gaussian spec has `mean` and `covariance`
        if (e instanceof ValidationError && e.field !== undefined) {
          const renamed = e.field.replace(`${field}.covariances[0]`, `${field}.covariance`).replace(`${field}.means[0]`, `${field}.mean`);
          if (renamed !== e.field) throw new ValidationError(e.code, e.message.slice(e.field.length + 2), renamed);
        }
        throw e;
      }
    case 'product':
      return new ProductMixture(s.factors, { field });
  }
}

function flattenSquare(rows: number[][], d: number, field: string): Float64Array {
  if (rows.length !== d) throw new ValidationError('E_DIMENSION', `has ${rows.length} rows, expected ${d} (the dimension of the means)`, field);
  const out = new Float64Array(d * d);
  rows.forEach((row, i) => {
    if (row.length !== d) throw new ValidationError('E_DIMENSION', `has ${row.length} columns, expected ${d}`, `${field}[${i}]`);
    out.set(row, i * d);
  });
  return out;
}

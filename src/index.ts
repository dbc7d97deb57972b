// The public API of cmbounds: explicit named re-exports, grouped by layer (no `export *`).
export { CmboundsError, ConfigError, NumericalError, SolverError, ValidationError, type ErrorCode } from './core/errors.ts';
export { pointBatch, fromRows, toRows, pointAt, type PointBatch } from './core/pointBatch.ts';
export { Rng, rngFromSeed } from './random/rng.ts';
export type { ExactTarget, NoisedTarget, TargetSpecJson } from './distributions/exactTarget.ts';
export { GaussianMixture, NoisedMixture, gaussian } from './distributions/gaussianMixture.ts';
export { ProductMixture, NoisedProduct, type MixtureFactor } from './distributions/productMixture.ts';

// The public API of cmbounds: explicit named re-exports, grouped by layer (no `export *`).
export { CmboundsError, ConfigError, NumericalError, SolverError, ValidationError, type ErrorCode } from './core/errors.ts';
export { pointBatch, fromRows, toRows, pointAt, type PointBatch } from './core/pointBatch.ts';
export { Rng, rngFromSeed } from './random/rng.ts';
export type { ExactTarget, NoisedTarget, TargetSpecJson } from './distributions/exactTarget.ts';
export { GaussianMixture, NoisedMixture, gaussian } from './distributions/gaussianMixture.ts';
export { ProductMixture, NoisedProduct, type MixtureFactor } from './distributions/productMixture.ts';
export { builtInTarget, builtInTargetCatalog, type BuiltInTargetInfo } from './distributions/builtInTargets.ts';
export { assertTimeInRange, type ForwardProcess } from './processes/forwardProcess.ts';
export { varianceExploding, type ClockOptions } from './processes/varianceExploding.ts';
export { ornsteinUhlenbeck } from './processes/ornsteinUhlenbeck.ts';
export { lhwSchedule, LhwSchedule, type LhwScheduleOptions, type LhwRealisedConstants } from './processes/lhwSchedule.ts';
export { solveDormandPrince, type BatchVectorField, type DormandPrinceOptions, type DormandPrinceStats } from './flows/dormandPrince.ts';
export { referenceFlow, ReferenceFlow, type FlowMethod, type FlowResult, type MapOptions, type ReferenceFlowOptions } from './flows/referenceFlow.ts';
export { gaussianFlow } from './flows/gaussianFlow.ts';
export { quantileMapFlow } from './flows/quantileMapFlow.ts';
export { targetFromSpec, targetSpecSchema, type TargetSpec } from './config/targetSpec.ts';
export { processFromSpec, processSpecSchema, type ProcessSpec } from './config/processSpec.ts';
export { answerExactRequest, type ExactResponse, type ExactResult } from './oracle/exactRequest.ts';

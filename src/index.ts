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

// ── models and training (issue 4) ─────────────────────────────────────────────────────────────────────────────
export {
  evaluateByTimeGroups,
  groupByTime,
  timesPerPoint,
  type ConsistencyFunction,
  type FunctionClass,
  type ParameterEntry,
  type Parameterization,
  type ParameterSnapshot,
  type TrainableConsistencyFunction,
} from './models/consistencyFunction.ts';
export {
  droppedTMinParameterization,
  edmParameterization,
  missingSqrtCInParameterization,
  parameterizationDefects,
  type ParameterizationDefects,
  type ParameterizationOptions,
} from './models/parameterization.ts';
export { denoiserAsConsistencyFunction, exactConsistencyFunction, markovCoupledCtSolution, type ConsistencyOracle } from './models/exactConsistency.ts';
export { AffineGridConsistency, affineFunctionClass, empiricalMoments, type AffineGridOptions, type AffineStructure, type RegressionMoments } from './models/affineConsistency.ts';
export { idealNetwork, parameterizedConsistency, randomFeatureNetwork, type Float64Network, type RandomFeatureNetworkOptions } from './models/parameterizedConsistency.ts';
export { constantOffset, droppedTMinBoundaryScalings, inflatedScore, missingSqrtCIn, type InflatedScoreOptions } from './models/brokenModels.ts';
export { boundaryError, flowResidual, rmsDistance, squaredDistances } from './models/modelDiagnostics.ts';
export { multistepConsistencySampling, type MultistepSamplingOptions, type RenoiseRule } from './models/multistepSampling.ts';
export { currentTfjsBackend, initTfjsBackend, type TfjsBackendInfo, type TfjsBackendName } from './models/tfjsBoundary.ts';
export {
  MlpConsistency,
  mlpFunctionClass,
  resolveMlpArchitecture,
  type LinearGradient,
  type MlpActivation,
  type MlpArchitecture,
  type MlpOptions,
} from './models/mlpConsistency.ts';
export { assertIncreasingGrid, sampleIndices, type DiscretizationSchedule, type IndexSampler } from './training/schedules/discretizationSchedule.ts';
export { karrasSchedule, karrasTimes, type KarrasGridOptions } from './training/schedules/karrasSchedule.ts';
export {
  ctCurriculumSchedule,
  ictDoublingSchedule,
  type CtCurriculumOptions,
  type EmaCurriculum,
  type IctDoublingOptions,
} from './training/schedules/ctCurriculumSchedule.ts';
export { lognormalIndexSampler, uniformIndexSampler, type LognormalIndexOptions } from './training/schedules/indexSamplers.ts';
export {
  inverseStepWeighting,
  pseudoHuberLoss,
  squaredL2Loss,
  uniformWeighting,
  type ConsistencyLoss,
  type LossWeighting,
  type PseudoHuberOptions,
} from './training/losses/consistencyLoss.ts';
export { sharedNoisePairs, validateTrainingVariant, type TrainingContext, type TrainingPairs, type TrainingVariant } from './training/trainingVariant.ts';
export { consistencyTrainingVariant, type ConsistencyTrainingOptions } from './training/variants/consistencyTraining.ts';
export { improvedConsistencyTrainingVariant, type ImprovedConsistencyTrainingOptions } from './training/variants/improvedConsistencyTraining.ts';
export { consistencyDistillationVariant, type ConsistencyDistillationOptions, type TeacherSolver } from './training/variants/consistencyDistillation.ts';
export { lhwSequentialTrainingVariant, type LhwSequentialOptions, type LhwSequentialVariant } from './training/variants/lhwSequentialTraining.ts';
export { AffineTwoTimeFlowMap, fitAffineFlowMap, fitAffineSequential, type AffineSequentialOptions } from './training/affineTraining.ts';
export { loadTrainingVariant, type VariantFactoryContext } from './training/loadTrainingVariant.ts';
export { Adam, type AdamOptions } from './training/adam.ts';
export { decodeSnapshot, encodeSnapshot, writeFileAtomically, type EncodedSnapshot } from './training/checkpoint.ts';
export {
  trainConsistencyModel,
  type HistoryEntry,
  type TrainingFingerprint,
  type TrainingOptions,
  type TrainingProgress,
  type TrainingResult,
} from './training/trainLoop.ts';

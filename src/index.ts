// The public API of cmbounds: explicit named re-exports, grouped by layer (no `export *`).
export { CmboundsError, ConfigError, NumericalError, SolverError, ValidationError, type ErrorCode } from './core/errors.ts';
export { HypothesisError } from './core/errors.ts';
export { LOG_2PI, normalCdf, normalSurvival } from './numerics/normalDistribution.ts';
export { default as erfc } from '@stdlib/math-base-special-erfc';
export { isPositiveDefinite, symmetricEigen, type SymmetricEigen } from './numerics/symmetricEigen.ts';
export { pointBatch, fromRows, toRows, pointAt, type PointBatch } from './core/pointBatch.ts';
export { Rng, rngFromSeed } from './random/rng.ts';
export type { ExactTarget, NoisedTarget, TargetSpecJson } from './distributions/exactTarget.ts';
export { GaussianMixture, NoisedMixture, gaussian } from './distributions/gaussianMixture.ts';
export {
  mixture1d,
  mixtureCdf,
  mixtureDensity,
  mixtureExpectation,
  mixtureMean,
  mixtureMedian,
  mixtureScore,
  mixtureSurvival,
  mixtureVariance,
  Mixture1dLaw,
  noisedMixture1d,
  posterior,
  quantileTransport1d,
  type Mixture1d,
} from './distributions/mixture1d.ts';
export { gaussianMarginal, isSingleGaussian, pushAffine, scaleAndNoise, type AffineMap, type GaussianLaw } from './distributions/gaussianLaw.ts';
export { noisedBoxGrid1d, type BoxGridOptions } from './distributions/boxGrid.ts';
export { ProductMixture, NoisedProduct, type MixtureFactor } from './distributions/productMixture.ts';
export { builtInTarget, builtInTargetCatalog, type BuiltInTargetInfo } from './distributions/builtInTargets.ts';
export { assertTimeInRange, type ForwardProcess } from './processes/forwardProcess.ts';
export { varianceExploding, type ClockOptions } from './processes/varianceExploding.ts';
export { ornsteinUhlenbeck } from './processes/ornsteinUhlenbeck.ts';
export { lhwSchedule, LhwSchedule, type LhwScheduleOptions, type LhwRealisedConstants } from './processes/lhwSchedule.ts';
export { sampleCtCoupledPairs, type CtCoupledPairs } from './processes/ctCoupledPairs.ts';
export { solveDormandPrince, type BatchVectorField, type DormandPrinceOptions, type DormandPrinceStats } from './flows/dormandPrince.ts';
export { referenceFlow, ReferenceFlow, type FlowMethod, type FlowResult, type MapOptions, type ReferenceFlowOptions } from './flows/referenceFlow.ts';
export { gaussianFlow } from './flows/gaussianFlow.ts';
export { quantileMapFlow } from './flows/quantileMapFlow.ts';
export { mapInParallel, type ParallelFlowOptions } from './flows/mapInParallel.ts';
export { defaultWorkers, parseWorkers, runUnits, unitTask, type RunUnitsOptions, type UnitTask } from './parallel/workerPool.ts';
export { targetFromSpec, targetSpecSchema, type TargetSpec } from './config/targetSpec.ts';
export { processFromSpec, processSpecSchema, type ProcessSpec } from './config/processSpec.ts';
export { answerExactRequest, type ExactResponse, type ExactResult } from './oracle/exactRequest.ts';

// ── models and training ───────────────────────────────────────────────────────────────────────────────────────
export { ExternalModel, EXTERNAL_PROTOCOL_VERSION, isExternalModelSpec, startExternalModel, type ExternalModelHello, type ExternalModelOptions } from './models/externalModel.ts';
export { ReclockedModel, timeAtSigma, type ReclockOptions } from './models/reclockedModel.ts';
export { encodeNpyFloat64 } from './core/npy.ts';
export { assertModelFolderUsable, assertOutputFileUsable, assertReportFolderUsable, foreignReportEntries, REPORT_MARKER } from './core/outputLocation.ts';
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
export { hiddenStepAtTime, type HiddenStepOptions } from './models/hiddenStepAtTime.ts';
export { boundaryError, flowResidual, maxDistance, rmsDistance, squaredDistances, squaredNorms } from './models/modelDiagnostics.ts';
export { multistepConsistencySampling, type MultistepSamplingOptions, type RenoiseRule } from './models/multistepSampling.ts';
export { asGaussianMixture } from './distributions/asGaussianMixture.ts';
export { AFFINE_RTOL, probeAffine } from './models/probeAffine.ts';
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
  lossFromSpec,
  type LossSpec,
} from './training/losses/consistencyLoss.ts';
export { ParallelGradients, type BatchGradients } from './training/parallelGradients.ts';
export { sharedNoisePairs, validateTrainingVariant, type TrainingContext, type TrainingPairs, type TrainingVariant } from './training/trainingVariant.ts';
export { consistencyTrainingVariant, type ConsistencyTrainingOptions } from './training/variants/consistencyTraining.ts';
export { improvedConsistencyTrainingVariant, type ImprovedConsistencyTrainingOptions } from './training/variants/improvedConsistencyTraining.ts';
export { consistencyDistillationVariant, type ConsistencyDistillationOptions, type TeacherSolver } from './training/variants/consistencyDistillation.ts';
export { lhwSequentialTrainingVariant, type LhwSequentialOptions, type LhwSequentialVariant } from './training/variants/lhwSequentialTraining.ts';
export { AffineTwoTimeFlowMap, fitAffineFlowMap, fitAffineSequential, idealAffineSequential, type AffineSequentialOptions, type IdealCoupling } from './training/affineTraining.ts';
export { loadTrainingVariant, type VariantFactoryContext } from './training/loadTrainingVariant.ts';
export { BUILT_IN_VARIANT_NAMES, builtInTrainingVariant, isBuiltInVariantName, type BuiltInVariantName, type BuiltInVariantOptions } from './training/builtInVariants.ts';
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

// ── estimators, decisions and distances ───────────────────────────────────────────────────────────────────────
export { levelForFalseFailRate, type Estimate, type EstimateMethod, type Estimator, type Interval, type Verdict } from './estimators/estimate.ts';
export { estimateMeanByClt, sampleMeanAndVariance, type MeanByCltOptions } from './estimators/meanByClt.ts';
export { estimatePowerMeanRootByClt } from './estimators/powerMeanByClt.ts';
export { estimateProportionByClopperPearson, type ProportionByClopperPearsonOptions } from './estimators/proportionByClopperPearson.ts';
export { estimateByPercentileBootstrap, quantileOfSorted, type PercentileBootstrapOptions } from './estimators/percentileBootstrap.ts';
export { estimateSupremumByMaximum, type SupremumLowerBound } from './estimators/supremumByMaximum.ts';
export { estimateLogLogSlope, type LogLogSlopeEstimate, type LogLogSlopeOptions } from './estimators/logLogSlope.ts';
export { localSlopeEstimate } from './estimators/localSlopes.ts';
export { withRegressionControlVariate } from './estimators/controlVariate.ts';
export { squareRootOfEstimate } from './estimators/squareRootOfEstimate.ts';
export { sumOfEstimates, type SumOfEstimatesOptions } from './estimators/sumOfEstimates.ts';
export { minDetectableDiscrepancyByClt, minSamplesForMeanBoundByClt, type ErrorRates } from './estimators/minSamplesForMeanBoundByClt.ts';
export { holmAdjust } from './estimators/holmAdjust.ts';
export { bonferroniLevel } from './estimators/bonferroniLevel.ts';
export { studentTQuantile } from './estimators/studentTQuantile.ts';
export { decideEquality, decideLowerBound, decideSlope, decideUpperBound, type Decision } from './estimators/decisions.ts';
export { solveAssignment, type Assignment } from './metrics/solveAssignment.ts';
export { exactWasserstein, pairwiseCostMatrix, type ExactWassersteinResult } from './metrics/exactWasserstein.ts';
export { wasserstein1d, wasserstein1dPower } from './metrics/wasserstein1d.ts';
export { wasserstein1ByCdfs } from './metrics/wasserstein1ByCdfs.ts';
export { wasserstein1dToQuantile, type QuantileFunction, type Wasserstein1dToQuantileOptions } from './metrics/wasserstein1dToQuantile.ts';
export { coordinatewiseWasserstein2, productLawWasserstein2, type ProductLawWasserstein2Options } from './metrics/productLawWasserstein2.ts';
export { buresWasserstein } from './metrics/buresWasserstein.ts';
export { pairedComponentsWasserstein2Bound, type GaussianComponent } from './metrics/pairedComponentsWasserstein2.ts';
export { slicedWasserstein2, type SlicedWasserstein2Options } from './metrics/slicedWasserstein2.ts';
export { couplingUpperBound, type CouplingUpperBoundOptions } from './metrics/couplingUpperBound.ts';
export { kolmogorovDistance, projectedMixtureCdf, projectPoints } from './metrics/projectedKolmogorov.ts';
export { PF_ODE_SOLVER_ORDER, pfOdeStep, pfOdeStepGainVe, type PfOdeSolver } from './flows/solvers/pfOdeStep.ts';
export { targetVsTargetBaseline, type TargetVsTargetBaselineOptions } from './metrics/targetVsTargetBaseline.ts';
export { estimateWasserstein2ToLaw, type Wasserstein2ToLawOptions, type Wasserstein2ToLawParts, type Wasserstein2ToLawResult } from './metrics/wasserstein2ToLaw.ts';
export { ENERGY_DISTANCE_MAX_ENTRIES, energyDistance, energyDistanceByProjection, type EnergyDistanceOptions, type EnergyDistanceProjectionOptions } from './metrics/energyDistance.ts';
export { totalVariationGaussians1d } from './metrics/totalVariationGaussians1d.ts';
export { wasserstein1Gaussians1d } from './metrics/wasserstein1Gaussians1d.ts';
export { integrateAdaptive, type IntegralEstimate, type IntegrateAdaptiveOptions } from './metrics/integrateAdaptive.ts';
export { assertComparablePointSets } from './metrics/assertComparablePointSets.ts';

// ── checks, catalog and the Li–Huang–Wei machinery ───────────────────────────────────────────────────────────────
export { defineCheck, type AnyCheck, type Check, type ControlCase } from './checks/defineCheck.ts';
export {
  combineVerdicts,
  makeEvidence,
  provenanceOf,
  type Diagnostic,
  type DiagnosticKind,
  type Evidence,
  type EvidenceBody,
  type EvidencePart,
  type EvidenceProvenance,
  type PlotSpec,
  type Threshold,
  type VerdictExtras,
  type Witness,
} from './checks/evidence.ts';
export { assertEvidenceContract, EvidenceContractError } from './checks/evidenceContract.ts';
export { exactEstimate, lowerBoundEstimate, numericalEstimate } from './checks/exactEstimate.ts';
export { EvidenceBuilder, type EvidenceExtras } from './checks/evidenceBuilder.ts';
export { formatEstimateFixed, formatNumber, formatTableNumber } from './core/formatNumber.ts';
export {
  DECISIONS,
  PAPER_KEY_PATTERN,
  STATEMENT_ID_PATTERN,
  STATEMENT_KINDS,
  SUBJECT_KINDS,
  VERDICTS,
  type CheckDesign,
  type ConstantSpec,
  type PaperKey,
  type SourceRef,
  type StatementId,
  type StatementKind,
  type StatementMeta,
  type SubjectKind,
} from './checks/statement.ts';
export {
  BudgetExhaustedError,
  CheckAbortedError,
  createCheckContext,
  DEFAULT_BUDGET,
  type CheckContext,
  type CheckContextOptions,
  type ProgressEvent,
  type ProgressSink,
  type SampleBudget,
} from './checks/checkContext.ts';
export {
  holmAcrossBattery,
  orderByDependencies,
  rawResultOf,
  runBattery,
  type BatteryCheckResult,
  type BatteryResult,
  type BatteryStatus,
  type BatterySubject,
  type BatterySubjects,
  type HolmDecision,
  type RawCheckResult,
  type RunBatteryOptions,
} from './checks/runBattery.ts';
export { ResultsCache, parseWithNonFinite, sha256Hex, stringifyWithNonFinite, type ResultsCacheKey } from './checks/resultsCache.ts';
export { runControl, type RunControlOptions } from './checks/runControl.ts';
export { bonferroniCombined, pValueAgainstBound, pValueAgainstEquality, pValueOfProportionAtMost } from './checks/pValue.ts';
export { buildCatalog, type Catalog, type CatalogEntry, type CatalogReadProblem, type CatalogSource } from './catalog/buildCatalog.ts';
export { lintCatalog, REQUIRED_DOC_SECTIONS, type CatalogProblem, type CatalogRule } from './catalog/lintCatalog.ts';
export { formatStatementsMarkdown, type PaperReference } from './catalog/statementsMarkdown.ts';
export { describeSetting, geometricSteps, marginalAtStep, type LhwSetting } from './checks/lhw/lhwSetting.ts';
export {
  conditionalExpectation,
  conditionalPreviousMean,
  couplingCoefficients,
  couplingName,
  flowSequence,
  gaussianIdealisedSequence,
  sequenceFromConsistencyFunction,
  settingFlow,
  type ConsistencySequence,
  type Coupling,
  type CouplingCoefficients,
} from './lhw/ctRecursion.ts';
export { gaussHermite, type GaussHermiteRule } from './numerics/gaussHermite.ts';
export { gaussianLipschitz, type GaussianLipschitz } from './flows/lipschitz/gaussianLipschitz.ts';
export { flowJacobianNorm, searchFlowLipschitz, type FlowLipschitzSearchOptions, type FlowLipschitzWitness } from './flows/lipschitz/flowLipschitzWitness.ts';
export { finiteDifferenceJacobianNorms, searchModelLipschitz, type ModelLipschitzSearchOptions, type ModelLipschitzWitness } from './flows/lipschitz/modelLipschitzWitness.ts';
export { criticalPointsOfLogDensity, distinctPoints, mixtureLengthScale, mixtureSeeds } from './flows/lipschitz/mixtureCriticalPoints.ts';
export { posteriorMixture, samplePosterior, type PosteriorMixture } from './lhw/posteriorMixture.ts';
export { logChiSquareSurvival, logGamma, logUpperRegularizedGamma } from './numerics/chiSquareTail.ts';
export { operatorNorm, operatorNormAndDirection } from './numerics/operatorNorm.ts';
export { goldenSectionSearch } from './numerics/goldenSection.ts';
export { compassSearchMaximum, type CompassSearchOptions, type CompassSearchResult } from './numerics/compassSearch.ts';
export { chebyshevNodes, evaluateChebyshev, type ChebyshevFunction } from './numerics/chebyshev.ts';
export { gaussianMeanNorm, iidMeanNorm, iidMeanNorms, meanNormFromLaplace } from './numerics/meanNorm.ts';
export { gaussianIdealisedErrors, type GaussianIdealisedErrors } from './lhw/idealisedError.ts';
export {
  idealisedOutputSequence,
  lhwMarginal1d,
  mixtureFlowLipschitzLowerBound,
  mixtureIdealised,
  type MixtureFlowLipschitzWitness,
  type MixtureIdealisedErrors,
  type MixtureIdealisedOptions,
} from './lhw/mixtureIdealised.ts';
export {
  equivalentClock,
  geometricTimeGrid,
  linearTimeOffset,
  measureConsistencyResiduals,
  modelOnClock,
  witnessModelLipschitz,
  type ConsistencyResidualOptions,
  type ConsistencyResiduals,
} from './lyu/trainedModelConstants.ts';
export { finalTimeLipschitz, isotropicCovariance, LIPSCHITZ_GRID_SIZE, oneStepFixedTerms, priorDraws, type FinalTimeLipschitz, type OneStepFixedTerms } from './lyu/oneStepTerms.ts';
export { componentPrecision, covariancesEqual, decisionBoundaryScan, equalCovarianceScoreLipschitz, symmetricOperatorNorms, type BoundaryScan } from './lyu/scoreLipschitzBounds.ts';
export { multistepRoundErrors, oneStepErrorAt } from './lyu/multistepGaussian.ts';
export type { ConstantRecipe, Suite, SuiteBuilder, SuiteModel, SuiteRequest, SweepPoint } from './checks/suite.ts';
export type { AuditReport, ReportConstant } from './report/auditReport.ts';
export { qualifiedId } from './audit/runAudit.ts';
export { pairedComparison, pairedComparisonOverSeeds, rungReference, type RungReference } from './audit/evaluateModel.ts';
export type { AuditBattery, AuditCheckCase, AuditModelRequest } from './audit/auditBattery.ts';
export { constantsTable, requireSchedule, resolveConstants, type ClaimName, type ScheduleField, type SuiteConstantDefaults } from './config/claims.ts';
export { canonicalSubjectText, subjectKey } from './checks/subjectKey.ts';
export { estimateStepSum, type StepSumOptions, type StepSumResult } from './estimators/stratifiedStepSum.ts';
export { estimateWasserstein1ToLaw, type Wasserstein1ToLawOptions, type Wasserstein1ToLawResult } from './metrics/wasserstein1ToLaw.ts';
export {
  chainSumOptions,
  compareWithBound,
  masterBound,
  type BoundComparison,
  describeSchedule,
  describeStepsOutsideRange,
  estimateTrainingErrorSum,
  exactModelAsTrained,
  idealisedDiscretisation,
  isTrainedLhwSubject,
  lhwScheduleForModelRange,
  lhwSequenceOfModel,
  measureOneStepW1,
  measureOutputError,
  stepsOutsideModelRange,
  trainedLhwSubjectKey,
  viewTrainedChain,
  type ChainSumOptions,
  type IdealisedDiscretisation,
  type LhwScheduleConstants,
  type StepsOutsideRange,
  type TrainedChainSamples,
  type TrainedChainView,
  type TrainedLhwSubject,
} from './lhw/trainedChain.ts';
export { trainOrReuseModel, type CachedModel, type CachedModelRequest } from './audit/cachedModel.ts';
export { MODEL_COLUMNS, modelEstimatesOf, overSeeds, summarizeOverSeeds } from './audit/seedSummary.ts';

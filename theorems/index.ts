/**
 * The registry of statements: every statement file under `theorems/<paperKey>/` is imported here explicitly
 * (the catalog lint checks that this list equals the files present). `theorems/` imports `src/`, never the reverse.
 */
import type { AnyCheck } from '../src/index.ts';
import { assumption1LipschitzFlows } from './li2024/assumption1LipschitzFlows.ts';
import { assumption2TrainingErrors } from './li2024/assumption2TrainingErrors.ts';
import { errorRecursion } from './li2024/errorRecursion.ts';
import { lemma1PosteriorConcentration } from './li2024/lemma1PosteriorConcentration.ts';
import { scheduleProperties } from './li2024/schedule.ts';
import { scoreSecondMoment } from './li2024/scoreSecondMoment.ts';
import { theorem1 } from './li2024/theorem1.ts';
import { typicalSet } from './li2024/typicalSet.ts';
// Lyu–Feng–Chen 2023, Song et al. 2023, Song & Dhariwal 2024 (iCT), the handwritten note
import { parameterizationBoundary } from './song2023/parameterization.ts';
import { ctSchedules } from './song2023/schedules.ts';
import { ictSchedules } from './song2024/schedules.ts';
import { tvSmoothing } from './lyu2023/tvSmoothing.ts';
import { scoreLipschitz } from './lyu2023/scoreLipschitz.ts';
import { multistepSampling } from './song2023/multistepSampling.ts';
import { theorem1ZeroCdLoss } from './song2023/theorem1.ts';
import { cdEulerStep } from './note/cdEulerStep.ts';
import { couplingOrders } from './note/coupling.ts';
import { ctBias } from './note/ctBias.ts';
import { theorem2CtApproximatesCd } from './song2023/theorem2.ts';
import { pdeResidual } from './song2023/pdeResidual.ts';
import { multistepContraction } from './lyu2023/multistep.ts';
import { oneStepSkeleton } from './lyu2023/oneStep.ts';
import { scoreErrorAssumption } from './lyu2023/scoreError.ts';
import { consistencyErrorAssumption } from './lyu2023/consistencyError.ts';
import { modelLipschitzAssumption } from './lyu2023/modelLipschitz.ts';
import { proposition1EmaTeacher } from './song2024/proposition1.ts';
import { l1Limit } from './note/l1Limit.ts';
import { stochasticFlow } from './note/stochasticFlow.ts';

export { assumption1LipschitzFlows, assumption2TrainingErrors, errorRecursion, lemma1PosteriorConcentration, scheduleProperties, scoreSecondMoment, theorem1, typicalSet };
export { parameterizationBoundary, ctSchedules, ictSchedules, tvSmoothing, scoreLipschitz, multistepSampling, theorem1ZeroCdLoss, cdEulerStep, couplingOrders, ctBias, theorem2CtApproximatesCd, pdeResidual, multistepContraction, oneStepSkeleton, scoreErrorAssumption, consistencyErrorAssumption, modelLipschitzAssumption, proposition1EmaTeacher, l1Limit, stochasticFlow };

/** Settings and the score model the audit's subjects of the Lyu–Feng–Chen chain are built from. */
export { EXACT_STEP_GRID_SIZE, EXACT_STEP_SAMPLES } from './lyu2023/consistencyError.ts';
export { perturbedScore, type ScoreModel } from './lyu2023/scoreError.ts';

/** All checks, in the order they are listed (the battery runner re-orders by dependencies). */
export const allChecks: readonly AnyCheck[] = [scheduleProperties, assumption1LipschitzFlows, assumption2TrainingErrors, scoreSecondMoment, typicalSet, lemma1PosteriorConcentration, errorRecursion, theorem1,
  // Lyu–Feng–Chen, Song et al., Song & Dhariwal, the note
  parameterizationBoundary,
  ctSchedules,
  ictSchedules,
  tvSmoothing,
  scoreLipschitz,
  multistepSampling,
  theorem1ZeroCdLoss,
  cdEulerStep,
  couplingOrders,
  ctBias,
  theorem2CtApproximatesCd,
  pdeResidual,
  multistepContraction,
  oneStepSkeleton,
  scoreErrorAssumption,
  consistencyErrorAssumption,
  modelLipschitzAssumption,
  proposition1EmaTeacher,
  l1Limit,
  stochasticFlow,
];

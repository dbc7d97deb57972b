/**
 * `cmbounds run --suite trained --model <DIR|cmd:…>`: the model-level theorem checks on one trained consistency model
 * (a folder from `cmbounds train`, or an external model over the protocol), with the target and process that come
 * with the model. The checks and their subjects are exactly those `cmbounds audit` runs on each of its models.
 */
import { type AnyCheck, type BatterySubjects, type SuiteBuilder, ConfigError, constantsTable, resolveConstants, lhwScheduleForModelRange } from '../src/index.ts';
import { auditBattery, TRAINED_LHW_LF, TRAINED_LHW_T } from './audit.ts';
import { QUICK_CLAIMS } from './quick.ts';

/** The statements that view the model on schedule (23). */
const LHW_IDS = ['li2024.assumption1', 'li2024.assumption2', 'li2024.errorRecursion', 'li2024.theorem1'];

/** Monte Carlo draws per estimate (the audit's default). */
const TRAINED_SAMPLES = 10_000;

export const trainedSuite: SuiteBuilder = (request) => {
  const trained = request.model;
  if (trained === undefined) throw new ConfigError('E_INVALID_INPUT', 'the trained suite needs a model: --model <DIR> (from `cmbounds train`) or --model cmd:<command>', '--model');
  // schedule (23): the user's fields, the rest fitted to the model's trained range at the user's T (default 1000)
  const T = request.constants?.schedule?.T ?? TRAINED_LHW_T;
  const fitted = lhwScheduleForModelRange(trained.process, T);
  const constants = resolveConstants(request.constants, { claims: { ...QUICK_CLAIMS, Lf: TRAINED_LHW_LF }, schedule: fitted });
  const cases = auditBattery.casesFor({
    target: request.target,
    targetName: request.targetName,
    process: trained.process,
    model: trained.model,
    variantId: trained.variantId,
    modelKey: trained.modelKey,
    samples: TRAINED_SAMPLES,
    constants,
  });
  const checks: AnyCheck[] = cases.map((c) => c.check);
  const subjects: BatterySubjects = Object.fromEntries(cases.map((c) => [c.check.id, c.subject]));
  return {
    name: 'trained',
    title: `Model-level checks of ${trained.variantId} (${trained.spec}) on ${request.targetName}`,
    subject: { target: request.targetName, process: JSON.stringify(trained.process.toSpec()), variant: trained.variantId, functionClass: trained.model.id },
    checks,
    subjects,
    constants: constantsTable(constants, {
      T: LHW_IDS.filter((id) => id in subjects),
      c0: LHW_IDS.filter((id) => id in subjects),
      c1: LHW_IDS.filter((id) => id in subjects),
      Lf: ['li2024.assumption1'].filter((id) => id in subjects),
    }),
  };
};

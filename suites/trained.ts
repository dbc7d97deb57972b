/**
 * `cmbounds run --suite trained --model <DIR|cmd:…>`: the model-level theorem checks on one trained consistency model
 * (a folder from `cmbounds train`, or an external model over the protocol), with the target and process that come
 * with the model. The checks and their subjects are exactly those `cmbounds audit` runs on each of its models.
 */
import { type AnyCheck, type BatterySubjects, type SuiteBuilder, ConfigError } from '../src/index.ts';
import { auditBattery } from './audit.ts';

/** Monte Carlo draws per estimate (the audit's default). */
const TRAINED_SAMPLES = 10_000;

export const trainedSuite: SuiteBuilder = (request) => {
  const trained = request.model;
  if (trained === undefined) throw new ConfigError('E_INVALID_INPUT', 'the trained suite needs a model: --model <DIR> (from `cmbounds train`) or --model cmd:<command>', '--model');
  const cases = auditBattery.casesFor({
    target: request.target,
    targetName: request.targetName,
    process: trained.process,
    model: trained.model,
    variantId: trained.variantId,
    modelKey: trained.modelKey,
    samples: TRAINED_SAMPLES,
  });
  const checks: AnyCheck[] = cases.map((c) => c.check);
  const subjects: BatterySubjects = Object.fromEntries(cases.map((c) => [c.check.id, c.subject]));
  return {
    name: 'trained',
    title: `Model-level checks of ${trained.variantId} (${trained.spec}) on ${request.targetName}`,
    subject: { target: request.targetName, process: JSON.stringify(trained.process.toSpec()), variant: trained.variantId, functionClass: trained.model.id },
    checks,
    subjects,
  };
};

import type { AuditBattery } from '../audit/auditBattery.ts';
import type { ConstantRecipe, SuiteBuilder } from '../checks/suite.ts';

/**
 * What the composition root (bin/cmbounds.js) hands the CLI: `src/` never imports `theorems/`, so the suites
 * (which compose theorem checks with subjects) come in from outside.
 */
export interface CliPlugins {
  /** Loads the suites on demand (only `cmbounds run` needs theorems/). */
  readonly suites?: () => Promise<Readonly<Record<string, SuiteBuilder>>>;
  /** Loads the constant recipes of `cmbounds estimate`. */
  readonly constants?: () => Promise<Readonly<Record<string, ConstantRecipe>>>;
  /** Loads the model-level checks of `cmbounds audit`. */
  readonly audits?: () => Promise<AuditBattery>;
}

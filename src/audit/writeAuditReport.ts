import type { AuditReport } from '../report/auditReport.ts';
import type { AuditComparison } from './comparison.ts';

/**
 * The results document of an audit: a battery report whose `sections` hold the rendered comparison (so
 * `cmbounds report` re-renders it) and whose `audit` field keeps the comparison's data.
 */
export type AuditResultsDocument = AuditReport & { readonly audit: AuditComparison };

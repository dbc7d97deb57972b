/**
 * @deprecated The 1-D mixture helpers live in `src/distributions/mixture1d.ts`, exported from `src/index.ts` under
 * these names. This file only forwards them for the studies that still import it here; delete it once they
 * import `src/index.ts`. No statement file imports it (test/unit/catalog/importRules.spec.ts).
 */
export { gaussHermite, mixtureCdf, posterior, type Mixture1d } from '../../src/index.ts';

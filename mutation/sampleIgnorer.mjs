// Stryker ignorer for `npm run mutate:sample` (mutation/sampleMutants.ts): with the mutate ranges set to the
// sampled mutants' nodes, Stryker would also mutate every node nested inside a sampled one (a sampled block
// statement holds dozens). This ignorer drops those: a node is kept when it is a sampled node or contains one,
// and every other node that reaches the instrumenter (one overlapping a sampled range) is ignored with its subtree.
// The sample of the file being mutated comes from the JSON file named by CMBOUNDS_MUTATION_SAMPLE:
// { "nodes": [{ "start": { "line", "column" }, "end": { "line", "column" } }] }, lines 0-based, columns 0-based
// (Stryker's instrumenter convention; babel's `loc` lines are 1-based).
import { readFileSync } from 'node:fs';
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const samplePath = process.env['CMBOUNDS_MUTATION_SAMPLE'];
const nodes = samplePath ? JSON.parse(readFileSync(samplePath, 'utf8')).nodes : [];

const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
const contains = (outer, inner) => before(outer.start, inner.start) && before(inner.end, outer.end);
const same = (a, b) => a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'mutation-sample', {
    shouldIgnore(path) {
      const loc = path.node.loc;
      if (!loc || nodes.length === 0) return undefined;
      const here = { start: { line: loc.start.line - 1, column: loc.start.column }, end: { line: loc.end.line - 1, column: loc.end.column } };
      if (nodes.some((n) => same(n, here) || contains(here, n))) return undefined;
      return 'not in the uniform mutant sample (nested inside a sampled node)';
    },
  }),
];

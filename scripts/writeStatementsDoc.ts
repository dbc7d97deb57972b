// `npm run docs:statements`: writes docs/statements.md from the checks' metadata (theorems/index.ts), atomically.
// test/theorems/statementsDoc.spec.ts fails when the committed file differs.
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatStatementsMarkdown } from '../src/index.ts';
import { allChecks } from '../theorems/index.ts';
import { papers } from '../theorems/papers.ts';

const target = fileURLToPath(new URL('../docs/statements.md', import.meta.url));
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, formatStatementsMarkdown(allChecks, papers));
renameSync(temporary, target);
console.log(`wrote ${target} (${allChecks.length} statements)`);

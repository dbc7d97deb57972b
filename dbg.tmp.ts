import { runControl } from './src/checks/runControl.ts';
import { theorem1 } from './theorems/li2024/theorem1.ts';
import { errorRecursion } from './theorems/li2024/errorRecursion.ts';
import { assumption2TrainingErrors } from './theorems/li2024/assumption2TrainingErrors.ts';
import { assumption1LipschitzFlows } from './theorems/li2024/assumption1LipschitzFlows.ts';
for (const check of [assumption1LipschitzFlows, assumption2TrainingErrors, errorRecursion]) for (const c of check.controls.filter((c) => c.name.startsWith('trained'))) {
  const t0 = performance.now();
  const e = await runControl(check as any, c.name);
  console.log(check.id, c.name, c.expected, e.verdict, e.reason.slice(0, 300), (performance.now() - t0).toFixed(0), 'ms');
}

// `npm run bench [oracle|wasserstein|training|external|energy]`: every benchmark prints ratios against a baseline measured in the same run.
import { benchEnergyDistance } from './energyDistance.bench.ts';
// `npm run bench [oracle|wasserstein|training|external|workers]`: every benchmark prints ratios against a baseline measured in the same run.
import { benchExternalModel } from './externalModel.bench.ts';
import { benchOracleFlow } from './oracleFlow.bench.ts';
import { benchTraining } from './training.bench.ts';
import { benchWasserstein } from './wasserstein.bench.ts';
import { benchWorkers } from './workers.bench.ts';

const only = process.argv[2];
const benches: [string, () => Promise<void>][] = [
  ['oracle', benchOracleFlow],
  ['wasserstein', benchWasserstein],
  ['training', benchTraining],
  ['external', benchExternalModel],
  ['energy', benchEnergyDistance],
  ['workers', benchWorkers],
];
for (const [name, run] of benches) {
  if (only === undefined || only === name) await run();
}

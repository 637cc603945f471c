// `npm run test:model`: 10,000 random programs against the reference model (test/model.test.ts).
// MODEL_SEED replays a run; MODEL_RUNS changes the count.
import { spawnSync } from 'node:child_process';

const seed = process.env.MODEL_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.MODEL_RUNS ?? '10000';
console.log(
  `model: running ${runs} programs with seed ${seed} (replay: MODEL_SEED=${seed} npm run test:model)`,
);
const result = spawnSync('npx', ['vitest', 'run', 'test/model.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, MODEL_SEED: seed, MODEL_RUNS: runs },
});
process.exit(result.status ?? 1);

// `npm run soak [-- --turns N --seed S]`: the long soak (test/e2e/soak.e2e.ts) in code-server, default 1,000 turns;
// copies its result to bench/results/soak.json. Exits non-zero when a pass criterion fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const turns = arg('turns', '1000');
const seed = arg('seed', String(Math.floor(Math.random() * 2 ** 31)));
console.log(`soak: ${turns} turns, seed ${seed}`);
// A run that fails before its end writes no result: never copy an older run's.
rmSync('test-results/soak.json', { force: true });
const r = spawnSync(process.execPath, ['scripts/test.mjs', '--no-typecheck', '--no-lint', 'e2e', '--grep', 'soak'], {
  stdio: 'inherit',
  env: { ...process.env, BUD_SOAK_TURNS: turns, BUD_SOAK_SEED: seed },
});
if (existsSync('test-results/soak.json')) {
  mkdirSync('bench/results', { recursive: true });
  copyFileSync('test-results/soak.json', 'bench/results/soak.json');
  console.log('soak: results in bench/results/soak.json');
}
process.exit(r.status ?? 1);

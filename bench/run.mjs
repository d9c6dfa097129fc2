// `npm run bench`: builds (production bundles + test/bench bundles), runs every out/bench/*.bench.js (each
// exports `default async function run(): Promise<Record<string, unknown>>`) in its own Node process, writes
// bench/results/latest.json with the machine it ran on, and prints a summary table per benchmark.
//
//   npm run bench                  all benchmarks
//   npm run bench -- render app    only these (matched against the file name)
//   npm run bench -- --no-build    reuse dist/ and out/ as they are
// On a fresh machine it first runs scripts/setup.sh, as `npm test` does (BUD_SKIP_SETUP=1 skips the check).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release, tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repo);
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const build = !args.includes('--no-build');

function sh(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} exited with ${r.status}`);
}

// Like `npm test`: on a fresh machine, install what the benchmarks need first (Chromium, ripgrep; scripts/setup.sh).
if (process.env.BUD_SKIP_SETUP !== '1') {
  const check = spawnSync('bash', ['scripts/setup.sh', '--check-only'], { encoding: 'utf8' });
  if (check.status !== 0) {
    process.stdout.write(check.stdout);
    console.log('bench: installing what is missing (bash scripts/setup.sh)');
    sh('bash', ['scripts/setup.sh']);
  }
}

if (build) {
  console.log('bench: building (node esbuild.mjs --production --tests)');
  sh(process.execPath, ['esbuild.mjs', '--production', '--tests']);
}

const dir = join(repo, 'out/bench');
const files = (existsSync(dir) ? readdirSync(dir) : [])
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error('bench: no out/bench/*.bench.js found (build with `node esbuild.mjs --tests`)');
  process.exit(1);
}

const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  date: new Date().toISOString(),
  commit: git.status === 0 ? git.stdout.trim() : undefined,
};

const results = {};
const failures = [];
for (const f of files) {
  const name = f.replace(/\.bench\.js$/, '');
  const outFile = join(tmpdir(), `bud-bench-${process.pid}-${name}.json`);
  console.log(`\nbench: ${name} …`);
  const t0 = Date.now();
  const code = `
    const m = require(${JSON.stringify(join(dir, f))});
    const run = typeof m.default === 'function' ? m.default : m.default && typeof m.default.run === 'function' ? () => m.default.run() : m.run;
    Promise.resolve().then(() => run()).then(
      (r) => { require('node:fs').writeFileSync(${JSON.stringify(outFile)}, JSON.stringify(r)); process.exit(0); },
      (e) => { console.error(e && e.stack || e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { stdio: 'inherit' });
  const secs = Math.round((Date.now() - t0) / 100) / 10;
  if (r.status === 0 && existsSync(outFile)) {
    const out = JSON.parse(readFileSync(outFile, 'utf8'));
    rmSync(outFile, { force: true });
    // `{ <name>: {...} }` is kept as is; anything else is filed under the file's name
    const keys = out && typeof out === 'object' && !Array.isArray(out) ? Object.keys(out) : [];
    const keyed = keys.length === 1 && out[keys[0]] && typeof out[keys[0]] === 'object';
    const filed = keyed ? out : { [name]: out };
    for (const k of Object.keys(filed))
      if (filed[k] && typeof filed[k] === 'object')
        filed[k].ran = { date: new Date().toISOString(), commit: machine.commit };
    Object.assign(results, filed);
    console.log(`bench: ${name} done in ${secs} s`);
  } else {
    failures.push(name);
    results[name] = { error: `exited with ${r.status}` };
    console.log(`bench: ${name} FAILED after ${secs} s`);
  }
}

machine.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
mkdirSync(join(repo, 'bench/results'), { recursive: true });
const latestPath = join(repo, 'bench/results/latest.json');
// Benchmarks not run this time keep their previous results (each result says when and at which commit it ran).
let previous = {};
try {
  previous = JSON.parse(readFileSync(latestPath, 'utf8'));
} catch {
  /* first run */
}
const merged = { machine, results: { ...(only.length ? (previous.results ?? {}) : {}), ...results } };
writeFileSync(latestPath, JSON.stringify(merged, null, 2) + '\n');

// ---- summary -------------------------------------------------------------------------------------------
function flatten(obj, prefix, rows) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, rows);
    else if (typeof v !== 'object' || v === null) rows.push([key, v]);
  }
  return rows;
}
function table(rows) {
  const w = Math.max(...rows.map((r) => String(r[0]).length));
  return rows
    .map(
      ([k, v]) => `  ${String(k).padEnd(w)}  ${typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v)}`,
    )
    .join('\n');
}
console.log(
  `\n=== bench summary (${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverageAtStart[0]}) ===`,
);
for (const [name, res] of Object.entries(results)) {
  console.log(`\n[${name}]`);
  const summary = res && typeof res === 'object' && res.summary && typeof res.summary === 'object' ? res.summary : res;
  const rows = summary && typeof summary === 'object' ? flatten(summary, '', []) : [['result', summary]];
  console.log(rows.length ? table(rows) : '  (no scalar results)');
}
console.log(`\nbench: wrote ${latestPath}`);
if (failures.length) {
  console.error(`bench: failed: ${failures.join(', ')}`);
  process.exit(1);
}

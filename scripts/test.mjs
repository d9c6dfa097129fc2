// `npm test`: setup check -> build -> unit (the type check and lint, ESLint + Prettier, run beside these two) -> browser
// -> integration -> e2e, then one summary line
// `N passed, N failed` (`, N skipped` when any). Exits 1 when anything failed or a step/layer crashed.
//
//   npm test                      everything
//   npm test -- unit              one layer (or several: unit browser integration e2e)
//   npm test -- e2e --grep Stop   mocha --grep for the chosen layers
//   npm test -- --no-typecheck    skip the type check (faster local loops)
//   npm test -- --no-lint         skip ESLint and the Prettier check (faster local loops)
//
// Layers:
//   unit         mocha in Node over out/test/unit/**/*.test.js
//   browser      mocha in Node over out/test/browser/**/*.test.js (they drive Chromium themselves)
//   integration  mocha inside code-server's extension host over out/test/integration/**/*.test.js, twice: in
//                code-server 4.139.1 (VS Code 1.139) and in 4.90.3 (VS Code 1.90, the engines.vscode minimum)
//   e2e          mocha in Node over out/test/e2e/**/*.e2e.js (+ *.test.js), serial, driving code-server + Chromium
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repo);

const LAYERS = ['unit', 'browser', 'integration', 'e2e'];
const args = process.argv.slice(2);
const grepIdx = args.indexOf('--grep');
const grep = grepIdx >= 0 ? args[grepIdx + 1] : undefined;
const chosen = args.filter((a, i) => LAYERS.includes(a) && !(grepIdx >= 0 && i === grepIdx + 1));
const unknown = args.filter(
  (a, i) => !a.startsWith('--') && !LAYERS.includes(a) && !(grepIdx >= 0 && i === grepIdx + 1),
);
if (unknown.length) {
  console.error(`scripts/test.mjs: unknown layer(s) ${unknown.join(', ')}; choose from ${LAYERS.join(', ')}`);
  process.exit(2);
}
const layers = chosen.length ? LAYERS.filter((l) => chosen.includes(l)) : LAYERS;
const typecheck = !args.includes('--no-typecheck');
const lint = !args.includes('--no-lint');

const tty = process.stdout.isTTY;
const c = (code, s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s) => c(1, s);
const red = (s) => c(31, s);
const green = (s) => c(32, s);
const dim = (s) => c(2, s);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

const tmp = mkdtempSync(join(tmpdir(), 'bud-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
// Every process started below inherits this marker, so leftovers can be found (and killed) at the end.
const RUN_ID = `bud-test-${process.pid}-${Date.now()}`;
process.env.BUD_HARNESS_RUN = RUN_ID;

/** Every failure to print at the end: { where, title, error }. */
const failures = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
const report = [];

function header(title) {
  console.log(`\n${bold(`━━ ${title}`)}`);
}

/**
 * Runs a command; resolves with its exit code and, with `quiet`, its output (stdout and stderr in order) to print later.
 * Output is inherited otherwise.
 */
function run(cmd, cmdArgs, { quiet = false, ...opts } = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, cmdArgs, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', cwd: repo, ...opts });
    const chunks = [];
    child.stdout?.on('data', (d) => chunks.push(d));
    child.stderr?.on('data', (d) => chunks.push(d));
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    let ended = false;
    const end = (code, output) => {
      if (ended) return;
      ended = true;
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      res({ code, output });
    };
    child.on('close', (code, signal) => end(code ?? (signal ? 128 : 1), Buffer.concat(chunks).toString('utf8')));
    child.on('error', (err) => {
      if (!quiet) console.error(err.message);
      end(127, err.message);
    });
  });
}

/**
 * A step that runs beside the next ones (the type check and lint use one core each while build and unit use the
 * other); calling the function it returns waits for it, prints its output and counts it.
 */
function background(name, cmd, cmdArgs) {
  const t0 = Date.now();
  const done = run(cmd, cmdArgs, { quiet: true }).then((r) => ({ ...r, ms: Date.now() - t0 }));
  return async () => {
    const { code, output, ms } = await done;
    header(`${name} (ran beside the steps above)`);
    if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return record(name, cmd, cmdArgs, code, ms);
  };
}

/** A step that is not a test (setup, type check, build): counts one failure when it fails. */
async function step(name, cmd, cmdArgs) {
  header(name);
  const t0 = Date.now();
  const { code } = await run(cmd, cmdArgs);
  return record(name, cmd, cmdArgs, code, Date.now() - t0);
}

function record(name, cmd, cmdArgs, code, ms) {
  if (code !== 0) {
    totals.failed++;
    failures.push({
      where: name,
      title: `${name} failed (exit ${code})`,
      error: `see the output of \`${[cmd, ...cmdArgs].join(' ')}\` above`,
    });
    report.push(`${name}: ${red('FAILED')} (${secs(ms)})`);
  } else report.push(`${name}: ok (${secs(ms)})`);
  return code === 0;
}

function findFiles(dir, test) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findFiles(p, test));
    else if (test(e)) out.push(p);
  }
  return out;
}

const ranNothing = (r) => !(r?.passes?.length || r?.failures?.length || r?.pending?.length);

function count(layer, results, ms, crashed) {
  const p = results?.passes?.length ?? 0;
  const f = results?.failures?.length ?? 0;
  const s = results?.pending?.length ?? 0;
  totals.passed += p;
  totals.failed += f;
  totals.skipped += s;
  for (const t of results?.failures ?? []) {
    failures.push({
      where: layer,
      title: t.fullTitle,
      file: t.file,
      error: t.stack && t.stack.includes(t.error) ? t.stack : `${t.error}\n${t.stack ?? ''}`,
    });
  }
  if (crashed) {
    totals.failed++;
    failures.push({ where: layer, title: `the ${layer} layer crashed`, error: crashed });
  }
  const tally = `${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`;
  report.push(`${layer}: ${crashed || f ? red(tally) : tally}${crashed ? red(' + crashed') : ''} (${secs(ms)})`);
}

/** mocha in Node with our reporter (live spec output + JSON for counting). */
async function mochaLayer(layer, files, extra) {
  header(`${layer} (${files.length} file${files.length === 1 ? '' : 's'})`);
  if (!files.length) {
    console.log(dim(`  no ${layer} test files yet: counts 0`));
    report.push(`${layer}: no test files yet (0)`);
    return;
  }
  const json = join(tmp, `${layer}.json`);
  const t0 = Date.now();
  const mochaArgs = [
    join(repo, 'node_modules/mocha/bin/mocha.js'),
    '--reporter',
    join(repo, 'test/harness/mocha-reporter.cjs'),
    '--exit',
    ...extra,
    ...(grep ? ['--grep', grep] : []),
    ...files.map((f) => relative(repo, f)),
  ];
  // Unit tests read English: the default string bundle, and numbers grouped as in English. Outside VS Code numbers
  // follow the runtime's default locale (src/api/locale.ts), which Node takes from LC_ALL/LANG: pinned here so the
  // tests pass on a machine set to any language.
  const locale = layer === 'unit' ? { LC_ALL: 'C.UTF-8' } : {};
  const { code } = await run(process.execPath, ['--enable-source-maps', ...mochaArgs], {
    env: { ...process.env, ...locale, BUD_MOCHA_JSON: json },
  });
  const ms = Date.now() - t0;
  let results;
  try {
    results = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    /* crashed before the end */
  }
  const failed = results?.failures?.length ?? 0;
  let crashed;
  if (!results) crashed = `mocha exited with code ${code} before reporting results (a test file failed to load?)`;
  else if (code !== 0 && failed === 0) crashed = `mocha exited with code ${code} although no test failed`;
  else if (!grep && ranNothing(results)) crashed = `${files.length} test file(s) but no test ran`;
  count(layer, results, ms, crashed);
  slowestFiles(layer, results?.fileMs);
}

/** The slowest files of a layer, so a CI run says where its time went. */
function slowestFiles(layer, fileMs) {
  const rows = Object.entries(fileMs ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  if (rows.length) report.push(dim(`  slowest: ${rows.map(([f, ms]) => `${basename(f)} ${secs(ms)}`).join(', ')}`));
}

/**
 * The integration suite in one code-server release: `current` (VS Code 1.139) or `minimum` (VS Code 1.90, the
 * engines.vscode minimum; tests of newer APIs skip there, naming the API).
 */
async function integrationLayer(release) {
  const layer = release === 'minimum' ? 'integration (VS Code 1.90)' : 'integration';
  const files = findFiles('out/test/integration', (f) => f.endsWith('.test.js'));
  header(`${layer} (${files.length} file${files.length === 1 ? '' : 's'}, inside code-server's extension host)`);
  if (!files.length) {
    console.log(dim('  no integration test files yet: counts 0'));
    report.push(`${layer}: no test files yet (0)`);
    return;
  }
  const json = join(tmp, `integration-${release}.json`);
  const t0 = Date.now();
  const { code } = await run(process.execPath, [
    '--enable-source-maps',
    'out/test/harness/runIntegration.js',
    '--json',
    json,
    '--release',
    release,
    ...(grep ? ['--grep', grep] : []),
  ]);
  const ms = Date.now() - t0;
  let results;
  try {
    results = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    /* crashed */
  }
  let crashed = results?.crashed;
  if (!results) crashed = `the integration runner exited with code ${code} without results`;
  else if (code !== 0 && !results.failures?.length && !crashed)
    crashed = `the integration runner exited with code ${code}`;
  else if (!crashed && !grep && ranNothing(results))
    crashed = `${files.length} test file(s) but no test ran in the extension host`;
  count(layer, results, ms, crashed);
}

// ------------------------------------------------------------------ main
const T0 = Date.now();
console.log(bold(`npm test: ${layers.join(', ')}${grep ? ` (grep ${grep})` : ''}`));

let ready = true;
if (process.env.BUD_SKIP_SETUP !== '1') {
  const check = spawnSync('bash', ['scripts/setup.sh', '--check-only'], { cwd: repo, encoding: 'utf8' });
  if (check.status === 0) {
    console.log(dim(check.stdout.trim()));
  } else {
    process.stdout.write(check.stdout);
    ready = await step('setup', 'bash', ['scripts/setup.sh']);
  }
}

if (ready) {
  // The type check and lint only read the sources: they run beside the build and the unit layer.
  const checks = [
    ...(typecheck ? [background('typecheck', 'npm', ['run', '--silent', 'typecheck'])] : []),
    ...(lint ? [background('lint', 'npm', ['run', '--silent', 'lint'])] : []),
  ];
  const finishChecks = async () => {
    for (const finish of checks.splice(0)) await finish();
  };
  const built = await step('build', process.execPath, ['esbuild.mjs', '--tests']);
  if (built) {
    for (const layer of layers) {
      if (layer === 'unit')
        await mochaLayer(
          'unit',
          findFiles('out/test/unit', (f) => f.endsWith('.test.js')),
          ['--timeout', '10000'],
        );
      await finishChecks();
      if (layer === 'browser')
        await mochaLayer(
          'browser',
          findFiles('out/test/browser', (f) => f.endsWith('.test.js')),
          ['--timeout', '60000'],
        );
      if (layer === 'integration') {
        await integrationLayer('current');
        await integrationLayer('minimum');
      }
      if (layer === 'e2e') {
        const files = findFiles('out/test/e2e', (f) => f.endsWith('.e2e.js') || f.endsWith('.test.js'));
        await mochaLayer('e2e', files, ['--timeout', '300000', '--slow', '30000']);
      }
    }
  } else console.log(red('\nbuild failed: no tests were run'));
  await finishChecks();
} else console.log(red('\nsetup failed: no tests were run'));

/** Processes (other than this one) still carrying this run's marker: code-server, extension hosts, browsers. */
function leftoverProcesses() {
  const found = [];
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return found;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!env.includes(`BUD_HARNESS_RUN=${RUN_ID}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // a zombie is already dead
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
      found.push({ pid: Number(pid), cmd });
    } catch {
      /* gone or not ours */
    }
  }
  return found;
}

if (ready) {
  await sleep(500);
  const left = leftoverProcesses();
  if (left.length) {
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    totals.failed++;
    failures.push({
      where: 'cleanup',
      title: `${left.length} process(es) were left running by the tests (killed now)`,
      error: left.map((p) => `${p.pid} ${p.cmd.slice(0, 160)}`).join('\n'),
    });
    report.push(`cleanup: ${red(`${left.length} process(es) left running`)}`);
  } else report.push('cleanup: no process left running');
}

if (failures.length) {
  header(red(`failures (${failures.length})`));
  failures.forEach((f, i) => {
    console.log(`\n${red(`${i + 1}) [${f.where}] ${f.title}`)}${f.file ? dim(`\n   ${relative(repo, f.file)}`) : ''}`);
    const lines = String(f.error ?? '')
      // eslint-disable-next-line no-control-regex -- ANSI colour codes start with the ESC control character
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((l) => l.trim() && !/node:internal|node_modules\/mocha/.test(l));
    console.log(
      lines
        .slice(0, 14)
        .map((l) => `   ${l}`)
        .join('\n'),
    );
  });
}

header(`summary (${secs(Date.now() - T0)})`);
for (const line of report) console.log(`  ${line}`);
const summary = `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
console.log(totals.failed ? red(summary) : green(summary));
process.exitCode = totals.failed ? 1 : 0;

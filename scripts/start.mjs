// `npm start`: build the extension and open it in a real VS Code on the sample workspace (demo/workspace).
//
//   Backend   BUD_API_KEY set  -> the real gateway (the extension reads BUD_API_KEY / BUD_BASE_URL from the env)
//             otherwise        -> the built-in demo backend (scripts/demo) on 127.0.0.1, handed to the extension
//                                 as BUD_DEMO_BASE_URL (used only when no key is found anywhere)
//   Editor    desktop `code` on PATH -> `code --extensionDevelopmentPath=<repo>` in a throw-away profile
//             otherwise              -> code-server (installed by scripts/setup.sh) in your browser
//
// Options:  --code-server     use code-server even when `code` is on PATH
//           --vsix [FILE]     code-server with the packaged VSIX installed (default: the newest in dist-vsix/) instead of the dev build
//           --backend-only    only run the demo backend and print its URL (for any OpenAI-compatible client)
//           --workspace DIR   open DIR instead of demo/workspace
// Env:      PORT (code-server port, default: a free one), BUD_DEMO_PORT (demo backend port), BUD_MODEL (model to select)
// Ctrl+C stops code-server and the demo backend and removes the throw-away profile.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const workspace = resolve(option('--workspace') ?? join(repo, 'demo/workspace'));
const tag = (color, tty) => (tty ? `\x1b[${color}m[bud start]\x1b[0m` : '[bud start]');
const say = (line) => console.log(`${tag(32, process.stdout.isTTY)} ${line}`);
const die = (line) => {
  console.error(`${tag(31, process.stderr.isTTY)} ${line}`);
  process.exit(1);
};

/** Things to undo on exit, last first. */
const cleanups = [];
let exiting = false;
async function shutdown(code = 0) {
  if (exiting) return;
  exiting = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`[bud start] cleanup: ${err?.message ?? err}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => {
  console.log('');
  say('stopping…');
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: repo, stdio: 'inherit', ...opts });
  if (r.status !== 0) die(`${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function onPath(cmd) {
  const exts =
    process.platform === 'win32' ? (process.env.PATHEXT ?? '.CMD;.EXE').split(';').map((e) => e.toLowerCase()) : [''];
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && exts.some((e) => existsSync(join(d, cmd + e))));
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// ------------------------------------------------------------------ 1. build
async function buildExtension() {
  say('building the extension (node esbuild.mjs)');
  run(process.execPath, ['esbuild.mjs']);
}

// ------------------------------------------------------------------ 2. backend
/** Where a real key would come from without SecretStorage: BUD_API_KEY, or api_key in ~/.bud/config.toml. */
function realKeySource() {
  if (process.env.BUD_API_KEY?.trim()) return 'BUD_API_KEY';
  const file = join(homedir(), '.bud/config.toml');
  try {
    if (/^\s*api_key\s*=\s*["']?[^"'\s]/m.test(readFileSync(file, 'utf8'))) return file;
  } catch {
    /* no config file */
  }
  return undefined;
}

async function startBackend(env) {
  const source = realKeySource();
  if (source && !flag('--backend-only')) {
    say(
      `API key found (${source}): using the real gateway (${process.env.BUD_BASE_URL || 'bud.baseUrl / base_url, default https://gateway.bud.studio'})`,
    );
    return;
  }
  const esbuild = await import('esbuild');
  const outfile = join(repo, 'out/demo-server.cjs');
  await esbuild.build({
    entryPoints: [join(repo, 'scripts/demo/server.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { startDemoServer } = createRequire(import.meta.url)(outfile);
  const port = Number(option('--port') ?? process.env.BUD_DEMO_PORT ?? 0) || undefined;
  const server = await startDemoServer({ port });
  cleanups.push(() => server.close());
  env.BUD_DEMO_BASE_URL = `${server.url}/v1`;
  say(
    `demo backend on ${server.url}/v1 (models: ${server.models.join(', ')}); set BUD_API_KEY to use the real gateway`,
  );
}

/** User settings for the throw-away profile (never the key: that comes from the env or SecretStorage). */
function profileSettings(env) {
  const model = process.env.BUD_MODEL || (env.BUD_DEMO_BASE_URL ? 'bud-demo' : undefined);
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true, // hide the built-in chat so the Bud view is the chat you see
    'window.autoDetectColorScheme': true, // follow the OS / browser light or dark preference
    'git.openRepositoryInParentFolders': 'never', // demo/workspace sits inside this repo's git checkout
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    ...(model ? { 'bud.model': model } : {}),
  };
}

// ------------------------------------------------------------------ 3a. desktop VS Code
async function startDesktop(env, tmp) {
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(profileSettings(env), null, 2));
  const cmdArgs = [
    '--wait',
    '--new-window',
    `--extensionDevelopmentPath=${repo}`,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    join(tmp, 'extensions'),
    workspace,
  ];
  say(`opening VS Code: code ${cmdArgs.join(' ')}`);
  say('close the VS Code window (or press Ctrl+C here) to stop');
  const child = spawn('code', cmdArgs, { env, stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => void shutdown(code ?? 0));
}

// ------------------------------------------------------------------ 3b. code-server in the browser
function codeServerPaths() {
  const cache = process.env.BUD_CHAT_CACHE || join(homedir(), '.cache/bud-chat');
  const paths = {
    node24: join(cache, 'node24/node_modules/node/bin'),
    codeServer: join(cache, 'code-server/node_modules/.bin/code-server'),
  };
  // setup.sh writes this marker last, after the native modules are rebuilt and `code-server --version` ran.
  paths.verified =
    existsSync(join(cache, 'code-server')) &&
    readdirSync(join(cache, 'code-server')).some((f) => f.startsWith('.bud-verified-'));
  const envFile = join(cache, 'env');
  if (existsSync(envFile)) {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const m = /^(BUD_NODE24_BIN|BUD_CODE_SERVER)=(.+)$/.exec(line.trim());
      if (m?.[1] === 'BUD_NODE24_BIN') paths.node24 = m[2];
      if (m?.[1] === 'BUD_CODE_SERVER') paths.codeServer = m[2];
    }
  }
  return paths;
}

function ensureCodeServer() {
  let paths = codeServerPaths();
  if (paths.verified && existsSync(paths.codeServer) && existsSync(join(paths.node24, 'node'))) return paths;
  say('code-server is not installed yet: running scripts/setup.sh (a few minutes, once)');
  run('bash', [join(repo, 'scripts/setup.sh')]);
  paths = codeServerPaths();
  if (!paths.verified || !existsSync(paths.codeServer))
    die(`code-server not found at ${paths.codeServer} after scripts/setup.sh`);
  return paths;
}

/** Copies what the VSIX would hold into EXT/<publisher>.<name>-<version> (code-server loads it from there). */
function installExtensionCopy(extensionsDir) {
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(target, { recursive: true });
  for (const p of ['package.json', 'package.nls.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(repo, p))) cpSync(join(repo, p), join(target, p), { recursive: true });
  }
}

async function waitForHttp(url, child, logFile, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      die(`code-server exited (code ${child.exitCode}); its log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(300);
  }
  die(`code-server did not answer on ${url} within ${timeoutMs / 1000} s; log: ${logFile}`);
}

async function startCodeServer(env, tmp) {
  const { node24, codeServer } = ensureCodeServer();
  const userData = join(tmp, 'user-data');
  const extensions = join(tmp, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(profileSettings(env), null, 2));
  const pathEnv = { ...env, PATH: `${node24}${delimiter}${env.PATH ?? ''}` };
  if (vsixFile) {
    say(`installing ${vsixFile}`);
    run(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsixFile], {
      env: pathEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    installExtensionCopy(extensions);
  }
  const port = Number(process.env.PORT) || (await freePort());
  const logFile = join(tmp, 'code-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    codeServer,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { env: pathEnv, stdio: ['ignore', log, log], detached: true },
  );
  cleanups.push(
    () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          return res();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, 3000).unref();
      }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, child, logFile);
  child.on('exit', (code) => {
    if (!exiting) {
      say(`code-server exited (code ${code}); log: ${logFile}`);
      void shutdown(code ?? 1);
    }
  });
  const url = `${base}/?folder=${encodeURI(workspace)}`;
  console.log('');
  say(`code-server ${env.BUD_DEMO_BASE_URL ? 'with the demo backend' : 'with the real gateway'} is ready.`);
  say(`Open ${url} in your browser`);
  say('then click the Bud icon in the activity bar. Press Ctrl+C here to stop.');
  say(`(code-server log: ${logFile})`);
}

// ------------------------------------------------------------------ main
const env = { ...process.env };
/** The VSIX for --vsix: the file given, or the newest one `npm run package` wrote. */
function findVsix() {
  if (!flag('--vsix')) return undefined;
  const given = option('--vsix');
  if (given && !given.startsWith('--')) return resolve(given);
  const dir = join(repo, 'dist-vsix');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.vsix'))
        .map((f) => join(dir, f))
    : [];
  if (!files.length) die('no VSIX in dist-vsix/: run `npm run package` first');
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
const vsixFile = findVsix();
if (!flag('--backend-only') && !vsixFile) await buildExtension();
await startBackend(env);
if (flag('--backend-only')) {
  say('--backend-only: press Ctrl+C to stop');
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'bud-chat-start-'));
  cleanups.unshift(() => rmSync(tmp, { recursive: true, force: true }));
  if (onPath('code') && !flag('--code-server') && !vsixFile) await startDesktop(env, tmp);
  else await startCodeServer(env, tmp);
}

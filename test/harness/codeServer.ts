// Starts a real VS Code (code-server, installed by scripts/setup.sh) on 127.0.0.1 with a throw-away profile and
// the freshly built extension installed, for integration and end-to-end tests.
//
//   const server = await startCodeServer({ machineSettings: { 'bud.baseUrl': api.url }, env: { BUD_API_KEY: 'k' } });
//   const wb = await server.openWorkbench();        // Chromium on the fixture workspace (see workbench.ts)
//   ...
//   await server.close();                           // browser, code-server's whole process group, temp profile
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MINIMUM_CODE_SERVER, repoRoot, resultsDir, toolPaths } from './paths';
import { stopGroup, killGroup, track } from './processes';
import { openWorkbench, type Workbench, type WorkbenchOptions } from './workbench';
import { installVsixes } from './vsix';

export interface CodeServerOptions {
  /** Folder to open (default: test/fixtures/workspace). */
  workspace?: string;
  /** Written to UD/User/settings.json on top of quiet defaults (application/window/resource settings). */
  settings?: Record<string, unknown>;
  /** Written to UD/Machine/settings.json: settings with "scope": "machine" (e.g. bud.baseUrl) are read only there. */
  machineSettings?: Record<string, unknown>;
  /** Extra environment for code-server and its extension host. BUD_TEST_MODE=1 is set unless given. */
  env?: Record<string, string | undefined>;
  /** Pass the parent's BUD_* variables (BUD_API_KEY, BUD_BASE_URL, …) through. Default false: tests are hermetic. */
  inheritBudEnv?: boolean;
  /** Install the product extension from the repo (package.json + dist + media). Default true. */
  installProduct?: boolean;
  /** More extension folders to install (copied to EXT/<publisher>.<name>-<version>). */
  extraExtensions?: string[];
  /** VSIX files to install with `code-server --install-extension` before it starts (see vsix.ts). */
  vsixExtensions?: string[];
  /** Keep workspace trust on (default: --disable-workspace-trust). */
  workspaceTrust?: boolean;
  /** HOME of code-server and the extension host (default: an empty folder in the profile, so ~/.bud is not read). */
  home?: string;
  /** Label for logs kept in test-results/logs/<label>-<port>/ (default 'code-server'). */
  label?: string;
  /** How long to wait for the HTTP server (default 90 s). */
  startTimeoutMs?: number;
  /** Extra command-line arguments. */
  args?: string[];
  /** Runs once the profile and the extensions are in place, before code-server starts (e.g. a language pack). */
  beforeStart?: (dirs: { userDataDir: string; extensionsDir: string }) => void;
  /**
   * Which installed release runs: `current` (code-server 4.139.1, VS Code 1.139) or `minimum` (4.90.3, VS Code 1.90,
   * the `engines.vscode` minimum). Default: BUD_VSCODE_RELEASE, else `current`.
   */
  release?: VsCodeRelease;
}

export type VsCodeRelease = 'current' | 'minimum';

/** The release chosen by `opts.release`, else by BUD_VSCODE_RELEASE (which the integration runner passes on). */
export function chosenRelease(opts: { release?: VsCodeRelease } = {}): VsCodeRelease {
  return (opts.release ?? process.env.BUD_VSCODE_RELEASE) === 'minimum' ? 'minimum' : 'current';
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  workspace: string;
  /** The URL that opens `folder` (default: the workspace) in the workbench. */
  folderUrl(folder?: string): string;
  userDataDir: string;
  extensionsDir: string;
  /** HOME given to code-server. */
  home: string;
  /** code-server's own stdout + stderr so far. */
  logs(): string;
  /** Every log file under UD/logs written by the (remote) extension host, concatenated, with file headers. */
  extHostLog(): string;
  /** Log files under UD/logs whose path matches `pattern` (e.g. /Bud/ for the extension's output channel). */
  logFiles(pattern?: RegExp): { path: string; text: string }[];
  /**
   * The `[error]` entries (with their stack lines) of the extension host log: unhandled promise rejections,
   * uncaught errors, failed activations. `filter` keeps only entries matching it (e.g. /bud-chat/).
   */
  extHostErrors(filter?: RegExp): string[];
  /** Resolves when the extension host has started and activated its eager extensions (a window must be connected). */
  waitForExtensionHost(timeoutMs?: number): Promise<void>;
  /** Opens Chromium on the workbench (closed with the server). */
  openWorkbench(options?: Omit<WorkbenchOptions, 'url'>): Promise<Workbench>;
  process: ChildProcess;
  /** Closes browsers opened through openWorkbench, kills the process group, keeps the logs, removes the profile. */
  close(): Promise<void>;
}

export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'workbench.editor.restoreViewState': false,
};

/**
 * Tests talk only to servers they start: until a test points Bud at one, the base URL is a closed local port (not the
 * real gateway, which the language-model provider would otherwise ask for its models as soon as VS Code lists them).
 */
export const DEFAULT_MACHINE_SETTINGS: Record<string, unknown> = { 'bud.baseUrl': 'http://127.0.0.1:1/v1' };

/** Port 9 (discard) on this machine: nothing listens, so gallery requests fail at once and stay local. */
const OFFLINE_GALLERY = 'http://127.0.0.1:9';

export function fixtureWorkspace(): string {
  return join(repoRoot(), 'test/fixtures/workspace');
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** Copies an extension folder the way a VSIX install would lay it out: EXT/<publisher>.<name>-<version>. */
export function installExtensionCopy(extensionDir: string, extensionsDir: string, include?: string[]): string {
  const pkg = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(target, { recursive: true });
  const entries = include ?? readdirSync(extensionDir);
  for (const e of entries) {
    const src = join(extensionDir, e);
    if (existsSync(src)) cpSync(src, join(target, e), { recursive: true });
  }
  return target;
}

/** Installs the product as the VSIX would carry it. Fails clearly when it has not been built. */
export function installProduct(extensionsDir: string): string {
  const repo = repoRoot();
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const main = join(repo, String(pkg.main ?? './dist/extension.js'));
  if (!existsSync(main))
    throw new Error(`${relative(repo, main)} is missing: build the extension first (node esbuild.mjs)`);
  return installExtensionCopy(repo, extensionsDir, [
    'package.json',
    'package.nls.json',
    'l10n',
    'dist',
    'media',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
  ]);
}

/** The environment of code-server and its extension host (exported for the harness's own unit tests). */
export function codeServerEnv(
  opts: CodeServerOptions,
  home: string,
  nodeBin: string,
  parent: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v === undefined) continue;
    // No BUD_API_KEY & co. leaking from the parent; BUD_HARNESS_RUN marks processes of an `npm test` run.
    if (!opts.inheritBudEnv && k.startsWith('BUD_') && k !== 'BUD_HARNESS_RUN') continue;
    if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) continue; // e.g. when npm test runs in a VS Code terminal
    env[k] = v;
  }
  env.HOME = home;
  env.XDG_CONFIG_HOME = join(home, '.config');
  env.XDG_DATA_HOME = join(home, '.local/share');
  env.XDG_CACHE_HOME = join(home, '.cache');
  env.PATH = `${nodeBin}${delimiter}${parent.PATH ?? ''}`;
  env.BUD_TEST_MODE = '1';
  // Point the marketplace at a closed local port: no request to open-vsx.org from the server or the page.
  env.EXTENSIONS_GALLERY = JSON.stringify({
    serviceUrl: `${OFFLINE_GALLERY}/gallery`,
    itemUrl: `${OFFLINE_GALLERY}/item`,
    resourceUrlTemplate: `${OFFLINE_GALLERY}/asset/{publisher}/{name}/{version}/{path}`,
    extensionUrlTemplate: `${OFFLINE_GALLERY}/gallery/{publisher}/{name}/latest`,
  });
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      if (statSync(p).isDirectory()) out.push(...walkFiles(p));
      else out.push(p);
    } catch {
      /* vanished */
    }
  }
  return out;
}

async function waitForReady(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before it was ready; its log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(
    `code-server did not answer on ${url} within ${timeoutMs / 1000} s; log: ${logFile}\n${readFileSync(logFile, 'utf8').slice(-3000)}`,
  );
}

/** The code-server binary and the Node folder it runs on, for the chosen release. */
function releaseBinaries(release: VsCodeRelease): { codeServer: string; nodeBin: string } {
  const tools = toolPaths();
  const chosen =
    release === 'minimum'
      ? { ...tools.minimum, what: `code-server ${MINIMUM_CODE_SERVER} (VS Code 1.90)` }
      : { codeServer: tools.codeServer, nodeBin: tools.node24Bin, installed: tools.installed, what: 'code-server' };
  if (!chosen.installed) {
    throw new Error(
      `${chosen.what} is not installed in ${tools.cache}: run \`bash scripts/setup.sh\` (npm test does this when something is missing)`,
    );
  }
  return chosen;
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = releaseBinaries(chosenRelease(opts));
  const workspace = resolve(opts.workspace ?? fixtureWorkspace());
  const root = mkdtempSync(join(tmpdir(), 'bud-cs-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const home = opts.home ?? join(root, 'home');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User/settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...opts.settings }, null, 2),
  );
  writeFileSync(
    join(userDataDir, 'Machine/settings.json'),
    JSON.stringify({ ...(opts.inheritBudEnv ? {} : DEFAULT_MACHINE_SETTINGS), ...opts.machineSettings }, null, 2),
  );
  if (opts.installProduct !== false) installProduct(extensionsDir);
  for (const dir of opts.extraExtensions ?? []) installExtensionCopy(dir, extensionsDir);
  if (opts.vsixExtensions?.length)
    installVsixes(
      bin.codeServer,
      codeServerEnv(opts, home, bin.nodeBin),
      extensionsDir,
      userDataDir,
      opts.vsixExtensions,
    );
  opts.beforeStart?.({ userDataDir, extensionsDir });

  const label = opts.label ?? 'code-server';
  let port = 0;
  let child: ChildProcess | undefined;
  const logFile = join(root, 'code-server.log');
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    const args = [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...(opts.args ?? []),
      workspace,
    ];
    const fd = openSync(logFile, 'a');
    const c = spawn(bin.codeServer, args, {
      env: codeServerEnv(opts, home, bin.nodeBin),
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    // Another process may grab the port between freePort() and listen: retry on EADDRINUSE.
    const early = await Promise.race([
      new Promise<'exited'>((r) => c.once('exit', () => r('exited'))),
      sleep(400, 'ok' as const),
    ]);
    if (early === 'exited' && /EADDRINUSE/.test(readFileSync(logFile, 'utf8'))) continue;
    child = c;
  }
  if (!child) throw new Error(`code-server could not bind a port (log: ${logFile})`);
  const proc = child;

  const browsers = new Set<Workbench>();
  let closed = false;
  const keptLogs = join(resultsDir(), 'logs', `${label}-${port}`);

  const logFiles = (pattern?: RegExp) =>
    walkFiles(join(userDataDir, 'logs'))
      .filter((p) => p.endsWith('.log') && (!pattern || pattern.test(p)))
      .sort()
      .map((p) => ({
        path: p,
        text: (() => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return '';
          }
        })(),
      }));

  const extHostLog = () =>
    logFiles(/exthost|remoteagent|remoteExtHost/i)
      .map((f) => `--- ${relative(userDataDir, f.path)}\n${f.text}`)
      .join('\n');

  const close = async () => {
    if (closed) return;
    closed = true;
    for (const wb of [...browsers]) {
      try {
        await wb.close();
      } catch {
        /* already closed */
      }
    }
    await stopGroup(proc);
    untrack();
    // Keep code-server's own log and the extension host logs for post-mortems, then drop the profile.
    try {
      mkdirSync(keptLogs, { recursive: true });
      cpSync(logFile, join(keptLogs, 'code-server.log'));
      if (existsSync(join(userDataDir, 'logs')))
        cpSync(join(userDataDir, 'logs'), join(keptLogs, 'logs'), { recursive: true });
    } catch {
      /* best effort */
    }
    if (!process.env.BUD_KEEP_PROFILE) rmSync(root, { recursive: true, force: true });
  };
  const untrack = track({
    name: `${label}:${port}`,
    close,
    killSync: () => {
      killGroup(proc, 'SIGKILL');
      if (!process.env.BUD_KEEP_PROFILE) {
        try {
          rmSync(root, { recursive: true, force: true });
        } catch {
          /* busy */
        }
      }
    },
  });

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(url, proc, logFile, opts.startTimeoutMs ?? 90_000);
  } catch (err) {
    await close();
    throw err;
  }

  const server: CodeServer = {
    url,
    port,
    workspace,
    folderUrl: (folder = workspace) => `${url}/?folder=${encodeURIComponent(resolve(folder))}`,
    userDataDir,
    extensionsDir,
    home,
    logs: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    extHostLog,
    logFiles,
    extHostErrors: (filter) => {
      const entries: string[] = [];
      for (const f of logFiles(/remoteexthost\.log$/)) {
        let cur: string | undefined;
        for (const line of f.text.split('\n')) {
          if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line)) {
            if (cur) entries.push(cur);
            cur = /\[error\]/.test(line) ? line : undefined;
          } else if (cur !== undefined) cur += `\n${line}`;
        }
        if (cur) entries.push(cur);
      }
      return entries.filter((e) => !/open-vsx|marketplace|gallery/i.test(e) && (!filter || filter.test(e)));
    },
    waitForExtensionHost: async (timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (logFiles(/remoteexthost\.log$/).some((f) => /Eager extensions activated/.test(f.text))) return;
        if (proc.exitCode !== null)
          throw new Error(`code-server exited (${proc.exitCode}); log:\n${server.logs().slice(-3000)}`);
        await sleep(250);
      }
      throw new Error(
        `the extension host did not start within ${timeoutMs / 1000} s; code-server log:\n${server.logs().slice(-3000)}`,
      );
    },
    openWorkbench: async (options = {}) => {
      const wb = await openWorkbench({ url: server.folderUrl(), ...options });
      browsers.add(wb);
      wb.onClose(() => browsers.delete(wb));
      try {
        await server.waitForExtensionHost();
      } catch (err) {
        await wb.close();
        throw err;
      }
      return wb;
    },
    process: proc,
    close,
  };
  return server;
}

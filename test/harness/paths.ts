// Where things are: the repo (found from any bundle under out/), the setup.sh cache, the test-results folder.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repo root: the nearest folder above this file whose package.json is the bud-chat one. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'bud-chat') return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`bud-chat package.json not found above ${__dirname}`);
    dir = up;
  }
}

export interface ToolPaths {
  cache: string;
  /** Folder holding the Node 24 binary (put first on PATH for code-server). */
  node24Bin: string;
  codeServer: string;
  chromium: string;
  /** True when setup.sh finished (it verifies `code-server --version` last). */
  installed: boolean;
  /** The code-server release of `engines.vscode`'s minimum (4.90.3 = VS Code 1.90), which runs on Node 20. */
  minimum: { codeServer: string; nodeBin: string; installed: boolean };
}

/** The code-server release that matches `engines.vscode`'s minimum (^1.90.0); scripts/setup.sh installs it. */
export const MINIMUM_CODE_SERVER = '4.90.3';

/** The folder of the machine's Node when it is Node 20 (code-server 4.90.3's), else setup.sh's cached one. */
function nodeMinBin(cache: string): string {
  try {
    const bin = execFileSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v node)")"'], {
      encoding: 'utf8',
    }).trim();
    const v = execFileSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' });
    if (v.startsWith('v20.')) return bin;
  } catch {
    /* no node on PATH */
  }
  return join(cache, 'node20/node_modules/node/bin');
}

/** The paths scripts/setup.sh installs to (BUD_CHAT_CACHE moves the cache; its `env` file wins). */
export function toolPaths(): ToolPaths {
  const cache = process.env.BUD_CHAT_CACHE || join(homedir(), '.cache/bud-chat');
  const paths: ToolPaths = {
    cache,
    node24Bin: join(cache, 'node24/node_modules/node/bin'),
    codeServer: join(cache, 'code-server/node_modules/.bin/code-server'),
    chromium: process.env.BUD_CHROMIUM || '/usr/bin/chromium',
    installed: false,
    minimum: {
      codeServer: join(cache, `code-server-${MINIMUM_CODE_SERVER}/node_modules/.bin/code-server`),
      nodeBin: '',
      installed: false,
    },
  };
  const envFile = join(cache, 'env');
  if (existsSync(envFile)) {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const m = /^(BUD_\w+)=(.+)$/.exec(line.trim());
      if (m?.[1] === 'BUD_NODE24_BIN') paths.node24Bin = m[2];
      if (m?.[1] === 'BUD_CODE_SERVER') paths.codeServer = m[2];
      if (m?.[1] === 'BUD_CHROMIUM' && !process.env.BUD_CHROMIUM) paths.chromium = m[2];
      if (m?.[1] === 'BUD_CODE_SERVER_MIN') paths.minimum.codeServer = m[2];
      if (m?.[1] === 'BUD_NODE_MIN_BIN') paths.minimum.nodeBin = m[2];
    }
  }
  paths.minimum.nodeBin ||= nodeMinBin(cache);
  paths.minimum.installed =
    existsSync(paths.minimum.codeServer) &&
    existsSync(join(paths.minimum.nodeBin, 'node')) &&
    existsSync(join(cache, `code-server-${MINIMUM_CODE_SERVER}/.bud-verified-${MINIMUM_CODE_SERVER}`));
  const csDir = join(cache, 'code-server');
  paths.installed =
    existsSync(paths.codeServer) &&
    existsSync(join(paths.node24Bin, 'node')) &&
    existsSync(csDir) &&
    readdirSync(csDir).some((f) => f.startsWith('.bud-verified-'));
  return paths;
}

/** test-results/ at the repo root (git-ignored): screenshots, logs of failed runs. */
export function resultsDir(): string {
  return join(repoRoot(), 'test-results');
}

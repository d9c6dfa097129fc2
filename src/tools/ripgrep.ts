// ripgrep: where VS Code ships it, the arguments we pass, and its JSON output. Pure Node (child_process).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { SKIP_DIRS } from './deny';

/** Candidate locations of the rg binary inside a VS Code installation (`vscode.env.appRoot`). */
export function ripgrepCandidates(appRoot: string): string[] {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  return [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules', 'vscode-ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', 'vscode-ripgrep', 'bin', exe),
  ];
}

/** The first executable candidate, or undefined (then the built-in scanner is used). */
export function findRipgrep(appRoot: string | undefined): string | undefined {
  if (!appRoot) return undefined;
  for (const c of ripgrepCandidates(appRoot)) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * Version-control directories are pruned inside ripgrep (they can be large). The deny list itself is enforced on
 * every path ripgrep reports (see searchText.ts / findFiles.ts): one source of truth, and ~30 extra globs per
 * file would cost ripgrep measurable time on large trees.
 */
function skipDirGlobs(): string[] {
  const out: string[] = [];
  for (const d of SKIP_DIRS) out.push('-g', `!${d}`);
  return out;
}

/** VS Code exclude globs ("**\/node_modules") as ripgrep negated globs. */
function excludeGlobs(exclude: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of exclude) {
    const clean = g.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (clean) out.push('-g', `!${clean}`);
  }
  return out;
}

// Like VS Code's defaults (search.useParentIgnoreFiles and search.useGlobalIgnoreFiles off): only ignore files inside the folder count.
const COMMON = [
  '--no-config',
  '--hidden',
  '--no-require-git',
  '--no-ignore-parent',
  '--no-ignore-global',
  '--no-messages',
];

export interface RgSearchArgs {
  /** false adds --no-ignore-vcs (search.useIgnoreFiles off). */
  useIgnoreFiles?: boolean;
  query: string;
  isRegex: boolean;
  includeGlob?: string;
  exclude: readonly string[];
  contextLines: number;
}

/** Arguments for `rg` to search the current directory, JSON output. */
export function buildSearchArgs(a: RgSearchArgs): string[] {
  const args = ['--json', ...COMMON, '--smart-case'];
  if (!a.isRegex) args.push('--fixed-strings');
  if (a.contextLines > 0) args.push('--context', String(a.contextLines));
  if (a.useIgnoreFiles === false) args.push('--no-ignore-vcs');
  args.push(...skipDirGlobs(), ...excludeGlobs(a.exclude));
  if (a.includeGlob) args.push('-g', a.includeGlob.replace(/\\/g, '/').replace(/^\.\//, ''));
  args.push('-e', a.query, '--', '.');
  return args;
}

/** Arguments for `rg --files` on the current directory. */
export function buildFilesArgs(exclude: readonly string[], useIgnoreFiles = true): string[] {
  return [
    '--files',
    ...COMMON,
    ...(useIgnoreFiles ? [] : ['--no-ignore-vcs']),
    ...skipDirGlobs(),
    ...excludeGlobs(exclude),
    '--',
    '.',
  ];
}

export interface RgLine {
  kind: 'match' | 'context';
  /** Relative to the search directory, `/`-separated. */
  path: string;
  line: number;
  text: string;
}

function decodeData(d: { text?: string; bytes?: string } | undefined): string {
  if (!d) return '';
  if (typeof d.text === 'string') return d.text;
  if (typeof d.bytes === 'string') return Buffer.from(d.bytes, 'base64').toString('utf8');
  return '';
}

function cleanPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** One line of `rg --json` output -> a match or context line (undefined for begin/end/summary). */
export function parseRgJsonLine(line: string): RgLine | undefined {
  if (!line) return undefined;
  let msg: {
    type?: string;
    data?: {
      path?: { text?: string; bytes?: string };
      lines?: { text?: string; bytes?: string };
      line_number?: number;
    };
  };
  try {
    msg = JSON.parse(line) as typeof msg;
  } catch {
    return undefined;
  }
  if (msg.type !== 'match' && msg.type !== 'context') return undefined;
  const d = msg.data ?? {};
  const text = decodeData(d.lines).replace(/\r?\n$/, '');
  return { kind: msg.type, path: cleanPath(decodeData(d.path)), line: d.line_number ?? 0, text };
}

export interface RunOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Called per output line; return false to stop ripgrep (it is killed). */
  onLine: (line: string) => boolean | void;
}

/**
 * Runs ripgrep and feeds its stdout line by line. Resolves with the exit code (0 matches, 1 none, 2 error)
 * and stderr; rejects only when the binary cannot be started.
 */
export function runRipgrep(
  rgPath: string,
  args: string[],
  opts: RunOptions,
): Promise<{ code: number | null; stderr: string; stopped: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stopped = false;
    let stderr = '';
    let rest = '';
    const stop = () => {
      if (!stopped) {
        stopped = true;
        child.kill();
      }
    };
    const onAbort = () => stop();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      if (stopped) return;
      const parts = (rest + s).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        if (opts.onLine(p) === false) {
          stop();
          return;
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 4000) stderr += s;
    });
    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!stopped && rest) opts.onLine(rest);
      resolve({ code, stderr: stderr.trim(), stopped });
    });
  });
}

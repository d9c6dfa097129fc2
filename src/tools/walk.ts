// Walks a workspace folder the way VS Code's search does: `.gitignore` files (root and nested) honoured,
// files.exclude / search.exclude globs and the deny list applied, version-control directories skipped,
// symbolic links never followed. Pure Node (node:fs + `ignore` + picomatch).
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { SKIP_DIRS, type DenyChecker } from './deny';

export interface WalkOptions {
  /** Globs relative to the folder (VS Code files.exclude / search.exclude style, e.g. "**\/node_modules"). */
  exclude: readonly string[];
  deny: DenyChecker;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  signal?: AbortSignal;
}

export interface WalkEntry {
  /** Absolute path. */
  abs: string;
  /** Relative to the walked folder, `/`-separated. */
  rel: string;
  dirent: Dirent;
}

const MATCH_OPTS = { dot: true, nocase: process.platform === 'win32' || process.platform === 'darwin' } as const;

/** A matcher for exclude globs: true when the path or one of its parent directories matches. */
export function createExcludeMatcher(globs: readonly string[]): (rel: string) => boolean {
  const clean = globs
    .filter((g) => typeof g === 'string' && g.trim() !== '')
    .map((g) => g.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''));
  if (clean.length === 0) return () => false;
  const m = picomatch(clean, MATCH_OPTS);
  return (rel) => m(rel);
}

interface IgnoreLayer {
  /** Directory (relative to the root, '' for the root) the .gitignore sits in. */
  base: string;
  ig: Ignore;
}

async function readGitignore(dirAbs: string): Promise<Ignore | undefined> {
  try {
    const text = await fsp.readFile(path.join(dirAbs, '.gitignore'), 'utf8');
    return ignore({ ignorecase: MATCH_OPTS.nocase }).add(text);
  } catch {
    return undefined;
  }
}

function ignoredBy(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const l of layers) {
    const sub = l.base === '' ? rel : rel.slice(l.base.length + 1);
    let r: { ignored: boolean; unignored: boolean };
    try {
      r = l.ig.test(isDir ? `${sub}/` : sub);
    } catch {
      continue; // a name `ignore` cannot judge (e.g. odd characters) is not ignored by this layer
    }
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/**
 * Yields every entry (files and directories) under `root`, depth-first in name order, skipping what is
 * excluded. A directory that is excluded is not entered.
 */
export async function* walk(root: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  const excluded = createExcludeMatcher(opts.exclude);
  const useGitignore = opts.gitignore !== false;
  async function* visit(dirAbs: string, dirRel: string, layers: IgnoreLayer[]): AsyncGenerator<WalkEntry> {
    if (opts.signal?.aborted) return;
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dirAbs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let here = layers;
    if (useGitignore) {
      const ig = await readGitignore(dirAbs);
      if (ig) here = [...layers, { base: dirRel, ig }];
    }
    for (const d of entries) {
      if (opts.signal?.aborted) return;
      const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
      const isDir = d.isDirectory();
      if (isDir && SKIP_DIRS.has(d.name)) continue;
      if (excluded(rel) || opts.deny.denied(rel)) continue;
      if (useGitignore && here.length && ignoredBy(here, rel, isDir)) continue;
      const abs = path.join(dirAbs, d.name);
      yield { abs, rel, dirent: d };
      if (isDir) yield* visit(abs, rel, here);
    }
  }
  yield* visit(root, '', []);
}

// The # picker's list of workspace files and folders, and its fuzzy search. Pure: no `vscode` import.
//
// The list is what find_files would list (ripgrep's `--files`, or the built-in walker): files.exclude,
// search.exclude, .gitignore and the deny list apply, so `.env`, keys and the like are never offered. Folders are
// the directories of those files. Built once, then searched on every keystroke; the host rebuilds it when files
// are created or deleted or the exclude settings change.
import type { FsToolContext } from '../tools/context';
import { listFolderFiles } from '../tools/findFiles';
import { isSubsequence, normaliseQuery, prepare, rank, type Match, type Prepared } from './fuzzy';

export interface IndexEntry {
  /** As shown and as resolved again on pick: workspace-relative, folder-prefixed in a multi-root workspace. */
  path: string;
  isDir: boolean;
}

/** Beyond this many files the index stops growing (and says so): a picker over millions of paths helps no one. */
export const MAX_INDEXED_FILES = 200_000;

export interface BuiltIndex {
  entries: IndexEntry[];
  /** Set when the workspace had more files than the index holds. */
  truncated: boolean;
}

/** Lists the files of every folder of `ctx` (with the tools' rules) and adds their directories. */
export async function buildIndexEntries(ctx: FsToolContext, signal?: AbortSignal): Promise<BuiltIndex> {
  const files: string[] = [];
  const dirs = new Set<string>();
  let truncated = false;
  for (const folder of ctx.roots.folders) {
    const rels = await listFolderFiles(ctx, folder, signal);
    for (const rel of rels) {
      if (files.length >= MAX_INDEXED_FILES) {
        truncated = true;
        break;
      }
      const display = ctx.roots.display(folder, rel);
      files.push(display);
      for (let i = display.lastIndexOf('/'); i > 0; i = display.lastIndexOf('/', i - 1)) {
        const dir = display.slice(0, i);
        if (dirs.has(dir)) break;
        dirs.add(dir);
      }
    }
  }
  files.sort();
  return {
    entries: [
      ...files.map((path) => ({ path, isDir: false })),
      ...[...dirs].sort().map((d) => ({ path: `${d}/`, isDir: true })),
    ],
    truncated,
  };
}

/**
 * Searches the entries. Typing narrows the last result instead of scanning everything again: every path that
 * matches "mat" is among those that matched "ma".
 */
export class FileIndex {
  private readonly prepared: Prepared<IndexEntry>[];
  private last: { q: string; matched: Prepared<IndexEntry>[] } | undefined;

  constructor(
    entries: readonly IndexEntry[],
    readonly truncated = false,
  ) {
    this.prepared = entries.map(prepare);
  }

  get size(): number {
    return this.prepared.length;
  }

  /** The best `limit` entries for `query`; with an empty query, `preferred` paths (open editors) first, then files. */
  search(query: string, limit: number, preferred: readonly string[] = []): Match<IndexEntry>[] {
    const q = normaliseQuery(query);
    if (!q) {
      const wanted = new Set(preferred);
      const first = this.prepared.filter((p) => wanted.has(p.item.path));
      first.sort((a, b) => preferred.indexOf(a.item.path) - preferred.indexOf(b.item.path));
      const rest = this.prepared.filter((p) => !p.item.isDir && !wanted.has(p.item.path));
      return rank('', [...first, ...rest.slice(0, limit)], limit);
    }
    const pool = this.last && q.startsWith(this.last.q) ? this.last.matched : this.prepared;
    const matched = pool.filter((p) => isSubsequence(q, p.lower));
    this.last = { q, matched };
    return rank(q, matched, limit);
  }
}

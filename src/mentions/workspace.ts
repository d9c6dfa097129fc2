// The workspace as the # picker sees it: the tools' context (folders, deny list, excludes, ripgrep) and the index
// of files and folders, built at the first # and rebuilt after files are created or deleted or the exclude
// settings change. The same rules as the workspace tools, so the picker never offers what a tool may not read.
import * as vscode from 'vscode';
import type { FileIndex } from '../attachments/fileIndex';
import { readSettings } from '../config/settings';
import type { FsToolContext } from '../tools/context';

/** The vscode-backed tool helpers, loaded at the first use (as the session does), not at activation. */
export function workspaceTools(): typeof import('../tools/workspaceTools') {
  return require('../tools/workspaceTools') as typeof import('../tools/workspaceTools');
}

/** The index and its fuzzy search (with picomatch through the tools' file listing), loaded at the first #. */
function fileIndex(): typeof import('../attachments/fileIndex') {
  return require('../attachments/fileIndex') as typeof import('../attachments/fileIndex');
}

/** After a file was created or deleted, the index is rebuilt at the next # at most this often. */
const REBUILD_AFTER_MS = 2000;

const EXCLUDE_SETTINGS = ['files.exclude', 'search.exclude', 'search.useIgnoreFiles', 'bud.tools.exclude'];

export class WorkspaceFiles implements vscode.Disposable {
  private index: { built: Promise<FileIndex>; value?: FileIndex; at: number; stale: boolean } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private watching = false;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (EXCLUDE_SETTINGS.some((s) => e.affectsConfiguration(s))) this.index = undefined;
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.index = undefined;
      }),
    );
  }

  /** The tools' context for the current folders and `bud.tools.exclude`. */
  context(): Promise<FsToolContext> {
    return workspaceTools().buildContext(readSettings().tools.exclude);
  }

  /** The index when it is built and current, at once; undefined while it is (re)built. */
  ready(): FileIndex | undefined {
    const i = this.index;
    return i && !this.needsRebuild(i) ? i.value : undefined;
  }

  /** Starts building the index (when the chat view opens), so the first # finds it ready. */
  warm(): void {
    this.files().catch(() => undefined); // a failure is reported when the picker asks again
  }

  private needsRebuild(i: { at: number; stale: boolean }): boolean {
    return i.stale && Date.now() - i.at > REBUILD_AFTER_MS;
  }

  /** The index, built now if there is none, rebuilt when files changed (but not more than every 2 s). */
  async files(): Promise<FileIndex> {
    const i = this.index;
    if (i && !this.needsRebuild(i)) return i.built;
    this.watch();
    const built = this.context().then(async (ctx) => {
      const m = fileIndex();
      const r = await m.buildIndexEntries(ctx);
      return new m.FileIndex(r.entries, r.truncated);
    });
    const record: NonNullable<typeof this.index> = { built, at: Date.now(), stale: false };
    this.index = record;
    built.then(
      (value) => {
        record.value = value;
      },
      () => {
        if (this.index === record) this.index = undefined;
      },
    );
    return built;
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    // Changes to a file's content do not change the list; creations, deletions and renames do.
    const w = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const stale = () => {
      if (this.index) this.index.stale = true;
    };
    this.disposables.push(w, w.onDidCreate(stale), w.onDidDelete(stale));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

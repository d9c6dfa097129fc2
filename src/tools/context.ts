// What the file-system tools need to know about the workspace. Built by the vscode-backed executor from
// the open folders and settings, or directly by tests on a temporary folder. Pure.
import type { DenyChecker } from './deny';
import type { ResolvedFolder, WorkspaceRoots } from './paths';

export interface FolderExcludes {
  /** files.exclude globs (hidden everywhere, like the Explorer does). */
  files: string[];
  /** search.exclude globs (additionally left out of find_files and search_text). */
  search: string[];
  /** search.useIgnoreFiles: honour .gitignore files (default true). */
  useIgnoreFiles?: boolean;
}

export interface FsToolContext {
  roots: WorkspaceRoots;
  deny: DenyChecker;
  /** files.exclude / search.exclude of a folder (default: none). */
  excludes?: (folder: ResolvedFolder) => FolderExcludes;
  /** A ripgrep binary; when absent search_text and find_files use the built-in scanner. */
  rgPath?: string;
}

export function excludesOf(ctx: FsToolContext, folder: ResolvedFolder): FolderExcludes {
  return ctx.excludes?.(folder) ?? { files: [], search: [] };
}

// The four file-system tools (read_file, list_directory, find_files, search_text) as handlers over a
// workspace context. Pure Node: the vscode-backed executor adds the editor tools on top; tests use these directly.
import type { ToolExecutor } from './port';
import type { FsToolContext } from './context';
import { createDenyChecker } from './deny';
import { createToolExecutor, type ToolHandlers } from './dispatch';
import { findFilesTool } from './findFiles';
import { listDirectoryTool } from './listDirectory';
import { WorkspaceRoots, type WorkspaceFolderInfo } from './paths';
import { readFileTool } from './readFile';
import { searchTextTool } from './searchText';

export function createFsToolHandlers(ctx: FsToolContext): ToolHandlers {
  return {
    read_file: (a, s) => readFileTool(ctx, a, s),
    list_directory: (a, s) => listDirectoryTool(ctx, a, s),
    find_files: (a, s) => findFilesTool(ctx, a, s),
    search_text: (a, s) => searchTextTool(ctx, a, s),
  };
}

export interface FsContextOptions {
  folders: WorkspaceFolderInfo[];
  /** bud.tools.exclude */
  exclude?: string[];
  excludes?: FsToolContext['excludes'];
  rgPath?: string;
}

export async function createFsToolContext(opts: FsContextOptions): Promise<FsToolContext> {
  return {
    roots: await WorkspaceRoots.create(opts.folders),
    deny: createDenyChecker(opts.exclude ?? []),
    excludes: opts.excludes,
    rgPath: opts.rgPath,
  };
}

/** An executor with only the file-system tools (plain Node; used by tests and the bench). */
export async function createFsToolExecutor(
  opts: FsContextOptions & { log?: (line: string) => void },
): Promise<ToolExecutor> {
  return createToolExecutor(createFsToolHandlers(await createFsToolContext(opts)), { log: opts.log });
}

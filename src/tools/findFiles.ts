// find_files: workspace files matching a glob, honouring files.exclude, search.exclude and .gitignore.
// Uses `rg --files` when ripgrep is available, else the built-in walker (same rules). Pure Node.
import picomatch from 'picomatch';
import type { ToolResult } from './port';
import { CAPS, capOutput, clampInt } from './caps';
import { excludesOf, type FsToolContext } from './context';
import { errorResult } from './dispatch';
import type { ResolvedFolder } from './paths';
import { buildFilesArgs, runRipgrep } from './ripgrep';
import { walk } from './walk';
import * as l10n from '@vscode/l10n';

const NOCASE = process.platform === 'win32' || process.platform === 'darwin';

/** A glob without "/" matches file names at any depth; with "/" it matches the workspace-relative path. */
export function createGlobMatcher(glob: string): (rel: string, display: string) => boolean {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (g.startsWith('/')) g = g.slice(1);
  const m = picomatch(g, { dot: true, nocase: NOCASE, basename: !g.includes('/') });
  return (rel, display) => m(rel) || (display !== rel && m(display));
}

/** Every non-excluded file of a folder, relative and `/`-separated, in no particular order. */
export async function listFolderFiles(
  ctx: FsToolContext,
  folder: ResolvedFolder,
  signal?: AbortSignal,
): Promise<string[]> {
  const ex = excludesOf(ctx, folder);
  const exclude = [...ex.files, ...ex.search];
  const out: string[] = [];
  if (ctx.rgPath) {
    const res = await runRipgrep(ctx.rgPath, buildFilesArgs(exclude, ex.useIgnoreFiles !== false), {
      cwd: folder.real,
      signal,
      onLine: (l) => {
        const rel = l.replace(/\\/g, '/').replace(/^\.\//, '');
        if (rel && !ctx.deny.denied(rel)) out.push(rel);
      },
    });
    if (res.code === 2 && out.length === 0 && res.stderr)
      throw new Error(`ripgrep failed: ${res.stderr.split('\n')[0]}`);
    return out;
  }
  for await (const e of walk(folder.real, { exclude, deny: ctx.deny, signal, gitignore: ex.useIgnoreFiles !== false }))
    if (e.dirent.isFile()) out.push(e.rel);
  return out;
}

export async function findFilesTool(
  ctx: FsToolContext,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const glob = typeof args.glob === 'string' ? args.glob : '';
  const max = clampInt(args.max_results, CAPS.findDefaultResults, 1, CAPS.findMaxResults);
  if (ctx.roots.folders.length === 0)
    return errorResult('No workspace folder is open.', l10n.t('No workspace folder is open'));
  const match = createGlobMatcher(glob);
  const found: string[] = [];
  for (const folder of ctx.roots.folders) {
    const files = await listFolderFiles(ctx, folder, signal);
    for (const rel of files) {
      const display = ctx.roots.display(folder, rel);
      if (match(rel, display)) found.push(display);
    }
  }
  found.sort();
  if (found.length === 0)
    return {
      content: `No files match "${glob}" (files hidden by files.exclude, search.exclude and .gitignore are not searched).`,
      summary: l10n.t('No files'),
      isError: false,
    };
  const shown = found.slice(0, max);
  const lines = [
    `${found.length} file${found.length === 1 ? ' matches' : 's match'} "${glob}"${found.length > max ? `; the first ${max} are shown` : ''}:`,
    ...shown,
  ];
  if (found.length > max)
    lines.push(
      `[… ${found.length - max} more not shown. Use a narrower glob, or max_results up to ${CAPS.findMaxResults}.]`,
    );
  const capped = capOutput(lines, { hint: () => 'Use a narrower glob to see them.' });
  return {
    content: capped.text,
    summary: found.length === 1 ? l10n.t('1 file') : l10n.t('{0} files', found.length),
    isError: false,
  };
}

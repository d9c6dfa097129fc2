// list_directory: entries with type and size, directories first, sorted by name, to a depth, capped. Pure Node.
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { ToolResult } from './port';
import { CAPS, clampInt, formatSize } from './caps';
import { excludesOf, type FsToolContext } from './context';
import { SKIP_DIRS } from './deny';
import { errorResult } from './dispatch';
import { createExcludeMatcher } from './walk';
import * as l10n from '@vscode/l10n';

export async function listDirectoryTool(
  ctx: FsToolContext,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const r = await ctx.roots.resolve(args.path === undefined || args.path === '' ? '.' : args.path, ctx.deny, {
    allowRoot: true,
  });
  if (!r.ok) return errorResult(r.error, r.summary);
  const st = await fsp.stat(r.real);
  if (!st.isDirectory())
    return errorResult(
      `"${r.display}" is a file, not a directory; use read_file to read it.`,
      l10n.t('{0} is a file', r.display),
    );
  const depth = clampInt(args.depth, CAPS.listDefaultDepth, 1, CAPS.listMaxDepth);
  const excluded = createExcludeMatcher(excludesOf(ctx, r.folder).files);
  const prefix = (rel: string) => ctx.roots.display(r.folder, rel);

  const lines: string[] = [];
  let shown = 0;
  let hidden = 0;
  const visit = async (dirAbs: string, dirRel: string, level: number): Promise<void> => {
    if (signal?.aborted) return;
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dirAbs, { withFileTypes: true });
    } catch {
      return;
    }
    entries = entries.filter((d) => {
      const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
      return !(d.isDirectory() && SKIP_DIRS.has(d.name)) && !excluded(rel) && !ctx.deny.denied(rel);
    });
    entries.sort(
      (a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    for (const d of entries) {
      const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
      if (shown >= CAPS.listMaxEntries) {
        hidden++;
        continue;
      }
      shown++;
      const abs = path.join(dirAbs, d.name);
      if (d.isDirectory()) {
        lines.push(`dir   ${prefix(rel)}/`);
        if (level < depth) await visit(abs, rel, level + 1);
      } else if (d.isSymbolicLink()) {
        lines.push(`link  ${prefix(rel)}  (symbolic link, not followed)`);
      } else if (d.isFile()) {
        let size: string;
        try {
          size = formatSize((await fsp.stat(abs)).size);
        } catch {
          size = '?';
        }
        lines.push(`file  ${prefix(rel)}  ${size}`);
      } else {
        lines.push(`other ${prefix(rel)}`);
      }
    }
  };
  await visit(r.real, r.rel, 1);
  const header = `${r.display}${r.display.endsWith('/') ? '' : '/'} — ${shown + hidden} entr${shown + hidden === 1 ? 'y' : 'ies'}${depth > 1 ? ` (depth ${depth})` : ''}`;
  if (shown === 0) return { content: `${header}\n(empty)`, summary: l10n.t('{0} is empty', r.display), isError: false };
  if (hidden)
    lines.push(
      `[… ${hidden} more entries not shown (limit ${CAPS.listMaxEntries}). List a sub-directory, or use a smaller depth.]`,
    );
  return {
    content: [header, ...lines].join('\n'),
    summary: hidden
      ? l10n.t('{0} entries in {1} ({2} shown)', shown + hidden, r.display, shown)
      : shown === 1
        ? l10n.t('1 entry in {0}', r.display)
        : l10n.t('{0} entries in {1}', shown, r.display),
    isError: false,
  };
}

// The vscode-backed workspace tools: the file-system tools over the open folders (with files.exclude,
// search.exclude, bud.tools.exclude and VS Code's ripgrep), plus the editor tools (Problems, open editors,
// document symbols). Everything that can be pure lives in the sibling modules.
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { ToolExecutor, ToolResult } from './port';
import { CAPS, capLine, capOutput } from './caps';
import type { FolderExcludes, FsToolContext } from './context';
import { createDenyChecker } from './deny';
import { createToolExecutor, errorResult, type ToolHandlers } from './dispatch';
import { createFsToolHandlers } from './fsTools';
import { WorkspaceRoots, type ResolvedFolder } from './paths';
import { findRipgrep } from './ripgrep';

/** Why the tools are off right now (Restricted Mode), or undefined when they may run. */
export function toolsDisabledReason(): string | undefined {
  if (!vscode.workspace.isTrusted) {
    return vscode.l10n.t(
      'Workspace tools are off in Restricted Mode: Bud may not read files of a workspace you have not trusted. Trust the workspace (Manage Workspace Trust) to turn them on.',
    );
  }
  return undefined;
}

/** Globs whose value is `true` in a files.exclude / search.exclude object (`{ when }` conditions are skipped). */
export function enabledGlobs(obj: unknown): string[] {
  if (!obj || typeof obj !== 'object') return [];
  return Object.entries(obj as Record<string, unknown>)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

function folderExcludes(folder: ResolvedFolder): FolderExcludes {
  const wf = vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === folder.fsPath);
  const scope = wf?.uri;
  return {
    files: enabledGlobs(vscode.workspace.getConfiguration('files', scope).get('exclude')),
    search: enabledGlobs(vscode.workspace.getConfiguration('search', scope).get('exclude')),
    useIgnoreFiles: vscode.workspace.getConfiguration('search', scope).get<boolean>('useIgnoreFiles') !== false,
  };
}

let rgCache: { appRoot: string; path: string | undefined } | undefined;
function ripgrepPath(): string | undefined {
  const appRoot = vscode.env.appRoot;
  if (!rgCache || rgCache.appRoot !== appRoot) rgCache = { appRoot, path: findRipgrep(appRoot) };
  return rgCache.path;
}

export async function buildContext(exclude: string[]): Promise<FsToolContext> {
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
  return {
    roots: await WorkspaceRoots.create(folders),
    deny: createDenyChecker(exclude),
    excludes: folderExcludes,
    rgPath: ripgrepPath(),
  };
}

/** Where a document URI sits in the workspace (after following links), or undefined when outside / refused. */
async function locate(ctx: FsToolContext, uri: vscode.Uri): Promise<{ display: string; rel: string } | undefined> {
  if (uri.scheme !== 'file') return undefined;
  let real: string;
  try {
    real = await fsp.realpath(uri.fsPath);
  } catch {
    return undefined;
  }
  const loc = ctx.roots.locateReal(real);
  if (!loc || ctx.deny.denied(loc.rel)) return undefined;
  return { display: ctx.roots.display(loc.folder, loc.rel), rel: loc.rel };
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];

export async function getDiagnostics(ctx: FsToolContext, args: Record<string, unknown>): Promise<ToolResult> {
  let only: string | undefined;
  if (args.path !== undefined && args.path !== '') {
    const r = await ctx.roots.resolve(args.path, ctx.deny);
    if (!r.ok) return errorResult(r.error, r.summary);
    only = r.display;
  }
  const rows: { sev: vscode.DiagnosticSeverity; path: string; line: number; text: string }[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    const relevant = diags.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    if (relevant.length === 0) continue;
    const loc = await locate(ctx, uri);
    if (!loc || (only && loc.display !== only)) continue;
    for (const d of relevant) {
      const code = typeof d.code === 'object' && d.code ? d.code.value : d.code;
      const src = d.source ? ` [${d.source}${code !== undefined && code !== '' ? ` ${code}` : ''}]` : '';
      const line = d.range.start.line + 1;
      rows.push({
        sev: d.severity,
        path: loc.display,
        line,
        text: capLine(
          `${loc.display}:${line}:${d.range.start.character + 1}: ${SEVERITY[d.severity]}: ${d.message.replace(/\s*\n\s*/g, ' ')}${src}`,
        ),
      });
    }
  }
  rows.sort((a, b) => a.sev - b.sev || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  const errors = rows.filter((r) => r.sev === vscode.DiagnosticSeverity.Error).length;
  const warnings = rows.length - errors;
  // The model reads an English count; the row shows it in the display language.
  const counted = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${only ? ` in ${only}` : ''}`;
  const summary = problemsSummary(errors, warnings, only);
  if (rows.length === 0)
    return {
      content: `No errors or warnings${only ? ` in ${only}` : ' in the workspace'} (the Problems view is empty${only ? ' for it' : ''}).`,
      summary,
      isError: false,
    };
  const lines = [`${counted}:`, ...rows.slice(0, CAPS.diagnosticsMax).map((r) => r.text)];
  if (rows.length > CAPS.diagnosticsMax)
    lines.push(`[… ${rows.length - CAPS.diagnosticsMax} more not shown. Ask for one file with path.]`);
  return {
    content: capOutput(lines, { hint: () => 'Ask for one file with path to see them.' }).text,
    summary,
    isError: false,
  };
}

/** "1 error, 2 warnings in src/a.ts" on the call's row: one sentence per plural form, translated. */
function problemsSummary(errors: number, warnings: number, only: string | undefined): string {
  const e = errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', errors);
  const w = warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings);
  return only ? vscode.l10n.t('{0}, {1} in {2}', e, w, only) : vscode.l10n.t('{0}, {1}', e, w);
}

async function getOpenEditors(ctx: FsToolContext): Promise<ToolResult> {
  const lines: string[] = [];
  const active = vscode.window.activeTextEditor;
  let count = 0;
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      const uri =
        input instanceof vscode.TabInputText
          ? input.uri
          : input instanceof vscode.TabInputTextDiff
            ? input.modified
            : undefined;
      if (!uri) continue;
      count++;
      const loc = await locate(ctx, uri);
      const name = loc
        ? loc.display
        : uri.scheme === 'untitled'
          ? `${uri.path} (untitled)`
          : `${uri.path.split('/').pop()} (outside the workspace)`;
      const flags = [
        tab.isActive && group.isActive ? 'active' : '',
        tab.isDirty ? 'unsaved changes' : '',
        tab.isPinned ? 'pinned' : '',
      ].filter(Boolean);
      lines.push(
        `${name}${flags.length ? `  [${flags.join(', ')}]` : ''}${vscode.window.tabGroups.all.length > 1 ? `  (group ${group.viewColumn})` : ''}`,
      );
    }
  }
  if (active) {
    const loc = await locate(ctx, active.document.uri);
    const name = loc
      ? loc.display
      : active.document.isUntitled
        ? `${active.document.uri.path} (untitled)`
        : `${active.document.uri.path.split('/').pop()} (outside the workspace)`;
    lines.push('', `Active editor: ${name} (${active.document.languageId}, ${active.document.lineCount} lines)`);
    for (const sel of active.selections) {
      const range = `${sel.start.line + 1}:${sel.start.character + 1}–${sel.end.line + 1}:${sel.end.character + 1}`;
      if (sel.isEmpty) {
        lines.push(`Cursor at line ${sel.active.line + 1}, column ${sel.active.character + 1}`);
        continue;
      }
      const text = active.document.getText(sel);
      lines.push(`Selection ${range} (${text.length} characters)`);
      if ((loc || active.document.isUntitled) && text.length <= 4000)
        lines.push('```', ...text.split(/\r?\n/).map((l) => capLine(l)), '```');
    }
  } else {
    lines.push('', 'No text editor is active.');
  }
  if (count === 0) lines.unshift('No files are open in editors.');
  else lines.unshift(`${count} open editor${count === 1 ? '' : 's'}:`);
  return {
    content: capOutput(lines).text,
    summary:
      count === 1
        ? active
          ? vscode.l10n.t('1 open editor, 1 active')
          : vscode.l10n.t('1 open editor')
        : active
          ? vscode.l10n.t('{0} open editors, 1 active', count)
          : vscode.l10n.t('{0} open editors', count),
    isError: false,
  };
}

export async function getDocumentSymbols(ctx: FsToolContext, args: Record<string, unknown>): Promise<ToolResult> {
  const r = await ctx.roots.resolve(args.path, ctx.deny);
  if (!r.ok) return errorResult(r.error, r.summary);
  const uri = vscode.Uri.file(r.real);
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
  } catch (e) {
    const why = (e as Error).message;
    return errorResult(
      `No outline for "${r.display}": ${why}`,
      vscode.l10n.t('No outline for {0}: {1}', r.display, why),
    );
  }
  if (!symbols || symbols.length === 0) {
    return {
      content: `No symbols for ${r.display}: no installed language support provides an outline for this file (or it has no declarations).`,
      summary: vscode.l10n.t('No symbols in {0}', r.display),
      isError: false,
    };
  }
  const lines: string[] = [];
  let n = 0;
  const kind = (k: vscode.SymbolKind) => (vscode.SymbolKind[k] ?? 'Symbol').toLowerCase();
  const visit = (s: vscode.DocumentSymbol, depth: number) => {
    n++;
    if (lines.length < CAPS.symbolsMax) {
      lines.push(
        capLine(
          `${'  '.repeat(depth)}${kind(s.kind)} ${s.name}${s.detail ? ` — ${s.detail}` : ''} (lines ${s.range.start.line + 1}–${s.range.end.line + 1})`,
        ),
      );
    }
    for (const c of [...s.children].sort((a, b) => a.range.start.line - b.range.start.line)) visit(c, depth + 1);
  };
  for (const s of [...symbols].sort((a, b) => rangeOf(a).start.line - rangeOf(b).start.line)) {
    if ('children' in s) visit(s, 0);
    else {
      n++;
      if (lines.length < CAPS.symbolsMax)
        lines.push(
          capLine(
            `${kind(s.kind)} ${s.name}${s.containerName ? ` (in ${s.containerName})` : ''} (lines ${s.location.range.start.line + 1}–${s.location.range.end.line + 1})`,
          ),
        );
    }
  }
  if (n > lines.length) lines.push(`[… ${n - lines.length} more symbols not shown.]`);
  return {
    content: capOutput([`Outline of ${r.display} (${n} symbols):`, ...lines]).text,
    summary: n === 1 ? vscode.l10n.t('1 symbol in {0}', r.display) : vscode.l10n.t('{0} symbols in {1}', n, r.display),
    isError: false,
  };
}

function rangeOf(s: vscode.DocumentSymbol | vscode.SymbolInformation): vscode.Range {
  return 'children' in s ? s.range : s.location.range;
}

/** The executor the chat uses: all seven tools over the current workspace. `exclude` is bud.tools.exclude. */
export function createWorkspaceToolExecutor(opts: { exclude: string[]; log?: (line: string) => void }): ToolExecutor {
  const withCtx =
    (fn: (ctx: FsToolContext, args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolResult>) =>
    async (args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> => {
      const reason = toolsDisabledReason();
      if (reason) return errorResult(reason, vscode.l10n.t('Tools are off in Restricted Mode'));
      return fn(await buildContext(opts.exclude), args, signal);
    };
  const fsHandler = (name: 'read_file' | 'list_directory' | 'find_files' | 'search_text') =>
    withCtx((ctx, args, signal) => createFsToolHandlers(ctx)[name]!(args, signal));
  const handlers: ToolHandlers = {
    read_file: fsHandler('read_file'),
    list_directory: fsHandler('list_directory'),
    find_files: fsHandler('find_files'),
    search_text: fsHandler('search_text'),
    get_diagnostics: withCtx((ctx, args) => getDiagnostics(ctx, args)),
    get_open_editors: withCtx((ctx) => getOpenEditors(ctx)),
    get_document_symbols: withCtx((ctx, args) => getDocumentSymbols(ctx, args)),
  };
  opts.log?.(`tools: ripgrep ${ripgrepPath() ?? 'not found under vscode.env.appRoot; using the built-in scanner'}`);
  return createToolExecutor(handlers, { log: opts.log });
}

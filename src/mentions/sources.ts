// Reads what the user attaches: a file, a folder, the Problems, the selection, the current file. Every workspace path
// goes through the tools' checks (inside a workspace folder after following links, not on the deny list, not
// bud.tools.exclude), so an attachment can never read what a tool may not; binary files are refused with a reason.
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { splitLines, type Count } from '../attachments/fitText';
import { textAttachment, type Resolved } from '../attachments/resolved';
import type { CodeContext } from '../protocol';
import { formatSize } from '../tools/caps';
import type { FsToolContext } from '../tools/context';
import { forEachLine, sniffBinary } from '../tools/lines';
import { listDirectoryTool } from '../tools/listDirectory';
import type { ResolvedPath } from '../tools/paths';
import { workspaceTools } from './workspace';

export interface SourceEnv {
  ctx: FsToolContext;
  count: Count;
  /** The most tokens all attachments of a message may use (an upper bound for any one of them). */
  maxTokens: number;
}

/** Files larger than this are not read whole: their first and last lines are read, and their lines counted. */
const READ_WHOLE_BYTES = 16 * 1024 * 1024;
/** Of such a file, this many lines from each end. */
const EDGE_LINES = 4000;
/** A folder is listed this deep. */
const FOLDER_DEPTH = 3;

/**
 * A URI from a drop or a menu as a local file URI. In a remote window (and code-server) the workbench names files
 * `vscode-remote://authority/path`; the extension host, which runs where the files are, reads them as `file:`.
 */
export function localUri(raw: string | vscode.Uri): vscode.Uri | undefined {
  let uri: vscode.Uri;
  try {
    uri = typeof raw === 'string' ? vscode.Uri.parse(raw.trim(), true) : raw;
  } catch {
    return undefined;
  }
  if (uri.scheme === 'file' || uri.scheme === 'untitled') return uri;
  if (uri.scheme === 'vscode-remote') return vscode.Uri.file(uri.path);
  return undefined;
}

/** Where a path the user attached is, after the tools' checks; a sentence saying why not otherwise. */
async function locate(env: SourceEnv, uri: vscode.Uri): Promise<ResolvedPath | string> {
  if (uri.scheme !== 'file')
    return vscode.l10n.t('Only files on disk can be attached (not {0}: documents).', uri.scheme);
  const r = await env.ctx.roots.resolve(uri.fsPath, env.ctx.deny, { allowRoot: true });
  return r.ok ? r : r.summary;
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** The outline of a workspace file from the document-symbol provider, without its header line. */
async function outlineOf(env: SourceEnv, display: string): Promise<string | undefined> {
  const r = await workspaceTools()
    .getDocumentSymbols(env.ctx, { path: display })
    .catch(() => undefined);
  if (!r || r.isError || !r.content.startsWith('Outline of ')) return undefined;
  return r.content.slice(r.content.indexOf('\n') + 1);
}

/** An attachment for a file or folder URI (Explorer, editor tab, drop, # picker). */
export async function attachUri(env: SourceEnv, uri: vscode.Uri): Promise<Resolved | string> {
  if (uri.scheme === 'untitled') {
    const doc = openDocument(uri);
    return doc
      ? documentAttachment(env, doc, doc.uri.path)
      : vscode.l10n.t('That untitled document is no longer open.');
  }
  const where = await locate(env, uri);
  if (typeof where === 'string') return where;
  const st = await fsp.stat(where.real);
  if (st.isDirectory()) return folderAttachment(env, where);
  if (!st.isFile()) return `"${where.display}" is not a regular file.`;
  const fileUri = vscode.Uri.file(where.real);
  const open = openDocument(uri) ?? openDocument(fileUri);
  if (open) return documentAttachment(env, open, where.display);
  if (await sniffBinary(where.real))
    return `"${where.display}" is a binary file (${formatSize(st.size)}); only text files can be attached.`;
  if (st.size > READ_WHOLE_BYTES) return hugeFileAttachment(env, where, fileUri, st.size);
  const doc = await vscode.workspace.openTextDocument(fileUri);
  return documentAttachment(env, doc, where.display);
}

function documentAttachment(env: SourceEnv, doc: vscode.TextDocument, display: string): Resolved {
  const text = doc.getText();
  // A final line break ends the last line; it does not start another (VS Code counts one more).
  const lines = doc.lineCount > 1 && doc.lineAt(doc.lineCount - 1).text === '' ? doc.lineCount - 1 : doc.lineCount;
  const base: Omit<CodeContext, 'text'> = {
    kind: 'file',
    path: display,
    uri: doc.uri.toString(),
    language: doc.languageId,
    startLine: 1,
    endLine: Math.max(1, lines),
    totalLines: lines,
  };
  return textAttachment(base, text, {
    count: env.count,
    maxTokens: env.maxTokens,
    name: display,
    outline: () => (doc.isUntitled ? Promise.resolve(undefined) : outlineOf(env, display)),
  });
}

/** A file too large to read whole: its first and last lines (bounded memory), with the count of all its lines. */
async function hugeFileAttachment(
  env: SourceEnv,
  where: ResolvedPath,
  uri: vscode.Uri,
  size: number,
): Promise<Resolved> {
  const head: string[] = [];
  const tail: string[] = [];
  const { lines } = await forEachLine(where.real, (n, text) => {
    if (n <= EDGE_LINES) head.push(text);
    else {
      tail.push(text);
      if (tail.length > EDGE_LINES) tail.shift();
    }
  });
  const base: Omit<CodeContext, 'text'> = {
    kind: 'file',
    path: where.display,
    uri: uri.toString(),
    language: '',
    startLine: 1,
    endLine: Math.max(1, lines),
    totalLines: lines,
  };
  return textAttachment(base, [...head, ...tail].join('\n'), {
    count: env.count,
    maxTokens: env.maxTokens,
    name: `${where.display} (${formatSize(size)})`,
    gap: { after: head.length, lines: lines - head.length - tail.length },
  });
}

async function folderAttachment(env: SourceEnv, where: ResolvedPath): Promise<Resolved | string> {
  const r = await listDirectoryTool(env.ctx, { path: where.display, depth: FOLDER_DEPTH });
  if (r.isError) return r.content.replace(/^Error: /, '');
  const path = where.display === '.' ? './' : `${where.display}/`;
  const base: Omit<CodeContext, 'text'> = {
    kind: 'folder',
    path,
    uri: vscode.Uri.file(where.real).toString(),
    language: '',
    startLine: 0,
    endLine: 0,
  };
  return textAttachment(base, r.content, {
    count: env.count,
    maxTokens: env.maxTokens,
    name: vscode.l10n.t('The listing of {0}', path),
  });
}

/** #problems: the Problems of the workspace, or of one file (`uri`). */
export async function problemsAttachment(env: SourceEnv, uri?: vscode.Uri): Promise<Resolved | string> {
  let path = '';
  if (uri) {
    const where = await locate(env, uri);
    if (typeof where === 'string') return where;
    path = where.display;
  }
  const r = await workspaceTools().getDiagnostics(env.ctx, path ? { path } : {});
  if (r.isError) return r.content.replace(/^Error: /, '');
  const label = path ? `Problems in ${path.split('/').pop()}` : 'Problems';
  const base: Omit<CodeContext, 'text'> = {
    kind: 'problems',
    path,
    uri: uri?.toString() ?? '',
    language: '',
    startLine: 0,
    endLine: 0,
    label: `${label} (${r.summary})`,
  };
  return textAttachment(base, r.content, { count: env.count, maxTokens: env.maxTokens, name: label });
}

/** #file: the active editor's document. */
export async function currentFileAttachment(env: SourceEnv): Promise<Resolved | string> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return vscode.l10n.t('No file is open in an editor.');
  return attachUri(env, editor.document.uri);
}

/** An attachment whose text was taken when it was attached (a selection, terminal output): fitted, never re-read. */
export function captured(ctx: CodeContext, env: SourceEnv, keep: 'headTail' | 'tail' = 'headTail'): Resolved {
  const { text, ...base } = ctx;
  return textAttachment(base, text, {
    count: env.count,
    maxTokens: env.maxTokens,
    name: ctx.kind === 'terminal' ? 'The output' : `The selection (${splitLines(text).length} lines)`,
    keep,
  });
}

// The # picker's rows: the special mentions (#file, #selection, #problems, #changes, #terminal) that match what was
// typed, then workspace files and folders, fuzzy-matched, open editors first when nothing is typed yet.
import * as vscode from 'vscode';
import { isSubsequence, normaliseQuery } from '../attachments/fuzzy';
import type { MentionItem } from '../protocol';
import type { TerminalWatcher } from './terminal';
import type { WorkspaceFiles } from './workspace';
import type { FileIndex } from '../attachments/fileIndex';
import { formatNumber } from '../api/locale';

/** Rows sent for one query: a screenful and some more to scroll. */
export const MAX_ROWS = 40;

export const SPECIAL_IDS = ['currentFile', 'selection', 'problems', 'fileProblems', 'changes', 'terminal'] as const;
export type SpecialId = (typeof SPECIAL_IDS)[number];

function baseName(p: string): string {
  const t = p.endsWith('/') ? p.slice(0, -1) : p;
  return t.slice(t.lastIndexOf('/') + 1);
}

function activeFile(): { name: string; path: string } | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return undefined;
  const path = doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false);
  return { name: baseName(path), path };
}

/** The special rows, in their fixed order (each only when it can give something). */
function specials(terminal: TerminalWatcher): (MentionItem & { keyword: string })[] {
  const file = activeFile();
  const editor = vscode.window.activeTextEditor;
  const out: (MentionItem & { keyword: string })[] = [];
  const add = (id: SpecialId, keyword: string, detail: string, insert: string) =>
    out.push({ id: `special:${id}`, kind: id, keyword, label: `#${keyword}`, detail, insert });
  if (file) add('currentFile', 'file', vscode.l10n.t('The current file, {0}', file.path), `#${file.name} `);
  if (editor && !editor.selection.isEmpty) {
    const s = editor.selection;
    const end = s.end.character === 0 && s.end.line > s.start.line ? s.end.line : s.end.line + 1;
    add(
      'selection',
      'selection',
      vscode.l10n.t('The selected lines {0}–{1} of {2}', s.start.line + 1, end, file?.name ?? 'the editor'),
      '#selection ',
    );
  }
  add(
    'problems',
    'problems',
    vscode.l10n.t("Errors and warnings of the whole workspace (VS Code's Problems)"),
    '#problems ',
  );
  if (file)
    add('fileProblems', 'problems', vscode.l10n.t('Errors and warnings in {0}', file.name), `#problems:${file.name} `);
  add(
    'changes',
    'changes',
    vscode.l10n.t('Uncommitted git changes: the diff of the index and the working tree'),
    '#changes ',
  );
  const last = terminal.supported ? terminal.latest() : undefined;
  add(
    'terminal',
    'terminal',
    last
      ? vscode.l10n.t('The last terminal command and its output: {0}', last.commandLine.slice(0, 60))
      : vscode.l10n.t('The last terminal command and its output'),
    '#terminal ',
  );
  return out;
}

/** Open editors' workspace paths, most recent tab groups first: what users attach most. */
function openEditorPaths(): string[] {
  const out: string[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputText && input.uri.scheme === 'file')
        out.push(vscode.workspace.asRelativePath(input.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1));
    }
  }
  return out;
}

export interface MentionAnswer {
  items: MentionItem[];
  note?: string;
}

/** Said while the first list shows only the mentions: the workspace's files are still being listed. */
export const LISTING_FILES = vscode.l10n.t("Listing the workspace's files…");

/**
 * The rows for `query`. With the index built (the usual case: it is built when the chat view opens) the whole list
 * comes at once. Otherwise `first` has the mentions only and `full` the whole list once the index is built, so a
 * # typed right away still shows a list at once; files are never offered before the index has checked them.
 */
export function queryMentions(
  files: WorkspaceFiles,
  terminal: TerminalWatcher,
  query: string,
): { first: MentionAnswer; full?: Promise<MentionAnswer> } {
  const q = normaliseQuery(query);
  const special = specials(terminal)
    .filter((s) => !q || isSubsequence(q, s.keyword) || s.keyword.startsWith(q))
    .map(({ keyword: _k, ...item }) => item);
  const index = files.ready();
  if (index) return { first: withFiles(index, special, query) };
  return {
    first: { items: special, note: LISTING_FILES },
    full: files.files().then((built) => withFiles(built, special, query)),
  };
}

function withFiles(index: FileIndex, special: MentionItem[], query: string): MentionAnswer {
  const matches = index.search(query, MAX_ROWS - special.length, openEditorPaths());
  const items: MentionItem[] = [...special];
  for (const m of matches) {
    const path = m.item.path;
    const name = baseName(path);
    const nameStart = path.length - name.length - (path.endsWith('/') ? 1 : 0);
    const dir = path.slice(0, nameStart).replace(/\/$/, '');
    items.push({
      id: `path:${path}`,
      kind: m.item.isDir ? 'folder' : 'file',
      label: name,
      detail: dir || (m.item.isDir ? 'folder' : ''),
      matches: m.positions.filter((p) => p >= nameStart && p < nameStart + name.length).map((p) => p - nameStart),
      insert: `#${name} `,
    });
  }
  const note = index.truncated
    ? vscode.l10n.t('Only the first {0} files and folders of this workspace are listed.', formatNumber(index.size))
    : index.size === 0 && !vscode.workspace.workspaceFolders?.length
      ? vscode.l10n.t('No folder is open, so there are no files to attach.')
      : undefined;
  return note ? { items, note } : { items };
}

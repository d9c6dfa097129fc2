// The code context of the active editor's selection, or the reason there is none.
import * as vscode from 'vscode';
import type { CodeContext } from '../protocol';
import { MAX_CONTENT_CHARS } from '../chat/conversation';
import { formatNumber } from '../api/locale';

export function selectionContext(
  editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor,
): CodeContext | string {
  if (!editor) return vscode.l10n.t('Open a file and select some code first.');
  const doc = editor.document;
  const sel = editor.selection;
  if (sel.isEmpty) return vscode.l10n.t('Select some code first, then run the command again.');
  // Measured without copying the text, so a 5 MB selection is refused at once.
  const length = doc.offsetAt(sel.end) - doc.offsetAt(sel.start);
  if (length > MAX_CONTENT_CHARS) {
    return vscode.l10n.t(
      'The selection is {0} characters long; a message can carry at most {1}, so nothing was sent. Select a smaller part of the file.',
      formatNumber(length),
      formatNumber(MAX_CONTENT_CHARS),
    );
  }
  const startLine = sel.start.line + 1;
  // A selection ending at the start of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
  const path = doc.isUntitled
    ? doc.uri.path
    : vscode.workspace.asRelativePath(
        doc.uri,
        vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1,
      );
  return { path, uri: doc.uri.toString(), language: doc.languageId, startLine, endLine, text: doc.getText(sel) };
}

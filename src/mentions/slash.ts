// Runs a slash command typed in the composer: `/name args`. A prompt file is read now, its placeholders filled in
// and sent as a `prompt` attachment (the typed command stays what the chat shows); the built-ins /explain and
// /review attach the selection, or the current file when nothing is selected. Text that names no command is sent
// as typed (the demo backend's "/error 401", a question that starts with a slash).
import * as vscode from 'vscode';
import { BUILTIN_COMMANDS, parseSlash, substitute } from '../chat/slashCommands';
import { selectionContext } from '../commands/selection';
import type { CodeContext } from '../protocol';
import type { Attachments } from './attachments';
import { listCommands, readPromptBody } from './workspaceContext';

export type Expansion = { contexts: CodeContext[] } | { error: string } | undefined;

export async function expandSlash(text: string, attachments: Attachments): Promise<Expansion> {
  const parsed = parseSlash(text);
  if (!parsed) return undefined;
  const ctx = await attachments.workspaceContext();
  const { commands } = await listCommands(ctx);
  const cmd = commands.find((c) => c.name === parsed.name);
  if (!cmd) return undefined;
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const file = editor
    ? editor.document.isUntitled
      ? editor.document.uri.path
      : vscode.workspace.asRelativePath(editor.document.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1)
    : undefined;

  let body: string | undefined;
  const extra: CodeContext[] = [];
  if (cmd.display) {
    body = await readPromptBody(ctx, cmd.display);
    if (body === undefined)
      return { error: vscode.l10n.t('The prompt file {0} could not be read (was it moved or deleted?).', cmd.display) };
  } else {
    body = BUILTIN_COMMANDS.find((b) => b.name === cmd.name)?.body ?? '';
    const sel = selectionContext();
    if (typeof sel !== 'string') extra.push(await attachments.capture({ ...sel, kind: 'selection' }));
    else if (editor) {
      const f = await attachments.fileOf(editor.document.uri);
      if (typeof f === 'string') return { error: f };
      extra.push(f);
    } else return { error: vscode.l10n.t('Select some code or open a file first, then run /{0} again.', cmd.name) };
  }
  const prompt = await attachments.capture({
    kind: 'prompt',
    path: cmd.display ?? '',
    uri: cmd.uri ?? '',
    language: '',
    startLine: 0,
    endLine: 0,
    label: `/${cmd.name}`,
    text: substitute(body, { args: parsed.args, selection, file }),
  });
  return { contexts: [prompt, ...extra] };
}

// `@bud` in VS Code's Chat view (the chat participant API, stable since VS Code 1.90): answers with the Bud model
// picked in the Chat view (or bud.model) and Bud's read-only workspace tools, through the panel's own tool loop
// (src/chat/turn.ts). What the user attaches (`#file`, a selection) goes with the request (./references.ts);
// `/explain` explains the editor's selection.
import * as vscode from 'vscode';
import { toErrorInfo } from '../chat/errorInfo';
import { runTurn } from '../chat/turn';
import { selectionContext } from '../commands/selection';
import type { Session } from '../connection/session';
import type { Logger } from '../log/logger';
import type { CodeContext } from '../protocol';
import { noSelectionMessage, participantMessages, type ParticipantTurn } from './participantCore';
import { VENDOR } from './provider';
import { readReferences } from './references';
import type { ChatRequest } from './vscodeLm';

export const PARTICIPANT_ID = 'bud.chat';

function historyOf(context: vscode.ChatContext): ParticipantTurn[] {
  const turns: ParticipantTurn[] = [];
  for (const t of context.history) {
    if (t instanceof vscode.ChatRequestTurn) turns.push({ kind: 'request', prompt: t.prompt, command: t.command });
    else if (t instanceof vscode.ChatResponseTurn) {
      const text = t.response.map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join('');
      turns.push({ kind: 'response', text });
    }
  }
  return turns;
}

/** The model picked in the Chat view when it is a Bud model (VS Code 1.95+), else bud.model applies. */
function pickedBudModel(request: vscode.ChatRequest): string | undefined {
  const model = (request as unknown as Partial<ChatRequest>).model;
  return model && model.vendor === VENDOR ? model.id : undefined;
}

/** A note in the answer, as plain text (a path with `*` or `_` must not turn into formatting). */
function note(response: vscode.ChatResponseStream, text: string): void {
  response.markdown(new vscode.MarkdownString().appendMarkdown('_').appendText(text).appendMarkdown('_\n\n'));
}

/** `/explain`'s selection, or undefined after saying there is none. */
function explainSelection(response: vscode.ChatResponseStream): CodeContext | undefined {
  const sel = selectionContext();
  if (typeof sel === 'string') {
    response.markdown(noSelectionMessage());
    return undefined;
  }
  response.reference(
    new vscode.Location(vscode.Uri.parse(sel.uri), new vscode.Range(sel.startLine - 1, 0, sel.endLine - 1, 0)),
  );
  return sel;
}

/** A reference that is `/explain`'s own selection (VS Code may attach it too): sent once, not twice. */
function sameAs(sel: CodeContext | undefined) {
  return (ref: vscode.ChatPromptReference): boolean =>
    !!sel &&
    ref.value instanceof vscode.Location &&
    ref.value.uri.toString() === sel.uri &&
    ref.value.range.start.line + 1 <= sel.endLine &&
    ref.value.range.end.line + 1 >= sel.startLine;
}

export function registerChatParticipant(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  const handler: vscode.ChatRequestHandler = async (request, chatContext, response, token) => {
    const selection = request.command === 'explain' ? explainSelection(response) : undefined;
    if (request.command === 'explain' && !selection) return {};
    const setup = await session.prepare({ model: pickedBudModel(request) });
    if (!('client' in setup)) {
      response.markdown(setup.message);
      return { errorDetails: { message: setup.message } };
    }
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const refs = await readReferences(
        request.references,
        await session.workspaceTools(),
        abort.signal,
        sameAs(selection),
      );
      for (const used of refs.used) response.reference(used);
      for (const n of refs.notes) note(response, n);
      const messages = participantMessages(
        setup.systemPrompt,
        historyOf(chatContext),
        request.prompt,
        request.command,
        selection ? [selection] : [],
        refs.attachments,
      );
      const params = { ...setup.params, messages };
      setup.onRequest?.(params);
      const result = await runTurn({
        client: setup.client,
        params,
        stream: setup.stream,
        tools: setup.tools,
        toolChoice: setup.toolChoice,
        maxToolRounds: setup.maxToolRounds,
        signal: abort.signal,
        events: {
          onText: (t) => response.markdown(t),
          onToolCall: (call) => {
            if (call.state === 'running') response.progress(`Bud: ${call.name} ${call.argsText}`);
          },
        },
      });
      if (result.note) {
        response.markdown('\n\n');
        note(response, result.note);
      }
      log.info(
        `@bud answer ended: model=${params.model} status=${result.status} references=${refs.used.length}${refs.ignored.length ? ` ignored=${refs.ignored.join(',')}` : ''}`,
      );
      if (result.status === 'error') return { errorDetails: { message: toErrorInfo(result.error).message } };
      return {};
    } finally {
      sub.dispose();
    }
  };
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handler);
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  context.subscriptions.push(participant);
}

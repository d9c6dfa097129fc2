// `@bud` in VS Code's Chat view (the chat participant API, stable since VS Code 1.90): answers with the Bud model
// picked in the Chat view (or bud.model) and Bud's read-only workspace tools, through the panel's own tool loop
// (src/chat/turn.ts). `/explain` explains the editor's selection.
import * as vscode from 'vscode';
import { toErrorInfo } from '../chat/errorInfo';
import { runTurn } from '../chat/turn';
import { selectionContext } from '../commands/selection';
import type { Session } from '../connection/session';
import type { Logger } from '../log/logger';
import type { CodeContext } from '../protocol';
import { noSelectionMessage, participantMessages, type ParticipantTurn } from './participantCore';
import { VENDOR } from './provider';
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

export function registerChatParticipant(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  const handler: vscode.ChatRequestHandler = async (request, chatContext, response, token) => {
    const contexts: CodeContext[] = [];
    if (request.command === 'explain') {
      const sel = selectionContext();
      if (typeof sel === 'string') {
        response.markdown(noSelectionMessage());
        return {};
      }
      contexts.push(sel);
      response.reference(
        new vscode.Location(vscode.Uri.parse(sel.uri), new vscode.Range(sel.startLine - 1, 0, sel.endLine - 1, 0)),
      );
    }
    const setup = await session.prepare({ model: pickedBudModel(request) });
    if (!('client' in setup)) {
      response.markdown(setup.message);
      return { errorDetails: { message: setup.message } };
    }
    const messages = participantMessages(
      setup.systemPrompt,
      historyOf(chatContext),
      request.prompt,
      request.command,
      contexts,
    );
    const params = { ...setup.params, messages };
    setup.onRequest?.(params);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
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
      if (result.note) response.markdown(`\n\n_${result.note}_`);
      log.info(`@bud answer ended: model=${params.model} status=${result.status}`);
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

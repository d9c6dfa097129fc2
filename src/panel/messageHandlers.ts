// What each (validated) webview message does on the host: one handler per message type, and one per action.
// Both maps are typed over the protocol, so a new message type or action id does not compile until it is handled.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { DeltaPacing } from '../chat/deltaPacing';
import { isChatId } from '../chat/historyStore';
import type { Logger } from '../log/logger';
import type { Session } from '../connection/session';
import type { ActionId, WebviewMessage, WebviewMessageOf } from '../protocol';
import type { ApprovalBroker } from '../lm/foreignCore';
import type { Mentions } from '../mentions/mentions';
import type { SearchIndex } from '../chat/searchIndex';
import { copyCode, insertCode, openCodeInEditor, openContext, openLink } from './editorActions';
import { createConversationHandlers } from './conversationHandlers';

export type WebviewMessageHandlers = {
  readonly [K in WebviewMessage['type']]: (msg: WebviewMessageOf<K>) => void | Promise<void>;
};

type ActionHandlers = { readonly [A in ActionId]: () => void | Promise<void> };

export interface MessageHandlerDeps {
  controller: ChatController;
  session: Session;
  /** Asks in the chat before another extension's tool runs. */
  approvals: ApprovalBroker;
  search: SearchIndex;
  log: Logger;
  /** The # picker, attachments and slash commands. */
  mentions: Mentions;
  /** The pace of answer text, set by what the user can see of it. */
  pacing: DeltaPacing;
}

/** Runs the handler of `msg.type`. */
export function dispatchWebviewMessage(handlers: WebviewMessageHandlers, msg: WebviewMessage): void | Promise<void> {
  // TypeScript cannot correlate `handlers[msg.type]` with `msg` itself; the mapped type guarantees the pairing.
  const handler = handlers[msg.type] as (m: WebviewMessage) => void | Promise<void>;
  return handler(msg);
}

export function createWebviewMessageHandlers({
  controller,
  session,
  approvals,
  search,
  log,
  mentions,
  pacing,
}: MessageHandlerDeps): WebviewMessageHandlers {
  const actions = createActionHandlers(controller);
  return {
    ready: async (msg) => {
      pacing.setFollowing(true); // a new webview starts at the end of the chat, and says so when that changes
      await controller.sendInit(await workspaceSettingNotes(session), isChatId(msg.chatId) ? msg.chatId : undefined);
      // A recreated view has lost the questions still waiting for an answer: ask them again.
      approvals.repost();
      mentions.watch();
      mentions.postEditorContext();
      await mentions.postWorkspaceContext();
    },
    toolApprovalAnswer: (msg) => approvals.answer(msg.callId, msg.answer),
    // A slash command expands and the current-file chip adds the file before the controller sends.
    send: (msg) => mentions.handle(msg),
    mentionQuery: (msg) => mentions.handle(msg),
    attachMention: (msg) => mentions.handle(msg),
    attachUris: (msg) => mentions.handle(msg),
    stop: () => controller.stop(),
    retry: () => controller.retry(),
    newChat: () => controller.newChat(),
    switchChat: async (msg) => {
      if (isChatId(msg.chatId)) await controller.switchChat(msg.chatId);
    },
    renameChat: async (msg) => {
      if (isChatId(msg.chatId)) await controller.renameChat(msg.chatId, msg.title);
    },
    deleteChat: async (msg) => {
      if (isChatId(msg.chatId)) await controller.deleteChat(msg.chatId);
    },
    action: (msg) => actions[msg.action](),
    openLink: (msg) => openLink(msg.href, (l) => log.warn(l)),
    openContext: (msg) => openContext(msg.uri, msg.startLine, msg.endLine),
    removePendingContext: (msg) => controller.removePendingContext(msg.index),
    copyCode: (msg) => copyCode(msg.code),
    insertCode: (msg) => insertCode(msg.code),
    openCodeInEditor: (msg) => openCodeInEditor(msg.code, msg.language),
    viewState: (msg) => pacing.setFollowing(msg.following),
    continueAnswer: (msg) => controller.continueAnswer(msg.id),
    undoCondense: () => controller.undoCondense(),
    draft: (msg) => controller.setDraft(msg.text),
    log: (msg) => {
      const line = `[webview] ${msg.text}`;
      if (msg.level === 'error') log.error(line);
      else if (msg.level === 'warn') log.warn(line);
      else log.info(line);
    },
    ...createConversationHandlers(controller, search),
  };
}

/** The buttons of inline errors and notices: each runs a chat operation or a (Bud or workbench) command. */
function createActionHandlers(controller: ChatController): ActionHandlers {
  const command =
    (id: string, ...args: unknown[]) =>
    async () => {
      await vscode.commands.executeCommand(id, ...args);
    };
  return {
    retry: () => controller.retry(),
    newChat: () => controller.newChat(),
    undoDelete: () => controller.branches.undoDelete(),
    setApiKey: command('bud.setApiKey'),
    selectModel: command('bud.selectModel'),
    showLog: command('bud.showLog'),
    testConnection: command('bud.testConnection'),
    openSettings: command('workbench.action.openSettings', '@ext:bud-studio.bud-chat'),
    manageTrust: command('workbench.trust.manage'),
    condense: async () => {
      await controller.condense();
    },
    contextSettings: command('workbench.action.openSettings', 'bud.contextWindow'),
    removeAttachment: () => controller.removeLargestAttachment(),
  };
}

/** Notes for the empty state about workspace settings Bud ignores on purpose. */
async function workspaceSettingNotes(session: Session): Promise<string[]> {
  const { settings } = await session.resolve();
  return settings.ignoredWorkspaceBaseUrl
    ? [
        vscode.l10n.t(
          "This workspace's settings set bud.baseUrl to {0}; it is ignored, because the base URL decides where your API key is sent. Set it in your user (or remote) settings instead.",
          settings.ignoredWorkspaceBaseUrl,
        ),
      ]
    : [];
}

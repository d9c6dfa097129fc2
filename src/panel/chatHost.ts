// Wires the chat together for one window: the history store on globalStorageUri, the controller, the view
// provider, and what each webview message does.
import * as vscode from 'vscode';
import { ChatController } from '../chat/controller';
import { HistoryStore, newChatId, isChatId } from '../chat/historyStore';
import { runTurn } from '../chat/turn';
import { toErrorInfo } from '../chat/errorInfo';
import type { ActionId, WebviewMessage } from '../protocol';
import type { Logger } from '../log/logger';
import type { Session } from '../connection/session';
import { ChatViewProvider, VIEW_TYPE } from './chatViewProvider';
import { copyCode, insertCode, openCodeInEditor, openContext, openLink } from './editorActions';
import { createDeltaSink } from '../chat/deltaSink';
import { ChatContext } from '../chat/chatContext';
import { ContextPlanner } from '../chat/contextPlan';
import { TokenCounter } from '../context/counter';

const CURRENT_CHAT_KEY = 'bud.currentChatId';

export interface ChatHost {
  controller: ChatController;
  view: ChatViewProvider;
  store: HistoryStore;
  /** Opens the chat view and waits (briefly) until the webview is ready. */
  reveal(): Promise<void>;
}

const ACTION_COMMANDS: Partial<Record<ActionId, string>> = {
  setApiKey: 'bud.setApiKey',
  selectModel: 'bud.selectModel',
  showLog: 'bud.showLog',
  testConnection: 'bud.testConnection',
};

export function registerChatHost(context: vscode.ExtensionContext, session: Session, log: Logger): ChatHost {
  const store = new HistoryStore({
    dir: vscode.Uri.joinPath(context.globalStorageUri, 'chats').fsPath,
    log: (l) => log.info(l),
    onMerged: (chat) => controller.externalChange(chat),
  });
  // The view forwards each webview message to `onMessage` (hoisted below), which needs the controller.
  const view = new ChatViewProvider(context.extensionUri, onMessage, (l) => log.warn(l));
  const controller: ChatController = new ChatController({
    store,
    post: (msg) => view.post(msg),
    prepare: () => session.prepare(),
    runTurn,
    toErrorInfo,
    createDeltaSink,
    getStatus: () => session.status(),
    context: new ChatContext(new ContextPlanner(new TokenCounter()), session.limits, (l) => log.info(l)),
    contextSetup: () => session.contextSetup(),
    currentChatId: {
      get: () => {
        const id = context.workspaceState.get<string>(CURRENT_CHAT_KEY);
        return isChatId(id) ? id : undefined;
      },
      set: (id) => context.workspaceState.update(CURRENT_CHAT_KEY, id),
    },
    newId: newChatId,
    log: (l) => log.info(l),
  });

  function onMessage(msg: WebviewMessage): void {
    handle(msg).catch((err: unknown) => {
      log.error(`Handling "${msg.type}" failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      controller.notice({
        level: 'error',
        text: `Something went wrong: ${err instanceof Error ? err.message : String(err)}`,
        actions: ['showLog'],
      });
    });
  }

  const handle = async (msg: WebviewMessage): Promise<void> => {
    switch (msg.type) {
      case 'ready': {
        const { settings } = await session.resolve();
        const ignored = settings.ignoredWorkspaceBaseUrl
          ? [
              `This workspace's settings set bud.baseUrl to ${settings.ignoredWorkspaceBaseUrl}; it is ignored, because the base URL decides where your API key is sent. Set it in your user (or remote) settings instead.`,
            ]
          : [];
        return controller.sendInit(ignored);
      }
      case 'send':
        await controller.send(msg.text);
        return;
      case 'stop':
        return controller.stop();
      case 'retry':
        return controller.retry();
      case 'newChat':
        return controller.newChat();
      case 'switchChat':
        if (isChatId(msg.chatId)) await controller.switchChat(msg.chatId);
        return;
      case 'renameChat':
        if (isChatId(msg.chatId)) await controller.renameChat(msg.chatId, msg.title);
        return;
      case 'deleteChat':
        if (isChatId(msg.chatId)) await controller.deleteChat(msg.chatId);
        return;
      case 'action':
        return runAction(msg.action);
      case 'openLink':
        return openLink(msg.href, (l) => log.warn(l));
      case 'openContext':
        return openContext(msg.uri, msg.startLine, msg.endLine);
      case 'removePendingContext':
        return controller.removePendingContext(msg.index);
      case 'copyCode':
        return copyCode(msg.code);
      case 'insertCode':
        return insertCode(msg.code);
      case 'openCodeInEditor':
        return openCodeInEditor(msg.code, msg.language);
      case 'continueAnswer':
        return controller.continueAnswer(msg.id);
      case 'undoCondense':
        return controller.undoCondense();
      case 'draft':
        return controller.setDraft(msg.text);
      case 'log': {
        const line = `[webview] ${msg.text}`;
        if (msg.level === 'error') log.error(line);
        else if (msg.level === 'warn') log.warn(line);
        else log.info(line);
        return;
      }
    }
  };

  const runAction = async (action: ActionId): Promise<void> => {
    if (action === 'retry') return controller.retry();
    if (action === 'newChat') return controller.newChat();
    if (action === 'openSettings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:bud-studio.bud-chat');
      return;
    }
    if (action === 'manageTrust') {
      await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    if (action === 'condense') {
      await controller.condense();
      return;
    }
    if (action === 'contextSettings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'bud.contextWindow');
      return;
    }
    if (action === 'removeAttachment') return controller.removeLargestAttachment();
    const command = ACTION_COMMANDS[action];
    if (command) await vscode.commands.executeCommand(command);
  };

  context.subscriptions.push(vscode.window.registerWebviewViewProvider(VIEW_TYPE, view), view, {
    dispose: () => {
      void store.flush();
    },
  });

  const reveal = async (): Promise<void> => {
    await view.reveal();
    // Give the webview a moment to load so the first messages are drawn live (init covers them otherwise).
    for (let i = 0; i < 50 && !view.isReady; i++) await new Promise((r) => setTimeout(r, 40));
  };

  return { controller, view, store, reveal };
}

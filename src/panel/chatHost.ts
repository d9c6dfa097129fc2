// Wires the chat together for one window: the history store on globalStorageUri, the controller, the view
// provider, and the handlers of the webview's messages (src/panel/messageHandlers.ts).
import * as vscode from 'vscode';
import { ChatController } from '../chat/controller';
import { describeWriteError } from '../chat/atomicFile';
import { HistoryStore, newChatId, isChatId, type HistoryStoreOptions } from '../chat/historyStore';
import { runTurn } from '../chat/turn';
import { toErrorInfo } from '../chat/errorInfo';
import { createDeltaSink } from '../chat/deltaSink';
import { DeltaPacing } from '../chat/deltaPacing';
import type { WebviewMessage } from '../protocol';
import type { Logger } from '../log/logger';
import type { Session } from '../connection/session';
import { ChatViewProvider, VIEW_TYPE } from './chatViewProvider';
import { createWebviewMessageHandlers, dispatchWebviewMessage } from './messageHandlers';
import { ApprovalBroker } from '../lm/foreignCore';
import { SearchIndex } from '../chat/searchIndex';
import { ChatContext } from '../chat/chatContext';
import { ContextPlanner } from '../chat/contextPlan';
import { defaultBudget } from '../mentions/budget';
import { Mentions } from '../mentions/mentions';

const CURRENT_CHAT_KEY = 'bud.currentChatId';

/**
 * How long `reveal` waits for a webview that is still loading. Messages posted before `ready` are not lost (`init`
 * carries the whole state), but waiting lets the first ones be drawn live.
 */
const READY_TIMEOUT_MS = 2000;

export interface ChatHost {
  controller: ChatController;
  view: ChatViewProvider;
  store: HistoryStore;
  /** Asks in the chat before a tool of another extension runs. */
  approvals: ApprovalBroker;
  /** The # picker, attachments, slash commands and workspace instructions. */
  mentions: Mentions;
  /** Full-text search of the saved chats. */
  search: SearchIndex;
  /** Opens the chat view and waits (briefly) until the webview is ready. */
  reveal(): Promise<void>;
}

export function registerChatHost(context: vscode.ExtensionContext, session: Session, log: Logger): ChatHost {
  // The store, the view and the controller refer to each other only through callbacks that run later.
  const chatsDir = vscode.Uri.joinPath(context.globalStorageUri, 'chats').fsPath;
  const search = new SearchIndex({ dir: chatsDir, log: (l) => log.warn(l) });
  const store = createHistoryStore(chatsDir, log, {
    onWritten: (chat, mtimeMs) => search.update(chat, mtimeMs),
    onDeleted: (id) => search.remove(id),
    onMerged: (chat) => controller.externalChange(chat),
    onWriteError: (_id, err) =>
      controller.notice({
        level: 'error',
        text: vscode.l10n.t(
          'This chat could not be saved: {0}. It stays open in this window and is saved with the next change once the disk accepts it.',
          describeWriteError(err),
        ),
        actions: ['showLog'],
      }),
  });
  const pacing = new DeltaPacing();
  const view = new ChatViewProvider(
    context.extensionUri,
    (msg) => onMessage(msg),
    (l) => log.warn(l),
    (visible) => pacing.setVisible(visible),
  );
  const approvals = new ApprovalBroker((msg) => view.post(msg));
  const mentions = new Mentions({
    post: (msg) => view.post(msg),
    controller: () => controller,
    budget: defaultBudget(),
    log: (l) => log.info(l),
  });
  const controller = createController(context, { store, view, session, log, mentions, pacing });
  const handlers = createWebviewMessageHandlers({ controller, session, approvals, search, log, mentions, pacing });
  const onMessage = createMessageRouter(handlers, controller, log);
  registerView(context, view, store);
  context.subscriptions.push(mentions, { dispose: () => search.dispose() });
  return { controller, view, store, approvals, mentions, search, reveal: () => revealView(view) };
}

function createHistoryStore(
  dir: string,
  log: Logger,
  events: Pick<HistoryStoreOptions, 'onMerged' | 'onWriteError' | 'onWritten' | 'onDeleted'>,
): HistoryStore {
  return new HistoryStore({
    dir,
    log: (l) => log.info(l),
    ...events,
  });
}

interface ControllerParts {
  store: HistoryStore;
  view: ChatViewProvider;
  session: Session;
  log: Logger;
  mentions: Mentions;
  pacing: DeltaPacing;
}

function createController(
  context: vscode.ExtensionContext,
  { store, view, session, log, mentions, pacing }: ControllerParts,
): ChatController {
  return new ChatController({
    store,
    post: (msg) => view.post(msg),
    // The workspace's instruction files join the system prompt (counted first, never trimmed).
    prepare: () => mentions.withInstructions(session.prepare()),
    prepareAttachments: (contexts) => mentions.prepareAttachments(contexts),
    runTurn,
    toErrorInfo,
    createDeltaSink: (onFlush) => createDeltaSink(onFlush, pacing),
    getStatus: () => session.status(),
    context: new ChatContext(new ContextPlanner(session.counter), session.limits, (l) => log.info(l)),
    contextSetup: () => mentions.contextWithInstructions(session.contextSetup()),
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
}

/** Runs each message's handler; a failure is logged and shown as a notice instead of being lost. */
function createMessageRouter(
  handlers: Parameters<typeof dispatchWebviewMessage>[0],
  controller: ChatController,
  log: Logger,
): (msg: WebviewMessage) => void {
  // `async` so a handler's synchronous throw becomes a rejection too; it still starts at once, in arrival order.
  const run = async (msg: WebviewMessage): Promise<void> => dispatchWebviewMessage(handlers, msg);
  return (msg) => {
    run(msg).catch((err: unknown) => {
      log.error(`Handling "${msg.type}" failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      controller.notice({
        level: 'error',
        text: vscode.l10n.t('Something went wrong: {0}', err instanceof Error ? err.message : String(err)),
        actions: ['showLog'],
      });
    });
  };
}

function registerView(context: vscode.ExtensionContext, view: ChatViewProvider, store: HistoryStore): void {
  context.subscriptions.push(vscode.window.registerWebviewViewProvider(VIEW_TYPE, view), view, {
    dispose: () => {
      void store.flush();
    },
  });
}

async function revealView(view: ChatViewProvider): Promise<void> {
  await view.reveal();
  await view.whenReady(READY_TIMEOUT_MS);
}

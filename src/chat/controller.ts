// The chat controller: the conversation state of one window, what happens on send / stop / retry, and the
// chat list. Pure: no `vscode` import. Everything it needs from the outside comes in through `ChatDeps`
// (see src/panel/chatHost.ts for the VS Code side), so unit tests drive it with a fake turn and a temp dir.
import type { ChatCompletionParams } from '../api/types';
import type { CodeContext, ErrorInfo, HostMessage, MessageView, Notice, ViewStatus } from '../protocol';
import type { TurnOptions, TurnResult } from './turn';
import type { ToolExecutor } from '../tools/port';
import {
  checkContentLimit,
  continuationMessages,
  newChat,
  toSnapshot,
  toViews,
  viewOf,
  type StoredChat,
  type StoredMessage,
} from './conversation';
import { buildUserContent, titleFrom } from './prompts';
import { interruptedNote, type HistoryStore } from './historyStore';
import { activeLeaf, activePath, addChild, findMessage, pathTo, selectPathTo } from './tree';
import { BranchActions, busyNotice } from './branchActions';
import { suggestTitle } from './titles';
import { type ChatContext, type ContextSetup } from './chatContext';
import { applyResult, endedMessage, streamAnswer } from './answerStream';
import { CondenseError, condenseChat } from './condenser';
import * as l10n from '@vscode/l10n';

/** Everything one request needs, read fresh for each request. */
export interface TurnSetup {
  client: TurnOptions['client'];
  /** The normalised base URL the client sends to (limits are kept per base URL and model). */
  baseUrl?: string;
  /** model and the sampling parameters that are set (no messages). */
  params: Omit<ChatCompletionParams, 'messages'>;
  stream: boolean;
  systemPrompt: string;
  tools?: ToolExecutor;
  toolChoice?: 'auto' | 'none' | 'required';
  maxToolRounds?: number;
  /** Ask the model for a short title after a chat's first answer (`bud.modelTitles`). */
  modelTitles?: boolean;
  /** Called with the final request parameters before sending (trace log, test API). */
  onRequest?(params: ChatCompletionParams): void;
  /** What the context fitting needs (base URL, model, system prompt, tool definitions, window settings). */
  context: ContextSetup;
  /** bud.autoCondense: condense the older part by itself when messages would be left out. */
  autoCondense?: boolean;
}

export interface DeltaSink {
  push(text: string, reasoning?: string): void;
  /** Posts what is buffered now. */
  flush(): void;
  dispose(): void;
}

export interface ChatDeps {
  store: Pick<HistoryStore, 'load' | 'list' | 'save' | 'flush' | 'delete' | 'isStale'>;
  post(msg: HostMessage): void;
  /** The connection and parameters for a request, or the error that stops it (no key, no model). */
  prepare(): Promise<TurnSetup | ErrorInfo>;
  runTurn(opts: TurnOptions): Promise<TurnResult>;
  toErrorInfo(err: unknown): ErrorInfo;
  /** Batches answer deltas; `onFlush` posts them. */
  createDeltaSink(onFlush: (text: string, reasoning: string) => void): DeltaSink;
  /** Status without `busy`. */
  getStatus(): Promise<Omit<ViewStatus, 'busy'>>;
  /** The context window logic of this window (limits, counter, planner). */
  context: ChatContext;
  /** What the meter needs, without a request (no API key needed); undefined when no model is selected. */
  contextSetup(): Promise<ContextSetup | undefined>;
  currentChatId: { get(): string | undefined; set(id: string): void | PromiseLike<void> };
  newId(): string;
  now?: () => number;
  log?: (line: string) => void;
  /**
   * Reads a message's attachments again as it is sent and fits them into their budget (files, folders, Problems,
   * changes are read now; a file too large goes as its outline plus head and tail). Absent: sent as attached.
   */
  prepareAttachments?(contexts: readonly CodeContext[]): Promise<CodeContext[]>;
}

/** The meter waits this long after the last change before it counts again. */
const CONTEXT_DEBOUNCE_MS = 50;
/**
 * How long an answer's first write to disk waits. Until then the request and the first text have the extension
 * host to themselves: writing a long chat (serialised whole, written, synced) just as the first text arrived
 * delayed that text's way to the view (42 → 29 ms median in one comparison, 1,000-message chat, the first-token
 * part of `npm run bench -- browser`). An answer shorter than this is written when it ends.
 */
const FIRST_WRITE_DELAY_MS = 250;

interface Running {
  controller: AbortController;
  messageId: string;
  done: Promise<void>;
  /** The work has ended (the view was told, its composer offers Send again); only its last save is pending. */
  ending?: boolean;
}

export class ChatController {
  private chat!: StoredChat;
  private pending: CodeContext[] = [];
  private running: Running | undefined;
  /** The status last posted, to mark the view busy without reading the settings again. */
  private lastStatus: ViewStatus | undefined;
  private ready: Promise<void> | undefined;
  private readonly now: () => number;
  private startupNotices: string[] = [];
  private idCounter = 0;
  private mergedWhileRunning = false;
  /** Attachments of a message are being read: another send waits its turn like one during an answer. */
  private preparing = false;
  /** The text being typed (for the meter). */
  private draft = '';
  private contextTimer: ReturnType<typeof setTimeout> | undefined;

  /** Edit, regenerate, switch branches, delete a turn (branchActions.ts). */
  readonly branches: BranchActions;

  constructor(private readonly deps: ChatDeps) {
    this.now = deps.now ?? Date.now;
    this.branches = new BranchActions({
      chat: () => this.chat,
      // Attachments being read count as busy: an edit now would race the send.
      busy: () => this.busy || this.preparing,
      post: (msg) => {
        deps.post(msg);
        // What the model would see changed with the branch shown.
        this.scheduleContext();
      },
      notice: (n) => this.notice(n),
      save: (chat, changes, immediate) => deps.store.save(chat, changes, immediate),
      newMessageId: () => this.messageId(),
      now: () => this.now(),
      refuse: (text, m) => this.refusal(text, m.contexts ?? []),
      answer: (question) => this.answer(question),
    });
  }

  /** Loads the window's current chat (once). */
  init(): Promise<void> {
    this.ready ??= this.loadCurrent();
    return this.ready;
  }

  private async loadCurrent(): Promise<void> {
    const id = this.deps.currentChatId.get();
    if (id) {
      const res = await this.deps.store.load(id).catch((err) => ({ chat: undefined, notice: String(err) }));
      if (res.notice) this.startupNotices.push(res.notice);
      if (res.chat) {
        this.chat = res.chat;
        return;
      }
      // Not written yet (an empty chat): keep its id, so windows on this workspace share it.
      if (!res.notice) {
        this.chat = newChat(id, this.now());
        return;
      }
    }
    this.chat = newChat(this.deps.newId(), this.now());
    await this.deps.currentChatId.set(this.chat.id);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Waits out an answer that has ended and is only being saved: the view already offers Send, so a message, Retry or
   * edit sent in that moment must go through, not be refused as "still arriving".
   */
  async settled(): Promise<void> {
    const r = this.running;
    if (r?.ending) await r.done;
  }
  get current(): StoredChat {
    return this.chat;
  }
  get pendingContexts(): readonly CodeContext[] {
    return this.pending;
  }

  /**
   * Everything the webview needs to draw itself (after `ready`, and whenever it is recreated). `shownId` is the
   * chat this window's view showed before (its own state): each window keeps its chat across reloads, while a
   * window without one gets the workspace's most recent chat.
   */
  async sendInit(extraNotices: string[] = [], shownId?: string): Promise<void> {
    await this.init();
    if (shownId && shownId !== this.chat.id && !this.running) await this.showOwnChat(shownId);
    // Another window may have added to this chat since it was loaded: show the file's version.
    if (!this.running && (await this.deps.store.isStale(this.chat.id))) {
      const res = await this.deps.store.load(this.chat.id);
      if (res.chat) this.chat = res.chat;
      if (res.notice) this.startupNotices.push(res.notice);
    }
    const [status, list] = await Promise.all([this.status(), this.deps.store.list()]);
    this.lastStatus = status;
    this.deps.post({
      type: 'init',
      status,
      chat: toSnapshot(this.chat),
      chats: list.chats,
      pendingContexts: [...this.pending],
    });
    this.scheduleContext();
    const notices = [...this.startupNotices, ...list.notices, ...extraNotices];
    this.startupNotices = [];
    if (notices.length) this.notice({ level: 'warning', text: notices.join(' ') });
  }

  private async showOwnChat(id: string): Promise<void> {
    await this.deps.store.flush();
    const res = await this.deps.store.load(id);
    if (res.notice) this.startupNotices.push(res.notice);
    // Not on disk and not unreadable: a new chat that was still empty.
    if (res.chat || !res.notice) this.chat = res.chat ?? newChat(id, this.now());
  }

  private async status(): Promise<ViewStatus> {
    return { ...(await this.deps.getStatus()), busy: this.busy };
  }

  /** Never rejects: a status that cannot be read is logged and the view keeps the last one. */
  async refreshStatus(): Promise<void> {
    try {
      this.lastStatus = await this.status();
      this.deps.post({ type: 'status', status: this.lastStatus });
      if (!this.running) this.scheduleContext();
    } catch (err) {
      this.deps.log?.(`Could not read the status: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  notice(notice: Notice | null): void {
    this.deps.post({ type: 'notice', notice });
  }

  /** Posts the saved chats to the view (after an import, a rename, a delete). */
  async postChatList(): Promise<void> {
    try {
      const list = await this.deps.store.list();
      this.deps.post({ type: 'chatList', chats: list.chats });
    } catch (err) {
      this.deps.log?.(`Could not list the saved chats: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private messageId(): string {
    return `${this.now().toString(36)}-${(this.idCounter++).toString(36)}-${this.deps.newId().slice(-6)}`;
  }

  // ------------------------------------------------------------------------------------------ sending

  /**
   * Sends a user message (with the pending code chips and `contexts`) and streams the answer.
   * Resolves when the answer has ended. Returns false when nothing was sent (refused or busy).
   */
  async send(text: string, contexts: CodeContext[] = []): Promise<boolean> {
    await this.init();
    await this.settled();
    if (this.running || this.preparing) {
      this.notice({
        level: 'info',
        text: l10n.t('An answer is still arriving. Press Stop (or Escape) before sending another message.'),
      });
      // The view emptied its box when the message left: give the text back, so nothing typed is lost.
      this.deps.post({ type: 'focusInput', text });
      return false;
    }
    const attached = [...this.pending, ...contexts];
    if (!text.trim() && attached.length === 0) return false;
    let all: CodeContext[];
    try {
      this.preparing = true;
      all = this.deps.prepareAttachments && attached.length ? await this.deps.prepareAttachments(attached) : attached;
    } catch (err) {
      this.notice({
        level: 'error',
        text: l10n.t(
          'The attachments could not be read, so nothing was sent: {0}',
          err instanceof Error ? err.message : String(err),
        ),
      });
      return false;
    } finally {
      this.preparing = false;
    }
    const refusal = this.refusal(text, all);
    if (refusal) {
      this.notice({ level: 'error', text: refusal });
      return false;
    }
    const user: StoredMessage = {
      id: this.messageId(),
      role: 'user',
      content: text,
      status: 'complete',
      createdAt: this.now(),
    };
    if (all.length) user.contexts = all;
    const setup = await this.deps.prepare().catch((err) => this.deps.toErrorInfo(err));
    // Even the system prompt and this message do not fit: say so before sending, keep the text and the code.
    const tooLarge = isSetup(setup) && this.ctx.checkSend(this.chat, user, setup.context, this.pending.length);
    if (tooLarge) {
      this.notice(tooLarge);
      this.deps.post({ type: 'focusInput', text });
      return false;
    }
    const usedPending = this.pending.length > 0;
    // A chip added while the attachments were read stays for the next message.
    this.pending = this.pending.filter((p) => !attached.includes(p));
    this.draft = '';
    if (usedPending) this.deps.post({ type: 'pendingContexts', contexts: [...this.pending] });
    this.notice(null);

    const first = !this.chat.messages.some((m) => m.role === 'user');
    const upserted = [user.id];
    let parent = activeLeaf(this.chat);
    if (parent?.role === 'user') {
      // A question left without an answer (the window died before it started): mark it, so turns alternate.
      const gap = this.interruptedAnswer();
      addChild(this.chat, parent, gap);
      this.deps.post({ type: 'messageAdded', message: viewOf(this.chat, gap) });
      upserted.unshift(gap.id);
      parent = gap;
    }
    addChild(this.chat, parent, user);
    if (first) this.chat.title = titleFrom(text, all);
    this.chat.updatedAt = this.now();
    this.deps.post({ type: 'messageAdded', message: viewOf(this.chat, user) });
    // A new chat is written at once, for the history list; a message in a longer chat is written with its answer.
    void this.deps.store.save(this.chat, { upserted, meta: first, selected: true }, first).then(() => {
      if (first) return this.postChatList();
    });
    if (isSetup(setup) && setup.autoCondense) await this.autoCondense(setup);
    await this.answer(user, setup);
    return true;
  }

  private refusal(text: string, contexts: readonly CodeContext[]): string | undefined {
    return checkContentLimit(buildUserContent(text, contexts), contexts.length > 0);
  }

  private interruptedAnswer(): StoredMessage {
    return {
      id: this.messageId(),
      role: 'assistant',
      content: '',
      status: 'interrupted',
      note: interruptedNote(),
      createdAt: this.now(),
    };
  }

  /** Re-asks the question on screen, replacing the failed / stopped answer after it. */
  async retry(): Promise<void> {
    await this.init();
    await this.settled();
    if (this.running) return;
    const leaf = activeLeaf(this.chat);
    if (!leaf) return;
    let question = leaf;
    if (leaf.role === 'assistant') {
      const parent = leaf.parentId === undefined ? undefined : findMessage(this.chat, leaf.parentId);
      if (!parent) return;
      question = parent;
      this.chat.messages = this.chat.messages.filter((m) => m !== leaf);
      delete this.chat.selected[question.id];
      this.deps.post({ type: 'messagesRemoved', ids: [leaf.id] });
      void this.deps.store.save(this.chat, { removed: [leaf.id] });
    }
    this.notice(null);
    await this.answer(question);
  }

  /**
   * Continues the last answer, cut off at the token limit: the model sees its partial answer as the last
   * assistant message and what it writes is appended to the same answer. Can be repeated.
   */
  async continueAnswer(id: string): Promise<void> {
    await this.init();
    await this.settled();
    if (this.running) return;
    const answer = findMessage(this.chat, id);
    if (!answer || answer.role !== 'assistant' || answer.finish !== 'length' || answer !== activeLeaf(this.chat)) {
      this.notice({
        level: 'info',
        text: l10n.t('Only the latest answer, when it was cut off at the token limit, can be continued.'),
      });
      return;
    }
    const setup = await this.deps.prepare().catch((err) => this.deps.toErrorInfo(err));
    if (!isSetup(setup)) {
      this.notice({ level: 'error', text: setup.message, actions: setup.actions });
      return;
    }
    this.notice(null);
    const prefix = continuationMessages(answer);
    const base = { text: answer.content, prefix, toolCalls: answer.toolCalls };
    answer.status = 'streaming';
    delete answer.finish;
    this.deps.post({ type: 'answerResumed', id: answer.id });
    await this.run(answer, async (signal) => {
      const hooks = this.ctx.turnHooks(pathTo(this.chat, answer).slice(0, -1), this.chat, setup.context, prefix);
      const result = await streamAnswer(this.deps, this.chat, answer, setup, hooks, signal);
      this.finishAnswer(answer, result, base);
    });
  }

  /** Stops the streaming answer (or Condense) at once; the partial text is kept and marked as stopped. */
  stop(): void {
    this.running?.controller.abort();
  }

  /** Runs `work` as the window's one running job (Stop aborts it), then saves and refreshes the view. */
  private async run(answer: StoredMessage | undefined, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let finish!: () => void;
    const running: Running = {
      controller,
      messageId: answer?.id ?? '',
      done: new Promise<void>((r) => {
        finish = r;
      }),
    };
    this.running = running;
    // The answer's first write waits a moment, so the request and its first text go first (writes of one chat are
    // queued in order, and a failed write is reported by the store, so nothing is lost).
    const firstWrite = answer
      ? setTimeout(
          () => void this.deps.store.save(this.chat, { upserted: [answer.id], selected: true }, true),
          FIRST_WRITE_DELAY_MS,
        )
      : undefined;
    try {
      if (this.lastStatus) this.deps.post({ type: 'status', status: { ...this.lastStatus, busy: true } });
      else void this.refreshStatus();
      await work(controller.signal);
      running.ending = true;
      clearTimeout(firstWrite);
      if (answer) await this.deps.store.save(this.chat, { upserted: [answer.id], selected: true }, true);
    } finally {
      clearTimeout(firstWrite);
      this.running = undefined;
      finish();
      void this.refreshStatus();
      void this.postChatList();
      this.scheduleContext();
      if (this.mergedWhileRunning) {
        this.mergedWhileRunning = false;
        this.externalChange(this.chat);
      }
    }
  }

  /** Streams an answer to `question`, which is the end of the active path (`setup` when already prepared). */
  private async answer(question: StoredMessage, prepared?: TurnSetup | ErrorInfo): Promise<void> {
    const setup = prepared ?? (await this.deps.prepare().catch((err) => this.deps.toErrorInfo(err)));
    const chat = this.chat;
    const assistant: StoredMessage = {
      id: this.messageId(),
      role: 'assistant',
      content: '',
      status: 'streaming',
      createdAt: this.now(),
    };
    if (!isSetup(setup)) {
      assistant.status = 'error';
      assistant.error = setup;
      addChild(chat, question, assistant);
      this.deps.post({ type: 'messageAdded', message: viewOf(chat, assistant) });
      this.deps.post({ type: 'answerEnded', id: assistant.id, status: 'error', error: setup });
      await this.deps.store.save(chat, { upserted: [assistant.id], selected: true }, true);
      return;
    }
    assistant.model = setup.params.model;
    const history = pathTo(chat, question);
    addChild(chat, question, assistant);
    this.deps.post({ type: 'messageAdded', message: viewOf(chat, assistant) });
    await this.run(assistant, async (signal) => {
      const hooks = this.ctx.turnHooks(history, chat, setup.context);
      const result = await streamAnswer(this.deps, chat, assistant, setup, hooks, signal);
      this.finishAnswer(assistant, result, { text: '', prefix: [], toolCalls: undefined });
    });
    if (setup.modelTitles && assistant.status === 'complete' && !question.parentId)
      void this.titleFromModel(chat, setup, question, assistant);
  }

  /** `bud.modelTitles`: the model names the chat after its first answer, unless the title was changed meanwhile. */
  private async titleFromModel(
    chat: StoredChat,
    setup: TurnSetup,
    question: StoredMessage,
    answer: StoredMessage,
  ): Promise<void> {
    const auto = titleFrom(question.content, question.contexts);
    if (chat.title !== auto) return; // renamed by the user, or the first question was edited
    const title = await suggestTitle(setup.client, setup.params.model, question.content, answer.content);
    if (!title || chat.title !== auto) return;
    chat.title = title;
    await this.deps.store.save(chat, { meta: true }, true);
    await this.postChatList();
  }

  private finishAnswer(assistant: StoredMessage, result: TurnResult, base: Parameters<typeof applyResult>[2]): void {
    applyResult(assistant, result, base);
    if (result.status === 'error') {
      const err = result.error ?? new Error(l10n.t('The request failed.'));
      assistant.error = this.ctx.refusalInfo(err, this.deps.toErrorInfo(err));
    } else delete assistant.error;
    this.chat.updatedAt = this.now();
    this.deps.post(endedMessage(assistant));
    const u = assistant.usage;
    const tokens = u ? ` tokens=${u.prompt_tokens}+${u.completion_tokens}=${u.total_tokens}` : '';
    const tools = assistant.toolCalls?.length ? ` toolCalls=${assistant.toolCalls.length}` : '';
    const finish = assistant.finish ? ` finish=${assistant.finish}` : '';
    const why = assistant.error ? `: ${assistant.error.message}` : '';
    this.deps.log?.(
      `Answer ended: model=${assistant.model ?? '?'} status=${assistant.status}${finish}${tokens}${tools}${why}`,
    );
  }

  // ------------------------------------------------------------------------------------------ context

  private get ctx(): ChatContext {
    return this.deps.context;
  }

  /** Summarises the older part of the chat (Bud: Condense Chat); the summary stands for it in what is sent. */
  async condense(): Promise<boolean> {
    await this.init();
    await this.settled();
    if (this.running) {
      this.notice({ level: 'info', text: l10n.t('Wait for the answer to end (or press Stop) before condensing.') });
      return false;
    }
    const setup = await this.deps.prepare().catch((err) => this.deps.toErrorInfo(err));
    if (!isSetup(setup)) {
      this.notice({ level: 'error', text: setup.message, actions: setup.actions });
      return false;
    }
    return this.runCondense(setup, false);
  }

  private async autoCondense(setup: TurnSetup): Promise<void> {
    const history = activePath(this.chat);
    const r = this.ctx.fit(this.chat, history, setup.context);
    if (r.ok && r.omitted.count > 0) await this.runCondense(setup, true);
  }

  private async runCondense(setup: TurnSetup, automatic: boolean): Promise<boolean> {
    const chat = this.chat;
    let done = false;
    await this.run(undefined, async (signal) => {
      this.notice({ level: 'info', text: l10n.t('Condensing the older part of this chat…') });
      try {
        const summary = await condenseChat(chat, this.ctx, {
          client: setup.client,
          params: setup.params,
          setup: setup.context,
          signal,
          newId: () => this.messageId(),
          now: this.now,
          onStep: (step, steps) => {
            if (steps > 1)
              this.notice({
                level: 'info',
                text: l10n.t('Condensing the older part of this chat (part {0} of {1})…', step, steps),
              });
          },
        });
        chat.summary = summary;
        chat.updatedAt = this.now();
        await this.deps.store.save(chat, { meta: true }, true);
        this.deps.post({ type: 'summary', summary });
        this.deps.log?.(`Condensed ${summary.coveredCount} messages into a summary${automatic ? ' (automatic)' : ''}`);
        this.notice({
          level: 'info',
          text: l10n.t(
            'Condensed {0} earlier messages: the model now sees a summary instead of them (they stay in this chat). Open or undo it at the summary marker.',
            summary.coveredCount,
          ),
        });
        done = true;
      } catch (err) {
        if (signal.aborted) {
          this.notice({ level: 'info', text: l10n.t('Condensing was stopped; nothing changed.') });
          return;
        }
        const text =
          err instanceof CondenseError
            ? err.message
            : l10n.t('Could not condense the chat: {0}', this.deps.toErrorInfo(err).message);
        this.notice({
          level: automatic ? 'warning' : 'error',
          text,
          actions: err instanceof CondenseError ? undefined : ['showLog'],
        });
      }
    });
    return done;
  }

  /** Removes the summary: the original messages are sent again (as far as they fit). */
  async undoCondense(): Promise<void> {
    await this.init();
    if (!this.chat.summary) return;
    delete this.chat.summary;
    this.chat.updatedAt = this.now();
    await this.deps.store.save(this.chat, { meta: true }, true);
    this.deps.post({ type: 'summary', summary: null });
    this.notice(null);
    this.scheduleContext();
  }

  /** The text being typed changed: the meter counts it (debounced by the view). */
  setDraft(text: string): void {
    this.draft = text;
    this.scheduleContext();
  }

  /** Recounts what the next request carries and posts it to the meter (coalesced). */
  scheduleContext(): void {
    clearTimeout(this.contextTimer);
    this.contextTimer = setTimeout(() => void this.postContext(), CONTEXT_DEBOUNCE_MS);
  }

  /** Never rejects: the meter is hidden when its numbers cannot be had. */
  async postContext(): Promise<void> {
    try {
      await this.init();
      const setup = await this.deps.contextSetup();
      const info = setup ? this.ctx.info(this.chat, setup, this.draft, this.pending) : null;
      this.deps.post({ type: 'context', info });
    } catch (err) {
      this.deps.log?.(`Could not count the context: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // --------------------------------------------------------------------------------------- chat list

  private async stopAndWait(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    await r.done;
  }

  async newChat(): Promise<void> {
    await this.init();
    await this.stopAndWait();
    await this.deps.store.flush();
    this.chat = newChat(this.deps.newId(), this.now());
    await this.deps.currentChatId.set(this.chat.id);
    this.deps.post({ type: 'chatLoaded', chat: toSnapshot(this.chat) });
    this.notice(null);
    this.scheduleContext();
    await this.postChatList();
  }

  /** Switches to chat `id`; with `reveal`, shows that message (switching to its branch) and highlights it. */
  async switchChat(id: string, reveal?: string): Promise<void> {
    await this.init();
    if (id === this.chat.id) {
      if (reveal) await this.reveal(reveal);
      return;
    }
    await this.stopAndWait();
    await this.deps.store.flush();
    const res = await this.deps.store.load(id);
    if (!res.chat) {
      this.notice({
        level: 'warning',
        text: res.notice ?? l10n.t('That chat no longer exists (it may have been deleted in another window).'),
      });
      await this.postChatList();
      return;
    }
    this.chat = res.chat;
    await this.deps.currentChatId.set(id);
    const shown = reveal !== undefined && selectPathTo(this.chat, reveal);
    if (shown) await this.deps.store.save(this.chat, { selected: true });
    this.deps.post({ type: 'chatLoaded', chat: toSnapshot(this.chat), ...(shown ? { reveal } : {}) });
    this.notice(res.notice ? { level: 'warning', text: res.notice } : null);
    this.scheduleContext();
  }

  /** Shows message `id` of this chat (its branch) and highlights it; not while an answer streams elsewhere. */
  private async reveal(id: string): Promise<void> {
    const onPath = activePath(this.chat).some((m) => m.id === id);
    if (!onPath && this.running) return this.notice({ level: 'info', text: busyNotice() });
    if (!onPath && !selectPathTo(this.chat, id)) return;
    if (!onPath) await this.deps.store.save(this.chat, { selected: true });
    this.deps.post({ type: 'chatLoaded', chat: toSnapshot(this.chat), reveal: id });
  }

  /** Posts to the view what the controller does not make itself (search results). */
  post(msg: HostMessage): void {
    this.deps.post(msg);
  }

  async renameChat(id: string, title: string): Promise<void> {
    await this.init();
    const clean = title.replace(/\s+/g, ' ').trim().slice(0, 80);
    if (!clean) return;
    if (id === this.chat.id) {
      this.chat.title = clean;
      await this.deps.store.save(this.chat, { meta: true }, true);
    } else {
      const res = await this.deps.store.load(id);
      if (!res.chat) return this.postChatList();
      res.chat.title = clean;
      await this.deps.store.save(res.chat, { meta: true }, true);
    }
    await this.postChatList();
  }

  async deleteChat(id: string): Promise<void> {
    await this.init();
    if (id === this.chat.id) {
      await this.stopAndWait();
      await this.deps.store.delete(id);
      await this.newChat();
      return;
    }
    await this.deps.store.delete(id);
    await this.postChatList();
  }

  /** Another window saved messages into this chat; show the merged conversation when nothing streams. */
  externalChange(chat: StoredChat): void {
    if (chat !== this.chat) return;
    if (this.running) this.mergedWhileRunning = true;
    else {
      this.deps.post({ type: 'chatLoaded', chat: toSnapshot(chat) });
      this.scheduleContext();
    }
  }

  // ------------------------------------------------------------------------------------ code chips

  /** Adds an attachment; the same file, folder, Problems, changes or terminal attached again replaces the first. */
  addPendingContext(ctx: CodeContext): void {
    const key = (c: CodeContext) =>
      !c.kind || c.kind === 'selection' || c.kind === 'prompt' ? undefined : `${c.kind}|${c.uri}`;
    const k = key(ctx);
    const i = k === undefined ? -1 : this.pending.findIndex((p) => key(p) === k);
    if (i >= 0) this.pending.splice(i, 1, ctx);
    else this.pending.push(ctx);
    this.deps.post({ type: 'pendingContexts', contexts: [...this.pending] });
    this.scheduleContext();
  }

  removePendingContext(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.pending.length) return;
    this.pending.splice(index, 1);
    this.deps.post({ type: 'pendingContexts', contexts: [...this.pending] });
    this.scheduleContext();
  }

  /** The "Remove an Attachment" action of a message that does not fit: the largest pending code goes. */
  removeLargestAttachment(): void {
    if (!this.pending.length) return;
    let largest = 0;
    this.pending.forEach((c, i) => {
      if (c.text.length > this.pending[largest].text.length) largest = i;
    });
    this.removePendingContext(largest);
    this.notice(null);
  }

  /** Ensures every change is on disk (deactivate, tests). */
  async flush(): Promise<void> {
    await this.deps.store.flush();
  }

  /** The active path as the view shows it. */
  snapshotMessages(): MessageView[] {
    return this.chat ? toViews(this.chat, activePath(this.chat)) : [];
  }
}

function isSetup(s: TurnSetup | ErrorInfo): s is TurnSetup {
  return 'client' in s;
}

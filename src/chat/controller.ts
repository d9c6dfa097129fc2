// The chat controller: the conversation state of one window, what happens on send / stop / retry, and the
// chat list. Pure: no `vscode` import. Everything it needs from the outside comes in through `ChatDeps`
// (see src/panel/chatHost.ts for the VS Code side), so unit tests drive it with a fake turn and a temp dir.
import type { ChatCompletionParams, ChatMessage } from '../api/types';
import type { CodeContext, ErrorInfo, HostMessage, MessageView, Notice, ViewStatus } from '../protocol';
import type { TurnOptions, TurnResult } from './turn';
import type { ToolExecutor } from '../tools/port';
import {
  buildRequestMessages,
  checkContentLimit,
  MAX_MESSAGES,
  newChat,
  omittedNotice,
  toSnapshot,
  toViews,
  viewOf,
  type StoredChat,
  type StoredMessage,
} from './conversation';
import { buildUserContent, titleFrom } from './prompts';
import { INTERRUPTED_NOTE, type HistoryStore } from './historyStore';
import { activeLeaf, activePath, addChild, findMessage, pathTo } from './tree';
import { BranchActions } from './branchActions';

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
  /** Called with the final request parameters before sending (trace log, test API). */
  onRequest?(params: ChatCompletionParams): void;
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
  currentChatId: { get(): string | undefined; set(id: string): void | PromiseLike<void> };
  newId(): string;
  now?: () => number;
  log?: (line: string) => void;
}

/** Room kept for the assistant and tool messages the tool loop adds within one turn. */
export const TOOL_RESERVE = 64;

interface Running {
  controller: AbortController;
  messageId: string;
  done: Promise<void>;
}

export class ChatController {
  private chat!: StoredChat;
  private pending: CodeContext[] = [];
  private running: Running | undefined;
  private ready: Promise<void> | undefined;
  private readonly now: () => number;
  private startupNotices: string[] = [];
  private idCounter = 0;
  private mergedWhileRunning = false;

  /** Edit, regenerate, switch branches, delete a turn (branchActions.ts). */
  readonly branches: BranchActions;

  constructor(private readonly deps: ChatDeps) {
    this.now = deps.now ?? Date.now;
    this.branches = new BranchActions({
      chat: () => this.chat,
      busy: () => this.busy,
      post: (msg) => deps.post(msg),
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
    this.deps.post({
      type: 'init',
      status,
      chat: toSnapshot(this.chat),
      chats: list.chats,
      pendingContexts: [...this.pending],
    });
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
      this.deps.post({ type: 'status', status: await this.status() });
    } catch (err) {
      this.deps.log?.(`Could not read the status: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  notice(notice: Notice | null): void {
    this.deps.post({ type: 'notice', notice });
  }

  private async postChatList(): Promise<void> {
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
    if (this.running) {
      this.notice({
        level: 'info',
        text: 'An answer is still arriving. Press Stop (or Escape) before sending another message.',
      });
      return false;
    }
    const all = [...this.pending, ...contexts];
    if (!text.trim() && all.length === 0) return false;
    const refusal = this.refusal(text, all);
    if (refusal) {
      this.notice({ level: 'error', text: refusal });
      return false;
    }
    const usedPending = this.pending.length > 0;
    this.pending = [];
    if (usedPending) this.deps.post({ type: 'pendingContexts', contexts: [] });
    this.notice(null);

    const user: StoredMessage = {
      id: this.messageId(),
      role: 'user',
      content: text,
      status: 'complete',
      createdAt: this.now(),
    };
    if (all.length) user.contexts = all;
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
    void this.deps.store.save(this.chat, { upserted, meta: first, selected: true }, true).then(() => {
      if (first) return this.postChatList();
    });
    await this.answer(user);
    return true;
  }

  private refusal(text: string, contexts: readonly CodeContext[]): string | undefined {
    return checkContentLimit(
      buildUserContent(text, contexts),
      contexts.length ? 'This message with its code' : 'This message',
    );
  }

  private interruptedAnswer(): StoredMessage {
    return {
      id: this.messageId(),
      role: 'assistant',
      content: '',
      status: 'interrupted',
      note: INTERRUPTED_NOTE,
      createdAt: this.now(),
    };
  }

  /** Re-asks the question on screen, replacing the failed / stopped answer after it. */
  async retry(): Promise<void> {
    await this.init();
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

  /** Stops the streaming answer at once; the partial text is kept and marked as stopped. */
  stop(): void {
    this.running?.controller.abort();
  }

  /** Streams an answer to `question`, which is the end of the active path. */
  private async answer(question: StoredMessage): Promise<void> {
    const chat = this.chat;
    const assistant: StoredMessage = {
      id: this.messageId(),
      role: 'assistant',
      content: '',
      status: 'streaming',
      createdAt: this.now(),
    };
    const controller = new AbortController();
    let finish!: () => void;
    this.running = {
      controller,
      messageId: assistant.id,
      done: new Promise<void>((r) => {
        finish = r;
      }),
    };
    try {
      const setup = await this.deps.prepare().catch((err) => this.deps.toErrorInfo(err));
      if (!('client' in setup)) {
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
      const built = buildRequestMessages(history, {
        systemPrompt: setup.systemPrompt,
        maxMessages: MAX_MESSAGES,
        reserve: setup.tools ? TOOL_RESERVE : 0,
      });
      if (built.omitted > 0) {
        this.notice({ level: 'warning', text: omittedNotice(built.omitted, history.length), actions: ['newChat'] });
      }
      addChild(chat, question, assistant);
      this.deps.post({ type: 'messageAdded', message: viewOf(chat, assistant) });
      void this.refreshStatus();
      await this.deps.store.save(chat, { upserted: [assistant.id], selected: true }, true);
      const result = await this.stream(setup, built.messages, assistant, controller);
      this.finishAnswer(chat, assistant, result);
      await this.deps.store.save(chat, { upserted: [assistant.id] }, true);
    } finally {
      this.running = undefined;
      finish();
      void this.refreshStatus();
      void this.postChatList();
      if (this.mergedWhileRunning) {
        this.mergedWhileRunning = false;
        this.externalChange(this.chat);
      }
    }
  }

  private async stream(
    setup: TurnSetup,
    messages: ChatMessage[],
    assistant: StoredMessage,
    controller: AbortController,
  ): Promise<TurnResult> {
    const chat = this.chat;
    const saveSoon = () => {
      void this.deps.store.save(chat, { upserted: [assistant.id] });
    };
    // The stored message gets the text when it is posted, so a snapshot never duplicates a later delta.
    const sink = this.deps.createDeltaSink((text, reasoning) => {
      if (text) assistant.content += text;
      if (reasoning) assistant.reasoning = (assistant.reasoning ?? '') + reasoning;
      this.deps.post(
        reasoning
          ? { type: 'answerDelta', id: assistant.id, text, reasoning }
          : { type: 'answerDelta', id: assistant.id, text },
      );
      saveSoon();
    });
    const params: ChatCompletionParams = { ...setup.params, messages };
    setup.onRequest?.(params);
    try {
      return await this.deps.runTurn({
        client: setup.client,
        params,
        stream: setup.stream,
        tools: setup.tools,
        toolChoice: setup.toolChoice,
        maxToolRounds: setup.maxToolRounds,
        signal: controller.signal,
        events: {
          onText: (t) => sink.push(t),
          onReasoning: (t) => sink.push('', t),
          onRetry: (e) =>
            this.deps.post({
              type: 'retrying',
              id: assistant.id,
              attempt: e.attempt,
              maxRetries: e.maxRetries,
              delayMs: e.delayMs,
              reason: e.reason,
            }),
          onToolCall: (call) => {
            sink.flush();
            const calls = (assistant.toolCalls ??= []);
            const i = calls.findIndex((c) => c.id === call.id);
            if (i >= 0) calls[i] = call;
            else calls.push(call);
            this.deps.post({ type: 'toolCall', id: assistant.id, call });
            saveSoon();
          },
        },
      });
    } catch (err) {
      // runTurn never throws by contract; keep the answer honest if it ever does.
      return {
        status: 'error',
        content: assistant.content,
        reasoning: '',
        newMessages: [],
        toolCalls: assistant.toolCalls ?? [],
        error: err as TurnResult['error'],
      };
    } finally {
      sink.flush();
      sink.dispose();
    }
  }

  private finishAnswer(chat: StoredChat, assistant: StoredMessage, result: TurnResult): void {
    assistant.status = result.status;
    // Deltas already carried the text; the result is the authority if they differ.
    if (result.content && result.content !== assistant.content) assistant.content = result.content;
    if (result.reasoning) assistant.reasoning = result.reasoning;
    if (result.toolCalls.length) assistant.toolCalls = result.toolCalls;
    if (result.usage) assistant.usage = result.usage;
    if (result.note) assistant.note = result.note;
    if (result.status === 'error')
      assistant.error = this.deps.toErrorInfo(result.error ?? new Error('The request failed.'));
    if (result.status === 'complete' && result.newMessages.length) assistant.apiMessages = result.newMessages;
    chat.updatedAt = this.now();
    const ended: HostMessage = { type: 'answerEnded', id: assistant.id, status: assistant.status };
    if (assistant.error) ended.error = assistant.error;
    if (assistant.usage) ended.usage = assistant.usage;
    if (assistant.note) ended.note = assistant.note;
    this.deps.post(ended);
    const u = assistant.usage;
    const tokens = u ? ` tokens=${u.prompt_tokens}+${u.completion_tokens}=${u.total_tokens}` : '';
    const tools = assistant.toolCalls?.length ? ` toolCalls=${assistant.toolCalls.length}` : '';
    const why = assistant.error ? `: ${assistant.error.message}` : '';
    this.deps.log?.(`Answer ended: model=${assistant.model ?? '?'} status=${assistant.status}${tokens}${tools}${why}`);
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
    await this.postChatList();
  }

  async switchChat(id: string): Promise<void> {
    await this.init();
    if (id === this.chat.id) return;
    await this.stopAndWait();
    await this.deps.store.flush();
    const res = await this.deps.store.load(id);
    if (!res.chat) {
      this.notice({
        level: 'warning',
        text: res.notice ?? 'That chat no longer exists (it may have been deleted in another window).',
      });
      await this.postChatList();
      return;
    }
    this.chat = res.chat;
    await this.deps.currentChatId.set(id);
    this.deps.post({ type: 'chatLoaded', chat: toSnapshot(this.chat) });
    this.notice(res.notice ? { level: 'warning', text: res.notice } : null);
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
    else this.deps.post({ type: 'chatLoaded', chat: toSnapshot(chat) });
  }

  // ------------------------------------------------------------------------------------ code chips

  addPendingContext(ctx: CodeContext): void {
    this.pending.push(ctx);
    this.deps.post({ type: 'pendingContexts', contexts: [...this.pending] });
  }

  removePendingContext(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.pending.length) return;
    this.pending.splice(index, 1);
    this.deps.post({ type: 'pendingContexts', contexts: [...this.pending] });
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

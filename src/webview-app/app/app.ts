// The chat view: builds the layout once, then applies each HostMessage as a small patch.
import * as l10n from '@vscode/l10n';
import {
  assertNever,
  isActionId,
  type ChatSnapshot,
  type ChatSummary,
  type HostMessage,
  type MessageStatus,
  type ViewStatus,
} from '../../protocol';
import { bindContentActions } from './contentActions';
import { bindConversationActions } from './conversationActions';
import { Composer } from './composer';
import { bindDropZone } from './dropZone';
import { Announcer, h } from './dom';
import { EmptyState } from './emptyState';
import { Header } from './header';
import { HistoryPanel } from './historyPanel';
import { MessageList } from './messageList';
import { NoticeBar } from './noticeBar';
import { rememberWindowChat, type Host } from './vscodeApi';

/** The start of an answer read out when it ends; the rest is in the conversation. */
const ANNOUNCED_CHARS = 600;
/** The meter counts the draft this long after the last keystroke. */
const DRAFT_COUNT_DELAY_MS = 400;

export class ChatApp {
  private readonly header: Header;
  private readonly notice = new NoticeBar();
  private readonly list: MessageList;
  private readonly empty: EmptyState;
  private readonly history: HistoryPanel;
  private readonly composer: Composer;
  private readonly announcer = new Announcer();
  private readonly main: HTMLElement;
  private status: ViewStatus | undefined;
  private chatId = '';
  private chats: ChatSummary[] = [];
  /** The latest search asked for; older answers are dropped. */
  private searchSeq = 0;
  private scrollSaveTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the host was last told of whether the list follows the end (a new webview starts at the end). */
  private following = true;
  private draftSaveTimer: ReturnType<typeof setTimeout> | undefined;
  private draftCountTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    this.header = new Header({
      selectModel: () => this.host.post({ type: 'action', action: 'selectModel' }),
      newChat: () => this.host.post({ type: 'newChat' }),
      toggleHistory: () => this.toggleHistory(),
    });
    this.list = new MessageList((scrollTop, atBottom) => {
      // The host paces answer text by whether its end is on screen: tell it only when that changes.
      if (atBottom !== this.following) {
        this.following = atBottom;
        this.host.post({ type: 'viewState', following: atBottom });
      }
      clearTimeout(this.scrollSaveTimer);
      this.scrollSaveTimer = setTimeout(() => this.host.setState({ scrollTop, atBottom }), 200);
    });
    this.empty = new EmptyState((text) => this.onExamplePrompt(text));
    this.history = new HistoryPanel({
      switchChat: (id) => {
        this.closeHistory();
        if (id !== this.chatId) this.host.post({ type: 'switchChat', chatId: id });
      },
      renameChat: (id, title) => this.host.post({ type: 'renameChat', chatId: id, title }),
      deleteChat: (id) => this.host.post({ type: 'deleteChat', chatId: id }),
      exportChat: (id) => this.host.post({ type: 'exportChat', chatId: id }),
      importChat: () => this.host.post({ type: 'importChat' }),
      search: (query) => this.host.post({ type: 'searchChats', query, seq: ++this.searchSeq }),
      openHit: (chatId, messageId) => {
        this.closeHistory(false);
        this.host.post({ type: 'openSearchHit', chatId, messageId });
      },
      close: () => this.closeHistory(),
    });
    this.composer = new Composer({
      send: (text) => this.send(text),
      sent: () => this.afterSend(),
      stop: () => this.stop(),
      removePending: (index) => this.host.post({ type: 'removePendingContext', index }),
      draftChanged: (text) => {
        clearTimeout(this.draftSaveTimer);
        this.draftSaveTimer = setTimeout(() => this.host.setState({ draft: text }), 300);
        // The meter counts the draft too; the host counts it after a pause in typing, never per keystroke.
        clearTimeout(this.draftCountTimer);
        this.draftCountTimer = setTimeout(() => this.host.post({ type: 'draft', text }), DRAFT_COUNT_DELAY_MS);
      },
      mentionQuery: (requestId, query) => this.host.post({ type: 'mentionQuery', requestId, query }),
      attachMention: (id) => this.host.post({ type: 'attachMention', id }),
      announce: (text) => this.announcer.say(text),
    });
    this.main = h('main', { class: 'chat-main' }, this.list.el, this.empty.el, this.history.el, this.list.scrollButton);
    root.classList.add('bud-chat');
    root.replaceChildren(this.header.el, this.notice.el, this.main, this.composer.el, this.announcer.el);

    bindContentActions(root, this.host, this.announcer);
    bindDropZone(root, {
      drop: (uris) => this.host.post({ type: 'attachUris', uris }),
      refuse: (text) => this.notice.show({ level: 'warning', text }),
    });
    bindConversationActions(this.list, this.host, this.announcer);
    // Continue (an answer cut off at the token limit) and the context markers' own buttons.
    root.addEventListener('click', (e) => {
      const target = e.target as Element;
      const cont = target.closest<HTMLElement>('button[data-continue]');
      if (cont) {
        this.host.post({ type: 'continueAnswer', id: cont.getAttribute('data-continue')! });
        return;
      }
      if (target.closest('button[data-undo-condense]')) this.host.post({ type: 'undoCondense' });
      else if (target.closest('button[data-show-not-sent]')) this.list.showNotSent();
    });
    // Buttons that run a host action (inline errors, notices, the empty state's Set API Key).
    root.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLElement>('button[data-action]');
      const action = button?.getAttribute('data-action');
      if (!button || !isActionId(action)) return;
      this.host.post({ type: 'action', action });
    });
    // Escape closes the history list, else stops a streaming answer, from anywhere in the view.
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (this.history.isOpen) {
        e.preventDefault();
        this.closeHistory();
        return;
      }
      if (this.isBusy()) {
        e.preventDefault();
        this.stop();
      }
    });

    const saved = this.host.getState();
    if (saved.draft) this.composer.setText(saved.draft);
    this.updateEmpty();
  }

  handle(msg: HostMessage): void {
    switch (msg.type) {
      case 'init':
        this.setStatus(msg.status);
        this.loadChat(msg.chat, true);
        this.setChats(msg.chats);
        this.composer.setPending(msg.pendingContexts);
        break;
      case 'chatLoaded':
        this.loadChat(msg.chat, false);
        if (msg.reveal) this.list.reveal(msg.reveal);
        break;
      case 'searchResults':
        if (msg.seq === this.searchSeq) this.history.setSearchResults(msg.query, msg.hits, msg.total, msg.chats);
        break;
      case 'chatList':
        this.setChats(msg.chats);
        break;
      case 'status':
        this.setStatus(msg.status);
        break;
      case 'messageAdded': {
        const item = this.list.add(msg.message);
        if (msg.message.role === 'user') {
          this.composer.remember(msg.message.content);
          this.list.scrollToBottom();
        }
        if (msg.message.status === 'streaming') this.setBusy(true);
        if (item.usage && item.status === 'complete') this.header.setUsage(item.usage);
        this.updateEmpty();
        break;
      }
      case 'answerDelta':
        this.list.get(msg.id)?.appendDelta(msg.text, msg.reasoning);
        break;
      case 'answerEnded':
        this.onAnswerEnded(msg.id, msg.status, msg);
        break;
      case 'retrying':
        this.list.get(msg.id)?.showRetry(msg.attempt, msg.maxRetries, msg.delayMs, msg.reason);
        this.announcer.say(
          l10n.t(
            'Retrying in {0} seconds, attempt {1} of {2}.',
            Math.round(msg.delayMs / 1000),
            msg.attempt,
            msg.maxRetries,
          ),
        );
        break;
      case 'toolCall':
        this.list.get(msg.id)?.setToolCall(msg.call);
        break;
      case 'toolApproval': {
        // The call row is in the streaming answer (the newest one holding it).
        const asked = [...this.list.all()]
          .reverse()
          .some((m) =>
            m.askApproval(msg, (answer) => this.host.post({ type: 'toolApprovalAnswer', callId: msg.callId, answer })),
          );
        if (asked)
          this.announcer.say(
            l10n.t('Bud asks before running {0} from {1}: allow once, always allow, or deny.', msg.name, msg.source),
          );
        break;
      }
      case 'toolApprovalDone':
        for (const m of this.list.all()) m.endApproval(msg.callId);
        break;
      case 'messagesRemoved':
        this.list.remove(msg.ids);
        this.refreshUsage();
        this.updateEmpty();
        break;
      case 'pathChanged':
        this.list.replaceAfter(msg.afterId, msg.messages);
        this.composer.setHistory(
          this.list
            .all()
            .filter((m) => m.role === 'user')
            .map((m) => m.text),
        );
        this.refreshUsage();
        this.updateEmpty();
        break;
      case 'pendingContexts':
        this.composer.setPending(msg.contexts);
        if (msg.contexts.length) this.composer.focus();
        break;
      case 'notice':
        this.notice.show(msg.notice);
        break;
      case 'context':
        this.header.setContext(msg.info);
        this.list.setNotSent(msg.info?.firstSentId, msg.info?.notSent ?? 0);
        break;
      case 'summary':
        this.list.setSummary(msg.summary ?? undefined);
        break;
      case 'answerResumed':
        this.list.get(msg.id)?.resume();
        this.list.updateBusy();
        this.setBusy(true);
        break;
      case 'focusInput':
        this.closeHistory(false);
        if (msg.text !== undefined) this.composer.setText(msg.text);
        this.composer.focus();
        break;
      case 'mentionResults':
        this.composer.mentions.results(msg.requestId, msg.items, msg.note);
        break;
      case 'editorContext':
        this.composer.bar.setCurrentFile(msg.currentFile, msg.attachByDefault);
        break;
      case 'workspaceContext':
        this.composer.bar.setInstructions(msg.instructions, msg.instructionsNote);
        this.header.setInstructions(msg.instructions);
        this.composer.mentions.setCommands(msg.commands, msg.commandsNote);
        break;
      default:
        assertNever(msg);
    }
  }

  private onAnswerEnded(id: string, status: MessageStatus, msg: Extract<HostMessage, { type: 'answerEnded' }>): void {
    const item = this.list.get(id);
    item?.end(status, msg.error, msg.usage, msg.note, msg.finish);
    this.list.updateBusy();
    if (msg.usage) this.header.setUsage(msg.usage);
    if (!this.list.all().some((m) => m.status === 'streaming')) this.setBusy(false);
    if (status === 'stopped') this.announcer.say(l10n.t('Answer stopped.'));
    // Once, when the answer is whole (the list itself is not a live region while tokens arrive).
    else if (status === 'complete' && item)
      this.announcer.say(l10n.t('Bud answered: {0}', item.spokenText(ANNOUNCED_CHARS)));
  }

  private loadChat(chat: ChatSnapshot, initial: boolean): void {
    const saved = this.host.getState();
    const sameChat = saved.chatId === chat.id;
    this.chatId = chat.id;
    this.list.load(chat.messages);
    this.list.setSummary(chat.summary);
    this.composer.setHistory(chat.messages.filter((m) => m.role === 'user').map((m) => m.content));
    this.history.setCurrent(chat.id);
    this.refreshUsage();
    this.updateEmpty();
    rememberWindowChat(this.host, chat.id);
    if (initial && sameChat && saved.atBottom === false && saved.scrollTop !== undefined) {
      const top = saved.scrollTop;
      requestAnimationFrame(() => this.list.restoreScroll(top));
    } else {
      this.list.scrollToBottom();
    }
    if (chat.messages.some((m) => m.status === 'streaming')) this.setBusy(true);
    else if (!this.status?.busy) this.setBusy(false);
    if (!initial) {
      this.closeHistory(false);
      this.composer.focus();
    }
  }

  private setChats(chats: ChatSummary[]): void {
    this.chats = chats;
    this.history.setChats(chats, this.chatId);
  }

  private setStatus(status: ViewStatus): void {
    this.status = status;
    this.header.setModel(status.model);
    this.empty.setStatus(status);
    this.setBusy(status.busy || this.list.all().some((m) => m.status === 'streaming'));
  }

  private setBusy(busy: boolean): void {
    this.composer.setBusy(busy);
    this.root.classList.toggle('busy', busy);
  }

  private isBusy(): boolean {
    return this.root.classList.contains('busy');
  }

  private send(text: string): void {
    const attachCurrentFile = this.composer.bar.attachCurrentFile;
    this.host.post(attachCurrentFile ? { type: 'send', text, attachCurrentFile } : { type: 'send', text });
  }

  private afterSend(): void {
    this.composer.bar.reset();
    this.host.setState({ draft: this.composer.input.value });
  }

  private stop(): void {
    this.host.post({ type: 'stop' });
    this.announcer.say(l10n.t('Stopping…'));
  }

  private onExamplePrompt(text: string): void {
    const hasKey = !!this.status && (this.status.hasApiKey || this.status.keySource === 'demo');
    if (hasKey && !this.isBusy()) {
      this.composer.remember(text);
      this.send(text);
      this.afterSend();
    } else {
      this.composer.setText(text);
      this.composer.focus();
    }
  }

  private refreshUsage(): void {
    const last = this.list
      .all()
      .reverse()
      .find((m) => m.role === 'assistant' && m.usage);
    this.header.setUsage(last?.usage);
  }

  private updateEmpty(): void {
    const empty = this.list.size === 0;
    this.empty.el.hidden = !empty || this.history.isOpen;
    this.list.el.hidden = empty || this.history.isOpen;
    this.root.classList.toggle('is-empty', empty);
  }

  private toggleHistory(): void {
    if (this.history.isOpen) this.closeHistory();
    else this.openHistory();
  }

  private openHistory(): void {
    this.history.setChats(this.chats, this.chatId);
    this.history.open();
    this.header.setHistoryOpen(true);
    this.updateEmpty();
  }

  private closeHistory(returnFocus = true): void {
    if (!this.history.isOpen) return;
    this.history.close();
    this.header.setHistoryOpen(false);
    this.updateEmpty();
    if (returnFocus) this.header.historyButton.focus();
  }
}

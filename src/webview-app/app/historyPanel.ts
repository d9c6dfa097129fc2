// The in-view list of past chats (`#history-panel`): switch to one, rename it inline, delete it after a confirm,
// export it; import one; search them. Typing in the search box filters the titles at once and, after a pause,
// searches the text of every message of every chat (the host's index): those hits show below, with a snippet;
// choosing one opens the chat at that message.
// Keyboard: Up/Down move between chats and hits, Enter opens, F2 renames, Delete asks to delete, Escape closes.
import * as l10n from '@vscode/l10n';
import type { ChatSummary, SearchHit } from '../../protocol';
import { formatNumber, formatRelativeTime, h, icon, iconButton } from './dom';
import { SearchResults } from './searchResults';

export interface HistoryEvents {
  switchChat(id: string): void;
  renameChat(id: string, title: string): void;
  deleteChat(id: string): void;
  exportChat(id: string): void;
  importChat(): void;
  /** Full-text search; the app answers with setSearchResults. */
  search(query: string): void;
  openHit(chatId: string, messageId: string): void;
  close(): void;
}

/** Pause after the last keystroke before the text of every chat is searched. */
const SEARCH_DELAY_MS = 200;
/** Shorter queries only filter the titles. */
const MIN_SEARCH_CHARS = 2;

export class HistoryPanel {
  readonly el: HTMLElement;
  private readonly list = h('ul', { id: 'history-list', class: 'history-list', 'aria-label': l10n.t('Past chats') });
  private readonly filter: HTMLInputElement;
  private readonly emptyText = h('p', { class: 'history-empty' });
  private chats: ChatSummary[] = [];
  private currentId = '';
  private editingId: string | undefined;
  private confirmingId: string | undefined;
  private readonly results: SearchResults;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: HistoryEvents) {
    this.filter = h('input', {
      type: 'search',
      class: 'history-filter',
      placeholder: l10n.t('Search chats'),
      'aria-label': l10n.t('Search chats'),
      'aria-controls': 'history-list',
    });
    this.results = new SearchResults((hit) => this.events.openHit(hit.chatId, hit.messageId!));
    this.filter.addEventListener('input', () => {
      this.render();
      this.scheduleSearch();
    });
    const close = iconButton('close', l10n.t('Close chat history'), { class: 'icon-button history-close' });
    close.addEventListener('click', () => this.events.close());
    const importButton = iconButton('cloud-download', l10n.t('Import a chat from a JSON export'), {
      class: 'icon-button history-import',
    });
    importButton.addEventListener('click', () => this.events.importChat());
    this.el = h(
      'section',
      { id: 'history-panel', class: 'history-panel', 'aria-label': l10n.t('Chat history') },
      h('div', { class: 'history-header' }, h('h2', {}, l10n.t('Chats')), importButton, close),
      h('div', { class: 'history-search' }, icon('search'), this.filter),
      this.list,
      this.emptyText,
      this.results.el,
    );
    this.el.hidden = true;
    this.el.addEventListener('keydown', (e) => this.onKeyDown(e));
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    this.el.hidden = false;
    this.editingId = undefined;
    this.confirmingId = undefined;
    this.filter.value = '';
    this.results.clear();
    this.render();
    this.focusDefault();
  }

  private scheduleSearch(): void {
    clearTimeout(this.searchTimer);
    const query = this.filter.value.trim();
    if (query.length < MIN_SEARCH_CHARS) {
      this.results.clear();
      return;
    }
    this.results.searching(query);
    this.searchTimer = setTimeout(() => this.events.search(query), SEARCH_DELAY_MS);
  }

  /** The host's answer to the search for `query` (ignored when the box holds something else by now). */
  setSearchResults(query: string, hits: readonly SearchHit[], total: number, chats: number): void {
    if (query !== this.filter.value.trim()) return;
    this.results.show(query, hits, total, chats);
  }

  close(): void {
    this.el.hidden = true;
  }

  setChats(chats: readonly ChatSummary[], currentId: string): void {
    this.chats = [...chats].sort((a, b) => b.updatedAt - a.updatedAt);
    this.currentId = currentId;
    if (this.editingId && !this.chats.some((c) => c.id === this.editingId)) this.editingId = undefined;
    if (this.isOpen && !this.editingId) this.render();
  }

  setCurrent(id: string): void {
    this.currentId = id;
    if (this.isOpen && !this.editingId) this.render();
  }

  private render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)
      ?.closest?.('[data-chat-id]')
      ?.getAttribute('data-chat-id');
    const query = this.filter.value.trim().toLowerCase();
    const shown = this.chats.filter((c) => !query || c.title.toLowerCase().includes(query));
    this.list.replaceChildren(...shown.map((c) => this.item(c)));
    this.emptyText.hidden = shown.length > 0;
    this.emptyText.textContent =
      this.chats.length === 0 ? l10n.t('No saved chats yet.') : l10n.t('No chat title matches your search.');
    if (focusedId)
      this.list.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(focusedId)}"] .history-open`)?.focus();
    // The focused row went away (deleted): keep keyboard users inside the list.
    if (this.isOpen && (!document.activeElement || document.activeElement === document.body)) this.focusDefault();
  }

  private focusDefault(): void {
    (
      this.list.querySelector<HTMLElement>('[aria-current="true"]') ??
      this.list.querySelector<HTMLElement>('.history-open') ??
      this.filter
    ).focus();
  }

  private item(c: ChatSummary): HTMLLIElement {
    const current = c.id === this.currentId;
    const li = h('li', { class: `history-item${current ? ' current' : ''}`, 'data-chat-id': c.id });
    const when = formatRelativeTime(c.updatedAt);
    const meta =
      c.messageCount === 1
        ? l10n.t('1 message · {0}', when)
        : l10n.t('{0} messages · {1}', formatNumber(c.messageCount), when);
    if (this.editingId === c.id) {
      const input = h('input', {
        type: 'text',
        class: 'history-rename',
        value: c.title,
        'aria-label': l10n.t('New title for “{0}”', c.title),
        maxlength: 200,
      });
      let done = false;
      const finish = (save: boolean) => {
        if (done) return;
        done = true;
        this.editingId = undefined;
        const title = input.value.trim();
        if (save && title && title !== c.title) {
          c.title = title; // shown at once; the host's chatList confirms it
          this.events.renameChat(c.id, title);
        }
        this.render();
        this.list.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(c.id)}"] .history-open`)?.focus();
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          finish(true);
        }
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          finish(false);
        }
      });
      input.addEventListener('blur', () => finish(true));
      li.append(icon('edit', 'history-icon'), input);
      queueMicrotask(() => {
        input.focus();
        input.select();
      });
      return li;
    }
    if (this.confirmingId === c.id) {
      const del = h(
        'button',
        { type: 'button', class: 'button danger', 'data-confirm-delete': c.id },
        icon('trash'),
        h('span', {}, l10n.t('Delete')),
      );
      const cancel = h('button', { type: 'button', class: 'button secondary' }, l10n.t('Cancel'));
      del.addEventListener('click', () => {
        this.confirmingId = undefined;
        this.events.deleteChat(c.id);
      });
      cancel.addEventListener('click', () => {
        this.confirmingId = undefined;
        this.render();
        this.focusItem(c.id);
      });
      li.classList.add('confirming');
      li.append(
        h(
          'div',
          { class: 'history-confirm', role: 'group', 'aria-label': l10n.t('Delete “{0}”?', c.title) },
          h('span', { class: 'history-confirm-text' }, l10n.t('Delete “{0}”? This cannot be undone.', c.title)),
          h('div', { class: 'history-confirm-actions' }, del, cancel),
        ),
      );
      queueMicrotask(() => del.focus());
      return li;
    }
    const open = h(
      'button',
      {
        type: 'button',
        class: 'history-open',
        'aria-current': current ? 'true' : undefined,
      },
      icon(current ? 'comment-discussion' : 'comment', 'history-icon'),
      // Named by its visible text (title, then date): a label of its own would not match what is on screen.
      h(
        'span',
        { class: 'history-text' },
        h('span', { class: 'history-title' }, c.title || l10n.t('Untitled chat')),
        h('span', { class: 'sr-only' }, ', '),
        h('span', { class: 'history-meta' }, meta),
      ),
    );
    open.addEventListener('click', () => this.events.switchChat(c.id));
    const rename = iconButton('edit', l10n.t('Rename “{0}”', c.title), { class: 'icon-button history-rename-button' });
    rename.addEventListener('click', () => {
      this.editingId = c.id;
      this.render();
    });
    const exportButton = iconButton('export', l10n.t('Export “{0}”', c.title), {
      class: 'icon-button history-export-button',
    });
    exportButton.addEventListener('click', () => this.events.exportChat(c.id));
    const remove = iconButton('trash', l10n.t('Delete “{0}”', c.title), { class: 'icon-button history-delete-button' });
    remove.addEventListener('click', () => {
      this.confirmingId = c.id;
      this.render();
    });
    li.append(open, h('span', { class: 'history-item-actions' }, exportButton, rename, remove));
    return li;
  }

  private focusItem(id: string): void {
    this.list.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(id)}"] .history-open`)?.focus();
  }

  private onKeyDown(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.classList.contains('history-rename')) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (this.confirmingId) {
        const id = this.confirmingId;
        this.confirmingId = undefined;
        this.render();
        this.focusItem(id);
        return;
      }
      this.events.close();
      return;
    }
    const id = target.closest('[data-chat-id]')?.getAttribute('data-chat-id');
    // Chats, then message hits: one list for the arrow keys.
    const buttons = [...this.el.querySelectorAll<HTMLElement>('.history-open')];
    const index = buttons.indexOf(target);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (target === this.filter && e.key === 'ArrowDown') {
        e.preventDefault();
        buttons[0]?.focus();
        return;
      }
      if (index < 0) return;
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? Math.min(buttons.length - 1, index + 1) : index - 1;
      if (next < 0) this.filter.focus();
      else buttons[next].focus();
      return;
    }
    if (!id || !target.classList.contains('history-open') || target.classList.contains('search-hit')) return;
    if (e.key === 'F2') {
      e.preventDefault();
      this.editingId = id;
      this.render();
    }
    if (e.key === 'Delete') {
      e.preventDefault();
      this.confirmingId = id;
      this.render();
    }
  }
}

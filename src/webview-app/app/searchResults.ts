// The message hits of a full-text search, below the chat titles in the history panel: a status line (announced
// politely: "12 messages match in 3 chats") and one button per hit with the chat's title and a snippet whose
// matching words are marked.
import * as l10n from '@vscode/l10n';
import type { SearchHit } from '../../protocol';
import { formatNumber, h, icon } from './dom';

export class SearchResults {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'search-status', role: 'status', 'aria-live': 'polite' });
  private readonly heading = h('h3', { class: 'search-heading', id: 'search-heading' }, l10n.t('In messages'));
  private readonly list = h('ul', {
    id: 'search-results',
    class: 'history-list search-list',
    'aria-labelledby': 'search-heading',
  });

  constructor(private readonly open: (hit: SearchHit) => void) {
    this.el = h('div', { class: 'search-section' }, this.heading, this.status, this.list);
    this.clear();
  }

  clear(): void {
    this.el.hidden = true;
    this.list.replaceChildren();
    this.status.textContent = '';
  }

  searching(query: string): void {
    this.el.hidden = false;
    this.status.textContent = l10n.t('Searching every chat for “{0}”…', query);
  }

  show(query: string, hits: readonly SearchHit[], total: number, chats: number): void {
    const messages = hits.filter((hit) => hit.messageId);
    // `total` counts the chat titles that match too; those show in the list above, not here.
    total -= hits.length - messages.length;
    this.el.hidden = false;
    const chatCount = new Set(messages.map((hit) => hit.chatId)).size;
    const counted =
      total >= 1000
        ? l10n.t('More than 1,000 matches')
        : total === 1
          ? l10n.t('1 match')
          : l10n.t('{0} matches', formatNumber(total));
    // Whole sentences per plural form, so a translation never has to glue "chat" + "s".
    const inChats = chatCount === 1 ? l10n.t('1 chat') : l10n.t('{0} chats', formatNumber(chatCount));
    this.status.textContent = messages.length
      ? messages.length < total
        ? l10n.t(
            '{0} for “{1}”; the {2} in the most recent chats are shown ({3}).',
            counted,
            query,
            messages.length,
            inChats,
          )
        : l10n.t('{0} for “{1}” ({2}).', counted, query, inChats)
      : l10n.t('No message in {0} chats holds “{1}”.', formatNumber(chats), query);
    this.list.replaceChildren(...messages.map((hit) => searchHitItem(hit, () => this.open(hit))));
  }
}

/** One hit: the chat's title, who wrote the message, and the snippet with the matching words marked. */
export function searchHitItem(hit: SearchHit, open: () => void): HTMLLIElement {
  const who = hit.role === 'user' ? l10n.t('You') : 'Bud';
  const button = h(
    'button',
    {
      type: 'button',
      class: 'history-open search-hit',
      'data-message-id': hit.messageId,
    },
    icon(hit.role === 'user' ? 'account' : 'sparkle', 'history-icon'),
    // Named by its visible text (chat, author, snippet), so what a screen reader says matches the screen.
    h(
      'span',
      { class: 'history-text' },
      h('span', { class: 'history-meta search-hit-chat' }, `${hit.chatTitle} · ${who}`),
      h('span', { class: 'sr-only' }, ': '),
      markedSnippet(hit.snippet, hit.ranges),
    ),
  );
  button.addEventListener('click', open);
  return h('li', { class: 'history-item', 'data-chat-id': hit.chatId }, button);
}

function markedSnippet(text: string, ranges: readonly [number, number][]): HTMLElement {
  const out = h('span', { class: 'search-snippet' });
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length || start >= end) continue;
    out.append(text.slice(at, start), h('mark', {}, text.slice(start, end)));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

// The conversation (`#messages`, role=log): a map of message items, appended and patched in place, that follows
// new output while the user is at the bottom and leaves the scroll position alone once they scroll up.
import * as l10n from '@vscode/l10n';
import type { MessageView, SummaryView } from '../../protocol';
import { notSentMarker, summaryMarker } from './contextMarkers';
import { cancel as cancelLazy, renderWhenVisible } from '../lazy';
import { h, iconButton } from './dom';
import { MessageItem } from './messageView';

/** How many of the newest messages are rendered at once on load; older ones render when scrolled near. */
const EAGER_RENDER = 8;
/** Within this many pixels of the end counts as "at the bottom". */
const STICK_THRESHOLD = 48;
/** Rendering of deferred answers gets at most this many milliseconds of each frame, so scrolling stays smooth. */
const FRAME_BUDGET_MS = 6;

export class MessageList {
  readonly el: HTMLElement;
  readonly scrollButton: HTMLButtonElement;
  private readonly inner = h('div', { class: 'messages-inner' });
  private readonly items = new Map<string, MessageItem>();
  private stick = true;
  private lastTop = 0;
  /** Deferred answers that came near the viewport, waiting to be rendered (the newest wish first). */
  private wanted: MessageItem[] = [];
  private rendering: MessageItem | undefined;
  private pump = 0;
  /** The context markers and what they mark (see setNotSent / setSummary). */
  private notSent: { firstSentId: string; count: number; el: HTMLElement } | undefined;
  private summary: { view: SummaryView; el: HTMLElement } | undefined;

  constructor(private readonly onScroll: (scrollTop: number, atBottom: boolean) => void) {
    // aria-live off: a streaming answer would be read token by token; the app announces each answer once it ends.
    this.el = h(
      'div',
      { id: 'messages', role: 'log', 'aria-live': 'off', 'aria-label': l10n.t('Conversation'), tabindex: '-1' },
      this.inner,
    );
    this.scrollButton = iconButton('arrow-down', l10n.t('Scroll to the latest message'), {
      id: 'scroll-to-bottom',
      class: 'icon-button floating',
    });
    this.scrollButton.hidden = true;
    this.scrollButton.addEventListener('click', () => this.scrollToBottom(true));
    this.el.addEventListener(
      'scroll',
      () => {
        // Only a move up lets go of the end. A scroll event comes a frame late: the list may have grown since a
        // jump to the end (the answer started below the question just sent), which is not the user scrolling away.
        const top = this.el.scrollTop;
        if (this.distanceFromBottom() <= STICK_THRESHOLD) this.stick = true;
        else if (top < this.lastTop - 1) this.stick = false;
        this.lastTop = top;
        this.scrollButton.hidden = this.stick || this.items.size === 0;
        this.onScroll(top, this.stick);
      },
      { passive: true },
    );
    // Content grows asynchronously (the renderer draws once per frame, code gets highlighted): follow it.
    new ResizeObserver(() => {
      if (this.stick) this.el.scrollTop = this.el.scrollHeight;
    }).observe(this.inner);
  }

  get size(): number {
    return this.items.size;
  }

  load(messages: readonly MessageView[]): void {
    for (const item of this.items.values()) {
      cancelLazy(item.el);
      item.dispose();
    }
    this.items.clear();
    this.wanted = [];
    this.rendering = undefined;
    const fragment = document.createDocumentFragment();
    messages.forEach((m, i) => {
      const item = new MessageItem(m, { lazy: i < messages.length - EAGER_RENDER });
      this.items.set(m.id, item);
      fragment.append(item.el);
    });
    this.inner.replaceChildren(fragment);
    this.notSent = undefined;
    this.summary = undefined;
    // Older answers render once they come within a few screens of the visible part of the list (which scrolls
    // itself, so it is the root). Their raw text stands in meanwhile, so no reserved height is needed. The
    // render itself runs in slices of at most FRAME_BUDGET_MS per frame, so no frame waits for a long answer.
    for (const item of this.items.values()) {
      if (!item.hasDeferredRender) continue;
      renderWhenVisible(item.el, () => this.want(item), {
        root: this.el,
        marginPx: 2400,
        placeholderHeight: 0,
      });
    }
    this.updateBusy();
  }

  private want(item: MessageItem): void {
    if (!item.hasDeferredRender || this.wanted.includes(item)) return;
    this.wanted.push(item);
    if (!this.pump) this.pump = requestAnimationFrame(() => this.renderSome());
  }

  /** One frame's share of deferred rendering: the answer in progress first, then the one wanted last. */
  private renderSome(): void {
    this.pump = 0;
    const deadline = performance.now() + FRAME_BUDGET_MS;
    while (performance.now() < deadline) {
      const item = this.rendering ?? this.wanted.pop();
      if (!item) break;
      if (!item.hasDeferredRender || this.items.get(item.id) !== item) {
        this.rendering = undefined;
        continue;
      }
      this.rendering = item;
      const anchor = this.stick ? undefined : this.firstVisible();
      const anchorTop = anchor?.getBoundingClientRect().top;
      // Keep what the reader looks at in place when the rendered answer (maybe above them) changes height.
      if (!item.renderDeferredUntil(deadline)) break;
      this.rendering = undefined;
      if (anchor && anchorTop !== undefined) this.el.scrollTop += anchor.getBoundingClientRect().top - anchorTop;
    }
    if (this.rendering || this.wanted.length) this.pump = requestAnimationFrame(() => this.renderSome());
  }

  private firstVisible(): HTMLElement | undefined {
    const top = this.el.getBoundingClientRect().top;
    for (const item of this.items.values()) if (item.el.getBoundingClientRect().bottom > top) return item.el;
    return undefined;
  }

  add(message: MessageView): MessageItem {
    const old = this.items.get(message.id);
    const item = new MessageItem(message, { lazy: false });
    if (old) {
      cancelLazy(old.el);
      old.dispose();
      old.el.replaceWith(item.el);
    } else this.inner.append(item.el);
    this.items.set(message.id, item);
    this.updateBusy();
    return item;
  }

  /** Marks the messages not sent to the model: a marker above the first one sent, the ones before it dimmed. */
  setNotSent(firstSentId: string | undefined, count: number): void {
    const same = this.notSent && this.notSent.firstSentId === firstSentId && this.notSent.count === count;
    if (!same) {
      this.notSent?.el.remove();
      this.notSent = firstSentId && count > 0 ? { firstSentId, count, el: notSentMarker(count) } : undefined;
    }
    this.placeMarkers();
  }

  /** Shows where the chat's summary stands (after the last message it covers); those messages are dimmed. */
  setSummary(summary: SummaryView | undefined): void {
    if (this.summary?.view.id !== summary?.id) {
      this.summary?.el.remove();
      this.summary = summary ? { view: summary, el: summaryMarker(summary) } : undefined;
    }
    this.placeMarkers();
  }

  /** Scrolls to the oldest message not sent. */
  showNotSent(): void {
    const first = this.all().find((m) => m.el.classList.contains('not-sent'));
    first?.el.scrollIntoView({ block: 'start' });
  }

  private placeMarkers(): void {
    const items = this.all();
    const sentAt = this.notSent ? items.findIndex((m) => m.id === this.notSent!.firstSentId) : -1;
    const coveredTo = this.summary ? items.findIndex((m) => m.id === this.summary!.view.throughId) : -1;
    items.forEach((m, i) => {
      m.el.classList.toggle('condensed', i <= coveredTo);
      m.el.classList.toggle('not-sent', i > coveredTo && i < sentAt);
    });
    if (this.summary && coveredTo >= 0) items[coveredTo].el.after(this.summary.el);
    else this.summary?.el.remove();
    if (this.notSent && sentAt >= 0) items[sentAt].el.before(this.notSent.el);
    else this.notSent?.el.remove();
  }

  /**
   * Replaces every message after `afterId` (null: all of them) with `messages` — the path on screen changed below
   * that point. Focus that was on a removed message moves to the same control of the message now at its place.
   */
  replaceAfter(afterId: string | null, messages: readonly MessageView[]): void {
    const items = this.all();
    const keep = afterId === null ? 0 : items.findIndex((i) => i.id === afterId) + 1;
    if (afterId !== null && keep === 0) return;
    const active = document.activeElement;
    const focusedAt = items.findIndex((i) => i.el.contains(active));
    const control =
      focusedAt >= keep ? active?.closest('[data-message-action]')?.getAttribute('data-message-action') : null;
    this.remove(items.slice(keep).map((i) => i.id));
    for (const m of messages) this.add(m);
    this.placeMarkers();
    if (focusedAt < keep) return;
    const target = this.all()[Math.min(focusedAt, this.size - 1)];
    // The same control, else (an arrow at the end of its branches is disabled) the other arrow.
    const button = control
      ? (target?.el.querySelector<HTMLButtonElement>(`[data-message-action="${control}"]:not([disabled])`) ??
        (control.startsWith('branch-')
          ? target?.el.querySelector<HTMLButtonElement>('.branch-nav button:not([disabled])')
          : null))
      : null;
    (button ?? target?.el)?.focus();
  }

  /** Scrolls message `id` to the middle of the view, highlights it for a moment and gives it focus. */
  reveal(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    item.renderDeferred();
    this.stick = false;
    item.el.scrollIntoView({ block: 'center' });
    this.lastTop = this.el.scrollTop;
    this.scrollButton.hidden = this.distanceFromBottom() <= STICK_THRESHOLD;
    item.el.classList.remove('revealed');
    void item.el.offsetWidth; // restart the highlight when the same message is revealed again
    item.el.classList.add('revealed');
    item.el.addEventListener('animationend', () => item.el.classList.remove('revealed'), { once: true });
    item.el.focus({ preventScroll: true });
  }

  get(id: string): MessageItem | undefined {
    return this.items.get(id);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const item = this.items.get(id);
      if (!item) continue;
      cancelLazy(item.el);
      item.dispose();
      item.el.remove();
      this.items.delete(id);
    }
    this.updateBusy();
  }

  all(): MessageItem[] {
    return [...this.items.values()];
  }

  /** Marks the log busy while an answer streams, so assistive tech waits for the whole answer. */
  updateBusy(): void {
    const streaming = this.all().some((m) => m.status === 'streaming');
    this.el.setAttribute('aria-busy', streaming ? 'true' : 'false');
  }

  distanceFromBottom(): number {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight;
  }

  scrollToBottom(smooth = false): void {
    this.stick = true;
    this.scrollButton.hidden = true;
    this.el.scrollTo({ top: this.el.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
  }

  restoreScroll(top: number): void {
    this.el.scrollTop = top;
    this.lastTop = this.el.scrollTop;
    this.stick = this.distanceFromBottom() <= STICK_THRESHOLD;
    this.scrollButton.hidden = this.stick;
  }
}

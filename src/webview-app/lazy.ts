// Renders off-screen messages lazily: a message element keeps a placeholder height until it comes near the
// viewport, then its (expensive) Markdown render runs once. Restoring a 200-message chat then renders only
// what is visible, and the scrollbar is about right from the start.

export interface LazyOptions {
  /** The scrolling element (default: the viewport). */
  root?: Element | null;
  /** How far above and below the visible part to start rendering, in pixels (default: 800). */
  marginPx?: number;
  /** Height to reserve until rendered (default: estimated from `textLength`, else 120 px). */
  placeholderHeight?: number;
  /** Length of the text the element will show, used to estimate its height. */
  textLength?: number;
}

interface Pending {
  render: () => void;
  watch: Watch;
}

const pending = new Map<Element, Pending>();
/** One watch per (root, margin); the viewport root is keyed by `document`. */
const watches = new WeakMap<object, Map<number, Watch>>();

/** A rough height for `chars` characters of Markdown in a sidebar (about 60 characters a line, 20 px a line). */
export function estimateHeight(chars: number, charsPerLine = 60, lineHeight = 20): number {
  return Math.max(40, Math.min(20_000, Math.ceil(chars / charsPerLine) * lineHeight + 24));
}

/**
 * The waiting elements of one scroll root, checked against its visible band once per frame in which it scrolled or
 * changed size, or an element was added. An IntersectionObserver per element did the same, but Chromium computes
 * every target's intersection in every frame with a layout change: with hundreds of restored answers waiting, that
 * was 2–4 ms of each frame of a streaming answer. The elements are kept in document order and, being stacked as in
 * a list, found by binary search: a rectangle costs a few microseconds, so reading all of them would cost as much.
 */
class Watch {
  private readonly els: Element[] = [];
  private frame = 0;

  constructor(
    private readonly root: Element | null,
    private readonly margin: number,
  ) {
    const schedule = () => this.schedule();
    (root ?? window).addEventListener('scroll', schedule, { passive: true });
    if (root) new ResizeObserver(schedule).observe(root);
    else window.addEventListener('resize', schedule);
  }

  add(el: Element): void {
    const after = (a: Element, b: Element) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING);
    let i = this.els.length;
    if (i && after(this.els[i - 1], el)) i = this.search((x) => after(x, el));
    this.els.splice(i, 0, el);
    this.schedule();
  }

  delete(el: Element): void {
    const i = this.els.indexOf(el);
    if (i >= 0) this.els.splice(i, 1);
  }

  schedule(): void {
    if (!this.frame && this.els.length)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.check();
      });
  }

  /** The first index whose element satisfies `past` (false for a prefix of the list, true for the rest). */
  private search(past: (el: Element) => boolean): number {
    let lo = 0;
    let hi = this.els.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (past(this.els[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private check(): void {
    const box = this.root ? this.root.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    // A hidden view has no size: nothing in it is near (its resize when shown checks again).
    if (box.bottom <= box.top) return;
    const top = box.top - this.margin;
    const bottom = box.bottom + this.margin;
    const near: Element[] = [];
    for (let i = this.search((el) => el.getBoundingClientRect().bottom >= top); i < this.els.length; i++) {
      const r = this.els[i].getBoundingClientRect();
      if (r.top > bottom) break;
      near.push(this.els[i]);
    }
    for (const el of near) renderNow(el);
  }
}

function watchFor(root: Element | null, margin: number): Watch {
  const key: object = root ?? document;
  let byMargin = watches.get(key);
  if (!byMargin) watches.set(key, (byMargin = new Map<number, Watch>()));
  let w = byMargin.get(margin);
  if (!w) byMargin.set(margin, (w = new Watch(root, margin)));
  return w;
}

/**
 * Calls `render` once `el` is near the viewport (or right away when there is no layout to ask).
 * Returns a function that cancels a render that has not happened yet.
 */
export function renderWhenVisible(el: HTMLElement, render: () => void, opts: LazyOptions = {}): () => void {
  if (typeof ResizeObserver === 'undefined') {
    render();
    return () => {};
  }
  cancel(el);
  const height = opts.placeholderHeight ?? (opts.textLength !== undefined ? estimateHeight(opts.textLength) : 120);
  el.style.minHeight = `${height}px`;
  el.dataset.lazy = 'pending';
  const watch = watchFor(opts.root ?? null, opts.marginPx ?? 800);
  pending.set(el, { render, watch });
  watch.add(el);
  return () => cancel(el);
}

/** Renders `el` now if it is still waiting (e.g. before find-in-page or copying the whole chat). */
export function renderNow(el: Element): void {
  const p = pending.get(el);
  if (!p) return;
  cancel(el);
  p.render();
}

/** Renders every element still waiting. */
export function renderAllPending(): void {
  for (const el of Array.from(pending.keys())) renderNow(el);
}

/** Forgets a pending render (the element was removed). */
export function cancel(el: Element): void {
  const p = pending.get(el);
  if (!p) return;
  pending.delete(el);
  p.watch.delete(el);
  (el as HTMLElement).style.minHeight = '';
  delete (el as HTMLElement).dataset.lazy;
}

/** Number of elements still waiting (for tests). */
export function pendingCount(): number {
  return pending.size;
}

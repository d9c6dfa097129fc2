// Renders off-screen messages lazily: a message element keeps a placeholder height until it comes near the
// viewport, then its (expensive) Markdown render runs once. Restoring a 200-message chat then renders only
// what is visible, and the scrollbar is about right from the start.

export interface LazyOptions {
  /** The scrolling element (default: the viewport). */
  root?: Element | null;
  /** How far outside the viewport to start rendering (default: one screen above and below). */
  rootMargin?: string;
  /** Height to reserve until rendered (default: estimated from `textLength`, else 120 px). */
  placeholderHeight?: number;
  /** Length of the text the element will show, used to estimate its height. */
  textLength?: number;
}

interface Pending {
  render: () => void;
  observer: IntersectionObserver;
}

const pending = new Map<Element, Pending>();
/** One observer per (root, margin); the viewport root is keyed by `document`. */
const observers = new WeakMap<object, Map<string, IntersectionObserver>>();

/** A rough height for `chars` characters of Markdown in a sidebar (about 60 characters a line, 20 px a line). */
export function estimateHeight(chars: number, charsPerLine = 60, lineHeight = 20): number {
  return Math.max(40, Math.min(20_000, Math.ceil(chars / charsPerLine) * lineHeight + 24));
}

function observerFor(root: Element | null, rootMargin: string): IntersectionObserver {
  const key: object = root ?? document;
  let byMargin = observers.get(key);
  if (!byMargin) observers.set(key, (byMargin = new Map<string, IntersectionObserver>()));
  let io = byMargin.get(rootMargin);
  if (!io) {
    io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) renderNow(e.target);
      },
      { root, rootMargin },
    );
    byMargin.set(rootMargin, io);
  }
  return io;
}

/**
 * Calls `render` once `el` is near the viewport (or right away when IntersectionObserver is missing).
 * Returns a function that cancels a render that has not happened yet.
 */
export function renderWhenVisible(el: HTMLElement, render: () => void, opts: LazyOptions = {}): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    render();
    return () => {};
  }
  cancel(el);
  const height = opts.placeholderHeight ?? (opts.textLength !== undefined ? estimateHeight(opts.textLength) : 120);
  el.style.minHeight = `${height}px`;
  el.dataset.lazy = 'pending';
  const observer = observerFor(opts.root ?? null, opts.rootMargin ?? '100% 0px');
  pending.set(el, { render, observer });
  observer.observe(el);
  return () => cancel(el);
}

/** Renders `el` now if it is still waiting (e.g. before find-in-page or copying the whole chat). */
export function renderNow(el: Element): void {
  const p = pending.get(el);
  if (!p) return;
  pending.delete(el);
  p.observer.unobserve(el);
  const h = el as HTMLElement;
  h.style.minHeight = '';
  delete h.dataset.lazy;
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
  p.observer.unobserve(el);
  (el as HTMLElement).style.minHeight = '';
  delete (el as HTMLElement).dataset.lazy;
}

/** Number of elements still waiting (for tests). */
export function pendingCount(): number {
  return pending.size;
}

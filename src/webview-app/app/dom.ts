// Small DOM helpers. Everything here sets text with textContent and attributes with setAttribute:
// no innerHTML, no inline styles (the view runs under a strict CSP).
import * as l10n from '@vscode/l10n';

export type Attrs = Record<string, string | number | boolean | undefined | null>;
export type Child = Node | string | null | undefined | false;

/** Creates an element: `h('button', { class: 'x', 'aria-label': 'Send' }, icon('send'), 'Send')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A codicon glyph, hidden from screen readers (the surrounding control carries the label). */
export function icon(name: string, extra = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ' ' + extra : ''}`, 'aria-hidden': 'true' });
}

/** An icon-only button with an accessible name and a tooltip. */
export function iconButton(iconName: string, label: string, attrs: Attrs = {}): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': label, title: label, ...attrs },
    icon(iconName),
  );
}

export function setIcon(el: HTMLElement, name: string, extra = ''): void {
  const glyph = el.querySelector('.codicon');
  if (glyph) glyph.className = `codicon codicon-${name}${extra ? ' ' + extra : ''}`;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** VS Code's display language, which the host writes into `<html lang>`; `undefined` (the default) if unusable. */
function displayLocale(): string | undefined {
  const lang = document.documentElement.lang;
  try {
    return lang ? Intl.getCanonicalLocales(lang)[0] : undefined;
  } catch {
    return undefined;
  }
}

let numberFormat: Intl.NumberFormat | undefined;
/** `n` grouped the way the display language writes it. */
export function formatNumber(n: number): string {
  numberFormat ??= new Intl.NumberFormat(displayLocale());
  return numberFormat.format(n);
}

let tenthsFormat: Intl.NumberFormat | undefined;
/** "0.4 s", "12 s", "1 min 5 s" (the decimal sign and the units in the display language). */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    tenthsFormat ??= new Intl.NumberFormat(displayLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return l10n.t('{0} s', tenthsFormat.format(ms / 1000));
  }
  const s = Math.round(ms / 1000);
  if (s < 60) return l10n.t('{0} s', s);
  return l10n.t('{0} min {1} s', Math.floor(s / 60), s % 60);
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "Mar 4". */
export function formatRelativeTime(ts: number, now = Date.now()): string {
  const diff = Math.max(0, now - ts);
  const min = Math.floor(diff / 60_000);
  if (min < 1) return l10n.t('just now');
  if (min < 60) return l10n.t('{0} min ago', min);
  const hours = Math.floor(min / 60);
  if (hours < 24) return l10n.t('{0} h ago', hours);
  const days = Math.floor(hours / 24);
  if (days === 1) return l10n.t('yesterday');
  if (days < 7) return l10n.t('{0} days ago', days);
  return new Date(ts).toLocaleDateString(displayLocale(), {
    month: 'short',
    day: 'numeric',
    year: days > 300 ? 'numeric' : undefined,
  });
}

/** A visually hidden live region for short announcements ("Copied", "Answer stopped"). */
export class Announcer {
  readonly el = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', id: 'announcer' });
  private timer: ReturnType<typeof setTimeout> | undefined;
  say(text: string): void {
    this.el.textContent = '';
    clearTimeout(this.timer);
    // A fresh text node after a tick makes screen readers repeat identical announcements.
    this.timer = setTimeout(() => {
      this.el.textContent = text;
    }, 30);
  }
}

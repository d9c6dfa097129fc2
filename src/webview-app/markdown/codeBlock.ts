// Fenced code blocks: the HTML the Markdown renderer emits for them, and the toolbar (Copy / Insert at cursor /
// Open in new editor) added after sanitising. The app handles clicks on `[data-code-action]` by delegation.
import * as l10n from '@vscode/l10n';
import { escapeHtml, highlightCode } from './highlight';

/**
 * Marks wrappers this renderer emitted, so a model cannot forge a `.code-block` (with buttons) in raw HTML:
 * the sanitiser keeps the attribute, and only wrappers carrying this per-load random value get a toolbar.
 */
const NONCE = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

const ACTIONS = [
  { action: 'copy', label: l10n.t('Copy code'), icon: 'codicon-copy' },
  { action: 'insert', label: l10n.t('Insert at cursor'), icon: 'codicon-insert' },
  { action: 'open', label: l10n.t('Open in new editor'), icon: 'codicon-go-to-file' },
] as const;

/** Keeps language names to characters that are safe in a class and an attribute. */
export function cleanLanguage(info: string | undefined): string {
  const first = (info ?? '').trim().split(/\s+/)[0] ?? '';
  return first
    .replace(/[^\w+#.-]/g, '')
    .slice(0, 40)
    .toLowerCase();
}

/**
 * HTML for one code block. `closed` blocks are highlighted and get a toolbar after sanitising; an open block
 * (still streaming) is plain escaped text with no buttons.
 */
export function codeBlockHtml(text: string, info: string | undefined, closed: boolean): string {
  const lang = cleanLanguage(info);
  const langAttr = lang ? ` data-lang="${lang}"` : '';
  const codeClass = closed ? `hljs${lang ? ` language-${lang}` : ''}` : lang ? `language-${lang}` : '';
  // Highlighting is applied after sanitising (see finishCodeBlocks): the sanitiser only sees escaped text.
  const body = escapeHtml(text);
  const marker = ` data-bud-cb="${NONCE}${closed ? ':closed' : ':open'}"`;
  return `<div${marker}${langAttr}><pre><code${codeClass ? ` class="${codeClass}"` : ''}>${body}</code></pre></div>\n`;
}

/**
 * Gives our code blocks their class, and closed ones their toolbar. Only wrappers carrying this load's marker
 * qualify, so raw HTML in model output cannot forge a code block or its actions (the sanitiser drops the
 * `code-block` class and `data-code-action` from model HTML).
 */
export function finishCodeBlocks(root: DocumentFragment): void {
  for (const el of Array.from(root.querySelectorAll('[data-bud-cb]'))) {
    const mark = el.getAttribute('data-bud-cb');
    el.removeAttribute('data-bud-cb');
    if (mark !== `${NONCE}:closed` && mark !== `${NONCE}:open`) continue;
    el.className = 'code-block';
    // A long line scrolls sideways: keyboard users need to reach the block to scroll it.
    el.querySelector('pre')?.setAttribute('tabindex', '0');
    if (mark !== `${NONCE}:closed`) continue;
    const code = el.querySelector('pre > code');
    if (code) {
      // highlight.js output is not model HTML: it is the code text escaped by highlight.js, split into
      // <span class="hljs-…"> by the bundled grammars. Parsing it here, in the inert document, skips a
      // sanitiser pass over thousands of spans per block (the cost that dominated whole-answer renders).
      const html = highlightCode(code.textContent ?? '', el.getAttribute('data-lang') ?? '');
      if (html.includes('<')) code.innerHTML = html;
    }
    el.insertBefore(toolbar(el.ownerDocument), el.firstChild);
  }
}

function toolbar(doc: Document): HTMLElement {
  const bar = doc.createElement('div');
  bar.className = 'code-toolbar';
  for (const { action, label, icon } of ACTIONS) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.setAttribute('data-code-action', action);
    b.setAttribute('aria-label', label);
    b.title = label;
    const i = doc.createElement('span');
    i.className = `codicon ${icon}`;
    i.setAttribute('aria-hidden', 'true');
    b.appendChild(i);
    bar.appendChild(b);
  }
  return bar;
}

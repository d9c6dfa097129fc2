// Markdown -> sanitised DOM for one top-level block at a time. Every top-level block is rendered and sanitised
// on its own (for whole documents too), so an unbalanced HTML tag in one block cannot swallow the rest, and
// streaming output is identical to rendering the whole text in one go.
import * as l10n from '@vscode/l10n';
import { Lexer, Marked, type Links, type Token, type Tokens } from 'marked';
import { codeBlockHtml, finishCodeBlocks } from './codeBlock';
import { escapeHtml } from './highlight';
import { sanitizeToFragment } from './sanitize';

/** Set while rendering a block that is still streaming: its code blocks are not highlighted yet. */
let renderingOpen = false;

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code(token: Tokens.Code): string {
      return codeBlockHtml(token.text, token.lang, !renderingOpen);
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return `<span data-bud-task="${checked ? 'done' : 'todo'}" aria-label="${escapeHtml(checked ? l10n.t('Done') : l10n.t('Not done'))}">${checked ? '\u2611' : '\u2610'}</span> `;
    },
  },
});

export type { Links, Token };

/**
 * Lexes `src` knowing the link reference definitions found so far (`links` is copied, not changed).
 * What `Lexer.lex` does (block structure first, then the inline text of each block), except that inline text
 * that would take marked too long is kept as plain text (see `inlineCost`).
 */
export function lex(src: string, links: Links): { tokens: Token[]; links: Links } {
  const lexer = new Lexer(marked.defaults);
  const known = Object.create(null) as Links;
  for (const k in links) known[k] = links[k];
  lexer.tokens.links = known;
  const tokens = lexer.blockTokens(src.replace(/\r\n?/g, '\n'), lexer.tokens);
  // Each inline span belongs to one top-level block; a block's spans share one budget, so no block (the unit
  // the streaming renderer renders per frame) costs much more than a frame, whatever its shape.
  const owner = new Map<Token[], number>();
  tokens.forEach((t, i) => ownSpans(t, i, owner));
  const spent = new Map<number, number>();
  for (const span of lexer.inlineQueue) {
    lexer.state.inRawBlock = false;
    const block = owner.get(span.tokens) ?? -1;
    const cost = inlineCost(span.src);
    const total = (spent.get(block) ?? 0) + cost;
    if (cost > 0 && total > INLINE_BUDGET) {
      span.tokens.push({ type: 'text', raw: span.src, text: span.src, escaped: false });
      continue;
    }
    spent.set(block, total);
    lexer.inlineTokens(span.src, span.tokens);
  }
  lexer.inlineQueue = [];
  return { tokens, links: lexer.tokens.links };
}

/** Records which top-level block (`top`) each inline token list nested in `t` belongs to. */
function ownSpans(t: Token, top: number, owner: Map<Token[], number>): void {
  // list items, table header cells and rows (a cell's own `header` is a boolean)
  const n = t as { tokens?: unknown; items?: unknown; header?: unknown; rows?: unknown };
  if (isTokenList(n.tokens)) {
    owner.set(n.tokens, top);
    for (const c of n.tokens) ownSpans(c, top, owner);
  }
  if (isTokenList(n.items)) for (const c of n.items) ownSpans(c, top, owner);
  if (isTokenList(n.header)) for (const c of n.header) ownSpans(c, top, owner);
  if (Array.isArray(n.rows))
    for (const row of n.rows as unknown[]) if (isTokenList(row)) for (const c of row) ownSpans(c, top, owner);
}

function isTokenList(v: unknown): v is Token[] {
  return Array.isArray(v);
}

/** Budget of `inlineCost` units per top-level block: about 50 ms of marked's inline lexing at worst. */
export const INLINE_BUDGET = 40_000_000;

/**
 * A measure of what marked's inline lexer costs on `src`: emphasis delimiters × length. Its emphasis matching
 * is quadratic on long runs of intra-word `_` / `*` (`_a_a_a…`: 40,000 characters take ~0.8 s, 160,000 take
 * ~12 s), while ordinary text is linear. The budget lets through a 24 KB paragraph of prose with some bold or
 * a 17 KB paragraph of snake_case names, and stops a 9 KB `_a_a…` run; what is over budget is shown as
 * escaped plain text. Text without `_` or `*` costs nothing.
 */
export function inlineCost(src: string): number {
  let delims = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 95 /* _ */ || c === 42 /* * */) delims++;
  }
  return delims * src.length;
}

/**
 * Like `lex`, but input that breaks the lexer (a stack overflow on thousands of nested emphasis markers)
 * becomes one plain-text block instead of an exception.
 */
export function lexOrText(src: string, links: Links): { tokens: Token[]; links: Links } {
  try {
    return lex(src, links);
  } catch {
    return { tokens: src ? [textBlock(src)] : [], links };
  }
}

/** A token that renders `src` as escaped text in a paragraph. */
function textBlock(src: string): Token {
  return {
    type: 'paragraph',
    raw: src,
    text: src,
    tokens: [{ type: 'text', raw: src, text: src, escaped: false }],
  };
}

/** Adds the link reference definitions among `tokens` (nested ones included) to `into`; the first one wins. */
export function collectDefs(tokens: readonly Token[], into: Links): void {
  for (const t of tokens) {
    if (t.type === 'def') {
      const d = t as Tokens.Def;
      if (!(d.tag in into)) into[d.tag] = { href: d.href, title: d.title };
    } else if (t.type === 'blockquote') collectDefs((t as Tokens.Blockquote).tokens, into);
    else if (t.type === 'list') for (const item of (t as Tokens.List).items) collectDefs(item.tokens, into);
  }
}

/** marked's HTML for one top-level token; a token that breaks marked becomes escaped text. */
function tokenHtml(token: Token, open: boolean): string {
  if (token.type === 'space' || token.type === 'def') return '';
  renderingOpen = open;
  try {
    return marked.parser([token]);
  } catch {
    return marked.parser([textBlock(token.raw)]);
  } finally {
    renderingOpen = false;
  }
}

/**
 * Whether marked's output for `token` is well-formed HTML of its own: no raw HTML from the model (which may
 * leave tags open) can be in it. Code is always escaped; elsewhere raw HTML needs a '<' in the source.
 */
function isSelfContained(token: Token): boolean {
  return token.type === 'code' || !token.raw.includes('<');
}

const BATCH_ATTR = 'data-bud-b';

/**
 * The sanitised nodes for each top-level token (`open[i]` marks a block still being written: its code is not
 * highlighted and gets no toolbar). Each block is sanitised on its own, so an unbalanced tag in one block
 * cannot affect another; blocks without raw HTML share one sanitiser pass, each in its own wrapper, because a
 * DOMPurify call has a fixed cost (a fresh inert document) that would otherwise dominate. Nodes live in an
 * inert document until the caller inserts them.
 */
export function renderTokens(tokens: readonly Token[], open: readonly boolean[]): Node[][] {
  const out: Node[][] = tokens.map(() => []);
  const batch: number[] = [];
  const htmls: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const html = tokenHtml(tokens[i], open[i]);
    htmls.push(html);
    if (!html) continue;
    if (isSelfContained(tokens[i])) batch.push(i);
    else out[i] = sanitizeBlock(html);
  }
  if (batch.length === 1) out[batch[0]] = sanitizeBlock(htmls[batch[0]]);
  else if (batch.length > 1) {
    const frag = sanitizeToFragment(batch.map((i) => `<div ${BATCH_ATTR}="">${htmls[i]}</div>`).join(''));
    const wrappers = Array.from(frag.childNodes);
    const intact =
      wrappers.length === batch.length && wrappers.every((w) => w instanceof Element && w.hasAttribute(BATCH_ATTR));
    if (intact) {
      batch.forEach((i, k) => {
        const w = wrappers[k] as Element;
        const nodes = document.createDocumentFragment();
        while (w.firstChild) nodes.appendChild(w.firstChild);
        finishCodeBlocks(nodes);
        out[i] = Array.from(nodes.childNodes);
      });
    } else {
      for (const i of batch) out[i] = sanitizeBlock(htmls[i]);
    }
  }
  return out;
}

function sanitizeBlock(html: string): Node[] {
  const frag = sanitizeToFragment(html);
  for (const el of Array.from(frag.querySelectorAll(`[${BATCH_ATTR}]`))) el.removeAttribute(BATCH_ATTR);
  finishCodeBlocks(frag);
  return Array.from(frag.childNodes);
}

/** Whether a code token's closing fence has arrived (an indented block can always grow, so it counts as open). */
export function isClosedFence(token: Tokens.Code): boolean {
  if (token.codeBlockStyle === 'indented') return false;
  const lines = token.raw.replace(/\n+$/, '').split('\n');
  if (lines.length < 2) return false;
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[0]);
  const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1]);
  return !!open && !!close && close[1][0] === open[1][0] && close[1].length >= open[1].length;
}

/** A stable, cheap signature of a set of link definitions (usually empty). */
export function linksSignature(links: Links): string {
  let keys = 0;
  for (const _ in links) keys++;
  return keys === 0 ? '' : JSON.stringify(links);
}

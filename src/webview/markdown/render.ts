// Markdown -> sanitised DOM for one top-level block at a time. Every top-level block is rendered and sanitised
// on its own (for whole documents too), so an unbalanced HTML tag in one block cannot swallow the rest, and
// streaming output is identical to rendering the whole text in one go.
import { Lexer, Marked, type Links, type Token, type Tokens } from 'marked';
import { codeBlockHtml, finishCodeBlocks } from './codeBlock';
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
      return `<span data-bud-task="${checked ? 'done' : 'todo'}" aria-label="${checked ? 'Done' : 'Not done'}">${checked ? '\u2611' : '\u2610'}</span> `;
    },
  },
});

export type { Links, Token };

/** Lexes `src` knowing the link reference definitions found so far (`links` is copied, not changed). */
export function lex(src: string, links: Links): { tokens: Token[]; links: Links } {
  const lexer = new Lexer(marked.defaults);
  const known: Links = Object.create(null);
  for (const k in links) known[k] = links[k];
  lexer.tokens.links = known;
  const tokens = lexer.lex(src);
  return { tokens, links: lexer.tokens.links };
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
  return { type: 'paragraph', raw: src, text: src, tokens: [{ type: 'text', raw: src, text: src, escaped: false }] } as Token;
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

/**
 * The sanitised nodes for one top-level token. `open` marks the block still being written: its code is not
 * highlighted and gets no toolbar. Nodes live in an inert document until the caller inserts them.
 */
export function renderToken(token: Token, open: boolean): Node[] {
  if (token.type === 'space' || token.type === 'def') return [];
  renderingOpen = open;
  let html: string;
  try {
    html = marked.parser([token]);
  } catch {
    html = marked.parser([textBlock(token.raw)]);
  } finally {
    renderingOpen = false;
  }
  const frag = sanitizeToFragment(html);
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

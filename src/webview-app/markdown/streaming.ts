// Incremental Markdown rendering for a streaming answer.
//
// The text is split into a final part and an open tail. Only the tail is lexed again (at most once per
// animation frame); each top-level block is rendered and sanitised once and its DOM kept as long as its source
// does not change, so per frame the cost is one lex of the tail plus one render of the block being written.
//
// When is a block final? Markdown's block structure is decided line by line, but a line can change meaning
// until it is complete ("1" may become "1. item" and continue a list), and some blocks span blank lines
// (loose lists, indented code, unclosed fences and HTML comments, which run to the end of the text). So a
// block is committed only when (a) a blank line follows it and (b) a later block has already started with a
// complete line. Unclosed fences/HTML run to the end of the text, so they are always the last block and never
// committed early. A committed block is never lexed again.
//
// Link reference definitions apply to the whole document, including text before them. Blocks are lexed with
// every definition seen so far; when the set of definitions changes, blocks that mention a changed label
// (`[label]`) are rendered again. After `finish()` the DOM equals `renderMarkdown` of the whole text.
import { collectDefs, isClosedFence, lexOrText, linksSignature, renderTokens, type Links, type Token } from './render';
import type { Tokens } from 'marked';

interface Block {
  /** Offset of the block's source in the whole text. */
  start: number;
  /** Length of the block's source. */
  len: number;
  /**
   * The block's source while it is in the open tail; '' once committed. A token's `raw` is a slice of the text
   * lexed in that frame, and V8 keeps a slice's whole parent string alive: committed blocks holding theirs kept
   * one copy of the answer per frame that committed a block (80 MB for a 100k-token answer). Committed blocks
   * read their source from the current text instead (`sourceOf`).
   */
  raw: string;
  open: boolean;
  /** Signature of the link definitions the block was rendered with. */
  sig: string;
  nodes: Node[];
}

export interface RenderStats {
  /** Characters handed to the Markdown lexer, summed over all renders. */
  charsLexed: number;
  /** Tail renders done (frames that had new text, plus the final one). */
  renders: number;
  /** Top-level blocks rendered and sanitised (each final block once, the open block once per frame). */
  blocksRendered: number;
  /** Blocks rendered again because a link definition they mention changed. */
  blocksRefreshed: number;
}

export interface RendererOptions {
  schedule?: (cb: FrameRequestCallback) => number;
  cancel?: (handle: number) => void;
  adaptive?: boolean;
}

export class IncrementalRenderer {
  /** The text as appended. */
  private raw = '';
  /** The text with line endings normalised to \n (what marked does first), so token offsets match it. */
  private full = '';
  private pendingCR = false;
  private readonly prefix = new PrefixClamp();
  /** performance.now() before which a non-final render is put off (set after an expensive render). */
  private notBefore = 0;
  /** Characters of `full` that belong to committed (final) blocks. */
  private committedLen = 0;
  private blocks: Block[] = [];
  private committedCount = 0;
  /** Top-level nodes of the committed blocks (they fill the first chunks, CHUNK_NODES to a chunk). */
  private committedNodes = 0;
  /** The chunk containers (`div.md-chunk`), in order; chunk k holds top-level nodes k*CHUNK_NODES onwards. */
  private readonly chunks: HTMLElement[] = [];
  /** Definitions found in committed blocks (first wins, in document order). */
  private committedLinks = Object.create(null) as Links;
  private renderedLen = 0;
  private lastSig = '';
  private lastLinks = Object.create(null) as Links;
  private frame = 0;
  private finished = false;
  readonly stats: RenderStats = { charsLexed: 0, renders: 0, blocksRendered: 0, blocksRefreshed: 0 };

  private readonly schedule: (cb: FrameRequestCallback) => number;
  private readonly cancel: (handle: number) => void;
  private readonly adaptive: boolean;

  /**
   * `schedule`/`cancel` default to animation frames (tests drive frames by hand); `adaptive` (default true)
   * backs off after an expensive render.
   */
  constructor(
    private readonly container: HTMLElement,
    opts: RendererOptions = {},
  ) {
    this.schedule = opts.schedule ?? ((cb) => requestAnimationFrame(cb));
    this.cancel = opts.cancel ?? ((h) => cancelAnimationFrame(h));
    this.adaptive = opts.adaptive ?? true;
  }

  get text(): string {
    return this.raw;
  }

  /** Length of the text the DOM currently shows (for lag measurements). */
  get renderedLength(): number {
    return this.renderedLen;
  }

  append(text: string): void {
    if (this.finished || !text) return;
    this.raw += text;
    const s = this.pendingCR && text.charCodeAt(0) === 10 ? text.slice(1) : text;
    this.pendingCR = text.charCodeAt(text.length - 1) === 13;
    this.full += this.prefix.push(s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frame) return;
    this.frame = this.schedule(() => {
      this.frame = 0;
      // A pathological open block (hundreds of KB without a blank line) can take longer than a frame to
      // render; then leave the main thread free for five times that long (up to 250 ms) before the next.
      if (this.adaptive && performance.now() < this.notBefore) return this.requestFrame();
      const t0 = performance.now();
      this.render(false);
      const took = performance.now() - t0;
      this.notBefore = took > 8 ? performance.now() + Math.min(5 * took, 250) : 0;
    });
  }

  finish(): void {
    if (this.finished) return;
    if (this.frame) this.cancel(this.frame);
    this.frame = 0;
    this.render(true);
    this.finished = true;
  }

  private render(final: boolean): void {
    if (!final && this.renderedLen === this.full.length) return;
    this.stats.renders++;
    const base = this.committedLen;
    const tail = this.full.slice(base);
    const { tokens, links } = lexOrText(tail, this.committedLinks);
    this.stats.charsLexed += tail.length;
    const sig = linksSignature(links);

    const starts: number[] = [];
    let off = 0;
    for (const t of tokens) {
      starts.push(off);
      off += t.raw.length;
    }
    const consistent = off === tail.length;
    let lastContent = -1;
    for (let i = tokens.length - 1; i >= 0; i--)
      if (tokens[i].type !== 'space') {
        lastContent = i;
        break;
      }
    const commitThrough = final
      ? tokens.length - 1
      : consistent
        ? this.commitPoint(tail, tokens, starts, lastContent)
        : -1;

    const oldTail = this.blocks.slice(this.committedCount);
    const reusable = new Map<number, Block>();
    for (const b of oldTail) reusable.set(b.start, b);
    const next: Block[] = [];
    const keep = new Set<Block>();
    const todo: { block: Block; token: Token }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const open = !final && i === lastContent && !(token.type === 'code' && isClosedFence(token as Tokens.Code));
      const start = base + starts[i];
      const old = reusable.get(start);
      if (old && old.raw === token.raw && old.open === open && old.sig === sig) {
        next.push(old);
        keep.add(old);
        continue;
      }
      const block: Block = { start, len: token.raw.length, raw: token.raw, open, sig, nodes: [] };
      next.push(block);
      todo.push({ block, token });
    }
    const rendered = this.renderBlocks(
      todo.map((t) => t.token),
      todo.map((t) => t.block.open),
    );
    todo.forEach((t, k) => (t.block.nodes = rendered[k]));
    for (const b of oldTail) if (!keep.has(b)) for (const n of b.nodes) n.parentNode?.removeChild(n);
    this.blocks.length = this.committedCount;
    this.blocks.push(...next);
    this.place(this.committedCount, this.committedNodes);

    if (commitThrough >= 0) {
      collectDefs(tokens.slice(0, commitThrough + 1), this.committedLinks);
      for (let i = this.committedCount; i <= this.committedCount + commitThrough; i++) {
        this.committedNodes += this.blocks[i].nodes.length;
        this.blocks[i].raw = '';
      }
      this.committedCount += commitThrough + 1;
      this.committedLen = base + starts[commitThrough] + tokens[commitThrough].raw.length;
    }
    if (sig !== this.lastSig) this.refreshLinks(links, sig, changedLabels(this.lastLinks, links));
    this.lastSig = sig;
    this.lastLinks = links;
    this.renderedLen = this.full.length;
  }

  /** A block's Markdown source. */
  private sourceOf(b: Block): string {
    return b.raw || this.full.slice(b.start, b.start + b.len);
  }

  /** Index of the last token that is final, or -1 (see the comment at the top of this file). */
  private commitPoint(tail: string, tokens: Token[], starts: number[], lastContent: number): number {
    let commit = -1;
    let nextContent = lastContent;
    // Walk backwards so `nextContent` is the first non-space token after k.
    for (let k = lastContent - 1; k >= 0; k--) {
      if (tokens[k + 1].type !== 'space') nextContent = k + 1;
      const end = starts[k] + tokens[k].raw.length;
      if (!endsWithBlankLine(tail, end)) continue;
      if (tail.indexOf('\n', starts[nextContent]) === -1) continue;
      commit = k;
      break;
    }
    return commit;
  }

  private renderBlocks(tokens: Token[], open: boolean[]): Node[][] {
    this.stats.blocksRendered += tokens.length;
    return renderTokens(tokens, open);
  }

  /**
   * Puts the nodes of blocks `fromBlock`… in place, the first of them being top-level node number `index`:
   * node j goes into chunk floor(j / CHUNK_NODES), so the chunk structure depends only on the final node
   * sequence (a streamed render ends with the same DOM as a whole one). Nodes already in place are not
   * touched; chunks left empty at the end are removed. Finished chunks never change again, so style and
   * layout work per frame stays within the last chunk instead of growing with the length of the answer.
   */
  private place(fromBlock: number, index: number): void {
    let prev: Node | null = null;
    if (index % CHUNK_NODES !== 0)
      prev = this.chunks[Math.floor(index / CHUNK_NODES)]?.childNodes[(index % CHUNK_NODES) - 1] ?? null;
    for (let i = fromBlock; i < this.blocks.length; i++) {
      for (const n of this.blocks[i].nodes) {
        const slot = index % CHUNK_NODES;
        const chunk = this.chunkAt(Math.floor(index / CHUNK_NODES));
        if (slot === 0) prev = null;
        const want: Node | null = prev ? prev.nextSibling : chunk.firstChild;
        if (n.parentNode !== chunk || want !== n) chunk.insertBefore(n, want);
        prev = n;
        index++;
      }
    }
    const used = Math.ceil(index / CHUNK_NODES);
    // Defensive: every node of a block was placed above, so nothing should remain past `index`.
    if (used > 0) {
      const last = this.chunks[used - 1];
      while (last.childNodes.length > index - (used - 1) * CHUNK_NODES) last.removeChild(last.lastChild!);
    }
    while (this.chunks.length > used) this.chunks.pop()!.remove();
  }

  private chunkAt(k: number): HTMLElement {
    while (this.chunks.length <= k) {
      const c = this.container.ownerDocument.createElement('div');
      c.className = 'md-chunk';
      this.container.appendChild(c);
      this.chunks.push(c);
    }
    return this.chunks[k];
  }

  /**
   * The set of link definitions changed: render again the blocks (committed or not) rendered with another set
   * that mention a label whose definition changed. Blocks are lexed alone, which gives the same tokens as in
   * context because every block starts where a fresh lexer would start one.
   */
  private refreshLinks(links: Links, sig: string, changed: Set<string>): void {
    let first = -1;
    for (let i = 0; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      if (b.sig === sig) continue;
      b.sig = sig;
      const raw = this.sourceOf(b);
      if (!raw.includes(']') || !mentionsAny(raw, changed)) continue;
      const { tokens } = lexOrText(raw, links);
      this.stats.charsLexed += raw.length;
      const fresh = this.renderBlocks(
        tokens,
        tokens.map(() => b.open),
      ).flat();
      this.stats.blocksRefreshed++;
      for (const n of b.nodes) n.parentNode?.removeChild(n);
      if (fresh.length !== b.nodes.length && i < this.committedCount)
        this.committedNodes += fresh.length - b.nodes.length;
      b.nodes = fresh;
      if (first === -1) first = i;
    }
    if (first === -1) return;
    let index = 0;
    for (let i = 0; i < first; i++) index += this.blocks[i].nodes.length;
    this.place(first, index);
  }
}

/**
 * Bounds the nesting a line can open: at most 64 columns of leading whitespace and 32 leading `>` per line.
 * marked lexes nested lists and quotes recursively (each level lexes its content again), so a 5,000-level
 * nesting would take minutes or overflow the stack. Applied as text arrives, so streaming and whole renders
 * see the same text. Code indented deeper than 64 columns loses the excess indentation.
 */
class PrefixClamp {
  private inPrefix = true;
  private spaces = 0;
  private quotes = 0;

  push(s: string): string {
    let out = '';
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) {
        this.inPrefix = true;
        this.spaces = 0;
        this.quotes = 0;
        continue;
      }
      if (!this.inPrefix) {
        // skip quickly to the next line
        const nl = s.indexOf('\n', i);
        if (nl === -1) break;
        i = nl - 1;
        continue;
      }
      let drop = false;
      if (c === 32) drop = ++this.spaces > MAX_INDENT;
      else if (c === 9) drop = (this.spaces += 4) > MAX_INDENT;
      else if (c === 62) drop = ++this.quotes > MAX_QUOTES;
      else this.inPrefix = false;
      if (drop) {
        out += s.slice(from, i);
        from = i + 1;
      }
    }
    return from === 0 ? s : out + s.slice(from);
  }
}
const MAX_INDENT = 64;
/** Top-level nodes per chunk container (about 48 blocks: each block is its element and a newline). */
export const CHUNK_NODES = 96;
const MAX_QUOTES = 32;

function changedLabels(before: Links, after: Links): Set<string> {
  const out = new Set<string>();
  for (const k in after) {
    const a = after[k];
    const b = before[k];
    if (!b || a.href !== b.href || a.title !== b.title) out.add(k);
  }
  for (const k in before) if (!(k in after)) out.add(k);
  return out;
}

function endsWithBlankLine(s: string, end: number): boolean {
  let j = end - 1;
  if (j < 0 || s.charCodeAt(j) !== 10) return false;
  j--;
  while (j >= 0 && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j--;
  return j >= 0 && s.charCodeAt(j) === 10;
}

/** Whether `raw` may reference one of `labels` (labels are lower-cased with whitespace collapsed, as marked does). */
function mentionsAny(raw: string, labels: Set<string>): boolean {
  const norm = raw.toLowerCase().replace(/\s+/g, ' ');
  for (const l of labels) if (norm.includes(`[${l}]`)) return true;
  return false;
}

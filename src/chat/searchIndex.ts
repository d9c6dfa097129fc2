// Full-text search over every saved chat: titles and the text of every message of every branch (questions with
// the paths of their attached code, answers). Pure Node: no `vscode` import.
//
// The index is the searchable text of each chat, case-folded, in memory: one string per chat with the start of
// each message. It is built from the history files at the first search, kept up to date by the window's own
// saves (`update`), and re-read for chats another window changed (their files' mtimes, checked at most every few
// seconds). A query is one or more words (or "quoted phrases"); a message matches when it holds all of them.
// Snippets are cut from the matching message's own text, read from its file for the hits shown only, so the
// index holds one folded copy of the text and nothing else. Left unused for a while, the index is dropped.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SearchHit } from '../protocol';
import type { StoredChat, StoredMessage } from './conversation';
import { mapLimit, parseChat } from './historyStore';

/** How many hits a search returns at most (the total is counted up to MAX_COUNTED). */
export const MAX_HITS = 60;
const MAX_COUNTED = 1000;
/** Characters of context on each side of the first match in a snippet. */
const SNIPPET_CONTEXT = 60;
/** Another window's writes are looked for at most this often (ms). */
const REFRESH_MS = 3000;
/** The index is dropped after this long without a search (ms). */
const IDLE_MS = 10 * 60_000;
const FILE_RE = /^([A-Za-z0-9_-]{1,64})\.json$/;

interface Entry {
  id: string;
  title: string;
  titleFolded: string;
  updatedAt: number;
  mtimeMs: number;
  /** The searchable text of every message, folded, separated by "\n\u0000\n" (never inside a query). */
  text: string;
  /** Start of each message in `text`; `ids[i]` is its message id. */
  starts: number[];
  ids: string[];
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** Matching messages and titles, counted up to 1,000. */
  total: number;
  /** Chats searched. */
  chats: number;
}

const SEPARATOR = '\n\u0000\n';

/** Lower case with the same length (so positions found in the folded text hold in the original). */
export function fold(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** The words of a query: whitespace-separated, "quoted phrases" kept whole, folded; longest first. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const m of query.matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = fold((m[1] ?? m[2]).trim());
    if (t && !terms.includes(t)) terms.push(t);
  }
  return terms.sort((a, b) => b.length - a.length);
}

/** The searchable text of a message: what was typed (and the attached files' paths), or the answer. */
export function messageText(m: StoredMessage): string {
  const paths = m.role === 'user' ? (m.contexts ?? []).map((c) => c.path).join(' ') : '';
  return paths ? `${paths}\n${m.content}` : m.content;
}

function entryOf(chat: StoredChat, mtimeMs: number): Entry {
  const starts: number[] = [];
  const ids: string[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const m of chat.messages) {
    const t = fold(messageText(m));
    starts.push(at);
    ids.push(m.id);
    parts.push(t);
    at += t.length + SEPARATOR.length;
  }
  return {
    id: chat.id,
    title: chat.title,
    titleFolded: fold(chat.title),
    updatedAt: chat.updatedAt,
    mtimeMs,
    text: parts.join(SEPARATOR),
    starts,
    ids,
  };
}

/** The index of the message holding position `pos` (binary search over starts). */
function messageAt(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A snippet of `text` around the first match of the terms, with the matches' ranges in it. */
export function snippetOf(text: string, terms: readonly string[]): Pick<SearchHit, 'snippet' | 'ranges'> {
  const folded = fold(text);
  const first = Math.min(...terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0));
  const at = Number.isFinite(first) ? first : 0;
  let start = Math.max(0, at - SNIPPET_CONTEXT);
  let end = Math.min(text.length, at + SNIPPET_CONTEXT * 2);
  // Whole words at the edges where possible.
  if (start > 0) start = text.lastIndexOf(' ', start) + 1 || start;
  const space = text.indexOf(' ', end);
  if (space > 0 && space - end < 20) end = space;
  const raw = text.slice(start, end);
  const snippet = `${start > 0 ? '…' : ''}${raw.replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
  const ranges: [number, number][] = [];
  const shown = fold(snippet);
  for (const t of terms) {
    for (let i = shown.indexOf(t); i >= 0 && ranges.length < 20; i = shown.indexOf(t, i + t.length)) {
      ranges.push([i, i + t.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return { snippet, ranges };
}

export interface SearchIndexOptions {
  dir: string;
  now?: () => number;
  log?: (line: string) => void;
}

export class SearchIndex {
  private entries: Map<string, Entry> | undefined;
  private building: Promise<Map<string, Entry>> | undefined;
  private lastRefresh = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: SearchIndexOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** True once the index has been built (and not dropped since). */
  get built(): boolean {
    return this.entries !== undefined;
  }

  /** A chat this window saved: its entry is rebuilt from memory (no file read). */
  update(chat: StoredChat, mtimeMs = this.now()): void {
    this.entries?.set(chat.id, entryOf(chat, mtimeMs));
  }

  remove(chatId: string): void {
    this.entries?.delete(chatId);
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.entries = undefined;
  }

  private async load(): Promise<Map<string, Entry>> {
    if (this.entries) {
      if (this.now() - this.lastRefresh >= REFRESH_MS) await this.refresh(this.entries);
      return this.entries;
    }
    this.building ??= (async () => {
      const entries = new Map<string, Entry>();
      await this.refresh(entries);
      this.entries = entries;
      return entries;
    })().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Re-reads the chats whose files changed since they were indexed; forgets deleted ones. */
  private async refresh(entries: Map<string, Entry>): Promise<void> {
    this.lastRefresh = this.now();
    let names: string[];
    try {
      names = await fs.readdir(this.opts.dir);
    } catch {
      entries.clear();
      return;
    }
    const ids = new Set<string>();
    const files = names.flatMap((n) => {
      const m = FILE_RE.exec(n);
      return m ? [m[1]] : [];
    });
    await mapLimit(files, 32, async (id) => {
      ids.add(id);
      const file = path.join(this.opts.dir, `${id}.json`);
      try {
        const { mtimeMs } = await fs.stat(file);
        if (entries.get(id)?.mtimeMs === mtimeMs) return;
        const chat = parseChat(await fs.readFile(file, 'utf8'), id);
        if (typeof chat !== 'string') entries.set(id, entryOf(chat, mtimeMs));
      } catch (err) {
        this.opts.log?.(`Search: could not index ${file}: ${(err as Error).message}`);
      }
    });
    for (const id of entries.keys()) if (!ids.has(id)) entries.delete(id);
  }

  /** Chats whose title or messages hold every word of `query`, most recent chat first. */
  async search(query: string, limit = MAX_HITS): Promise<SearchResult> {
    this.touch();
    const terms = queryTerms(query);
    const entries = await this.load();
    const result: SearchResult = { query, hits: [], total: 0, chats: entries.size };
    if (!terms.length) return result;
    const found: { entry: Entry; message?: number }[] = [];
    const sorted = [...entries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    for (const entry of sorted) {
      if (terms.every((t) => entry.titleFolded.includes(t))) {
        result.total++;
        if (found.length < limit) found.push({ entry });
      }
      // Most chats lack some word: one scan of the chat's text per word rules them out before any message is looked at.
      if (!terms.every((t) => entry.text.includes(t))) continue;
      for (const index of matchingMessages(entry, terms)) {
        result.total++;
        if (found.length < limit) found.push({ entry, message: index });
        if (result.total >= MAX_COUNTED) break;
      }
      if (result.total >= MAX_COUNTED) break;
    }
    result.hits = await this.snippets(found, terms);
    return result;
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.entries = undefined;
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }

  /** Reads the chats of the hits shown, and cuts each hit's snippet from its message's own text. */
  private async snippets(found: { entry: Entry; message?: number }[], terms: string[]): Promise<SearchHit[]> {
    const chats = new Map<string, Promise<StoredChat | undefined>>();
    const read = (id: string) => {
      let p = chats.get(id);
      if (!p) {
        p = fs
          .readFile(path.join(this.opts.dir, `${id}.json`), 'utf8')
          .then((text) => {
            const chat = parseChat(text, id);
            return typeof chat === 'string' ? undefined : chat;
          })
          .catch(() => undefined);
        chats.set(id, p);
      }
      return p;
    };
    const hits: SearchHit[] = [];
    for (const { entry, message } of found) {
      const base = { chatId: entry.id, chatTitle: entry.title, updatedAt: entry.updatedAt };
      if (message === undefined) {
        hits.push({ ...base, ...snippetOf(entry.title, terms) });
        continue;
      }
      const chat = await read(entry.id);
      const m = chat?.messages.find((x) => x.id === entry.ids[message]);
      if (!m) continue; // changed on disk since it was indexed; the next search has it right
      hits.push({ ...base, messageId: m.id, role: m.role, ...snippetOf(messageText(m), terms) });
    }
    return hits;
  }
}

/** Indexes of the messages of `entry` that hold every term (each message once, in order). */
function* matchingMessages(entry: Entry, terms: readonly string[]): Generator<number> {
  const [first, ...rest] = terms;
  const { text, starts } = entry;
  for (let pos = text.indexOf(first); pos >= 0;) {
    const i = messageAt(starts, pos);
    const end = i + 1 < starts.length ? starts[i + 1] - SEPARATOR.length : text.length;
    if (rest.length === 0) yield i;
    else {
      const body = text.slice(starts[i], end);
      if (rest.every((t) => body.includes(t))) yield i;
    }
    pos = text.indexOf(first, end);
  }
}

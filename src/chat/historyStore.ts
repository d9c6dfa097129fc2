// Saved chats: one JSON file per chat (`<dir>/<id>.json`), written atomically (temp file, fsync, rename: see
// atomicFile.ts); listing the chats also removes temp files that a killed window left behind.
// Pure Node (no `vscode`): the extension passes `<globalStorageUri>/chats` as `dir`.
//
// Several windows may share the directory. Each write touches only its own chat's file, and before writing
// the store checks the file's mtime: if another window wrote it since this window last read or wrote it,
// the file is re-read and merged (this window's changed messages win, everything else comes from disk), so
// no window overwrites another's newer messages. Messages form a tree (tree.ts): a merge keeps it one.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ChatSummary } from '../protocol';
import { isSummaryRecord } from '../context/condense';
import { STORE_VERSION, toSummary, type StoredChat, type StoredMessage } from './conversation';
import { removeStaleTemps, writeFileAtomic } from './atomicFile';
import { messageProblem } from './storedShape';
import { repairTree, treeProblem } from './tree';
import * as l10n from '@vscode/l10n';

/** node:crypto, loaded at the first id rather than when the extension loads. */
function randomBytes(n: number): Buffer {
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(n);
}

/** The note of an answer the window closed on (a function: t() is configured at activation, after module load). */
export const interruptedNote = (): string => l10n.t('The window closed before this answer finished.');
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const FILE_RE = /^([A-Za-z0-9_-]{1,64})\.json$/;

export function newChatId(): string {
  return `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}

export function isChatId(id: unknown): id is string {
  return typeof id === 'string' && ID_RE.test(id);
}

export interface Changes {
  /** Ids of messages added or changed in this window. */
  upserted?: Iterable<string>;
  /** Ids of messages removed in this window. */
  removed?: Iterable<string>;
  /** Title (or other chat-level field) changed in this window. */
  meta?: boolean;
  /** Which branch is shown changed in this window. */
  selected?: boolean;
}

export interface LoadResult {
  chat?: StoredChat;
  /** Set when the file was unreadable and moved aside. */
  notice?: string;
}

export interface HistoryStoreOptions {
  dir: string;
  debounceMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Called after a write merged messages another window had saved. */
  onMerged?: (chat: StoredChat) => void;
  /** Called after a chat was written (the search index follows the window's own saves). */
  onWritten?: (chat: StoredChat, mtimeMs: number) => void;
  /** Called after a chat's file was deleted. */
  onDeleted?: (id: string) => void;
  /** Called when a chat could not be written (the file on disk keeps its previous version). */
  onWriteError?: (chatId: string, err: unknown) => void;
}

interface Pending {
  chat: StoredChat;
  upserted: Set<string>;
  removed: Set<string>;
  meta: boolean;
  selected: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class HistoryStore {
  readonly dir: string;
  private readonly debounceMs: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  /** mtime of each chat file as this window last read or wrote it. */
  private readonly known = new Map<string, number>();
  /** Message ids of each chat as this window last read or wrote them (to tell "new here" from "deleted there"). */
  private readonly knownIds = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Pending>();
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly opts: HistoryStoreOptions) {
    this.dir = opts.dir;
    this.debounceMs = opts.debounceMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
  }

  fileOf(id: string): string {
    if (!isChatId(id)) throw new Error(`Invalid chat id: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  /** Every saved chat, newest first. Unreadable files are moved aside and named in `notices`. */
  async list(): Promise<{ chats: ChatSummary[]; notices: string[] }> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return { chats: [], notices: [] };
    }
    const cleaned = await removeStaleTemps(this.dir, names);
    if (cleaned) this.log(`History: removed ${cleaned} temp file(s) left by a write that was interrupted`);
    const chats: ChatSummary[] = [];
    const notices: string[] = [];
    const ids = names.flatMap((name) => FILE_RE.exec(name)?.slice(1, 2) ?? []);
    // Many heads read at once: with 1,000 chats, one after the other is most of the time spent waiting.
    const heads = await mapLimit(ids, LIST_CONCURRENCY, (id) => this.readHead(id));
    for (const [i, id] of ids.entries()) {
      const head = heads[i];
      if (head) {
        chats.push(head);
        continue;
      }
      const full = await this.load(id);
      if (full.chat) chats.push(toSummary(full.chat));
      if (full.notice) notices.push(full.notice);
    }
    chats.sort((a, b) => b.updatedAt - a.updatedAt);
    return { chats, notices };
  }

  /** Reads the summary from the first bytes of the file (the summary fields are written first). */
  private async readHead(id: string): Promise<ChatSummary | undefined> {
    let fh: import('node:fs/promises').FileHandle | undefined;
    try {
      fh = await fs.open(this.fileOf(id), 'r');
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      const text = buf.subarray(0, bytesRead).toString('utf8');
      const m =
        /^\{"version":\d+,"id":("(?:[^"\\]|\\.)*"),"title":("(?:[^"\\]|\\.)*"),"createdAt":\d+,"updatedAt":(\d+),"messageCount":(\d+),"messages":/.exec(
          text,
        );
      if (!m || JSON.parse(m[1]) !== id) return undefined;
      return { id, title: JSON.parse(m[2]) as string, updatedAt: Number(m[3]), messageCount: Number(m[4]) };
    } catch {
      return undefined;
    } finally {
      await fh?.close();
    }
  }

  /**
   * Loads a chat. Missing file: `{}`. Unreadable file: moved aside to `<id>.corrupt-<timestamp>.json` (kept) and
   * `notice` says so. Answers saved while streaming come back as `interrupted`.
   */
  async load(id: string): Promise<LoadResult> {
    const file = this.fileOf(id);
    let text: string;
    let mtime: number;
    try {
      text = await fs.readFile(file, 'utf8');
      mtime = (await fs.stat(file)).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return {
        notice: l10n.t('The saved chat {0} could not be read ({1}).', path.basename(file), (err as Error).message),
      };
    }
    const parsed = parseChat(text, id);
    if (typeof parsed === 'string') return { notice: await this.moveAside(id, parsed) };
    this.known.set(id, mtime);
    this.knownIds.set(id, new Set(parsed.messages.map((m) => m.id)));
    markInterrupted(parsed);
    return { chat: parsed };
  }

  private async moveAside(id: string, reason: string): Promise<string> {
    const file = this.fileOf(id);
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const aside = path.join(this.dir, `${id}.corrupt-${stamp}.json`);
    try {
      await fs.rename(file, aside);
      this.known.delete(id);
      this.log(`History: ${path.basename(file)} is unreadable (${reason}); moved aside to ${aside}`);
      return `A saved chat could not be read (${reason}). It was kept as ${aside} and a new chat was started.`;
    } catch (err) {
      return `A saved chat (${file}) could not be read (${reason}) nor moved aside (${(err as Error).message}). A new chat was started.`;
    }
  }

  /** Records changes and writes them within `debounceMs` (or now with `immediate`). Empty chats are not written. */
  save(chat: StoredChat, changes: Changes = {}, immediate = false): Promise<void> {
    let p = this.pending.get(chat.id);
    if (!p) {
      p = { chat, upserted: new Set(), removed: new Set(), meta: false, selected: false };
      this.pending.set(chat.id, p);
    }
    p.chat = chat;
    for (const id of changes.upserted ?? []) {
      p.upserted.add(id);
      p.removed.delete(id);
    }
    for (const id of changes.removed ?? []) {
      p.removed.add(id);
      p.upserted.delete(id);
    }
    if (changes.meta) p.meta = true;
    if (changes.selected) p.selected = true;
    if (immediate) return this.flushChat(chat.id);
    if (!p.timer)
      p.timer = setTimeout(() => {
        void this.flushChat(chat.id);
      }, this.debounceMs);
    return Promise.resolve();
  }

  /** Writes every pending change now. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.flushChat(id)));
    await Promise.all([...this.writing.values()]);
  }

  private flushChat(id: string): Promise<void> {
    const prev = this.writing.get(id) ?? Promise.resolve();
    const next = prev.then(async () => {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
      try {
        await this.write(p);
      } catch (err) {
        this.log(`History: could not save chat ${id}: ${(err as Error).message}`);
        this.opts.onWriteError?.(id, err);
      }
    });
    this.writing.set(id, next);
    void next.finally(() => {
      if (this.writing.get(id) === next) this.writing.delete(id);
    });
    return next;
  }

  private async write(p: Pending): Promise<void> {
    const chat = p.chat;
    const file = this.fileOf(chat.id);
    let diskMtime: number | undefined;
    try {
      diskMtime = (await fs.stat(file)).mtimeMs;
    } catch {
      diskMtime = undefined;
    }
    const known = this.known.get(chat.id);
    if (diskMtime !== undefined && diskMtime !== known) {
      // Another window wrote this chat since we last saw it: merge instead of overwriting.
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      const disk = text === undefined ? 'unreadable' : parseChat(text, chat.id);
      if (typeof disk !== 'string') {
        const next = this.pending.get(chat.id);
        mergeInto(chat, disk, {
          changedHere: (id) => p.upserted.has(id) || !!next?.upserted.has(id),
          removedHere: (id) => p.removed.has(id) || !!next?.removed.has(id),
          seenOnDisk: (id) => !!this.knownIds.get(chat.id)?.has(id),
          titleChangedHere: p.meta || !!next?.meta,
          selectionChangedHere: p.selected || !!next?.selected,
        });
        this.log(`History: chat ${chat.id} was changed by another window; merged ${chat.messages.length} messages`);
        this.opts.onMerged?.(chat);
      }
    }
    if (chat.messages.length === 0 && diskMtime === undefined) return;
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(file, serializeChat(chat));
    const mtimeMs = (await fs.stat(file)).mtimeMs;
    this.known.set(chat.id, mtimeMs);
    this.knownIds.set(chat.id, new Set(chat.messages.map((m) => m.id)));
    this.opts.onWritten?.(chat, mtimeMs);
  }

  /** True when another window wrote the chat's file since this window last read or wrote it. */
  async isStale(id: string): Promise<boolean> {
    if (this.pending.has(id) || this.writing.has(id)) return false;
    try {
      return (await fs.stat(this.fileOf(id))).mtimeMs !== this.known.get(id);
    } catch {
      return false;
    }
  }

  async delete(id: string): Promise<void> {
    const p = this.pending.get(id);
    if (p?.timer) clearTimeout(p.timer);
    this.pending.delete(id);
    await (this.writing.get(id) ?? Promise.resolve());
    this.known.delete(id);
    this.knownIds.delete(id);
    await fs.rm(this.fileOf(id), { force: true });
    this.opts.onDeleted?.(id);
  }

  /** Stops timers without writing (tests); use flush() first to keep changes. */
  dispose(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
  }
}

/** Serialises with the summary fields first, so list() can read them from the file's head. */
export function serializeChat(chat: StoredChat): string {
  const summary = toSummary(chat);
  return JSON.stringify({
    version: STORE_VERSION,
    id: chat.id,
    title: chat.title,
    createdAt: chat.createdAt,
    updatedAt: chat.updatedAt,
    messageCount: summary.messageCount,
    messages: chat.messages,
    selected: chat.selected,
    ...(chat.summary ? { summary: chat.summary } : {}),
  });
}

/** A valid chat, or a short reason it is not. */
export function parseChat(text: string, id: string): StoredChat | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (!isRecord(data)) return 'not a chat object';
  if (typeof data.version !== 'number' || data.version > STORE_VERSION)
    return `unsupported version ${JSON.stringify(data.version) ?? 'missing'}`;
  if (data.id !== id) return 'the id inside does not match the file name';
  if (!Array.isArray(data.messages)) return 'no message list';
  const raw = data.messages as unknown[];
  for (let i = 0; i < raw.length; i++) {
    const problem = messageProblem(raw[i]);
    if (problem) return `message ${i + 1} is malformed: ${problem}`;
    const m = raw[i] as Record<string, unknown>;
    // A finish reason this version does not know is dropped, not trusted (older files have none).
    if (m.finish !== undefined && m.finish !== 'length' && m.finish !== 'content_filter') delete m.finish;
  }
  const messages = data.messages as StoredMessage[];
  // Version 1 kept one linear conversation: each message followed the one before it.
  if (data.version < 2) {
    delete messages[0]?.parentId;
    for (let i = 1; i < messages.length; i++) messages[i].parentId = messages[i - 1].id;
  }
  const problem = treeProblem(messages);
  if (problem) return problem;
  const selected: Record<string, string> = {};
  if (isRecord(data.selected))
    for (const [k, v] of Object.entries(data.selected)) if (typeof v === 'string') selected[k] = v;
  const chat: StoredChat = {
    version: STORE_VERSION,
    id,
    title: typeof data.title === 'string' ? data.title : l10n.t('Untitled chat'),
    createdAt: Number(data.createdAt) || 0,
    updatedAt: Number(data.updatedAt) || 0,
    messages,
    selected,
  };
  // A damaged summary is dropped: the messages it stood for are sent again, nothing is lost.
  if (isSummaryRecord(data.summary)) chat.summary = data.summary;
  return chat;
}

/** Files whose heads list() reads at once. */
const LIST_CONCURRENCY = 32;

/** `fn` of every item, at most `limit` at a time, results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object';
}

/** Answers saved while streaming (the window closed) come back as `interrupted`, their running tool calls cancelled. */
export function markInterrupted(chat: StoredChat): void {
  for (const m of chat.messages) {
    if (m.status === 'streaming') {
      m.status = 'interrupted';
      m.note = interruptedNote();
      for (const c of m.toolCalls ?? []) if (c.state === 'running') c.state = 'cancelled';
    }
  }
}

interface MergeRules {
  /** Added or changed in this window and not yet written. */
  changedHere(id: string): boolean;
  removedHere(id: string): boolean;
  /** Was in the file when this window last read or wrote it. */
  seenOnDisk(id: string): boolean;
  /** The title or the summary changed in this window. */
  titleChangedHere: boolean;
  selectionChangedHere: boolean;
}

/**
 * Merges `disk` into `chat` in place: this window's unsaved changes win; everything else comes from disk.
 * A message of this window missing from disk is kept when it is new here, and dropped when the file had it
 * before (another window deleted it). Message objects of this window keep their identity.
 */
function mergeInto(chat: StoredChat, disk: StoredChat, rules: MergeRules): void {
  const ours = new Map(chat.messages.map((m) => [m.id, m]));
  const formerParent = new Map(chat.messages.map((m) => [m.id, m.parentId]));
  const out: StoredMessage[] = [];
  const seen = new Set<string>();
  for (const d of disk.messages) {
    seen.add(d.id);
    if (rules.removedHere(d.id)) continue;
    const mine = ours.get(d.id);
    if (mine && rules.changedHere(d.id)) out.push(mine);
    else if (mine) {
      for (const k of Object.keys(mine)) if (!(k in d)) delete (mine as unknown as Record<string, unknown>)[k];
      Object.assign(mine, d);
      out.push(mine);
    } else out.push(d);
  }
  for (const m of chat.messages) {
    if (seen.has(m.id)) continue;
    if (rules.changedHere(m.id) || !rules.seenOnDisk(m.id)) out.push(m);
  }
  const order = new Map(out.map((m, i) => [m, i]));
  out.sort((a, b) => a.createdAt - b.createdAt || order.get(a)! - order.get(b)!);
  repairTree(out, (id) => formerParent.get(id));
  chat.messages = out;
  chat.selected = rules.selectionChangedHere
    ? { ...disk.selected, ...chat.selected }
    : { ...chat.selected, ...disk.selected };
  if (!rules.titleChangedHere) {
    chat.title = disk.title;
    if (disk.summary) chat.summary = disk.summary;
    else delete chat.summary;
  }
  chat.updatedAt = Math.max(chat.updatedAt, disk.updatedAt);
}

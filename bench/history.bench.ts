// Chat history at scale: full-text search over 1,000 chats / 100,000 messages / ~50 MB of history files, and opening
// the history list of those 1,000 chats, each against a naive baseline run in the same process.
//   search baseline  read and JSON.parse every history file, then look for the query in every message (what a
//                    search without an index costs every time);
//   first query      a fresh SearchIndex (src/chat/searchIndex.ts): builds its index from the files, then searches;
//   later queries    the same index, 20 different queries (one to three words, rare and common), median;
//   list baseline    read and JSON.parse every file for its title and date;
//   list             HistoryStore.list(), which reads only each file's summary head, median of fresh stores.
// Goals: later queries <= 200 ms median; the list <= 100 ms.
//
// Called by bench/run.mjs: `export default async function run(): Promise<Record<string, unknown>>`.
// Env: BUD_BENCH_CHATS (default 1000), BUD_BENCH_RUNS (default 5).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { newChat, type StoredChat, type StoredMessage } from '../src/chat/conversation';
import { HistoryStore, serializeChat } from '../src/chat/historyStore';
import { SearchIndex } from '../src/chat/searchIndex';
import { addChild } from '../src/chat/tree';
import { prng } from './prng';

const CHATS = Number(process.env.BUD_BENCH_CHATS ?? 1000);
const MESSAGES_PER_CHAT = 100;
const CHARS_PER_MESSAGE = 500;
const RUNS = Number(process.env.BUD_BENCH_RUNS ?? 5);

const r2 = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A vocabulary of 3,000 made-up words, so some are common and most are rare (Zipf-like picks). */
function vocabulary(rand: () => number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'sha', 'dor', 'len', 'qu', 'ix', 'ber'];
  const words = new Set<string>();
  while (words.size < 3000) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rand() * syllables.length)];
    words.add(w);
  }
  return [...words];
}

function text(rand: () => number, words: readonly string[], chars: number): string {
  let out = '';
  while (out.length < chars) {
    const word = words[Math.floor(words.length * rand() ** 3)];
    out += rand() < 0.08 ? `${word}.\n` : `${word} `;
  }
  return out;
}

function generate(dir: string): { bytes: number; messages: number; words: string[] } {
  const rand = prng(13);
  const words = vocabulary(rand);
  let bytes = 0;
  let messages = 0;
  const start = Date.UTC(2026, 0, 1);
  for (let c = 0; c < CHATS; c++) {
    const chat: StoredChat = newChat(`bench-${c}`, start + c * 60_000);
    chat.title = text(rand, words, 30).trim();
    let parent: StoredMessage | undefined;
    for (let i = 0; i < MESSAGES_PER_CHAT; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      const m: StoredMessage = {
        id: `m${i}`,
        role,
        content: text(rand, words, role === 'user' ? CHARS_PER_MESSAGE / 2 : CHARS_PER_MESSAGE * 1.5),
        status: 'complete',
        createdAt: chat.createdAt + i,
      };
      addChild(chat, parent, m);
      parent = m;
      messages++;
    }
    chat.updatedAt = chat.createdAt + MESSAGES_PER_CHAT;
    const json = serializeChat(chat);
    bytes += Buffer.byteLength(json);
    writeFileSync(path.join(dir, `${chat.id}.json`), json);
  }
  return { bytes, messages, words };
}

async function naiveSearch(dir: string, query: string): Promise<number> {
  const terms = query.toLowerCase().split(/\s+/);
  let found = 0;
  for (const name of await fs.readdir(dir)) {
    const chat = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as StoredChat;
    for (const m of chat.messages) {
      const t = m.content.toLowerCase();
      if (terms.every((w) => t.includes(w))) found++;
    }
  }
  return found;
}

async function naiveList(dir: string): Promise<number> {
  const chats: { title: string; updatedAt: number }[] = [];
  for (const name of await fs.readdir(dir)) {
    const chat = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as StoredChat;
    chats.push({ title: chat.title, updatedAt: chat.updatedAt });
  }
  return chats.sort((a, b) => b.updatedAt - a.updatedAt).length;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export default async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bud-history-bench-'));
  try {
    const { bytes, messages, words } = generate(dir);
    const rand = prng(99);
    const pickWord = () => words[Math.floor(words.length * rand())];
    const queries = Array.from({ length: 20 }, (_, i) => Array.from({ length: 1 + (i % 3) }, pickWord).join(' '));

    // Interleaved: baseline, first query on a fresh index, baseline, …
    const base: number[] = [];
    const first: number[] = [];
    let index: SearchIndex | undefined;
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      base.push((await timed(() => naiveSearch(dir, queries[0]))).ms);
      index?.dispose();
      index = new SearchIndex({ dir });
      first.push((await timed(() => index!.search(queries[0]))).ms);
    }
    const later: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const t = await timed(() => index!.search(q));
      later.push(t.ms);
      hits += t.value.total;
    }
    index?.dispose();

    const listBase: number[] = [];
    const list: number[] = [];
    let listed = 0;
    for (let r = 0; r < RUNS; r++) {
      listBase.push((await timed(() => naiveList(dir))).ms);
      const store = new HistoryStore({ dir });
      const t = await timed(() => store.list());
      list.push(t.ms);
      listed = t.value.chats.length;
      store.dispose();
    }

    const laterMs = median(later);
    const listMs = median(list);
    return {
      history: {
        data: { chats: CHATS, messages, megabytes: r2(bytes / 2 ** 20, 1) },
        search: {
          naiveMedianMs: r2(median(base), 1),
          firstQueryMedianMs: r2(median(first), 1),
          laterQueries: queries.length,
          laterMedianMs: r2(laterMs),
          laterMaxMs: r2(Math.max(...later)),
          laterVsNaive: r2(median(base) / laterMs, 1),
          matchesCounted: hits,
          goal: 'later queries <= 200 ms median',
          pass: laterMs <= 200,
        },
        list: {
          naiveMedianMs: r2(median(listBase), 1),
          medianMs: r2(listMs),
          chats: listed,
          goal: '<= 100 ms',
          pass: listMs <= 100 && listed === CHATS,
        },
        summary: {
          'data (chats / messages / MB)': `${CHATS} / ${messages} / ${r2(bytes / 2 ** 20, 1)}`,
          'search: naive scan (ms, median)': r2(median(base), 1),
          'search: first query, index built (ms, median)': r2(median(first), 1),
          'search: later queries (ms, median; goal <= 200)': r2(laterMs),
          'history list of all chats (ms, median; goal <= 100)': r2(listMs),
          'history list: naive parse of every file (ms, median)': r2(median(listBase), 1),
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

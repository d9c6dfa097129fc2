// The process the crash test kills: the real HistoryStore, driven the way the chat controller drives it, forever,
// until SIGKILL. Streams (user message saved at once, the answer saved while streaming with debounced saves and
// a tool call, then saved complete), renames, deletes and imports of whole chats, chosen at random from a seed.
// Each step is announced on stdout before it starts and confirmed after its save resolved (see journal.ts).
//
//   node out/test/unit/crash/historyWorkload.js <dir> <seed> [stream|rename|delete|import]
//
// With an operation named, it comes after a few random ones (so the test need not wait for it by chance).
import { newChat, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { HistoryStore } from '../../../src/chat/historyStore';
import { titleFrom } from '../../../src/chat/prompts';
import { prng } from '../../../bench/prng';
import type { Line } from './journal';

const [dir, seedArg, target] = process.argv.slice(2);
const rand = prng(Number(seedArg));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const say = (l: Line) => process.stdout.write(`${JSON.stringify(l)}\n`);
const tick = () => new Promise<void>((r) => (rand() < 0.2 ? setTimeout(r, 1) : setImmediate(r)));

const WORDS = [
  'the',
  'store',
  'writes',
  'a',
  'temp',
  'file',
  'then',
  'renames',
  'it',
  'é',
  '日本',
  '```ts',
  '\n',
  '\n\n',
  '"quoted"',
  '\\',
];
const text = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

let counter = 0;
const id = (prefix: string) => `${prefix}-${seedArg}-${(counter++).toString(36)}`;

const store = new HistoryStore({ dir, debounceMs: int(5, 40) });
const chats = new Map<string, StoredChat>();

async function stream(): Promise<void> {
  const existing = [...chats.values()];
  const now = Date.now();
  const chat = existing.length && rand() < 0.6 ? pick(existing) : newChat(id('chat'), now);
  chats.set(chat.id, chat);
  const isNew = !chat.messages.some((m) => m.role === 'user');
  // Each message follows the one before it (the chat's one branch), as the controller links them.
  const user: StoredMessage = {
    id: id('u'),
    role: 'user',
    content: text(int(1, 30)),
    status: 'complete',
    createdAt: now,
    ...(chat.messages.length ? { parentId: chat.messages[chat.messages.length - 1].id } : {}),
  };
  const answer: StoredMessage = {
    id: id('a'),
    role: 'assistant',
    content: '',
    status: 'streaming',
    createdAt: Date.now(),
    model: 'crash-model',
    parentId: user.id,
  };
  const final = text(int(50, 3000));
  const tool = rand() < 0.4 ? 'read_file' : undefined;
  const title = isNew ? titleFrom(user.content) : chat.title;
  say({ op: 'stream', phase: 'begin', chat: chat.id, isNew, title, user, answer, final, tool });
  chat.messages.push(user);
  if (isNew) chat.title = title;
  await store.save(chat, { upserted: [user.id], meta: isNew }, true);
  say({ op: 'stream', phase: 'user-saved', chat: chat.id });
  chat.messages.push(answer);
  await store.save(chat, { upserted: [answer.id] }, true);
  say({ op: 'stream', phase: 'answer-saved', chat: chat.id });
  for (let at = 0; at < final.length;) {
    const n = int(1, 60);
    answer.content += final.slice(at, at + n);
    at += n;
    if (tool && !answer.toolCalls && at > final.length / 2)
      answer.toolCalls = [{ id: 'call-1', name: tool, argsText: '{}', state: 'running' }];
    void store.save(chat, { upserted: [answer.id] });
    await tick();
  }
  answer.status = 'complete';
  if (answer.toolCalls)
    answer.toolCalls = [{ id: 'call-1', name: tool!, argsText: '{}', state: 'done', summary: 'ok' }];
  await store.save(chat, { upserted: [answer.id] }, true);
  say({ op: 'stream', phase: 'done', chat: chat.id });
}

async function rename(): Promise<void> {
  const chat = pick([...chats.values()]);
  const title = `Renamed ${text(int(1, 6)).replace(/\s+/g, ' ')}`.slice(0, 80);
  say({ op: 'rename', phase: 'begin', chat: chat.id, title });
  chat.title = title;
  await store.save(chat, { meta: true }, true);
  say({ op: 'rename', phase: 'done', chat: chat.id });
}

async function remove(): Promise<void> {
  const chat = pick([...chats.values()]);
  say({ op: 'delete', phase: 'begin', chat: chat.id });
  chats.delete(chat.id);
  await store.delete(chat.id);
  say({ op: 'delete', phase: 'done', chat: chat.id });
}

/** A whole chat arriving at once (what importing an exported chat does), written through the same store API. */
async function importChat(): Promise<void> {
  const chat = newChat(id('imported'), Date.now());
  chat.title = `Imported ${text(3)}`.replace(/\s+/g, ' ');
  for (let i = 0, n = int(1, 8); i < n; i++) {
    chat.messages.push({
      id: id('m'),
      role: i % 2 ? 'assistant' : 'user',
      content: text(int(10, 4000)),
      status: 'complete',
      createdAt: Date.now() + i,
      ...(i ? { parentId: chat.messages[i - 1].id } : {}),
    });
  }
  say({ op: 'import', phase: 'begin', chat: chat.id, data: chat });
  chats.set(chat.id, chat);
  await store.save(chat, { upserted: chat.messages.map((m) => m.id), meta: true }, true);
  say({ op: 'import', phase: 'done', chat: chat.id });
}

/** Rename and delete need a chat: without one, they import one first. */
const OPS = {
  stream,
  import: importChat,
  rename: async () => (chats.size ? rename() : importChat().then(rename)),
  delete: async () => (chats.size ? remove() : importChat().then(remove)),
};

async function main(): Promise<void> {
  const list = await store.list();
  for (const c of list.chats) {
    const r = await store.load(c.id);
    if (r.chat) chats.set(c.id, r.chat);
  }
  say({ op: 'ready', chats: chats.size });
  const targetAt = int(0, 3);
  for (let k = 0; ; k++) {
    const n = chats.size;
    const r = rand();
    if (k === targetAt && target) await OPS[target as keyof typeof OPS]();
    else if (n > 0 && (n > 12 || r < 0.15)) await remove();
    else if (n > 0 && r < 0.35) await rename();
    else if (n < 16 && r < 0.5) await importChat();
    else await stream();
  }
}

void main();

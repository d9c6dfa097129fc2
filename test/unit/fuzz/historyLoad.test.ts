// Property of the history loader: in a folder of chats written by the real store, one file damaged the ways files
// get damaged — truncated, bits flipped, a value of the wrong type anywhere, a field removed, a field made huge,
// garbage, empty — never makes listing or loading throw. Every other chat is listed and loads exactly as saved;
// the damaged one either still loads as a chat every later step can use (the view, the next request), or is
// moved aside byte for byte and the user is told, naming the kept file.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { STORE_VERSION, toSnapshot, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { HistoryStore, interruptedNote, serializeChat } from '../../../src/chat/historyStore';
import { itHolds } from './property';
import { activePath } from '../../../src/chat/tree';
import { ContextPlanner } from '../../../src/chat/contextPlan';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits } from '../../../src/context/limits';

const word = fc.string({ maxLength: 12 });
const nat = fc.nat(1e6);

const contextArb = fc.record({ path: word, uri: word, language: word, startLine: nat, endLine: nat, text: word });
const toolCallArb = fc.record(
  {
    id: word,
    name: word,
    argsText: word,
    state: fc.constantFrom('running', 'done', 'error', 'cancelled'),
    summary: word,
    durationMs: nat,
  },
  { requiredKeys: ['id', 'name', 'argsText', 'state'] },
);
const errorArb = fc.record(
  {
    kind: fc.constantFrom('auth', 'server', 'timeout', 'incomplete'),
    message: word,
    status: nat,
    requestId: word,
    url: word,
    actions: fc.array(fc.constantFrom('retry', 'showLog'), { maxLength: 2 }),
  },
  { requiredKeys: ['kind', 'message', 'actions'] },
);
const usageArb = fc.record({ prompt_tokens: nat, completion_tokens: nat, total_tokens: nat });
const apiMessageArb = fc.oneof(
  fc.record({ role: fc.constantFrom('user', 'assistant'), content: word }),
  fc.record({
    role: fc.constant('assistant'),
    content: fc.constant(null),
    tool_calls: fc.array(
      fc.record({ id: word, type: fc.constant('function'), function: fc.record({ name: word, arguments: word }) }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record({ role: fc.constant('tool'), content: word, tool_call_id: word }),
);

const messageArb = fc.record(
  {
    id: fc.stringMatching(/^[a-z0-9-]{1,10}$/),
    role: fc.constantFrom('user', 'assistant'),
    content: fc.string({ maxLength: 40 }),
    status: fc.constantFrom('streaming', 'complete', 'stopped', 'error', 'interrupted'),
    createdAt: nat,
    contexts: fc.array(contextArb, { maxLength: 2 }),
    reasoning: word,
    toolCalls: fc.array(toolCallArb, { maxLength: 2 }),
    error: errorArb,
    usage: usageArb,
    model: word,
    note: word,
    apiMessages: fc.array(apiMessageArb, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['id', 'role', 'content', 'status', 'createdAt'] },
) as fc.Arbitrary<StoredMessage>;

const chatArb = (id: string) =>
  fc
    .record({
      title: word,
      createdAt: nat,
      updatedAt: nat,
      // Message ids are unique within a chat (they name the tree's links); without parentId all are first messages.
      messages: fc.uniqueArray(messageArb, { minLength: 1, maxLength: 5, selector: (m) => m.id }),
    })
    .map((c): StoredChat => ({ version: STORE_VERSION, id, selected: {}, ...c }));

/** Any JSON value of another kind than `v` (the "wrong type" of a field). */
const OTHER_VALUES: unknown[] = [
  null,
  0,
  -1.5,
  1e308,
  '',
  'x',
  '\u0000',
  true,
  false,
  [],
  [1, 'a'],
  {},
  { a: 1 },
  [[[]]],
];
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every path (list of keys) in a JSON value. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object')
    for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

function setAt(root: unknown, at: (string | number)[], value: unknown, remove = false): unknown {
  if (at.length === 0) return value;
  let o = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (remove && !Array.isArray(o)) delete o[last];
  else o[last] = value;
  return root;
}

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: [number, number][] }
  | { kind: 'wrong-type'; path: number; value: number }
  | { kind: 'remove'; path: number }
  | { kind: 'huge'; path: number; chars: number }
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'empty' };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    bits: fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('wrong-type' as const), path: fc.nat(), value: fc.nat() }),
  fc.record({ kind: fc.constant('wrong-type' as const), path: fc.nat(), value: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), path: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), path: fc.nat(), chars: fc.constantFrom(100_000, 3_000_000) }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
  fc.constant({ kind: 'empty' as const }),
);

function damage(text: string, d: Damage): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  switch (d.kind) {
    case 'truncate':
      return bytes.subarray(0, d.at % bytes.length);
    case 'flip': {
      const b = Buffer.from(bytes);
      for (const [pos, bit] of d.bits) b[pos % b.length] ^= 1 << bit;
      return b;
    }
    case 'garbage':
      return Buffer.from(d.bytes);
    case 'empty':
      return Buffer.alloc(0);
    default: {
      const data: unknown = JSON.parse(text);
      const all = paths(data);
      const at = all[d.path % all.length];
      let out: unknown;
      if (d.kind === 'remove') out = setAt(data, at, undefined, true);
      else if (d.kind === 'huge') out = setAt(data, at, 'x'.repeat(d.chars));
      else {
        const old = at.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], data);
        const others = OTHER_VALUES.filter((v) => kindOf(v) !== kindOf(old));
        out = setAt(data, at, others[d.value % others.length]);
      }
      return Buffer.from(JSON.stringify(out) ?? '', 'utf8');
    }
  }
}

/** A chat as loading gives it back: an answer saved while streaming comes back interrupted. */
function asLoaded(chat: StoredChat): StoredChat {
  const c = JSON.parse(JSON.stringify(chat)) as StoredChat;
  for (const m of c.messages) {
    if (m.status !== 'streaming') continue;
    m.status = 'interrupted';
    m.note = interruptedNote();
    for (const t of m.toolCalls ?? []) if (t.state === 'running') t.state = 'cancelled';
  }
  return c;
}

const planner = new ContextPlanner(new TokenCounter());

/** What the rest of the extension does with a loaded chat: the view's snapshot and the next request. */
function useDownstream(chat: StoredChat): void {
  const snap = toSnapshot(chat);
  JSON.stringify(snap);
  const next: StoredMessage = {
    id: 'next',
    role: 'user',
    content: 'and now?',
    status: 'complete',
    createdAt: Date.now(),
  };
  const fitted = planner.fit({
    history: [...activePath(chat), next],
    summary: chat.summary,
    systemPrompt: 'S',
    budget: new ContextLimits().budget('http://x/v1', 'm', { contextWindow: 100_000_000 }),
  });
  assert.ok(fitted.ok, 'a loaded chat always fits a large window');
  for (const m of fitted.messages)
    assert.ok(m.content === null || typeof m.content === 'string', 'request contents are text');
  for (const m of snap.messages) {
    assert.equal(typeof m.id, 'string');
    assert.equal(typeof m.content, 'string');
    assert.ok(Number.isFinite(m.createdAt), 'createdAt is a number');
    for (const t of m.toolCalls ?? []) assert.equal(typeof t.argsText, 'string');
    for (const c of m.contexts ?? []) assert.equal(typeof c.text, 'string');
    if (m.error) assert.ok(Array.isArray(m.error.actions) && typeof m.error.message === 'string');
    if (m.usage) assert.equal(typeof m.usage.total_tokens, 'number');
  }
  assert.equal(typeof snap.title, 'string');
}

describe('history loader property (fast-check)', () => {
  // The tokenizer loads at its first count: not inside the property's time budget.
  before(() => planner.counter.text('warm up'));
  itHolds(
    'history: a damaged chat file never breaks loading; it loads usable or is set aside with a notice',
    { numRuns: 150, timeLimitMs: 8000 },
    () =>
      fc.asyncProperty(
        fc.tuple(chatArb('good-a'), chatArb('good-b'), chatArb('hurt')),
        damageArb,
        async ([a, b, hurt], d) => {
          const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-fuzz-history-'));
          try {
            for (const c of [a, b, hurt]) await fs.writeFile(path.join(dir, `${c.id}.json`), serializeChat(c));
            const damaged = damage(serializeChat(hurt), d);
            await fs.writeFile(path.join(dir, 'hurt.json'), damaged);
            const store = new HistoryStore({ dir, now: () => 1_700_000_000_000 });
            const list = await store.list();
            const notices = [...list.notices];
            // The user opens every chat the list shows (and the damaged one, as the window's current chat would).
            const ids = new Set([...list.chats.map((c) => c.id), 'hurt']);
            const loaded = new Map<string, StoredChat>();
            for (const id of ids) {
              const r = await store.load(id);
              if (r.notice) notices.push(r.notice);
              if (r.chat) loaded.set(id, r.chat);
            }
            for (const good of [a, b]) {
              assert.ok(
                list.chats.some((c) => c.id === good.id),
                `${good.id} is listed`,
              );
              assert.deepEqual(loaded.get(good.id), asLoaded(good), `${good.id} loads as saved`);
            }
            const files = await fs.readdir(dir);
            const aside = files.filter((f) => f.startsWith('hurt.corrupt-'));
            if (loaded.has('hurt')) {
              useDownstream(loaded.get('hurt')!);
            } else {
              assert.equal(aside.length, 1, `the damaged file is kept aside: ${files.join(', ')}`);
              assert.ok((await fs.readFile(path.join(dir, aside[0]))).equals(damaged), 'kept byte for byte');
              assert.ok(
                notices.some((n) => n.includes(aside[0])),
                `a notice names ${aside[0]}: ${notices.join(' | ')}`,
              );
              assert.ok(!files.includes('hurt.json'), 'no longer in the way');
            }
            store.dispose();
          } finally {
            await fs.rm(dir, { recursive: true, force: true });
          }
        },
      ),
  );
});

describe('history loader: shrunk cases', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-history-shrunk-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a message field of the wrong type sets the file aside with a notice; a streaming answer with bad tool calls does not throw', async () => {
    const good: StoredChat = {
      version: 1,
      id: 'good',
      title: 't',
      createdAt: 0,
      updatedAt: 0,
      messages: [{ id: 'a', role: 'user', content: '', status: 'complete', createdAt: 0 }],
      selected: {},
    };
    await fs.writeFile(path.join(dir, 'good.json'), serializeChat(good));
    await fs.writeFile(
      path.join(dir, 'hurt.json'),
      serializeChat({ ...good, id: 'hurt', messages: [{ ...good.messages[0], createdAt: '' as unknown as number }] }),
    );
    await fs.writeFile(
      path.join(dir, 'tools.json'),
      serializeChat({
        ...good,
        id: 'tools',
        messages: [{ ...good.messages[0], role: 'assistant', status: 'streaming', toolCalls: 5 as unknown as [] }],
      }),
    );
    const store = new HistoryStore({ dir });
    // The list reads only each file's head; opening a chat reads it all.
    const list = await store.list();
    assert.deepEqual(list.chats.map((c) => c.id).sort(), ['good', 'hurt', 'tools']);
    const hurt = await store.load('hurt');
    const tools = await store.load('tools');
    assert.equal(hurt.chat, undefined);
    assert.match(hurt.notice ?? '', /message 1 is malformed: its createdAt field is malformed/);
    assert.equal(tools.chat, undefined);
    assert.match(tools.notice ?? '', /its toolCalls field is malformed/);
    assert.equal((await fs.readdir(dir)).filter((f) => f.includes('.corrupt-')).length, 2);
    assert.deepEqual(
      (await store.list()).chats.map((c) => c.id),
      ['good'],
    );
  });
});

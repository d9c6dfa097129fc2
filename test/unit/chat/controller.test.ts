import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatController, type ChatDeps, type TurnSetup } from '../../../src/chat/controller';
import { setTimeout as sleep } from 'node:timers/promises';
import { completed, immediateSink, until } from './controllerSupport';
import { HistoryStore, newChatId } from '../../../src/chat/historyStore';
import { newChat, type StoredMessage } from '../../../src/chat/conversation';
import { addChild } from '../../../src/chat/tree';
import { ConnectionError } from '../../../src/api/errors';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import type { TurnOptions, TurnResult } from '../../../src/chat/turn';
import type { CodeContext, ErrorInfo, HostMessage } from '../../../src/protocol';
import type { ChatMessage } from '../../../src/api/types';
import { ChatContext, type ContextSetup } from '../../../src/chat/chatContext';
import { ContextPlanner } from '../../../src/chat/contextPlan';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits } from '../../../src/context/limits';

type TurnImpl = (opts: TurnOptions) => Promise<TurnResult>;

const ok = (content: string, extra: Partial<TurnResult> = {}): TurnResult =>
  completed(content, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }, ...extra });

/** A turn that streams `pieces` through the events and completes. */
const streaming =
  (pieces: string[]): TurnImpl =>
  async (o) => {
    for (const p of pieces) o.events.onText(p);
    return ok(pieces.join(''));
  };

describe('ChatController', () => {
  let dir: string;
  let posted: HostMessage[];
  let turns: TurnOptions[];
  let turnImpl: TurnImpl;
  let prepareResult: () => TurnSetup | ErrorInfo;
  let currentId: string | undefined;
  let stores: HistoryStore[];
  /** The messages each turn sent in its first round (through the context fitting). */
  let sent: ChatMessage[][];
  let limits: ContextLimits;
  let contextSetup: ContextSetup;

  const setup = (): TurnSetup => ({
    client: {
      createChatCompletion: async () => {
        throw new Error('unused');
      },
      streamChatCompletion: () => {
        throw new Error('unused');
      },
    },
    params: { model: 'm1', temperature: 0.5 },
    stream: true,
    systemPrompt: 'SYS',
    context: contextSetup,
  });

  const make = (over: Partial<ChatDeps> = {}) => {
    const store = new HistoryStore({ dir, debounceMs: 10 });
    stores.push(store);
    return new ChatController({
      store,
      post: (m) => posted.push(m),
      prepare: async () => prepareResult(),
      runTurn: (o) => {
        turns.push(o);
        sent.push(o.prepareRound ? o.prepareRound([], undefined).messages : o.params.messages);
        return turnImpl(o);
      },
      toErrorInfo,
      createDeltaSink: immediateSink,
      getStatus: async () => ({
        model: 'm1',
        hasApiKey: true,
        keySource: 'secretStorage',
        baseUrl: 'http://x/v1',
        toolsEnabled: false,
      }),
      currentChatId: {
        get: () => currentId,
        set: (id) => {
          currentId = id;
        },
      },
      newId: newChatId,
      context: new ChatContext(new ContextPlanner(new TokenCounter()), limits),
      contextSetup: async () => contextSetup,
      ...over,
    });
  };
  const of = <T extends HostMessage['type']>(type: T) =>
    posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);
  const savedChat = async (id: string) => JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), 'utf8'));

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-ctl-'));
    posted = [];
    turns = [];
    sent = [];
    stores = [];
    limits = new ContextLimits();
    contextSetup = { baseUrl: 'http://x/v1', model: 'm1', systemPrompt: 'SYS', settings: { contextWindow: 1_000_000 } };
    turnImpl = streaming(['Hel', 'lo']);
    prepareResult = setup;
    currentId = undefined;
  });
  afterEach(async () => {
    for (const s of stores) s.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('bud.modelTitles: after the first answer the model titles the chat, unless the user renamed it', async () => {
    const asked: string[] = [];
    prepareResult = () => ({
      ...setup(),
      modelTitles: true,
      client: {
        ...setup().client,
        createChatCompletion: async (p) => {
          asked.push(String(p.messages[1].content));
          return {
            id: 't',
            object: 'chat.completion',
            created: 0,
            model: 'm1',
            choices: [{ index: 0, message: { role: 'assistant', content: '"Adding numbers"' }, finish_reason: 'stop' }],
          };
        },
      },
    });
    const c = make();
    await c.sendInit();
    await c.send('What is 2+2?');
    await until(() => of('chatList').some((m) => m.chats.some((x) => x.title === 'Adding numbers')));
    assert.deepEqual(asked, ['Question:\nWhat is 2+2?\n\nAnswer:\nHello']);
    assert.equal((await savedChat(c.current.id)).title, 'Adding numbers');
    await c.send('And 3+3?');
    await sleep(30);
    assert.equal(asked.length, 1, 'only after the first answer');

    // Renamed before the answer ends: the user's title stays.
    await c.newChat();
    turnImpl = async (o) => {
      await c.renameChat(c.current.id, 'Mine');
      return streaming(['x'])(o);
    };
    await c.send('Another question');
    await sleep(30);
    assert.equal(c.current.title, 'Mine');
    assert.equal(asked.length, 1);
  });

  it('send: user message, empty answer, deltas, end with usage; saved; titled', async () => {
    const c = make();
    await c.sendInit();
    assert.equal(of('init').length, 1);
    assert.equal(await c.send('What is 2+2?'), true);
    const added = of('messageAdded');
    assert.deepEqual(
      added.map((m) => [m.message.role, m.message.status]),
      [
        ['user', 'complete'],
        ['assistant', 'streaming'],
      ],
    );
    assert.deepEqual(
      of('answerDelta').map((d) => d.text),
      ['Hel', 'lo'],
    );
    const end = of('answerEnded')[0];
    assert.equal(end.status, 'complete');
    assert.deepEqual(end.usage, { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    // The request: system prompt, then the user message; sampling params carried.
    assert.deepEqual(sent[0], [
      { role: 'system', content: 'SYS' },
      { role: 'user', content: 'What is 2+2?' },
    ]);
    assert.equal(turns[0].params.temperature, 0.5);
    await c.flush();
    const saved = await savedChat(c.current.id);
    assert.equal(saved.title, 'What is 2+2?');
    assert.deepEqual(
      saved.messages.map((m: StoredMessage) => [m.role, m.content, m.status]),
      [
        ['user', 'What is 2+2?', 'complete'],
        ['assistant', 'Hello', 'complete'],
      ],
    );
    assert.equal(currentId, c.current.id);
    // A second message sends the first exchange back.
    turnImpl = streaming(['4']);
    await c.send('And 3+3?');
    assert.deepEqual(
      sent[1].map((m) => m.content),
      ['SYS', 'What is 2+2?', 'Hello', 'And 3+3?'],
    );
  });

  it('refuses a message over 1,000,000 characters: a notice, nothing added, nothing sent', async () => {
    const c = make();
    assert.equal(await c.send('x'.repeat(1_000_001)), false);
    assert.equal(turns.length, 0);
    assert.equal(of('messageAdded').length, 0);
    const n = of('notice')[0].notice!;
    assert.equal(n.level, 'error');
    assert.match(n.text, /1,000,001 characters long.*nothing was sent/);
  });

  it('at 1,000 messages: sends at most 1,000 and marks the first message sent, with the count left out', async () => {
    const chat = newChat('big-chat', 1);
    for (let i = 0; i < 500; i++) {
      addChild(chat, chat.messages.at(-1), {
        id: `u${i}`,
        role: 'user',
        content: `q${i}`,
        status: 'complete',
        createdAt: i * 2,
      });
      addChild(chat, chat.messages.at(-1), {
        id: `a${i}`,
        role: 'assistant',
        content: `a${i}`,
        status: 'complete',
        createdAt: i * 2 + 1,
      });
    }
    await new HistoryStore({ dir }).save(chat, { upserted: chat.messages.map((m) => m.id) }, true);
    currentId = 'big-chat';
    const c = make();
    await c.send('one more');
    const first = sent[0];
    assert.ok(first.length <= 1000, `sent ${first.length}`);
    assert.equal(first[0].content, 'SYS');
    assert.equal(first[1].role, 'user', 'whole exchanges only');
    assert.equal(first.at(-1)!.content, 'one more');
    await until(() => of('context').some((m) => m.info?.notSent));
    const info = of('context').at(-1)!.info!;
    assert.equal(info.notSent, 4, 'the oldest two exchanges, for the next message too');
    assert.equal(info.firstSentId, 'u2');
  });

  it('writes a question and its streaming answer a moment after the request, and marks the view busy without re-reading', async () => {
    let statusReads = 0;
    const c = make({
      getStatus: async () => {
        statusReads++;
        return {
          model: 'm1',
          hasApiKey: true,
          keySource: 'secretStorage',
          baseUrl: 'http://x/v1',
          toolsEnabled: false,
        };
      },
    });
    await c.sendInit();
    await c.send('first'); // a new chat is written at once (the history list shows it)
    await c.flush();
    const reads = statusReads;
    let end!: () => void;
    turnImpl = (o) =>
      new Promise((resolve) => {
        o.events.onText('Part');
        end = () => resolve(ok('Part'));
      });
    const done = c.send('second');
    await until(() => turns.length === 2);
    assert.equal(of('status').at(-1)!.status.busy, true);
    assert.equal(statusReads, reads, 'the busy status reuses the last one');
    // The first write waits a moment (the request goes first), but while the answer still streams the question and
    // the answer so far reach the disk.
    let saved = await savedChat(c.current.id);
    for (let i = 0; i < 200 && saved.messages.length < 4; i++) {
      await sleep(10);
      saved = await savedChat(c.current.id);
    }
    assert.deepEqual(
      saved.messages.slice(2).map((m: StoredMessage) => [m.role, m.content, m.status]),
      [
        ['user', 'second', 'complete'],
        ['assistant', 'Part', 'streaming'],
      ],
    );
    end();
    await done;
    await c.flush();
    assert.equal((await savedChat(c.current.id)).messages[3].status, 'complete');
    assert.equal(of('status').at(-1)!.status.busy, false);
  });

  it('Stop aborts at once; the partial answer is kept and saved as stopped', async () => {
    turnImpl = (o) =>
      new Promise((resolve) => {
        o.events.onText('Partial ');
        o.signal.addEventListener('abort', () => resolve({ ...ok('Partial '), status: 'stopped', newMessages: [] }));
      });
    const c = make();
    const done = c.send('long one');
    await until(() => turns.length === 1);
    assert.equal(c.busy, true);
    c.stop();
    await done;
    assert.equal(turns[0].signal.aborted, true);
    assert.equal(of('answerEnded')[0].status, 'stopped');
    await c.flush();
    const saved = await savedChat(c.current.id);
    assert.deepEqual([saved.messages[1].content, saved.messages[1].status], ['Partial ', 'stopped']);
    // The stopped answer goes back to the model marked as incomplete.
    turnImpl = streaming(['ok']);
    await c.send('next');
    assert.match(sent[1][2].content!, /^Partial \n\n\[This answer is incomplete: the user stopped it/);
  });

  it('an error keeps the partial text, carries the fixing actions, and Retry replaces the answer', async () => {
    turnImpl = async (o) => {
      o.events.onText('Half');
      return {
        ...ok('Half'),
        status: 'error',
        newMessages: [],
        error: new ConnectionError('Connection to http://x/v1 was reset.'),
      };
    };
    const c = make();
    await c.send('question');
    const end = of('answerEnded')[0];
    assert.equal(end.status, 'error');
    assert.equal(end.error!.kind, 'connection');
    assert.ok(end.error!.actions.includes('retry'));
    const failedId = end.id;
    turnImpl = streaming(['Whole answer']);
    await c.retry();
    assert.deepEqual(of('messagesRemoved')[0].ids, [failedId]);
    assert.deepEqual(
      sent[1].map((m) => m.content),
      ['SYS', 'question'],
    );
    await c.flush();
    const saved = await savedChat(c.current.id);
    assert.deepEqual(
      saved.messages.map((m: StoredMessage) => [m.content, m.status]),
      [
        ['question', 'complete'],
        ['Whole answer', 'complete'],
      ],
    );
  });

  it('no API key: an inline error with Set API Key; nothing is sent', async () => {
    prepareResult = () => ({ kind: 'noApiKey', message: 'No API key is set.', actions: ['setApiKey'] });
    const c = make();
    await c.send('hi');
    assert.equal(turns.length, 0);
    const end = of('answerEnded')[0];
    assert.equal(end.status, 'error');
    assert.deepEqual(end.error!.actions, ['setApiKey']);
  });

  it('retry events, tool calls and reasoning reach the view', async () => {
    turnImpl = async (o) => {
      o.events.onRetry!({ attempt: 1, maxRetries: 3, delayMs: 4000, reason: '429 Too Many Requests' });
      o.events.onReasoning!('thinking');
      o.events.onToolCall!({ id: 't1', name: 'read_file', argsText: '{"path":"a.ts"}', state: 'running' });
      o.events.onToolCall!({
        id: 't1',
        name: 'read_file',
        argsText: '{"path":"a.ts"}',
        state: 'done',
        summary: '3 lines of a.ts',
      });
      o.events.onText('Done');
      return ok('Done', {
        toolCalls: [
          { id: 't1', name: 'read_file', argsText: '{"path":"a.ts"}', state: 'done', summary: '3 lines of a.ts' },
        ],
      });
    };
    const c = make();
    await c.send('read a.ts');
    assert.deepEqual(of('retrying')[0], {
      type: 'retrying',
      id: of('answerEnded')[0].id,
      attempt: 1,
      maxRetries: 3,
      delayMs: 4000,
      reason: '429 Too Many Requests',
    });
    assert.deepEqual(
      of('toolCall').map((t) => t.call.state),
      ['running', 'done'],
    );
    assert.equal(of('answerDelta').find((d) => d.reasoning)!.reasoning, 'thinking');
    assert.equal(c.current.messages[1].toolCalls!.length, 1);
  });

  it('pending code chips go with the next message and are cleared', async () => {
    const c = make();
    const ctx = {
      path: 'src/a.ts',
      uri: 'file:///w/src/a.ts',
      language: 'typescript',
      startLine: 1,
      endLine: 3,
      text: 'let a = 1;',
    };
    c.addPendingContext(ctx);
    c.addPendingContext({ ...ctx, startLine: 7, endLine: 7 });
    c.removePendingContext(1);
    assert.deepEqual(
      of('pendingContexts').map((p) => p.contexts.length),
      [1, 2, 1],
    );
    await c.send('What does this do?');
    assert.deepEqual(of('pendingContexts').at(-1)!.contexts, []);
    assert.deepEqual(c.current.messages[0].contexts, [ctx]);
    assert.match(
      sent[0][1].content!,
      /^From `src\/a\.ts`, lines 1-3 \(typescript\):\n\n```typescript\nlet a = 1;\n```\n\nWhat does this do\?$/,
    );
  });

  it('a reload restores the chat; an answer cut off by the reload comes back as interrupted', async () => {
    let release!: () => void;
    turnImpl = (o) => {
      o.events.onText('Stream');
      return new Promise((r) => {
        release = () => r(ok('Stream'));
      });
    };
    const c1 = make();
    const pending = c1.send('q');
    // Past the debounce the partial answer is on disk, still marked as streaming.
    const onDisk = async () => {
      try {
        return (await savedChat(c1.current.id)).messages[1]?.content === 'Stream';
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 200 && !(await onDisk()); i++) await sleep(10);
    assert.equal((await savedChat(c1.current.id)).messages[1].status, 'streaming');
    // "Reload": a new controller reads the same directory and workspace state.
    const c2 = make();
    await c2.sendInit();
    const init = of('init').at(-1)!;
    assert.deepEqual(
      init.chat.messages.map((m) => [m.content, m.status]),
      [
        ['q', 'complete'],
        ['Stream', 'interrupted'],
      ],
    );
    assert.equal(init.chat.messages[1].note, 'The window closed before this answer finished.');
    release();
    await pending;
  });

  it('two windows on one workspace: a reopened view shows what the other window added', async () => {
    const w1 = make();
    await w1.sendInit();
    const w2 = make();
    await w2.sendInit(); // same current chat id (workspace state), loaded before window 1 writes
    await w1.send('from window 1');
    await w1.flush();
    posted = [];
    await w2.sendInit(); // window 2's view is shown again
    assert.deepEqual(
      of('init')[0].chat.messages.map((m) => m.content),
      ['from window 1', 'Hello'],
    );
    turnImpl = streaming(['Second']);
    await w2.send('from window 2');
    await w2.flush();
    await w1.send('window 1 again');
    await w1.flush();
    const saved = await savedChat(w1.current.id);
    assert.deepEqual(
      saved.messages.map((m: StoredMessage) => m.content),
      ['from window 1', 'Hello', 'from window 2', 'Second', 'window 1 again', 'Second'],
    );
  });

  it("each window keeps its own chat across reloads; a window without one gets the workspace's latest", async () => {
    const w1 = make();
    await w1.sendInit();
    await w1.send('chat of window 1');
    const chatA = w1.current.id;
    const w2 = make();
    await w2.sendInit(); // a new window: the workspace's most recent chat
    assert.equal(w2.current.id, chatA);
    await w2.newChat();
    await w2.send('chat of window 2');
    const chatB = w2.current.id;
    assert.notEqual(chatB, chatA);
    await w1.flush();
    await w2.flush();
    posted = [];
    const w1again = make(); // window 1 reloads; its view remembers chat A
    await w1again.sendInit([], chatA);
    assert.equal(w1again.current.id, chatA);
    assert.deepEqual(
      of('init')[0].chat.messages.map((m) => m.content),
      ['chat of window 1', 'Hello'],
    );
    const w2again = make();
    await w2again.sendInit([], chatB);
    assert.equal(w2again.current.id, chatB);
    const w3 = make(); // a third, new window
    await w3.sendInit();
    assert.equal(w3.current.id, chatB, 'the chat used last');
    const w4 = make(); // a view that remembers a new chat it never wrote
    await w4.sendInit([], 'never-written');
    assert.equal(w4.current.id, 'never-written');
    assert.equal(w4.current.messages.length, 0);
  });

  it('a corrupted current chat: moved aside, named in a notice, and a fresh chat (never a blank panel)', async () => {
    await fs.writeFile(path.join(dir, 'broken.json'), '{"version":1,"id":"broken","messages":[');
    currentId = 'broken';
    const c = make();
    await c.sendInit();
    const init = of('init')[0];
    assert.notEqual(init.chat.id, 'broken');
    assert.deepEqual(init.chat.messages, []);
    const notice = of('notice').at(-1)!.notice!;
    assert.match(notice.text, /broken\.corrupt-.*\.json/);
    assert.ok((await fs.readdir(dir)).some((f) => f.startsWith('broken.corrupt-')));
  });

  it('new chat, switch, rename and delete; the list comes from the saved files', async () => {
    const c = make();
    await c.send('first chat');
    const firstId = c.current.id;
    await c.newChat();
    assert.notEqual(c.current.id, firstId);
    await c.send('second chat');
    await c.flush();
    const secondId = c.current.id;
    await c.switchChat(firstId);
    assert.equal(of('chatLoaded').at(-1)!.chat.messages[0].content, 'first chat');
    await c.renameChat(secondId, '  Renamed   chat ');
    assert.deepEqual(
      of('chatList')
        .at(-1)!
        .chats.map((s) => s.title)
        .sort(),
      ['Renamed chat', 'first chat'],
    );
    await c.deleteChat(firstId);
    assert.notEqual(c.current.id, firstId, 'deleting the current chat starts a new one');
    assert.deepEqual(
      of('chatList')
        .at(-1)!
        .chats.map((s) => s.id),
      [secondId],
    );
    await c.switchChat('no-such-chat');
    assert.match(of('notice').at(-1)!.notice!.text, /no longer exists/);
  });

  it('a second send while streaming is refused with a notice', async () => {
    let release!: () => void;
    turnImpl = () =>
      new Promise((r) => {
        release = () => r(ok('x'));
      });
    const c = make();
    const first = c.send('one');
    await until(() => turns.length === 1);
    assert.equal(await c.send('two'), false);
    assert.match(of('notice').at(-1)!.notice!.text, /still arriving/);
    assert.equal(of('focusInput').at(-1)?.text, 'two', 'the refused text goes back into the box');
    release();
    await first;
  });

  it('a message sent while the ended answer is only being saved goes through (the view already offers Send)', async () => {
    const c = make();
    const store = stores[0];
    const save = store.save.bind(store);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    // The last save of an answer, after the view was told it ended, is slow (a loaded disk).
    store.save = async (...args: Parameters<typeof save>) => {
      if (args[2] && of('answerEnded').length === 1) await gate;
      return save(...args);
    };
    const first = c.send('one');
    await until(() => of('answerEnded').length === 1);
    const second = c.send('two');
    setTimeout(open, 30);
    assert.equal(await second, true, `refused: ${of('notice').at(-1)?.notice?.text}`);
    await first;
    assert.equal(turns.length, 2);
    assert.ok(!of('notice').some((n) => /still arriving/.test(n.notice?.text ?? '')));
  });

  describe('attachments', () => {
    const file = (name: string, text = 'x'): CodeContext => ({
      kind: 'file',
      path: `src/${name}`,
      uri: `file:///w/src/${name}`,
      language: 'typescript',
      startLine: 1,
      endLine: 1,
      text,
    });

    it('reads the attachments again when the message is sent, and saves them as sent', async () => {
      const seen: CodeContext[][] = [];
      const c = make({
        prepareAttachments: async (contexts) => {
          seen.push([...contexts]);
          return contexts.map((x) => ({ ...x, text: `${x.text} (read at send)`, tokens: 7 }));
        },
      });
      c.addPendingContext(file('a.ts', 'old'));
      assert.equal(await c.send('why?', [file('b.ts', 'b')]), true);
      assert.deepEqual(
        seen[0].map((x) => x.path),
        ['src/a.ts', 'src/b.ts'],
      );
      const content = String(sent[0].at(-1)!.content);
      assert.match(content, /^File `src\/a\.ts` \(typescript, line 1\):\n\n```typescript\nold \(read at send\)\n```/);
      assert.ok(content.endsWith('why?'));
      const user = (await savedChat(c.current.id)).messages[0] as StoredMessage;
      assert.deepEqual(
        user.contexts!.map((x) => [x.text, x.tokens]),
        [
          ['old (read at send)', 7],
          ['b (read at send)', 7],
        ],
      );
      assert.deepEqual(of('pendingContexts').at(-1)!.contexts, []);
    });

    it('attachments that cannot be read stop the send with a notice, and stay pending', async () => {
      const c = make({ prepareAttachments: () => Promise.reject(new Error('disk gone')) });
      c.addPendingContext(file('a.ts'));
      assert.equal(await c.send('why?'), false);
      assert.match(of('notice').at(-1)!.notice!.text, /could not be read, so nothing was sent: disk gone/);
      assert.equal(c.pendingContexts.length, 1);
      assert.equal(turns.length, 0);
    });

    it('a chip added while the attachments are read stays for the next message; a second send waits its turn', async () => {
      let release!: () => void;
      const c = make({
        prepareAttachments: (contexts) =>
          new Promise((r) => {
            release = () => r([...contexts]);
          }),
      });
      c.addPendingContext(file('a.ts'));
      const sending = c.send('first');
      await until(() => release !== undefined);
      c.addPendingContext(file('late.ts'));
      assert.equal(await c.send('second'), false, 'refused while the first is being prepared');
      release();
      assert.equal(await sending, true);
      assert.deepEqual(
        c.pendingContexts.map((x) => x.path),
        ['src/late.ts'],
      );
    });

    it('the same file attached twice replaces the first chip; selections add up', () => {
      const c = make();
      c.addPendingContext(file('a.ts', 'one'));
      c.addPendingContext(file('a.ts', 'two'));
      const sel = { ...file('a.ts'), kind: undefined, startLine: 2, endLine: 3 };
      c.addPendingContext(sel);
      c.addPendingContext({ ...sel });
      assert.deepEqual(
        c.pendingContexts.map((x) => [x.kind ?? 'selection', x.text]),
        [
          ['file', 'two'],
          ['selection', 'x'],
          ['selection', 'x'],
        ],
      );
    });
  });
});

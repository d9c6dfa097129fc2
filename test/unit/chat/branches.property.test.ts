// Properties of the tree of branches, driven through the real controller with a scripted model: any sequence of
// sends, edits, regenerations, retries, branch switches, deleted turns, undos and reloads
//   - keeps the messages a tree (every parent present, no loop; questions follow answers and answers questions),
//   - keeps every message reachable (a path of branch choices shows it), and loses none except by delete / retry,
//   - sends a valid path each time (system first, questions and answers alternating, tool results right after
//     their calls) that ends at the question being answered,
//   - keeps the view (rebuilt from what the controller posted) equal to the active path,
//   - survives a reload: the same branch is shown.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ChatMessage } from '../../../src/api/types';
import { ChatController, type ChatDeps, type TurnSetup } from '../../../src/chat/controller';
import { activePath, selectPathTo, treeProblem } from '../../../src/chat/tree';
import type { StoredChat, StoredMessage } from '../../../src/chat/conversation';
import { parseChat, serializeChat } from '../../../src/chat/historyStore';
import { buildUserContent } from '../../../src/chat/prompts';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import type { TurnResult } from '../../../src/chat/turn';
import type { HostMessage } from '../../../src/protocol';
import { itHolds } from '../fuzz/property';
import { ChatContext } from '../../../src/chat/chatContext';
import { ContextPlanner } from '../../../src/chat/contextPlan';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits } from '../../../src/context/limits';

type Outcome = 'complete' | 'tools' | 'error' | 'errorEmpty' | 'stopped';
type Op =
  | { kind: 'send'; outcome: Outcome }
  | { kind: 'edit' | 'regenerate' | 'delete'; pick: number; outcome: Outcome }
  | { kind: 'switch'; pick: number; index: number }
  | { kind: 'undo' | 'retry' | 'reload'; outcome: Outcome };

const outcome = fc.constantFrom<Outcome>('complete', 'complete', 'tools', 'error', 'errorEmpty', 'stopped');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), outcome }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('edit' as const, 'regenerate' as const, 'delete' as const),
      pick: fc.nat(),
      outcome,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('switch' as const), pick: fc.nat(), index: fc.nat({ max: 4 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('undo' as const, 'retry' as const, 'reload' as const), outcome }),
  },
);

const SETUP: TurnSetup = {
  client: {
    createChatCompletion: () => Promise.reject(new Error('unused')),
    streamChatCompletion: () => {
      throw new Error('unused');
    },
  },
  params: { model: 'm' },
  stream: true,
  systemPrompt: 'SYS',
  // A window far larger than any generated chat: these properties are about branches, not fitting.
  context: { baseUrl: 'http://x/v1', model: 'm', systemPrompt: 'SYS', settings: { contextWindow: 10_000_000 } },
};

/** Why `sent` is not a valid request ending at `question`, or undefined. */
export function requestProblem(sent: readonly ChatMessage[], question: StoredMessage): string | undefined {
  if (sent[0]?.role !== 'system') return 'the system prompt is not first';
  let expect: 'user' | 'assistant' = 'user';
  for (let i = 1; i < sent.length; i++) {
    const m = sent[i];
    if (m.role === 'tool') return `a tool message at ${i} without its call`;
    if (m.role !== expect) return `${m.role} at ${i} where a ${expect} message belongs`;
    if (m.role === 'assistant' && m.tool_calls?.length) {
      const ids = m.tool_calls.map((c) => c.id);
      const answered: string[] = [];
      while (sent[i + 1]?.role === 'tool') answered.push(sent[++i].tool_call_id ?? '');
      if (answered.join() !== ids.join()) return `calls ${ids.join()} answered by ${answered.join()}`;
      continue; // the same answer goes on with another assistant message
    }
    expect = expect === 'user' ? 'assistant' : 'user';
  }
  if (expect !== 'assistant') return 'the request does not end with a question';
  const last = sent[sent.length - 1];
  if (last.content !== buildUserContent(question.content, question.contexts))
    return `the request ends with ${JSON.stringify(last.content)}, not the question being answered`;
  return undefined;
}

/** The message ids the view shows, rebuilt from what the host posted (as the webview applies them). */
function applyToView(view: string[], msg: HostMessage): string[] {
  switch (msg.type) {
    case 'init':
    case 'chatLoaded':
      return msg.chat.messages.map((m) => m.id);
    case 'messageAdded':
      return view.includes(msg.message.id) ? view : [...view, msg.message.id];
    case 'messagesRemoved':
      return view.filter((id) => !msg.ids.includes(id));
    case 'pathChanged': {
      const keep = msg.afterId === null ? 0 : view.indexOf(msg.afterId) + 1;
      if (msg.afterId !== null && keep === 0) throw new Error(`pathChanged after ${msg.afterId}, which is not shown`);
      return [...view.slice(0, keep), ...msg.messages.map((m) => m.id)];
    }
    default:
      return view;
  }
}

function result(kind: Outcome, n: number): TurnResult {
  const text = `answer ${n}`;
  switch (kind) {
    case 'complete':
      return {
        status: 'complete',
        content: text,
        reasoning: '',
        newMessages: [{ role: 'assistant', content: text }],
        toolCalls: [],
      };
    case 'tools': {
      const id = `call_${n}`;
      return {
        status: 'complete',
        content: text,
        reasoning: '',
        newMessages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: id, content: 'file text' },
          { role: 'assistant', content: text },
        ],
        toolCalls: [{ id, name: 'read_file', argsText: '{}', state: 'done' }],
      };
    }
    case 'error':
      return {
        status: 'error',
        content: text,
        reasoning: '',
        newMessages: [],
        toolCalls: [],
        error: new Error('boom') as never,
      };
    case 'errorEmpty':
      return {
        status: 'error',
        content: '',
        reasoning: '',
        newMessages: [],
        toolCalls: [],
        error: new Error('boom') as never,
      };
    case 'stopped':
      return { status: 'stopped', content: `${text} (cut)`, reasoning: '', newMessages: [], toolCalls: [] };
  }
}

/** An in-memory store that keeps each chat as the text a real file would hold. */
function memoryStore(files: Map<string, string>): ChatDeps['store'] {
  return {
    load: async (id) => {
      const text = files.get(id);
      if (text === undefined) return {};
      const chat = parseChat(text, id);
      if (typeof chat === 'string') throw new Error(`the saved chat does not parse: ${chat}`);
      return { chat };
    },
    list: async () => ({ chats: [], notices: [] }),
    save: async (chat) => {
      // Like HistoryStore: an empty chat is not written unless its file exists.
      if (chat.messages.length || files.has(chat.id)) files.set(chat.id, serializeChat(chat));
    },
    flush: async () => undefined,
    delete: async (id) => {
      files.delete(id);
    },
    isStale: async () => false,
  };
}

class Run {
  files = new Map<string, string>();
  currentId: string | undefined;
  view: string[] = [];
  next: Outcome = 'complete';
  answered = 0;
  problems: string[] = [];
  ids = 0;
  controller!: ChatController;

  constructor() {
    this.open();
  }

  open(): void {
    const c: ChatController = new ChatController({
      store: memoryStore(this.files),
      post: (m) => {
        this.view = applyToView(this.view, m);
      },
      prepare: async () => SETUP,
      context: new ChatContext(new ContextPlanner(new TokenCounter()), new ContextLimits()),
      contextSetup: async () => SETUP.context,
      runTurn: async (o) => {
        const streaming = c.current.messages.find((m) => m.status === 'streaming');
        const question =
          streaming?.parentId === undefined ? undefined : c.current.messages.find((m) => m.id === streaming.parentId);
        if (!question) this.problems.push('an answer started without a question before it');
        else {
          const p = requestProblem(
            o.prepareRound ? o.prepareRound([], undefined).messages : o.params.messages,
            question,
          );
          if (p) this.problems.push(p);
          if (activePath(c.current).at(-1) !== streaming)
            this.problems.push('the streaming answer is not the end of the path');
        }
        return result(this.next, ++this.answered);
      },
      toErrorInfo,
      createDeltaSink: (onFlush) => ({
        push: (t, r) => onFlush(t, r ?? ''),
        flush: () => undefined,
        dispose: () => undefined,
      }),
      getStatus: async () => ({
        model: 'm',
        hasApiKey: true,
        keySource: 'secretStorage',
        baseUrl: 'http://x/v1',
        toolsEnabled: false,
      }),
      currentChatId: {
        get: () => this.currentId,
        set: (id) => {
          this.currentId = id;
        },
      },
      newId: () => `chat${(this.ids++).toString().padStart(6, '0')}`,
    });
    this.controller = c;
  }

  get chat(): StoredChat {
    return this.controller.current;
  }

  async apply(o: Op): Promise<void> {
    if ('outcome' in o) this.next = o.outcome;
    const pick = (role: 'user' | 'assistant' | undefined, n: number) => {
      const all = this.chat.messages.filter((m) => !role || m.role === role);
      return all.length ? all[n % all.length].id : 'none';
    };
    const c = this.controller;
    switch (o.kind) {
      case 'send':
        await c.send(`question ${this.answered}`);
        return;
      case 'edit':
        await c.branches.edit(pick('user', o.pick), `edited ${this.answered}`);
        return;
      case 'regenerate':
        await c.branches.regenerate(pick('assistant', o.pick));
        return;
      case 'delete':
        await c.branches.deleteTurn(pick('user', o.pick));
        return;
      case 'switch':
        await c.branches.switchBranch(pick(undefined, o.pick), o.index);
        return;
      case 'undo':
        await c.branches.undoDelete();
        return;
      case 'retry':
        await c.retry();
        return;
      case 'reload': {
        const before = activePath(this.chat).map((m) => m.id);
        this.open();
        await this.controller.sendInit();
        const after = activePath(this.chat).map((m) => m.id);
        if (before.join() !== after.join()) this.problems.push(`a reload showed ${after} instead of ${before}`);
        return;
      }
    }
  }

  check(before: Set<string>, o: Op): void {
    const chat = this.chat;
    const problem = treeProblem(chat.messages);
    if (problem) throw new Error(`not a tree: ${problem}`);
    const byId = new Map(chat.messages.map((m) => [m.id, m]));
    for (const m of chat.messages) {
      const parent = m.parentId === undefined ? undefined : byId.get(m.parentId)!;
      if (m.role === 'assistant' && parent?.role !== 'user')
        throw new Error(`answer ${m.id} does not follow a question`);
      if (m.role === 'user' && parent && parent.role !== 'assistant')
        throw new Error(`question ${m.id} follows a question`);
      const copy: StoredChat = { ...chat, selected: { ...chat.selected } };
      selectPathTo(copy, m.id);
      if (!activePath(copy).includes(m)) throw new Error(`message ${m.id} cannot be reached`);
    }
    const lost = [...before].filter((id) => !byId.has(id));
    if (lost.length && o.kind !== 'delete' && o.kind !== 'retry') throw new Error(`${o.kind} lost ${lost}`);
    if (o.kind === 'retry' && lost.length > 1) throw new Error(`retry removed ${lost}`);
    const path = activePath(chat).map((m) => m.id);
    if (this.view.join() !== path.join()) throw new Error(`the view shows ${this.view} but the path is ${path}`);
    const snapshot = this.controller.snapshotMessages().map((m) => m.id);
    if (snapshot.join() !== path.join()) throw new Error('the snapshot is not the active path');
    if (this.problems.length) throw new Error(this.problems.join('; '));
  }
}

async function runOps(ops: readonly Op[]): Promise<void> {
  const run = new Run();
  await run.controller.sendInit();
  for (const o of ops) {
    const before = new Set(run.chat.messages.map((m) => m.id));
    await run.apply(o);
    run.check(before, o);
  }
}

describe('branches (property)', () => {
  itHolds(
    'branches: any sequence of edits, regenerations, deletes, undos, switches, retries and reloads keeps the tree whole and the sent path valid',
    { numRuns: 300, timeLimitMs: 20_000 },
    () => fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), runOps),
  );

  // Shrunk cases the property found, kept as plain tests.
  it('regenerating sends the path up to the question, not the old answer after it', () =>
    runOps([
      { kind: 'send', outcome: 'complete' },
      { kind: 'regenerate', pick: 0, outcome: 'complete' },
    ]));

  it('editing a question of a branch that is not on screen redraws from where the paths part', () =>
    runOps([
      { kind: 'send', outcome: 'complete' },
      { kind: 'send', outcome: 'complete' },
      { kind: 'edit', pick: 0, outcome: 'complete' },
      { kind: 'edit', pick: 900105319, outcome: 'complete' },
    ]));

  it('deleting the only turn leaves an empty chat that stays empty after a reload', () =>
    runOps([
      { kind: 'send', outcome: 'complete' },
      { kind: 'delete', pick: 0, outcome: 'complete' },
      { kind: 'reload', outcome: 'complete' },
      { kind: 'edit', pick: 0, outcome: 'complete' },
    ]));

  it('undo after a retry removed the answer the deleted turn followed: refused with a notice, the tree stays whole', () =>
    runOps([
      { kind: 'send', outcome: 'complete' },
      { kind: 'send', outcome: 'complete' },
      { kind: 'delete', pick: 1, outcome: 'complete' },
      { kind: 'retry', outcome: 'complete' },
      { kind: 'undo', outcome: 'complete' },
      { kind: 'edit', pick: 0, outcome: 'complete' },
    ]));

  it('requestProblem catches what it is meant to', () => {
    const q: StoredMessage = { id: 'q', role: 'user', content: 'hi', status: 'complete', createdAt: 1 };
    const sys: ChatMessage = { role: 'system', content: 'S' };
    assert.equal(requestProblem([sys, { role: 'user', content: 'hi' }], q), undefined);
    assert.match(
      requestProblem([sys, { role: 'user', content: 'x' }, { role: 'user', content: 'hi' }], q)!,
      /user at 2/,
    );
    assert.match(requestProblem([sys, { role: 'user', content: 'other' }], q)!, /not the question/);
    assert.match(
      requestProblem([sys, { role: 'user', content: 'x' }, { role: 'tool', content: 't', tool_call_id: 'c' }], q)!,
      /tool message/,
    );
    assert.match(
      requestProblem(
        [
          sys,
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'user', content: 'hi' },
        ],
        q,
      )!,
      /calls c answered by/,
    );
  });
});

// The controller and the context window together: a refusal learned and retried once (against a local server
// that enforces its window as vLLM does), Continue after a cut-off answer, a content-filtered answer kept, a
// message that cannot fit refused before sending, Condense and its undo, and the meter's numbers.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BudClient } from '../../../src/api/client';
import type { ChatMessage } from '../../../src/api/types';
import { ChatContext, type ContextSetup } from '../../../src/chat/chatContext';
import { ContextPlanner } from '../../../src/chat/contextPlan';
import { ChatController, type ChatDeps, type TurnSetup } from '../../../src/chat/controller';
import { completed, immediateSink, until } from './controllerSupport';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import { HistoryStore, newChatId } from '../../../src/chat/historyStore';
import { runTurn, type TurnOptions, type TurnResult } from '../../../src/chat/turn';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits, type ContextLimitsData } from '../../../src/context/limits';
import { parseContextRefusal } from '../../../src/context/refusal';
import type { HostMessage } from '../../../src/protocol';
import { startTestServer, type Handler, type TestServer } from '../../../scripts/server/openai-server';

/** A server that counts prompts with Bud's own counter and refuses past `window` exactly as vLLM does. */
function vllmWindow(window: number, counter = new TokenCounter()): Handler & { refusals: number; served: number[] } {
  const h = ((req, res) => {
    const prompt = counter.request(req.body.messages, req.body.tools);
    const max = req.body.max_tokens as number | undefined;
    if (max === undefined ? prompt >= window : prompt + max > window) {
      h.refusals++;
      const message =
        max === undefined
          ? `This model's maximum context length is ${window} tokens. However, you requested ${prompt} tokens in the messages, Please reduce the length of the messages.`
          : `This model's maximum context length is ${window} tokens. However, you requested ${prompt + max} tokens (${prompt} in the messages, ${max} in the completion). Please reduce the length of the messages or completion.`;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: 400 }));
      return;
    }
    h.served.push(prompt);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: 'Answered.' }));
    res.write(chunk({}, 'stop'));
    res.write(
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: prompt, completion_tokens: 2, total_tokens: prompt + 2 } })}\n\n`,
    );
    res.end('data: [DONE]\n\n');
  }) as Handler & { refusals: number; served: number[] };
  h.refusals = 0;
  h.served = [];
  return h;
}

describe('ChatController with the context window', function () {
  this.timeout(20_000);
  let dir: string;
  let posted: HostMessage[];
  let stores: HistoryStore[];
  let currentId: string | undefined;
  let limits: ContextLimits;
  let saved: ContextLimitsData[];
  let logs: string[];
  let server: TestServer | undefined;
  let contextSetup: ContextSetup;

  const of = <T extends HostMessage['type']>(type: T) =>
    posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);

  function setup(client: TurnSetup['client']): TurnSetup {
    return { client, params: { model: 'm' }, stream: true, systemPrompt: 'SYS', context: contextSetup };
  }

  function make(over: Partial<ChatDeps> & { client?: TurnSetup['client'] } = {}): ChatController {
    const store = new HistoryStore({ dir, debounceMs: 10 });
    stores.push(store);
    const client =
      over.client ??
      new BudClient({
        baseUrl: server?.url ?? 'http://127.0.0.1:9',
        apiKey: 'sk-x',
        maxRetries: 0,
        isUnrelated400: (e) => !!parseContextRefusal(e.status, e.body ?? e.serverMessage, e.serverMessage),
      });
    return new ChatController({
      store,
      post: (m) => posted.push(m),
      prepare: async () => setup(client),
      runTurn,
      toErrorInfo,
      createDeltaSink: immediateSink,
      getStatus: async () => ({ model: 'm', hasApiKey: true, keySource: 'env', baseUrl: 'x', toolsEnabled: false }),
      currentChatId: { get: () => currentId, set: (id) => void (currentId = id) },
      newId: newChatId,
      context: new ChatContext(new ContextPlanner(new TokenCounter()), limits, (l) => logs.push(l)),
      contextSetup: async () => contextSetup,
      log: (l) => logs.push(l),
      ...over,
    });
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-ctx-'));
    posted = [];
    stores = [];
    logs = [];
    saved = [];
    currentId = undefined;
    limits = new ContextLimits({ save: (d) => saved.push(d) });
    contextSetup = { baseUrl: 'http://127.0.0.1:1/v1', model: 'm', systemPrompt: 'SYS', settings: {} };
  });
  afterEach(async () => {
    for (const s of stores) s.dispose();
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fit, refused, learned, fitted again and retried once by itself; the next message is not refused', async () => {
    server = await startTestServer({ models: ['m'] });
    const enforce = vllmWindow(4096);
    server.setDefault(enforce);
    contextSetup = { ...contextSetup, baseUrl: `${server.url}/v1` };
    const c = make();
    const long = 'Explain how the request fitter keeps the newest message and drops the oldest turns. '.repeat(100);
    for (let i = 0; i < 4; i++) await c.send(`${i}: ${long}`);
    // The default window (8,192) lets the third message through to the server, which refuses it once.
    assert.equal(enforce.refusals, 1);
    const answers = c.current.messages.filter((m) => m.role === 'assistant');
    assert.deepEqual(
      answers.map((m) => [m.status, m.content]),
      answers.map(() => ['complete', 'Answered.']),
    );
    const learned = new ContextLimits({ data: saved.at(-1) }).budget(`${server.url}/v1`, 'm', {});
    assert.deepEqual([learned.window.tokens, learned.window.source], [4096, 'learned'], 'learned and persisted');
    assert.equal(logs.filter((l) => /refused .* as too long/.test(l)).length, 1);
    assert.match(
      logs.find((l) => /refused/.test(l))!,
      /learned a window of 4,096 tokens; fitting again and retrying once/,
    );
    assert.ok(!logs.some((l) => l.includes(long.slice(0, 30))), 'the log never holds message text');
    // Every request the model answered fitted its window, with the answer's room free.
    assert.equal(enforce.served.length, 4);
    assert.ok(
      enforce.served.slice(2).every((n) => n + 819 <= 4096),
      enforce.served.join(', '),
    );
  });

  it('a refusal that teaches nothing new is shown with what to do, not retried again', async () => {
    server = await startTestServer({ models: ['m'] });
    let refusals = 0;
    server.setDefault((_req, res) => {
      refusals++;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: 'the request exceeds the available context size, try increasing it',
            type: 'exceed_context_size_error',
            n_ctx: 512,
          },
        }),
      );
    });
    contextSetup = { ...contextSetup, baseUrl: `${server.url}/v1` };
    const c = make();
    await c.send('hello');
    // Learned 512 from n_ctx, retried once, refused again: the answer says what to do.
    assert.equal(refusals, 2);
    const end = of('answerEnded').at(-1)!;
    assert.equal(end.status, 'error');
    assert.equal(end.error!.kind, 'contextWindow');
    assert.deepEqual(end.error!.actions, ['condense', 'retry', 'contextSettings', 'showLog']);
  });

  it('a message that cannot fit is refused before sending, with the text and the code kept, and actions', async () => {
    contextSetup = { ...contextSetup, settings: { contextWindow: 1024 } };
    const c = make({ runTurn: () => Promise.reject(new Error('must not run')) });
    c.addPendingContext({
      path: 'big.ts',
      uri: 'file:///big.ts',
      language: 'ts',
      startLine: 1,
      endLine: 400,
      text: 'const x = 1;\n'.repeat(400),
    });
    c.addPendingContext({
      path: 'small.ts',
      uri: 'file:///small.ts',
      language: 'ts',
      startLine: 1,
      endLine: 1,
      text: 'y',
    });
    assert.equal(await c.send('What does this do?'), false);
    const n = of('notice').at(-1)!.notice!;
    assert.equal(n.level, 'error');
    assert.match(n.text, /does not fit the model's context window, so nothing was sent/);
    assert.deepEqual(n.actions, ['removeAttachment', 'contextSettings', 'selectModel']);
    assert.equal(of('focusInput').at(-1)!.text, 'What does this do?');
    assert.equal(c.pendingContexts.length, 2);
    assert.equal(c.current.messages.length, 0);
    c.removeLargestAttachment();
    assert.deepEqual(
      c.pendingContexts.map((x) => x.path),
      ['small.ts'],
    );
  });

  it('Continue appends the rest to the same answer, the model seeing its partial answer last; saved and reloaded', async () => {
    const requests: ChatMessage[][] = [];
    const scripted: TurnResult[] = [
      completed('The steps: one, two', { finishReason: 'length' }),
      completed(', three', { finishReason: 'length' }),
      completed(', four.', { finishReason: 'stop' }),
    ];
    const fake = async (o: TurnOptions): Promise<TurnResult> => {
      requests.push(o.prepareRound!([], undefined).messages);
      const r = scripted.shift()!;
      o.events.onText(r.content);
      return r;
    };
    const c = make({ runTurn: fake });
    await c.send('List the steps');
    const id = c.current.messages[1].id;
    assert.equal(of('answerEnded').at(-1)!.finish, 'length');
    await c.continueAnswer(id);
    assert.deepEqual(
      requests[1].map((m) => [m.role, m.content]),
      [
        ['system', 'SYS'],
        ['user', 'List the steps'],
        ['assistant', 'The steps: one, two'],
      ],
      'the partial answer is the last message, without any marker',
    );
    assert.equal(of('answerResumed').length, 1);
    await c.continueAnswer(id);
    assert.equal(requests[2].at(-1)!.content, 'The steps: one, two, three');
    await c.flush();
    const reloaded = make({ runTurn: fake });
    await reloaded.sendInit();
    const msgs = of('init').at(-1)!.chat.messages;
    assert.equal(msgs.length, 2, 'one answer, not three');
    assert.equal(msgs[1].content, 'The steps: one, two, three, four.');
    assert.equal(msgs[1].finish, undefined);
    assert.equal(reloaded.current.messages[1].apiMessages!.length, 1);
    assert.equal(reloaded.current.messages[1].apiMessages![0].content, 'The steps: one, two, three, four.');
  });

  it('Continue only for the latest cut-off answer; a cut-off answer survives a reload and can be continued then', async () => {
    const fake = async (o: TurnOptions): Promise<TurnResult> => {
      o.prepareRound!([], undefined);
      o.events.onText('Half');
      return completed('Half', { finishReason: 'length' });
    };
    const c = make({ runTurn: fake });
    await c.send('q');
    await c.flush();
    const reloaded = make({ runTurn: fake });
    await reloaded.sendInit();
    const answer = of('init').at(-1)!.chat.messages[1];
    assert.equal(answer.finish, 'length');
    await reloaded.continueAnswer(answer.id);
    assert.equal(reloaded.current.messages[1].content, 'HalfHalf');
    await reloaded.send('next');
    await reloaded.continueAnswer(answer.id);
    assert.match(of('notice').at(-1)!.notice!.text, /Only the latest answer/);
  });

  it('a content-filtered answer keeps its text, is marked, saved, and sent back marked as incomplete', async () => {
    const requests: ChatMessage[][] = [];
    const c = make({
      runTurn: async (o) => {
        requests.push(o.prepareRound!([], undefined).messages);
        o.events.onText('Partial text');
        return completed('Partial text', { finishReason: 'content_filter' });
      },
    });
    await c.send('q');
    assert.equal(of('answerEnded').at(-1)!.finish, 'content_filter');
    assert.equal(of('answerEnded').at(-1)!.status, 'complete');
    await c.send('again');
    assert.match(
      requests[1][2].content!,
      /^Partial text\n\n\[This answer is incomplete: the server's content filter stopped it\.\]$/,
    );
    await c.flush();
    const file = JSON.parse(await fs.readFile(path.join(dir, `${c.current.id}.json`), 'utf8'));
    assert.equal(file.messages[1].finish, 'content_filter');
  });

  it('Condense: the summary stands for the older part in what is sent; the messages stay; undo restores them', async () => {
    const calls: ChatMessage[][] = [];
    const client = {
      createChatCompletion: async (p: { messages: ChatMessage[] }) => {
        calls.push(p.messages);
        return {
          id: 'x',
          object: 'chat.completion' as const,
          created: 1,
          model: 'm',
          choices: [
            {
              index: 0,
              message: { role: 'assistant' as const, content: '- They built the fitter.' },
              finish_reason: 'stop',
            },
          ],
        };
      },
      streamChatCompletion: () => {
        throw new Error('unused');
      },
    } as unknown as TurnSetup['client'];
    const requests: ChatMessage[][] = [];
    contextSetup = { ...contextSetup, settings: { contextWindow: 4096 } };
    const c = make({
      client,
      runTurn: async (o) => {
        requests.push(o.prepareRound!([], undefined).messages);
        o.events.onText('ok');
        return completed('ok');
      },
    });
    for (let i = 0; i < 12; i++) await c.send(`message ${i} ${'about the window and the fitter '.repeat(30)}`);
    assert.equal(await c.condense(), true);
    const summary = of('summary').at(-1)!.summary!;
    assert.equal(summary.text, '- They built the fitter.');
    assert.ok(summary.coveredCount >= 2);
    assert.equal(c.current.messages.length, 24, 'the original messages stay');
    assert.match(calls[0][1].content!, /^The conversation:\n\nUser: message 0/);
    await c.send('next');
    const sys = requests.at(-1)![0].content!;
    assert.match(sys, /^SYS\n\nSummary of the earlier part of this conversation[^]*They built the fitter\.$/);
    assert.ok(!requests.at(-1)!.some((m) => m.content?.startsWith('message 0 ')), 'covered messages are not sent');
    await c.undoCondense();
    assert.equal(of('summary').at(-1)!.summary, null);
    await c.send('after undo');
    assert.equal(requests.at(-1)![0].content, 'SYS');
    await c.flush();
    assert.equal(JSON.parse(await fs.readFile(path.join(dir, `${c.current.id}.json`), 'utf8')).summary, undefined);
  });

  it('the meter: tokens of the next request, the breakdown, where the window came from, what is not sent', async () => {
    contextSetup = { ...contextSetup, settings: { contextWindow: 2048 } };
    const c = make({
      runTurn: async (o) => {
        o.prepareRound!([], undefined);
        o.events.onText('An answer of some length. '.repeat(20));
        return completed('An answer of some length. '.repeat(20));
      },
    });
    await c.sendInit();
    for (let i = 0; i < 8; i++) await c.send(`question ${i} `.repeat(30));
    await new Promise((r) => setTimeout(r, 100));
    posted.length = 0;
    c.setDraft('a draft being typed');
    await until(() => of('context').length > 0);
    const info = of('context').at(-1)!.info!;
    assert.equal(info.window, 2048);
    assert.equal(info.source, 'setting');
    assert.equal(info.fits, true);
    assert.ok(info.notSent > 0);
    assert.ok(info.tokens + info.reserve <= info.window);
    const b = info.breakdown;
    assert.equal(b.system + b.tools + b.history + b.attachments, info.tokens);
    assert.equal(info.firstSentId, c.current.messages[info.notSent].id);
  });
});

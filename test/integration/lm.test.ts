// Bud inside VS Code's own AI, in the real extension host: the language-model provider (vendor `bud`, VS Code 1.104+)
// as any extension sees it through `vscode.lm`, and Bud's tools through `vscode.lm.invokeTool` (1.95+). On an older
// VS Code (the engine minimum, 1.90) these APIs do not exist: the tests skip there, and say which API is missing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { replies, startTestServer, type Handler, type TestServer } from '../../scripts/server/openai-server';
import { answerReserve, DEFAULT_WINDOW } from '../../src/context/windows';
import type { BudTestApi } from '../../src/testApi';
import { budTestApi } from './budApi';

const KEY = 'sk-lm-SECRET-77c1d0';
const G = vscode.ConfigurationTarget.Global;
/** The newer API through a loose type: @types/vscode is the engine's 1.90. */
const lm = vscode.lm as any;
const V = vscode as any;
const chatRequests = (s: TestServer) =>
  s.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/chat/completions'));

/** Skips the suite (from its `before`) on a VS Code without `what`; each skipped test's title names what is missing. */
function requireApi(ctx: Mocha.Context, present: boolean, what: string): void {
  if (present) return;
  for (const t of ctx.test?.parent?.tests ?? []) t.title += ` (skipped: VS Code ${vscode.version} has no ${what})`;
  ctx.skip();
}

async function budModels(): Promise<vscode.LanguageModelChat[]> {
  // The provider lists models once VS Code asks; the first ask may come before the key is read.
  for (let i = 0; i < 40; i++) {
    const models = await vscode.lm.selectChatModels({ vendor: 'bud' });
    if (models.length) return models;
    await new Promise((r) => setTimeout(r, 250));
  }
  return [];
}

async function collect(response: any): Promise<{ text: string; calls: any[] }> {
  let text = '';
  const calls: any[] = [];
  for await (const part of response.stream) {
    if (part instanceof V.LanguageModelTextPart) text += part.value;
    else if (part instanceof V.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, calls };
}

describe('Bud models in vscode.lm (LanguageModelChatProvider, VS Code 1.104+)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let bt: BudTestApi;
  let model: vscode.LanguageModelChat;

  before(async function () {
    requireApi(
      this,
      typeof lm.registerLanguageModelChatProvider === 'function',
      'vscode.lm.registerLanguageModelChatProvider',
    );
    server = await startTestServer({ models: ['bud-test-model', 'bud-small'] });
    server.modelFields['bud-test-model'] = { context_length: 32768, max_output_tokens: 4096 };
    bt = await budTestApi();
    bt.setBaseUrlOverride(server.url);
    await vscode.workspace.getConfiguration('bud').update('model', 'my-own-model', G);
    await bt.setApiKey(KEY);
  });

  after(async () => {
    if (!server) return;
    bt.setBaseUrlOverride(undefined);
    await bt.clearApiKey();
    await vscode.workspace.getConfiguration('bud').update('model', undefined, G);
    await server.close();
  });

  it("selectChatModels({ vendor: 'bud' }) finds the server's models, with maxInputTokens from its metadata", async () => {
    const models = await budModels();
    const byId = new Map(models.map((m) => [m.id, m]));
    assert.deepEqual([...byId.keys()].sort(), ['bud-small', 'bud-test-model', 'my-own-model']);
    const big = byId.get('bud-test-model')!;
    const reserve = answerReserve({ tokens: 32768, source: 'server', detail: '', maxOutputTokens: 4096 }).tokens;
    assert.equal(big.maxInputTokens, 32768 - reserve, 'window from context_length minus the answer room');
    assert.equal(big.vendor, 'bud');
    const small = byId.get('bud-small')!;
    assert.equal(
      small.maxInputTokens,
      DEFAULT_WINDOW - answerReserve({ tokens: DEFAULT_WINDOW, source: 'default', detail: '' }).tokens,
    );
    model = big;
  });

  it('sendRequest streams the answer as text parts, never the reasoning', async () => {
    server.enqueue(replies.stream(['Hel', 'lo ', 'there'], { delayMs: 20 }));
    const res = await model.sendRequest(
      [vscode.LanguageModelChatMessage.User('Say hello')],
      {},
      new vscode.CancellationTokenSource().token,
    );
    const parts: string[] = [];
    for await (const t of res.text) parts.push(t);
    assert.equal(parts.join(''), 'Hello there');
    assert.ok(parts.length >= 2, 'arrived in pieces');
    const body = chatRequests(server).at(-1)!.body;
    assert.equal(body.model, 'bud-test-model');
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Say hello' }]);
    assert.equal(chatRequests(server).at(-1)!.headers.authorization, `Bearer ${KEY}`);

    server.enqueue(replies.reasoningStream(['secret ', 'thoughts'], ['The answer']));
    const r2 = await model.sendRequest([vscode.LanguageModelChatMessage.User('Think')]);
    assert.equal((await collect(r2)).text, 'The answer');
  });

  const readFileTool = {
    name: 'bud_read_file',
    description: 'Read a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  };

  it('a request that offers a tool gets a LanguageModelToolCallPart with parsed input; the result brings the answer', async () => {
    server.enqueue(
      replies.toolCallStream('indexed-pieces', [
        { id: 'call_read_1', name: 'bud_read_file', arguments: { path: 'src/math.ts' } },
      ]),
    );
    const res = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is in math.ts?')], {
      tools: [readFileTool],
      toolMode: V.LanguageModelChatToolMode.Required,
    } as any);
    const { calls } = await collect(res);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].callId, 'call_read_1');
    assert.equal(calls[0].name, 'bud_read_file');
    assert.deepEqual(calls[0].input, { path: 'src/math.ts' });
    const sent = chatRequests(server).at(-1)!.body;
    assert.equal(sent.tool_choice, 'required', 'toolMode Required');
    assert.deepEqual(sent.tools[0].function.name, 'bud_read_file');

    server.enqueue(replies.stream(['It holds ', 'fibonacci.']));
    const history = [
      vscode.LanguageModelChatMessage.User('What is in math.ts?'),
      V.LanguageModelChatMessage.Assistant([
        new V.LanguageModelToolCallPart(calls[0].callId, calls[0].name, calls[0].input),
      ]),
      V.LanguageModelChatMessage.User([
        new V.LanguageModelToolResultPart(calls[0].callId, [
          new V.LanguageModelTextPart('1: export function fibonacci'),
        ]),
      ]),
    ];
    const final = await collect(await model.sendRequest(history, { tools: [readFileTool] } as any));
    assert.equal(final.text, 'It holds fibonacci.');
    const msgs = chatRequests(server).at(-1)!.body.messages;
    assert.deepEqual(msgs.slice(1), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_read_1',
            type: 'function',
            function: { name: 'bud_read_file', arguments: '{"path":"src/math.ts"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_read_1', content: '1: export function fibonacci' },
    ]);
  });

  it('cancellation closes the request to the server', async () => {
    let closed!: () => void;
    const wasClosed = new Promise<void>((r) => (closed = r));
    const stall: Handler = (req, res) => {
      res.on('close', () => closed());
      return replies.stall(['first '])(req, res);
    };
    server.enqueue(stall);
    const cts = new vscode.CancellationTokenSource();
    const res = await model.sendRequest([vscode.LanguageModelChatMessage.User('Talk forever')], {}, cts.token);
    const it = res.text[Symbol.asyncIterator]();
    assert.equal((await it.next()).value, 'first ');
    cts.cancel();
    await Promise.race([
      wasClosed,
      new Promise((_, rej) => setTimeout(() => rej(new Error('the server connection stayed open')), 10_000)),
    ]);
  });

  it('a 401 arrives as a LanguageModelError with the chat panel’s sentence', async () => {
    server.enqueue(replies.error(401, 'Invalid API key'));
    let err: unknown;
    try {
      const res = await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')]);
      await collect(res);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof vscode.LanguageModelError, `got ${String(err)}`);
    assert.match((err as Error).message, /^Authentication failed \(401\)/);
    assert.equal((err as Error).message.includes(KEY), false);
  });

  it('counts tokens with the chat panel’s counter', async () => {
    const n = await model.countTokens('Hello world, hello Bud.');
    assert.ok(n >= 5 && n <= 12, String(n));
  });
});

describe("Bud's tools in vscode.lm (registerTool / invokeTool, VS Code 1.95+)", function () {
  this.timeout(30_000);

  before(function () {
    requireApi(this, typeof lm.invokeTool === 'function', 'vscode.lm.invokeTool');
  });

  const invoke = (name: string, input: object) =>
    lm.invokeTool(
      name,
      { input, toolInvocationToken: undefined },
      new vscode.CancellationTokenSource().token,
    ) as Promise<any>;

  it('lists the seven tools as bud_*', () => {
    const names = (lm.tools as { name: string }[])
      .map((t) => t.name)
      .filter((n) => n.startsWith('bud_'))
      .sort();
    assert.deepEqual(names, [
      'bud_find_files',
      'bud_get_diagnostics',
      'bud_get_document_symbols',
      'bud_get_open_editors',
      'bud_list_directory',
      'bud_read_file',
      'bud_search_text',
    ]);
  });

  it("invokeTool('bud_read_file') returns the file; an escape attempt is refused", async () => {
    const res = await invoke('bud_read_file', { path: 'src/math.ts' });
    const text = res.content.map((p: any) => p.value).join('');
    assert.match(text, /^src\/math\.ts — lines 1–\d+ of \d+\n1: /);
    assert.match(text, /fibonacci/);
    await assert.rejects(invoke('bud_read_file', { path: '../package.json' }), /outside|workspace/i);
    await assert.rejects(invoke('bud_read_file', { path: '/etc/passwd' }), /outside|workspace/i);
  });

  it('is off when bud.tools.enabled is off', async () => {
    await vscode.workspace.getConfiguration('bud').update('tools.enabled', false, G);
    try {
      await assert.rejects(invoke('bud_list_directory', { path: '.' }), /bud\.tools\.enabled/);
    } finally {
      await vscode.workspace.getConfiguration('bud').update('tools.enabled', undefined, G);
    }
  });
});

describe("Other extensions' tools in Bud's chat (bud.tools.otherExtensions, VS Code 1.95+)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let bt: BudTestApi;
  const bud = () => vscode.workspace.getConfiguration('bud');
  const invocations = async () =>
    (await vscode.commands.executeCommand<unknown[] | undefined>('budFixture.invocations')) ?? [];
  const echoCall = (id: string, text: string) =>
    replies.toolCallStream('indexed-pieces', [{ id, name: 'fixture_echo', arguments: { text } }]);

  before(async function () {
    requireApi(this, typeof lm.invokeTool === 'function', 'vscode.lm.tools / vscode.lm.invokeTool');
    server = await startTestServer();
    bt = await budTestApi();
    bt.setBaseUrlOverride(server.url);
    await bt.setApiKey(KEY);
    await bud().update('model', 'bud-test-model', G);
    // VS Code 1.139 offers ~27 tools of its own with long schemas: beyond Bud's default 8,192-token window, where the
    // chat would (rightly) refuse to send. This suite is about approvals, so the model gets a large window.
    await bud().update('contextWindow', { '*': 200_000 }, G);
    await bt.chat.newChat();
  });

  after(async () => {
    if (!server) return;
    bt.setBaseUrlOverride(undefined);
    await bt.clearApiKey();
    for (const k of ['model', 'tools.otherExtensions', 'contextWindow']) await bud().update(k, undefined, G);
    await vscode.commands.executeCommand('bud.resetToolPermissions');
    await server.close();
  });

  /** Sends, waits for the approval question of `callId`, checks the tool has not run, answers. */
  async function sendAndAnswer(text: string, callId: string, answer: 'once' | 'always' | 'deny'): Promise<void> {
    const before = (await invocations()).length;
    const sending = bt.chat.send(text);
    for (let i = 0; i < 200 && !bt.approvals.waiting().includes(callId); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(bt.approvals.waiting(), [callId], 'the chat asks before the tool runs');
    assert.equal((await invocations()).length, before, 'nothing ran before the answer');
    bt.approvals.answer(callId, answer);
    await sending;
  }

  it('is offered to the model only when the setting is on', async () => {
    server.enqueue(replies.stream(['off']));
    await bt.chat.send('Which tools?');
    const offOnly = chatRequests(server)
      .at(-1)!
      .body.tools.map((t: any) => t.function.name);
    assert.ok(offOnly.includes('read_file'));
    assert.equal(offOnly.includes('fixture_echo'), false, 'not offered with the setting off');
    assert.equal(
      offOnly.some((n: string) => n.startsWith('bud_')),
      false,
      "Bud's own tools are not offered twice",
    );

    await bud().update('tools.otherExtensions', true, G);
    server.enqueue(replies.stream(['on']));
    await bt.chat.send('Which tools now?');
    const on = chatRequests(server)
      .at(-1)!
      .body.tools.map((t: any) => t.function.name);
    assert.ok(on.includes('fixture_echo') && on.includes('read_file'), on.join(', '));
  });

  it('runs only after Allow, with its source on the call row and its output cleaned', async () => {
    server.enqueue(echoCall('call_echo_1', 'hello'), replies.stream(['Echoed.']));
    await sendAndAnswer('Echo hello', 'call_echo_1', 'once');
    assert.deepEqual(await invocations(), [{ text: 'hello' }]);
    const toolMsg = chatRequests(server).at(-1)!.body.messages.at(-1);
    assert.deepEqual(toolMsg, { role: 'tool', tool_call_id: 'call_echo_1', content: 'echo: hello red' });
    const answer = bt.chat.getCurrentChat().messages.at(-1)!;
    assert.equal(answer.content, 'Echoed.');
    assert.deepEqual(
      answer.toolCalls?.map((c) => [c.name, c.state, c.source]),
      [['fixture_echo', 'done', 'Extension Bud Fixture Tools']],
    );
  });

  it('Deny does not run it, tells the model, and the tool is not offered again in this session', async () => {
    server.enqueue(echoCall('call_echo_2', 'no'), replies.stream(['Fine.']));
    await sendAndAnswer('Echo no', 'call_echo_2', 'deny');
    assert.equal((await invocations()).length, 1);
    assert.match(chatRequests(server).at(-1)!.body.messages.at(-1).content, /^The user denied this tool call/);
    assert.equal(bt.chat.getCurrentChat().messages.at(-1)!.toolCalls?.[0].state, 'error');

    // From the next message on it is not offered; a model that calls it anyway is refused without asking.
    server.enqueue(echoCall('call_echo_2b', 'anyway'), replies.stream(['Ok.']));
    await bt.chat.send('Echo anyway');
    const next = chatRequests(server)
      .at(-2)!
      .body.tools.map((t: any) => t.function.name) as string[];
    assert.equal(next.includes('fixture_echo'), false, 'not offered after Deny');
    assert.ok(next.includes('read_file'), "Bud's own tools still are");
    assert.deepEqual(bt.approvals.waiting(), []);
    assert.equal((await invocations()).length, 1);
    // It was not offered in this turn, so the tool loop refuses the call as it does any tool it did not offer.
    assert.match(chatRequests(server).at(-1)!.body.messages.at(-1).content, /^Error: unknown tool "fixture_echo"/);
  });

  it('Always allow is remembered for the workspace; Forget Tool Permissions makes each call ask again', async () => {
    await vscode.commands.executeCommand('bud.resetToolPermissions');
    server.enqueue(echoCall('call_echo_3', 'yes'), replies.stream(['Done.']));
    await sendAndAnswer('Echo yes', 'call_echo_3', 'always');
    assert.ok(
      chatRequests(server)
        .at(-2)!
        .body.tools.some((t: any) => t.function.name === 'fixture_echo'),
    );
    server.enqueue(echoCall('call_echo_4', 'again'), replies.stream(['Again.']));
    await bt.chat.send('Echo again');
    assert.deepEqual(
      (await invocations()).slice(1),
      [{ text: 'yes' }, { text: 'again' }],
      'the second call ran without asking',
    );

    await vscode.commands.executeCommand('bud.resetToolPermissions');
    server.enqueue(echoCall('call_echo_5', 'asked'), replies.stream(['Asked.']));
    await sendAndAnswer('Echo asked', 'call_echo_5', 'once');
    assert.deepEqual((await invocations()).at(-1), { text: 'asked' });
  });
});

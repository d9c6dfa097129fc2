// runTurn against the local OpenAI-compatible test server: the no-tools path (stream / non-stream, retries,
// stop, errors) and the tool loop in each streaming shape servers use (pieces by index, whole calls
// without index, finish_reason "stop" after tool calls), unknown tools, bad JSON, max rounds, stop mid-tool.
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BudClient } from '../../../src/api/client';
import type { ToolCall } from '../../../src/api/types';
import { runTurn, type ToolExecutor, type TurnOptions, type TurnResult } from '../../../src/chat/turn';
import type { ToolCallView } from '../../../src/protocol';
import { createFsToolExecutor } from '../../../src/tools/fsTools';
import { replies, startTestServer, type Handler, type TestServer } from '../../../scripts/server/openai-server';

// ---- SSE bytes for tool-call replies, written out here so each shape is exact ------------------------------

const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'bud-test-model' };
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null) =>
  sse({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] });
const usageChunk = (p: number, c: number) =>
  sse({ ...base, choices: [], usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c } });

interface Call {
  id: string;
  name: string;
  args: string;
}

/** OpenAI's shape: id + name first, arguments in fragments, merged by index; several calls interleaved. */
function piecesByIndex(calls: Call[], opts: { finish?: string; text?: string } = {}): string[] {
  const out = [delta({ role: 'assistant', content: opts.text ?? null })];
  calls.forEach((c, i) =>
    out.push(
      delta({ tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }),
    ),
  );
  for (let pos = 0; calls.some((c) => pos < c.args.length); pos += 5) {
    calls.forEach((c, i) => {
      if (pos < c.args.length)
        out.push(delta({ tool_calls: [{ index: i, function: { arguments: c.args.slice(pos, pos + 5) } }] }));
    });
  }
  out.push(delta({}, opts.finish ?? 'tool_calls'), usageChunk(20, 7), 'data: [DONE]\n\n');
  return out;
}

/** Ollama / Gemini shape: whole calls in one chunk, no index. */
function wholeCalls(calls: Call[], opts: { finish?: string } = {}): string[] {
  return [
    delta({ role: 'assistant', content: '' }),
    delta({
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })),
    }),
    delta({}, opts.finish ?? 'tool_calls'),
    usageChunk(20, 7),
    'data: [DONE]\n\n',
  ];
}

const sseReply = (parts: string[]): Handler => replies.raw(parts, { headers: { 'content-type': 'text/event-stream' } });

/** A non-streamed completion carrying tool calls. */
function jsonToolReply(calls: Call[]): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: calls.map((c) => ({
                id: c.id,
                type: 'function',
                function: { name: c.name, arguments: c.args },
              })),
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      }),
    );
  };
}

// ---- fixtures ----------------------------------------------------------------------------------------------

let server: TestServer;
let ws: string;
let tools: ToolExecutor;

function client(extra: Partial<ConstructorParameters<typeof BudClient>[0]> = {}) {
  return new BudClient({
    baseUrl: server.url,
    apiKey: 'sk-test-secret',
    maxRetries: 2,
    sleep: async () => {},
    ...extra,
  });
}

interface Recorded {
  text: string;
  rows: ToolCallView[];
  retries: number;
  reasoning: string;
}

async function turn(
  o: Partial<TurnOptions> & { controller?: AbortController } = {},
): Promise<TurnResult & { rec: Recorded }> {
  const rec: Recorded = { text: '', rows: [], retries: 0, reasoning: '' };
  const ac = o.controller ?? new AbortController();
  const r = await runTurn({
    client: client(),
    params: { model: 'bud-test-model', messages: [{ role: 'user', content: 'What is in a.txt?' }] },
    stream: true,
    signal: ac.signal,
    events: {
      onText: (t) => {
        rec.text += t;
      },
      onReasoning: (t) => {
        rec.reasoning += t;
      },
      onRetry: () => {
        rec.retries++;
      },
      onToolCall: (c) => {
        rec.rows.push(c);
      },
    },
    ...o,
  });
  return { ...r, rec };
}

const chatRequests = () => server.requests.filter((r) => r.method === 'POST');

describe('runTurn', function () {
  this.timeout(10_000);

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'bud-turn-'));
    writeFileSync(path.join(ws, 'a.txt'), 'alpha line\nbeta line\n');
    mkdirSync(path.join(ws, 'src'));
    writeFileSync(path.join(ws, 'src', 'b.ts'), 'export const b = 2;\n');
    tools = await createFsToolExecutor({ folders: [{ name: 'ws', fsPath: ws }] });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('without tools', () => {
    it('streams the answer as onText deltas and returns one assistant message', async () => {
      server.enqueue(replies.stream(['Hel', 'lo ', 'world']));
      const r = await turn();
      assert.equal(r.status, 'complete');
      assert.equal(r.rec.text, 'Hello world');
      assert.equal(r.content, 'Hello world');
      assert.deepEqual(r.newMessages, [{ role: 'assistant', content: 'Hello world' }]);
      assert.deepEqual(r.usage, { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
      assert.equal(chatRequests()[0].body.tools, undefined, 'no tools sent when none are given');
    });

    it('uses the non-streaming call when stream is false and still emits the text once', async () => {
      server.enqueue(replies.stream(['Whole ', 'answer']));
      const seen: string[] = [];
      const r = await turn({ stream: false, events: { onText: (t) => seen.push(t) } });
      assert.equal(r.status, 'complete');
      assert.deepEqual(seen, ['Whole answer']);
      assert.notEqual(chatRequests()[0].body.stream, true);
    });

    it('reports retries through onRetry and then answers', async () => {
      server.enqueue(replies.error(503, 'busy'), replies.stream(['ok']));
      const r = await turn();
      assert.equal(r.status, 'complete');
      assert.equal(r.rec.text, 'ok');
      assert.equal(r.rec.retries, 1);
    });

    it('on Stop keeps the partial text and says stopped', async () => {
      const ac = new AbortController();
      server.enqueue(replies.stream(['one ', 'two ', 'three ', 'four'], { delayMs: 60 }));
      const p = turn({
        controller: ac,
        events: {
          onText: (t) => {
            if (t.includes('two')) ac.abort();
          },
        },
      });
      const r = await p;
      assert.equal(r.status, 'stopped');
      assert.equal(r.content, 'one two ');
      assert.equal(r.error, undefined);
    });

    it('on a failure mid-stream keeps the partial text and returns the error (never throws)', async () => {
      server.enqueue(
        replies.raw([delta({ role: 'assistant', content: 'Partial ' }), delta({ content: 'answer' })], {
          destroy: true,
          delayMs: 30,
        }),
      );
      const r = await turn();
      assert.equal(r.status, 'error');
      assert.equal(r.content, 'Partial answer');
      assert.ok(r.error, 'error is set');
      assert.match(r.error.message, /./);
      assert.deepEqual(r.newMessages, [{ role: 'assistant', content: 'Partial answer' }]);
    });

    it('returns a 401 as an auth error without the key in the message', async () => {
      server.enqueue(replies.error(401, 'Invalid API key'));
      const r = await turn();
      assert.equal(r.status, 'error');
      assert.equal(r.error!.kind, 'auth');
      assert.ok(!r.error!.message.includes('sk-test-secret'));
    });

    it('keeps reasoning apart from the answer', async () => {
      server.enqueue(
        sseReply([
          delta({ role: 'assistant', reasoning_content: 'thinking…' }),
          delta({ content: 'Answer' }),
          delta({}, 'stop'),
          'data: [DONE]\n\n',
        ]),
      );
      const r = await turn();
      assert.equal(r.content, 'Answer');
      assert.equal(r.reasoning, 'thinking…');
      assert.equal(r.rec.reasoning, 'thinking…');
    });
  });

  describe('the tool loop', () => {
    const readA: Call = { id: 'call_a', name: 'read_file', args: '{"path":"a.txt"}' };
    const readB: Call = { id: 'call_b', name: 'read_file', args: '{"path":"src/b.ts","start_line":1}' };

    it('runs a streamed call (pieces by index), sends the result back and answers', async () => {
      server.enqueue(sseReply(piecesByIndex([readA])), replies.stream(['a.txt says alpha']));
      const r = await turn({ tools });
      assert.equal(r.status, 'complete');
      assert.equal(r.content, 'a.txt says alpha');
      const reqs = chatRequests();
      assert.equal(reqs.length, 2);
      assert.equal(reqs[0].body.tools.length, 4);
      assert.equal(reqs[0].body.tool_choice, 'auto');
      const sent = reqs[1].body.messages;
      assert.deepEqual(sent[1], {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
        ],
      });
      assert.equal(sent[2].role, 'tool');
      assert.equal(sent[2].tool_call_id, 'call_a');
      assert.match(sent[2].content, /1: alpha line\n2: beta line/);
      assert.equal(r.newMessages.length, 3);
      assert.deepEqual(r.newMessages[2], { role: 'assistant', content: 'a.txt says alpha' });
      const last = r.rec.rows.filter((x) => x.id === 'call_a');
      assert.deepEqual(
        last.map((x) => x.state),
        ['running', 'done'],
      );
      assert.match(last[1].summary!, /2 lines of a\.txt/);
      assert.equal(typeof last[1].durationMs, 'number');
      assert.deepEqual(
        r.usage,
        { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 },
        'usage summed over rounds',
      );
    });

    for (const [shape, build] of [
      ['pieces by index', (c: Call[]) => piecesByIndex(c)],
      ['whole calls without index', (c: Call[]) => wholeCalls(c)],
      ['finish_reason "stop" after tool calls', (c: Call[]) => piecesByIndex(c, { finish: 'stop' })],
      ['whole calls with finish_reason "stop"', (c: Call[]) => wholeCalls(c, { finish: 'stop' })],
    ] as const) {
      it(`runs parallel calls over several rounds — ${shape}`, async () => {
        const list: Call = { id: 'call_l', name: 'list_directory', args: '{"path":"."}' };
        server.enqueue(sseReply(build([readA, readB])), sseReply(build([list])), replies.stream(['Done.']));
        const r = await turn({ tools });
        assert.equal(r.status, 'complete');
        assert.equal(r.content, 'Done.');
        const reqs = chatRequests();
        assert.equal(reqs.length, 3);
        const m2 = reqs[1].body.messages;
        assert.deepEqual(
          m2[1].tool_calls.map((c: ToolCall) => c.id),
          ['call_a', 'call_b'],
        );
        assert.deepEqual(
          m2.slice(2).map((m: { role: string; tool_call_id: string }) => [m.role, m.tool_call_id]),
          [
            ['tool', 'call_a'],
            ['tool', 'call_b'],
          ],
        );
        assert.match(m2[2].content, /alpha line/);
        assert.match(m2[3].content, /1: export const b = 2;/);
        const m3 = reqs[2].body.messages;
        assert.equal(m3.length, 6);
        assert.equal(m3[5].tool_call_id, 'call_l');
        assert.match(m3[5].content, /file {2}a\.txt/);
        assert.deepEqual(
          r.toolCalls.map((c) => [c.id, c.state]),
          [
            ['call_a', 'done'],
            ['call_b', 'done'],
            ['call_l', 'done'],
          ],
        );
      });
    }

    for (const shape of ['indexed-pieces', 'late-name', 'whole-no-index', 'finish-stop', 'object-arguments'] as const) {
      for (const stream of [true, false]) {
        it(`runs the shared fixture's "${shape}" tool calls (${stream ? 'streamed' : 'non-streamed'})`, async () => {
          const calls = [
            { name: 'read_file', arguments: { path: 'a.txt', end_line: 1 } },
            { name: 'find_files', arguments: { glob: '*.ts' } },
          ];
          server.enqueue(replies.toolCallStream(shape, calls), replies.stream(['Both done.']));
          const r = await turn({ tools, stream });
          assert.equal(r.status, 'complete');
          assert.equal(r.content, 'Both done.');
          const m = chatRequests()[1].body.messages;
          assert.deepEqual(
            m[1].tool_calls.map((c: ToolCall) => [c.function.name, JSON.parse(c.function.arguments)]),
            calls.map((c) => [c.name, c.arguments]),
          );
          assert.equal(m[2].tool_call_id, m[1].tool_calls[0].id);
          assert.equal(
            m[2].content,
            'a.txt — lines 1–1 of 2\n1: alpha line\n[More lines follow: call read_file with start_line=2 to read on.]',
          );
          assert.equal(m[3].tool_call_id, m[1].tool_calls[1].id);
          assert.equal(m[3].content, '1 file matches "*.ts":\nsrc/b.ts');
          assert.deepEqual(
            r.toolCalls.map((c) => c.state),
            ['done', 'done'],
          );
        });
      }
    }

    it('runs calls from a non-streamed answer too', async () => {
      server.enqueue(jsonToolReply([readA]), replies.stream(['ok']));
      const r = await turn({ tools, stream: false });
      assert.equal(r.status, 'complete');
      assert.equal(r.content, 'ok');
      assert.match(chatRequests()[1].body.messages[2].content, /alpha line/);
    });

    it('answers an unknown tool with a result that names the tools, then continues', async () => {
      server.enqueue(
        sseReply(piecesByIndex([{ id: 'call_x', name: 'delete_everything', args: '{}' }])),
        replies.stream(['Sorry.']),
      );
      const r = await turn({ tools });
      assert.equal(r.status, 'complete');
      const toolMsg = chatRequests()[1].body.messages[2];
      assert.equal(toolMsg.tool_call_id, 'call_x');
      assert.match(
        toolMsg.content,
        /unknown tool "delete_everything"\. Available tools: read_file, list_directory, find_files, search_text/,
      );
      assert.equal(r.toolCalls[0].state, 'error');
    });

    it('answers arguments that are not JSON with a result saying so', async () => {
      server.enqueue(
        sseReply(wholeCalls([{ id: 'call_j', name: 'read_file', args: '{"path": a.txt' }])),
        replies.stream(['Retrying.']),
      );
      const r = await turn({ tools });
      assert.equal(r.status, 'complete');
      const toolMsg = chatRequests()[1].body.messages[2];
      assert.match(toolMsg.content, /not valid JSON/);
      assert.equal(r.toolCalls[0].summary, 'Arguments are not valid JSON');
    });

    it('answers arguments that fail the schema with the problems', async () => {
      server.enqueue(
        sseReply(wholeCalls([{ id: 'call_s', name: 'read_file', args: '{"file":"a.txt","start_line":"2"}' }])),
        replies.stream(['Fixed.']),
      );
      await turn({ tools });
      const content = chatRequests()[1].body.messages[2].content as string;
      assert.match(content, /"path" is required/);
      assert.match(content, /unknown argument "file"/);
      assert.match(content, /"start_line" must be an integer/);
    });

    it('stops after maxToolRounds with a note, and keeps the history valid', async () => {
      const again = () =>
        sseReply(
          piecesByIndex(
            [{ id: `call_${Math.random().toString(36).slice(2)}`, name: 'read_file', args: '{"path":"a.txt"}' }],
            { text: 'Looking. ' },
          ),
        );
      server.enqueue(again(), again(), again(), again());
      const r = await turn({ tools, maxToolRounds: 2 });
      assert.equal(r.status, 'complete');
      assert.equal(chatRequests().length, 3);
      assert.match(r.note!, /Stopped after 2 tool rounds/);
      assert.deepEqual(
        r.toolCalls.map((c) => c.state),
        ['done', 'done', 'cancelled'],
      );
      // every assistant tool_calls entry has its tool message; the final message carries no calls
      const calls = r.newMessages.flatMap((m) => m.tool_calls ?? []).map((c) => c.id);
      const answered = r.newMessages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id);
      assert.deepEqual(answered, calls);
      assert.equal(r.newMessages.at(-1)!.tool_calls, undefined);
      assert.equal(r.content, 'Looking. \n\nLooking. \n\nLooking. ');
    });

    it('Stop while a tool runs cancels it, marks the row cancelled and keeps the history valid', async () => {
      const ac = new AbortController();
      let sawSignal: AbortSignal | undefined;
      const slow: ToolExecutor = {
        definitions: () => tools.definitions(),
        execute: (_call, signal) => {
          sawSignal = signal;
          setTimeout(() => ac.abort(), 30);
          return new Promise(() => {}); // never settles on its own: Stop must not wait for it
        },
      };
      server.enqueue(sseReply(piecesByIndex([readA, readB])));
      const r = await turn({ tools: slow, controller: ac });
      assert.equal(r.status, 'stopped');
      assert.equal(sawSignal?.aborted, true, 'the tool got an aborted signal');
      assert.deepEqual(
        r.toolCalls.map((c) => c.state),
        ['cancelled', 'cancelled'],
      );
      assert.deepEqual(
        r.newMessages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
        ['call_a', 'call_b'],
      );
      assert.equal(chatRequests().length, 1, 'no further request after Stop');
      const finalRows = r.rec.rows.filter((x) => x.state !== 'running');
      assert.deepEqual(
        finalRows.map((x) => x.state),
        ['cancelled', 'cancelled'],
      );
    });

    it('a throwing tool becomes an error result, not a crash', async () => {
      const bad: ToolExecutor = {
        definitions: () => tools.definitions(),
        execute: async () => {
          throw new Error('disk on fire');
        },
      };
      server.enqueue(sseReply(piecesByIndex([readA])), replies.stream(['ok']));
      const r = await turn({ tools: bad });
      assert.equal(r.status, 'complete');
      assert.match(chatRequests()[1].body.messages[2].content, /disk on fire/);
      assert.equal(r.toolCalls[0].state, 'error');
    });

    it('tool_choice "required" applies to the first request only; "none" runs no tools', async () => {
      server.enqueue(sseReply(piecesByIndex([readA])), replies.stream(['ok']));
      await turn({ tools, toolChoice: 'required' });
      assert.deepEqual(
        chatRequests().map((q) => q.body.tool_choice),
        ['required', 'auto'],
      );
      server.requests.length = 0;
      server.enqueue(sseReply(piecesByIndex([readA], { text: 'No tools for me.' })));
      const r = await turn({ tools, toolChoice: 'none' });
      assert.equal(chatRequests()[0].body.tool_choice, 'none');
      assert.equal(r.status, 'complete');
      assert.equal(r.toolCalls.length, 0);
      assert.deepEqual(r.newMessages, [{ role: 'assistant', content: 'No tools for me.' }]);
    });

    it('an error in a later round keeps the earlier rounds and the text so far', async () => {
      server.enqueue(sseReply(piecesByIndex([readA], { text: 'Reading. ' })), replies.error(413, 'request too large'));
      const r = await turn({ tools });
      assert.equal(r.status, 'error');
      assert.equal(r.content, 'Reading. ');
      assert.equal(r.error!.kind, 'badRequest');
      assert.deepEqual(
        r.newMessages.map((m) => m.role),
        ['assistant', 'tool'],
      );
    });
  });

  describe('context hooks', () => {
    // As the extension makes it: a context refusal is not asked again without stream_options.
    const refusalAwareClient = () => client({ isUnrelated400: () => true });
    const readA: Call = { id: 'call_a', name: 'read_file', args: '{"path":"a.txt"}' };
    it('every round is prepared with what the turn added so far and the tools sent', async () => {
      server.enqueue(sseReply(piecesByIndex([readA])), replies.stream(['Done.']));
      const seen: { added: number; tools: number }[] = [];
      const r = await turn({
        tools,
        prepareRound: (added, defs) => {
          seen.push({ added: added.length, tools: defs?.length ?? 0 });
          return { messages: [{ role: 'user', content: `round ${seen.length}` }, ...added], max_tokens: 321 };
        },
      });
      assert.equal(r.status, 'complete');
      assert.deepEqual(
        seen.map((x) => x.added),
        [0, 2],
      );
      assert.ok(seen.every((x) => x.tools > 0));
      const bodies = chatRequests().map((q) => q.body);
      assert.equal(bodies[0].messages[0].content, 'round 1');
      assert.deepEqual(
        bodies[1].messages.map((m: { role: string }) => m.role),
        ['user', 'assistant', 'tool'],
      );
      assert.deepEqual(
        bodies.map((b) => b.max_tokens),
        [321, 321],
      );
    });

    it('a refused round is prepared again and sent once more when the caller learned something', async () => {
      server.enqueue(
        replies.error(
          400,
          "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages, Please reduce the length of the messages.",
        ),
        replies.stream(['Fits now.']),
      );
      let prepared = 0;
      const refused: string[] = [];
      const r = await turn({
        client: refusalAwareClient(),
        prepareRound: (added) => {
          prepared++;
          return { messages: [{ role: 'user', content: 'q' }, ...added] };
        },
        onRoundRefused: (err) => {
          refused.push(err.serverMessage ?? '');
          return true;
        },
      });
      assert.equal(r.status, 'complete');
      assert.equal(r.content, 'Fits now.');
      assert.equal(prepared, 2);
      assert.equal(refused.length, 1);
      assert.match(refused[0], /maximum context length is 4096/);
    });

    it('only once per round, and not when the caller learned nothing', async () => {
      const refusal = () => replies.error(400, 'prompt is too long: 210543 tokens > 200000 maximum');
      server.enqueue(refusal(), refusal());
      let asked = 0;
      const r = await turn({
        client: refusalAwareClient(),
        onRoundRefused: () => {
          asked++;
          return true;
        },
      });
      assert.equal(r.status, 'error');
      assert.equal(asked, 1, 'a second refusal of the same round ends the turn');
      assert.equal(chatRequests().length, 2);
      server.requests.length = 0;
      server.enqueue(refusal());
      const r2 = await turn({ client: refusalAwareClient(), onRoundRefused: () => false });
      assert.equal(r2.status, 'error');
      assert.equal(chatRequests().length, 1);
    });

    it('reports each round and returns the last finish reason (length: cut off at the token limit)', async () => {
      server.enqueue(replies.stream(['Part ', 'one'], { finish: 'length' }));
      const rounds: (string | null)[] = [];
      const r = await turn({ onRoundDone: (x) => rounds.push(x.finishReason) });
      assert.equal(r.status, 'complete');
      assert.equal(r.finishReason, 'length');
      assert.deepEqual(rounds, ['length']);
      server.enqueue(replies.stream(['Hidden'], { finish: 'content_filter' }));
      const nonStreamed = await turn({ stream: false });
      assert.equal(nonStreamed.finishReason, 'content_filter');
    });

    it('a prepareRound that cannot fit ends the turn with its error, and nothing is sent', async () => {
      const r = await turn({
        prepareRound: () => {
          throw new Error('does not fit');
        },
      });
      assert.equal(r.status, 'error');
      assert.match(r.error!.message, /does not fit/);
      assert.equal(chatRequests().length, 0);
    });
  });
});

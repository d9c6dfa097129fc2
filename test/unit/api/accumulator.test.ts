// ChatAccumulator rebuilding the final message, in isolation and over the real server for each tool-call shape.
import * as assert from 'node:assert/strict';
import { ChatAccumulator } from '../../../src/api/accumulator';
import type { ChatCompletionChunk, ToolCallDelta } from '../../../src/api/types';
import { replies, type ToolCallShape } from '../../../scripts/server/openai-server';
import { basic, collect, useServer } from './helpers';

const chunk = (
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});
const tc = (calls: ToolCallDelta[]) => chunk({ tool_calls: calls });

const EXPECTED = [
  { id: '', type: 'function', function: { name: 'get_weather', arguments: '{"location":"London"}' } },
  { id: '', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } },
];

describe('ChatAccumulator', () => {
  it('concatenates content and returns what each chunk added', () => {
    const a = new ChatAccumulator();
    assert.deepEqual(a.push(chunk({ role: 'assistant', content: '' })), { content: '', reasoning: '' });
    assert.deepEqual(a.push(chunk({ content: 'Hel' })), { content: 'Hel', reasoning: '' });
    assert.deepEqual(a.push(chunk({ content: 'lo' })), { content: 'lo', reasoning: '' });
    assert.deepEqual(a.push(chunk({}, 'stop')), { content: '', reasoning: '' });
    assert.deepEqual(a.message(), { role: 'assistant', content: 'Hello' });
    assert.equal(a.finishReason, 'stop');
  });

  it('keeps reasoning_content / reasoning apart from the answer', () => {
    const a = new ChatAccumulator();
    assert.deepEqual(a.push(chunk({ reasoning_content: 'think ' })), { content: '', reasoning: 'think ' });
    a.push(chunk({ reasoning: 'more' }));
    a.push(chunk({ content: 'answer' }));
    assert.equal(a.reasoning, 'think more');
    assert.equal(a.content, 'answer');
    assert.deepEqual(a.message(), { role: 'assistant', content: 'answer', reasoning_content: 'think more' });
  });

  it('collects a refusal', () => {
    const a = new ChatAccumulator();
    a.push(chunk({ content: null, refusal: 'No' }));
    a.push(chunk({ refusal: '.' }, 'stop'));
    assert.equal(a.refusal, 'No.');
    assert.deepEqual(a.message(), { role: 'assistant', content: '', refusal: 'No.' });
  });

  it('merges tool calls by index: id + name first, arguments in fragments, two calls interleaved', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }]));
    a.push(tc([{ index: 1, id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"pa' } }]));
    a.push(tc([{ index: 0, function: { arguments: '{"location":' } }]));
    a.push(tc([{ index: 1, function: { arguments: 'th":"src/a.ts"}' } }]));
    a.push(tc([{ index: 0, function: { arguments: '"London"}' } }]));
    a.push(chunk({}, 'tool_calls'));
    assert.deepEqual(a.message(), {
      role: 'assistant',
      content: null,
      tool_calls: [
        { ...EXPECTED[0], id: 'call_a' },
        { ...EXPECTED[1], id: 'call_b' },
      ],
    });
  });

  it('takes a name that arrives late', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ index: 0, id: 'call_x', type: 'function', function: { arguments: '' } }]));
    a.push(tc([{ index: 0, function: { name: 'get_weather' } }]));
    a.push(tc([{ index: 0, function: { arguments: '{}' } }]));
    assert.deepEqual(a.toolCalls, [
      { id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
    ]);
  });

  it('takes whole calls without index as new calls (Ollama, Gemini)', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"London"}' } }]));
    a.push(tc([{ id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }]));
    assert.deepEqual(a.toolCalls, [
      { ...EXPECTED[0], id: 'c1' },
      { ...EXPECTED[1], id: 'c2' },
    ]);
  });

  it('two index-less calls in one chunk are two calls', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ function: { name: 'a', arguments: '{}' } }, { function: { name: 'b', arguments: '{}' } }]));
    assert.deepEqual(
      a.toolCalls.map((t) => t.function.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      a.toolCalls.map((t) => t.id),
      ['call_0', 'call_1'],
      'missing ids are made up, unique',
    );
  });

  it('stringifies arguments sent as a JSON object (TGI)', () => {
    const a = new ChatAccumulator();
    a.push(
      tc([
        { index: 0, id: 'c', type: 'function', function: { name: 'get_weather', arguments: { location: 'London' } } },
      ]),
    );
    assert.equal(a.toolCalls[0].function.arguments, '{"location":"London"}');
  });

  it('a reused index with a new id starts a new call', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ index: 0, id: 'c1', function: { name: 'a', arguments: '{}' } }]));
    a.push(tc([{ index: 0, id: 'c2', function: { name: 'b', arguments: '{}' } }]));
    assert.deepEqual(
      a.toolCalls.map((t) => [t.id, t.function.name]),
      [
        ['c1', 'a'],
        ['c2', 'b'],
      ],
    );
  });

  it('records finish_reason but does not rely on it: tool calls with "stop" are still tool calls', () => {
    const a = new ChatAccumulator();
    a.push(tc([{ index: 0, id: 'c', function: { name: 'get_weather', arguments: '{}' } }]));
    a.push(chunk({}, 'stop'));
    assert.equal(a.finishReason, 'stop');
    assert.equal(a.message().tool_calls?.length, 1);
  });

  it('takes usage from whichever chunk carries it (usage-only chunk, a content chunk, Groq x_groq)', () => {
    const u = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    const a = new ChatAccumulator();
    a.push(chunk({ content: 'x' }, null, { usage: u }));
    assert.deepEqual(a.usage, u);
    const b = new ChatAccumulator();
    b.push({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: u });
    assert.deepEqual(b.usage, u);
    const g = new ChatAccumulator();
    g.push(chunk({}, 'stop', { x_groq: { usage: u } }));
    assert.deepEqual(g.usage, u);
    const n = new ChatAccumulator();
    n.push(chunk({ content: 'x' }, null, { usage: null }));
    assert.equal(n.usage, undefined);
  });

  it('ignores chunks with empty choices (Azure prompt_filter_results) and other choice indexes', () => {
    const a = new ChatAccumulator();
    a.push({
      id: '',
      object: 'chat.completion.chunk',
      created: 0,
      model: '',
      choices: [],
      prompt_filter_results: [],
    } as unknown as ChatCompletionChunk);
    a.push({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [
        { index: 1, delta: { content: 'other' }, finish_reason: null },
        { index: 0, delta: { content: 'mine' }, finish_reason: null },
      ],
    });
    assert.equal(a.content, 'mine');
  });

  it('content null with no tool calls is an empty string in the message', () => {
    const a = new ChatAccumulator();
    a.push(chunk({ role: 'assistant', content: null }));
    assert.deepEqual(a.message(), { role: 'assistant', content: '' });
  });
});

describe('ChatAccumulator over the server: tool-call shapes', () => {
  const ctx = useServer();
  const shapes: ToolCallShape[] = ['indexed-pieces', 'late-name', 'whole-no-index', 'finish-stop', 'object-arguments'];
  for (const shape of shapes) {
    it(`streamed tool calls, shape "${shape}"`, async () => {
      ctx.server.enqueue(replies.toolCallStream(shape));
      const r = await collect(ctx.client);
      assert.equal(r.error, undefined, r.error?.message);
      const m = r.acc.message();
      assert.equal(m.content, null);
      assert.deepEqual(
        m.tool_calls?.map((t) => t.function),
        EXPECTED.map((e) => e.function),
      );
      assert.deepEqual(
        m.tool_calls?.map((t) => t.id),
        [0, 1].map((i) => `call_${shape.replace(/-/g, '_')}_${i}`),
      );
      assert.equal(r.acc.finishReason, shape === 'finish-stop' ? 'stop' : 'tool_calls');
      assert.ok(r.acc.usage);
    });
    it(`non-streaming tool calls, shape "${shape}"`, async () => {
      ctx.server.enqueue(replies.toolCallStream(shape));
      const c = await ctx.client.createChatCompletion(basic());
      assert.deepEqual(
        c.choices[0].message.tool_calls?.map((t) => t.function),
        EXPECTED.map((e) => e.function),
      );
    });
  }

  it('custom calls and text before the calls', async () => {
    ctx.server.enqueue(
      replies.toolCallStream('indexed-pieces', [{ id: 'call_1', name: 'list_dir', arguments: { path: '.' } }], {
        content: 'Let me look.',
      }),
    );
    const r = await collect(ctx.client);
    assert.deepEqual(r.acc.message(), {
      role: 'assistant',
      content: 'Let me look.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_dir', arguments: '{"path":"."}' } }],
    });
  });
});

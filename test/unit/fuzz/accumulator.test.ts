// Property of the delta accumulator: for an answer (text, reasoning, refusal, tool calls) streamed the ways servers
// stream it — text in random pieces; tool calls by `index` with id and name first or the name late, arguments in
// fragments, pieces of several calls interleaved; whole calls without `index` (with index-less continuations);
// arguments as JSON objects; noise chunks (usage-only, other choices, empty deltas) anywhere — the accumulator
// rebuilds exactly that answer, and what `push` returns adds up to the text and reasoning.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChatAccumulator } from '../../../src/api/accumulator';
import type { ChatCompletionChunk, ToolCallDelta, Usage } from '../../../src/api/types';
import { itHolds } from './property';

type Style = 'indexed' | 'late-name' | 'whole-no-index' | 'object-arguments';

interface CallSpec {
  id: string;
  name: string;
  args: string | Record<string, unknown>;
  style: Style;
  index: number;
  /** Cut points in the arguments text (indexed styles) or the number of index-less continuations. */
  cuts: number[];
  /** Whether the id is sent (servers that send none get call_<n>). */
  withId: boolean;
}

const text = (max: number) =>
  fc.string({
    unit: fc.oneof(fc.constantFrom('a', ' ', '\n', '`', 'é', '👋'), fc.string({ minLength: 1, maxLength: 1 })),
    maxLength: max,
  });

const callArb = fc.record({
  name: fc.stringMatching(/^[a-z_]{1,12}$/),
  args: fc.oneof(
    fc.json({ maxDepth: 2 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  ),
  style: fc.constantFrom<Style>('indexed', 'late-name', 'whole-no-index', 'object-arguments'),
  cuts: fc.array(fc.nat(40), { maxLength: 5 }),
  withId: fc.boolean(),
});

const answerArb = fc.record({
  content: fc.array(text(12), { maxLength: 8 }),
  reasoning: fc.array(text(12), { maxLength: 4 }),
  refusal: fc.array(text(8), { maxLength: 2 }),
  calls: fc.array(callArb, { maxLength: 4 }),
  indexes: fc.uniqueArray(fc.nat(20), { minLength: 4, maxLength: 4 }),
  order: fc.array(fc.nat(), { maxLength: 80 }),
  noise: fc.array(fc.tuple(fc.nat(80), fc.constantFrom('usage', 'other-choice', 'empty-delta', 'no-choices', 'role')), {
    maxLength: 6,
  }),
  finish: fc.constantFrom('stop', 'tool_calls', null),
});

type Answer = typeof answerArb extends fc.Arbitrary<infer T> ? T : never;

const chunk = (
  delta: Record<string, unknown>,
  extra: Partial<ChatCompletionChunk> = {},
  index = 0,
): ChatCompletionChunk => ({
  id: 'x',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index, delta, finish_reason: null }],
  ...extra,
});

function pieces(s: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const c of [...at, s.length]) {
    if (c > prev) out.push(s.slice(prev, c));
    prev = c;
  }
  return out.length ? out : [''];
}

/** Object arguments (TGI) are an object; every other style sends a JSON string. */
function argsFor(style: Style, args: string | Record<string, unknown>): string | Record<string, unknown> {
  if (style === 'object-arguments') return typeof args === 'string' ? { v: args } : args;
  return typeof args === 'string' ? args : JSON.stringify(args);
}

/** The chunk sequence for an answer, and the expected result. */
function streamOf(a: Answer): { chunks: ChatCompletionChunk[]; calls: CallSpec[]; usage?: Usage } {
  const calls: CallSpec[] = a.calls.map((c, i) => ({
    ...c,
    id: `call-${i}-${c.name}`,
    index: a.indexes[i],
    args: argsFor(c.style, c.args),
  }));
  // Queues that may interleave: text, reasoning, refusal and each indexed call. Index-less calls go out whole,
  // as one block each (their continuations attach to the last call, so nothing may come between).
  const queues: ChatCompletionChunk[][] = [
    a.content.map((t) => chunk({ content: t })),
    a.reasoning.map((t) => chunk({ reasoning_content: t })),
    a.refusal.map((t) => chunk({ refusal: t })),
  ];
  const blocks: ChatCompletionChunk[][] = [];
  for (const c of calls) {
    const id = c.withId ? { id: c.id } : {};
    const tc = (d: ToolCallDelta) => chunk({ tool_calls: [d] });
    if (c.style === 'whole-no-index') {
      const [first, ...rest] = pieces(c.args as string, c.cuts);
      blocks.push([
        tc({ ...id, type: 'function', function: { name: c.name, arguments: first } }),
        ...rest.map((p) => tc({ function: { arguments: p } })),
      ]);
    } else if (c.style === 'object-arguments') {
      queues.push([
        tc({
          index: c.index,
          ...id,
          type: 'function',
          function: { name: c.name, arguments: c.args as Record<string, unknown> },
        }),
      ]);
    } else {
      const ps = pieces(c.args as string, c.cuts);
      const head =
        c.style === 'late-name'
          ? [
              tc({ index: c.index, ...id, type: 'function', function: { arguments: '' } }),
              tc({ index: c.index, function: { name: c.name } }),
            ]
          : [tc({ index: c.index, ...id, type: 'function', function: { name: c.name, arguments: '' } })];
      queues.push([...head, ...ps.map((p) => tc({ index: c.index, function: { arguments: p } }))]);
    }
  }
  // Interleave the queues by `order`, then put each index-less block whole at a point between those chunks.
  const out: ChatCompletionChunk[] = [];
  let k = 0;
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (!open.length) break;
    out.push(open[(a.order[k++] ?? 0) % open.length].shift()!);
  }
  const at = blocks.map((_, i) => (a.order[i] ?? 0) % (out.length + 1));
  const merged: ChatCompletionChunk[] = [];
  for (let j = 0; j <= out.length; j++) {
    blocks.forEach((b, i) => {
      if (at[i] === j) merged.push(...b);
    });
    if (j < out.length) merged.push(out[j]);
  }
  out.length = 0;
  out.push(...merged);
  let usage: Usage | undefined;
  for (const [at, kind] of a.noise) {
    const pos = at % (out.length + 1);
    if (kind === 'usage') {
      usage = { prompt_tokens: at, completion_tokens: 1, total_tokens: at + 1 };
      out.splice(pos, 0, { ...chunk({}), choices: [], usage });
    } else if (kind === 'other-choice')
      out.splice(
        pos,
        0,
        chunk({ content: 'IGNORED', tool_calls: [{ index: 0, function: { arguments: 'IGNORED' } }] }, {}, 1),
      );
    else if (kind === 'empty-delta') out.splice(pos, 0, chunk({}));
    else if (kind === 'no-choices') out.splice(pos, 0, { ...chunk({}), choices: [] });
    else out.splice(pos, 0, chunk({ role: 'assistant', content: '' }));
  }
  // usage chunks are inserted in order of `noise`, not of position: the last one in the stream wins.
  usage = undefined;
  for (const c of out) if (c.usage) usage = c.usage;
  if (a.finish) out.push({ ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: a.finish }] });
  // Calls in order of their first piece.
  const firstAt = (c: CallSpec) =>
    out.findIndex(
      (ch) =>
        ch.choices[0]?.index === 0 &&
        ch.choices[0].delta.tool_calls?.some((t) =>
          c.withId ? t.id === c.id : t.function?.name === c.name || (t.index !== undefined && t.index === c.index),
        ),
    );
  const ordered = [...calls].sort((x, y) => firstAt(x) - firstAt(y));
  return { chunks: out, calls: ordered, usage };
}

describe('accumulator property (fast-check)', () => {
  itHolds('accumulator: any streaming of an answer rebuilds it exactly', { numRuns: 400, timeLimitMs: 4000 }, () =>
    fc.property(answerArb, (a) => {
      // Two indexed calls without ids and with the same name are indistinguishable to `firstAt` above: keep names unique.
      fc.pre(new Set(a.calls.map((c) => c.name)).size === a.calls.length);
      const { chunks, calls, usage } = streamOf(a);
      const acc = new ChatAccumulator();
      let content = '';
      let reasoning = '';
      for (const c of chunks) {
        const added = acc.push(c);
        content += added.content;
        reasoning += added.reasoning;
      }
      assert.equal(acc.content, a.content.join(''));
      assert.equal(content, acc.content, 'what push returned adds up to the content');
      assert.equal(acc.reasoning, a.reasoning.join(''));
      assert.equal(reasoning, acc.reasoning, 'what push returned adds up to the reasoning');
      assert.equal(acc.refusal, a.refusal.join(''));
      assert.equal(acc.finishReason, a.finish);
      assert.deepEqual(acc.usage, usage);
      const want = calls.map((c, i) => ({
        id: c.withId ? c.id : `call_${i}`,
        type: 'function',
        function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
      }));
      assert.deepEqual(acc.toolCalls, want);
      const m = acc.message();
      assert.equal(m.content, acc.content === '' && want.length > 0 ? null : acc.content);
      assert.deepEqual(m.tool_calls, want.length ? want : undefined);
    }),
  );
});

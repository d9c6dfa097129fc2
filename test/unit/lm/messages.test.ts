// VS Code's language-model messages -> OpenAI messages (src/lm/messages.ts, src/lm/parts.ts), and the answer's
// tool calls back (src/lm/responseParts.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { InvalidResponseError } from '../../../src/api/errors';
import type { ChatMessage } from '../../../src/api/types';
import {
  promptTsxText,
  toFunctionTools,
  toOpenAiCallId,
  toOpenAiMessages,
  toOpenAiToolName,
  toToolChoice,
  ToolNames,
  type LmMessage,
} from '../../../src/lm/messages';
import { toLmMessage } from '../../../src/lm/parts';
import { derivedCallId, parseToolInput, requestKey, toolCallParts } from '../../../src/lm/responseParts';
import { itHolds } from '../fuzz/property';

const user = (...parts: LmMessage['parts']): LmMessage => ({ role: 'user', parts });
const assistant = (...parts: LmMessage['parts']): LmMessage => ({ role: 'assistant', parts });
const text = (value: string) => ({ kind: 'text' as const, value });
const call = (callId: string, name: string, input: unknown = {}) => ({
  kind: 'toolCall' as const,
  callId,
  name,
  input,
});
const result = (callId: string, value: string) => ({ kind: 'toolResult' as const, callId, content: [text(value)] });

/** Every `tool` message answers a call of the assistant message just before it; every call gets one answer. */
function assertValidSequence(msgs: ChatMessage[]): void {
  let open: string[] = [];
  for (const [i, m] of msgs.entries()) {
    if (m.role === 'tool') {
      assert.ok(open.length > 0, `tool message ${i} follows no open tool call`);
      assert.equal(m.tool_call_id, open[0], `tool message ${i} answers the calls in order`);
      open = open.slice(1);
      continue;
    }
    assert.deepEqual(open, [], `message ${i} (${m.role}) comes before calls ${open.join(', ')} got their results`);
    if (m.role === 'assistant' && m.tool_calls?.length) open = m.tool_calls.map((c) => c.id);
  }
  assert.deepEqual(open, [], 'every call got a result');
}

describe('lm: VS Code messages to OpenAI messages', () => {
  it('maps text, a tool round and its result in VS Code’s convention', () => {
    const out = toOpenAiMessages([
      { role: 'system', parts: [text('Be brief.')] },
      user(text('Read a.ts')),
      assistant(text('Reading it.'), call('call_1', 'bud_read_file', { path: 'a.ts' })),
      user(result('call_1', '1: hello')),
      assistant(text('It says hello.')),
    ]);
    assert.deepEqual(out, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Read a.ts' },
      {
        role: 'assistant',
        content: 'Reading it.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'bud_read_file', arguments: '{"path":"a.ts"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '1: hello' },
      { role: 'assistant', content: 'It says hello.' },
    ]);
  });

  it('keeps ids servers accept and maps others the same way every time (history reloaded later still matches)', () => {
    assert.equal(toOpenAiCallId('call_abc-123'), 'call_abc-123');
    assert.equal(toOpenAiCallId('toolu_01A09q90qw90lq917835lq9'), 'toolu_01A09q90qw90lq917835lq9');
    const odd = 'tooluse:7/§ with spaces';
    const mapped = toOpenAiCallId(odd);
    assert.match(mapped, /^call_[0-9a-f]{16}$/);
    assert.equal(toOpenAiCallId(odd), mapped, 'deterministic');
    assert.notEqual(toOpenAiCallId(`${odd}!`), mapped);
    const out = toOpenAiMessages([assistant(call(odd, 't')), user(result(odd, 'r'))]);
    assert.equal(out[0].tool_calls?.[0].id, mapped);
    assert.equal(out[1].tool_call_id, mapped);
  });

  it('states a missing result, and gives a result without its call to the model as text', () => {
    const out = toOpenAiMessages([
      user(text('go')),
      assistant(call('a', 'x'), call('b', 'y')),
      user(result('b', 'B done'), result('zzz', 'orphan'), text('and now?')),
    ]);
    assertValidSequence(out);
    assert.match(String(out[2].content), /No result was recorded/);
    assert.equal(out[2].tool_call_id, 'a');
    assert.deepEqual(out[3], { role: 'tool', tool_call_id: 'b', content: 'B done' });
    assert.equal(out[4].role, 'user');
    assert.match(String(out[4].content), /^Result of tool call zzz:\norphan\n\nand now\?$/);
  });

  it('never sends data the model cannot take silently: images become a note, hints are left out, text data is text', () => {
    const msg = toLmMessage({
      role: 1,
      name: undefined,
      content: [
        { value: 'Look:' },
        { mimeType: 'image/png', data: new Uint8Array(10) },
        { mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
        { mimeType: 'application/json', data: new TextEncoder().encode('{"a":1}') },
      ],
    });
    const out = toOpenAiMessages([msg]);
    assert.equal(out[0].content, 'Look:[image/png data (10 bytes) not sent: this model takes text only]{"a":1}');
  });

  it('reads prompt-tsx tool results as their text', () => {
    const tsx = {
      node: {
        type: 1,
        ctor: 2,
        children: [
          { type: 2, text: 'line 1\n' },
          { type: 1, children: [{ type: 2, text: 'line 2' }] },
        ],
      },
    };
    assert.equal(promptTsxText(tsx), 'line 1\nline 2');
    const msg = toLmMessage({ role: 1, name: undefined, content: [{ callId: 'c', content: [{ value: tsx }] }] });
    const out = toOpenAiMessages([assistant(call('c', 'copilot_readFile')), msg]);
    assert.equal(out[1].content, 'line 1\nline 2');
  });

  it('recognises parts by their fields (1.90 messages with string content too) and roles 1, 2, 3', () => {
    assert.deepEqual(toLmMessage({ role: 1, content: 'hi', name: 'ann' }), {
      role: 'user',
      name: 'ann',
      parts: [text('hi')],
    });
    assert.equal(toLmMessage({ role: 2, content: [] }).role, 'assistant');
    assert.equal(toLmMessage({ role: 3, content: [] }).role, 'system');
    const parts = toLmMessage({
      role: 2,
      content: [
        { callId: 'i', name: 'n', input: { a: 1 } },
        { callId: 'j', content: [] },
      ],
    }).parts;
    assert.deepEqual(parts, [call('i', 'n', { a: 1 }), { kind: 'toolResult', callId: 'j', content: [] }]);
  });

  it('maps tool definitions, names servers would refuse, and tool mode', () => {
    const tools = [
      {
        name: 'bud_read_file',
        description: 'Read',
        inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
      },
      { name: 'mcp.server/do it', description: 'Odd name' },
    ];
    const defs = toFunctionTools(tools);
    assert.equal(defs[0].function.name, 'bud_read_file');
    assert.deepEqual(defs[1].function.parameters, { type: 'object', properties: {} });
    assert.match(defs[1].function.name, /^mcp_server_do_it_[0-9a-f]{8}$/);
    assert.equal(new ToolNames(tools).original(defs[1].function.name), 'mcp.server/do it');
    assert.equal(toOpenAiToolName('x'.repeat(80)).length <= 64, true);
    assert.equal(toToolChoice('required', 2), 'required');
    assert.equal(toToolChoice('required', 0), undefined);
    assert.equal(toToolChoice('auto', 2), undefined);
  });

  // ------------------------------------------------------------------------------------- property

  const partArb = (ids: string[]) =>
    fc.oneof(
      fc.string({ maxLength: 8 }).map(text),
      fc.constantFrom(...ids).map((id) => call(id, 'tool', { id })),
      fc.constantFrom(...ids).map((id) => result(id, `r-${id}`)),
    );
  const messageArb = (ids: string[]) =>
    fc.record({
      role: fc.constantFrom<LmMessage['role']>('user', 'assistant', 'system'),
      parts: fc.array(partArb(ids), { maxLength: 5 }),
    });

  const ids = ['a', 'b', 'c', 'd e', '∂'];
  itHolds(
    'property: whatever the history holds, every tool call is answered once, in order, before anything else',
    { numRuns: 500, timeLimitMs: 10_000 },
    () =>
      fc.property(fc.array(messageArb(ids), { maxLength: 30 }), (msgs) => {
        const out = toOpenAiMessages(msgs);
        assertValidSequence(out);
        // Nothing the caller wrote is lost: every text part appears in some message.
        const all = out.map((m) => m.content ?? '').join('\u0000');
        for (const m of msgs)
          for (const p of m.parts) if (p.kind === 'text' && p.value) assert.ok(all.includes(p.value));
      }),
  );

  it('regression (shrunk): a result before any call, then a call left open at the end', () => {
    const out = toOpenAiMessages([user(result('a', 'early')), assistant(call('a', 't'))]);
    assertValidSequence(out);
    assert.deepEqual(
      out.map((m) => m.role),
      ['user', 'assistant', 'tool'],
    );
  });
});

describe('lm: the answer’s tool calls to VS Code parts', () => {
  const names = new ToolNames([{ name: 'bud_read_file', description: '' }]);
  const msg = (calls: { id: string; name: string; args: string }[]): ChatMessage => ({
    role: 'assistant',
    content: null,
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })),
  });

  it('keeps the server’s ids and parses the arguments', () => {
    const parts = toolCallParts(msg([{ id: 'call_xyz', name: 'bud_read_file', args: '{"path":"a.ts"}' }]), names, 'k');
    assert.deepEqual(parts, [{ callId: 'call_xyz', name: 'bud_read_file', input: { path: 'a.ts' } }]);
  });

  it('derives ids for calls the server sent without one: the same for the same request, different across rounds', () => {
    const m = msg([
      { id: 'call_0', name: 'bud_read_file', args: '{"path":"a.ts"}' },
      { id: 'call_1', name: 'bud_read_file', args: '' },
    ]);
    const round1: ChatMessage[] = [{ role: 'user', content: 'read a.ts' }];
    const round2: ChatMessage[] = [...round1, m, { role: 'tool', tool_call_id: 'x', content: '1: a' }];
    const first = toolCallParts(m, names, requestKey(round1));
    assert.deepEqual(toolCallParts(m, names, requestKey(round1)), first, 'deterministic');
    assert.notEqual(first[0].callId, 'call_0');
    assert.notEqual(first[0].callId, first[1].callId);
    assert.deepEqual(first[1].input, {}, 'empty arguments are no arguments');
    const second = toolCallParts(m, names, requestKey(round2));
    assert.notEqual(second[0].callId, first[0].callId, 'a later round never reuses an id');
    assert.equal(derivedCallId('k', 0, m.tool_calls![0]), derivedCallId('k', 0, m.tool_calls![0]));
  });

  it('gives a second call with a reused id an id of its own', () => {
    const parts = toolCallParts(
      msg([
        { id: 'dup', name: 'bud_read_file', args: '{}' },
        { id: 'dup', name: 'bud_read_file', args: '{"path":"b"}' },
      ]),
      names,
      'k',
    );
    assert.equal(parts[0].callId, 'dup');
    assert.notEqual(parts[1].callId, 'dup');
  });

  it('refuses arguments that are not a JSON object, with a sentence naming the tool', () => {
    assert.throws(
      () => parseToolInput('bud_read_file', '{"path": '),
      (e: unknown) => e instanceof InvalidResponseError && /bud_read_file.*not valid JSON/.test(e.message),
    );
    assert.throws(() => parseToolInput('t', '[1,2]'), /not a JSON object/);
    assert.deepEqual(parseToolInput('t', '  '), {});
  });
});

// Properties of the SSE decoder and the chunk reader (the client's wire layer):
// - a valid stream, in any of the forms servers send (LF / CRLF / CR, comments, fields, `data:` with or without
//   the space, multi-byte UTF-8, a byte order mark, a last event without its blank line), gives the same events
//   and comments however its bytes are split into network chunks — also when the caller reuses its buffers;
// - arbitrary bytes (and near-valid chunks of any shape) fed through the reader into the accumulator, in any
//   split, never throw anything but the client's typed errors.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChatAccumulator } from '../../../src/api/accumulator';
import { BudError, InvalidResponseError, StreamError } from '../../../src/api/errors';
import { SseDecoder } from '../../../src/api/sse';
import { ChatChunkReader } from '../../../src/api/stream';
import { itHolds } from './property';

type Ev = [data: string, event: string];

interface Line {
  text: string;
  eol: '\n' | '\r\n' | '\r';
}

/** Text of a line value: any Unicode (multi-byte included) but no line break. */
const lineText = (maxLength = 24) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom('a', ' ', ':', '{', '"', 'é', '日', '👋', '\u2028', '\0'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
      maxLength,
    })
    .map((s) => s.replace(/[\r\n]/g, ''));

const eol = fc.constantFrom<Line['eol']>('\n', '\r\n', '\r');

/** One event: comments and other fields around one or more data lines (or none: a comment-only block). */
const eventArb = fc.record({
  comments: fc.array(lineText(), { maxLength: 2 }),
  type: fc.option(fc.constantFrom('message', 'error', 'delta', 'ping'), { nil: undefined }),
  id: fc.option(fc.stringMatching(/^[0-9a-z]{1,6}$/), { nil: undefined }),
  retry: fc.boolean(),
  data: fc.array(fc.record({ value: lineText(40), noSpace: fc.boolean() }), { maxLength: 4 }),
  eols: fc.array(eol, { minLength: 16, maxLength: 16 }),
});

type EventSpec = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

interface StreamCase {
  /** The stream as text (what a shrunk case prints); `bytes` is its UTF-8, after a byte order mark when `bom`. */
  text: string;
  bom: boolean;
  bytes: Buffer;
  events: Ev[];
  comments: string[];
}

/** Serialises events to SSE bytes and says what a decoder must make of them. */
function buildStream(events: EventSpec[], bom: boolean, lastBlank: boolean): StreamCase {
  const lines: Line[] = [];
  const expected: Ev[] = [];
  const comments: string[] = [];
  events.forEach((e, k) => {
    let i = 0;
    const add = (text: string) => lines.push({ text, eol: e.eols[i++ % e.eols.length] });
    for (const c of e.comments) {
      add(`:${c.startsWith(' ') ? '' : ' '}${c}`);
      comments.push(c.startsWith(' ') ? c.slice(1) : c);
    }
    if (e.id !== undefined) add(`id: ${e.id}`);
    if (e.type !== undefined) add(`event: ${e.type}`);
    if (e.retry) add('retry: 1000');
    // A value that starts with a space needs the spaced form, which removes exactly one space.
    for (const d of e.data) add(d.noSpace && !d.value.startsWith(' ') ? `data:${d.value}` : `data: ${d.value}`);
    if (e.data.length) expected.push([e.data.map((d) => d.value).join('\n'), e.type ?? 'message']);
    if (k < events.length - 1 || lastBlank) add('');
  });
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    let end = lines[i].eol;
    // "\r" then an empty line ended by "\n" would read as one CRLF: such a blank line takes "\r\n" (what a server would send).
    if (end === '\n' && lines[i].text === '' && i > 0 && text.endsWith('\r')) end = '\r\n';
    // The last line of a stream without its blank line may end without a line break at all.
    if (i === lines.length - 1 && !lastBlank) {
      text += lines[i].text;
      break;
    }
    text += lines[i].text + end;
  }
  const body = Buffer.from(text, 'utf8');
  const bytes = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  // Printed in a failure report: the text and the expectations, not the bytes again.
  Object.defineProperty(bytes, fc.toStringMethod, { value: () => `<${bytes.length} bytes of the text>` });
  return { text, bom, bytes, events: expected, comments };
}

const streamArb = fc
  .record({ events: fc.array(eventArb, { maxLength: 8 }), bom: fc.boolean(), lastBlank: fc.boolean() })
  .map((r) => buildStream(r.events, r.bom, r.lastBlank));

/** Cut points (sorted, unique, inside the buffer) for splitting `n` bytes into network chunks. */
const cutsFor = (n: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: Math.min(n, 40) })
    .map((c) => c.filter((x) => x < n).sort((a, b) => a - b));

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

function decode(pieces: Buffer[], reuse: boolean): { events: Ev[]; comments: string[] } {
  const events: Ev[] = [];
  const comments: string[] = [];
  const d = new SseDecoder((data, ev) => events.push([data, ev]), { onComment: (t) => comments.push(t) });
  for (const p of pieces) {
    const own = Buffer.from(p); // a network buffer of our own...
    d.push(own);
    if (reuse) own.fill(0x78); // ...that the caller reuses for the next read
  }
  d.end();
  return { events, comments };
}

describe('SSE properties (fast-check)', () => {
  itHolds(
    'SSE: any byte split of a valid stream gives the same events and comments',
    { numRuns: 400, timeLimitMs: 4000 },
    () =>
      fc.property(
        streamArb.chain((s) => fc.tuple(fc.constant(s), cutsFor(s.bytes.length), fc.boolean())),
        ([s, cuts, reuse]) => {
          const whole = decode([s.bytes], false);
          assert.deepEqual(whole.events, s.events, 'the whole stream decodes as written');
          assert.deepEqual(whole.comments, s.comments);
          const pieces = decode(split(s.bytes, cuts), reuse);
          assert.deepEqual(pieces.events, s.events, 'split stream');
          assert.deepEqual(pieces.comments, s.comments);
        },
      ),
  );

  itHolds(
    'SSE: single-byte splits inside multi-byte characters give the same events',
    { numRuns: 150, timeLimitMs: 3000 },
    () =>
      fc.property(streamArb, (s) => {
        const bytes: Buffer[] = [];
        for (let i = 0; i < s.bytes.length; i++) bytes.push(s.bytes.subarray(i, i + 1));
        assert.deepEqual(decode(bytes, true).events, s.events);
      }),
  );

  itHolds(
    'SSE: arbitrary bytes and odd chunks through reader and accumulator throw only typed client errors',
    { numRuns: 500, timeLimitMs: 4000 },
    () =>
      fc.property(
        hostileStream.chain((b) => fc.tuple(fc.constant(b), cutsFor(b.length))),
        ([text, cuts]) => {
          const bytes = Buffer.from(text, 'latin1');
          const acc = new ChatAccumulator();
          const reader = new ChatChunkReader({ onChunk: (c) => acc.push(c), maxLineBytes: 512 });
          try {
            for (const p of split(bytes, cuts)) reader.push(p);
            reader.end();
          } catch (e) {
            assert.ok(e instanceof BudError, `threw a non-client error: ${(e as Error)?.stack ?? String(e)}`);
            assert.ok(
              e instanceof InvalidResponseError || e instanceof StreamError,
              `unexpected error class ${(e as Error).name}`,
            );
            assert.equal(typeof e.message, 'string');
          }
          // Whatever arrived is readable afterwards.
          void acc.message();
          void reader.content;
        },
      ),
  );
});

// ---- hostile input ---------------------------------------------------------------------------------------------

/** Anything a chunk's fields might hold. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const oddValue = fc.oneof(
  anyJson,
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

/** Near-valid tool-call pieces: right keys, wrong types now and then. */
const oddToolCall = fc.oneof(
  fc.record(
    {
      index: fc.oneof(fc.nat(3), oddValue),
      id: fc.oneof(fc.string({ maxLength: 6 }), oddValue),
      function: fc.oneof(
        fc.record(
          {
            name: fc.oneof(fc.string({ maxLength: 6 }), oddValue),
            arguments: fc.oneof(fc.string({ maxLength: 12 }), anyJson),
          },
          { requiredKeys: [] },
        ),
        oddValue,
      ),
    },
    { requiredKeys: [] },
  ),
  oddValue,
);
const oddDelta = fc.oneof(
  fc.record(
    {
      role: oddValue,
      content: fc.oneof(fc.string({ maxLength: 12 }), oddValue),
      reasoning_content: oddValue,
      reasoning: oddValue,
      refusal: oddValue,
      tool_calls: fc.oneof(fc.array(oddToolCall, { maxLength: 3 }), oddValue),
    },
    { requiredKeys: [] },
  ),
  oddValue,
);
const oddChoice = fc.oneof(
  fc.record({ index: fc.oneof(fc.nat(2), oddValue), delta: oddDelta, finish_reason: oddValue }, { requiredKeys: [] }),
  oddValue,
);
const oddChunk = fc.oneof(
  fc.record(
    {
      id: oddValue,
      model: oddValue,
      choices: fc.oneof(fc.array(oddChoice, { maxLength: 3 }), oddValue),
      usage: oddValue,
      x_groq: oddValue,
      error: fc.oneof(fc.constant(undefined), oddValue),
    },
    { requiredKeys: [] },
  ),
  anyJson,
);

/**
 * A mix of raw bytes, SSE syntax and chunks of odd shapes, as a byte string (one char per byte, so a shrunk
 * case prints readably; `latin1` turns it into the bytes).
 */
const hostileStream = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1')),
      fc.constantFrom(
        '\n',
        '\r',
        '\r\n',
        '\n\n',
        'data: ',
        'data:',
        'event: error\n',
        ': ping\n',
        'data: [DONE]\n\n',
        '\xef\xbb\xbf',
      ),
      oddChunk.map((c) => Buffer.from(`data: ${JSON.stringify(c) ?? 'null'}\n\n`, 'utf8').toString('latin1')),
      fc.integer({ min: 100, max: 900 }).map((n) => `data: ${'x'.repeat(n)}`), // near and over the line limit
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('SSE regressions (shrunk cases the properties found)', () => {
  it('choices, deltas and tool-call pieces that are not objects are dropped, not a TypeError', () => {
    const acc = new ChatAccumulator();
    const reader = new ChatChunkReader({ onChunk: (c) => acc.push(c) });
    const events = [
      '{"choices":[""]}',
      '{"choices":[0]}',
      '{"choices":[null]}',
      '{"choices":[{"delta":"text"}]}',
      '{"choices":[{"delta":{"tool_calls":[null,5,{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]}}]}',
      '{"choices":[{"delta":{"tool_calls":"x"}}],"usage":5}',
      '{"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}',
    ];
    reader.push(Buffer.from(events.map((e) => `data: ${e}\n\n`).join('')));
    reader.end();
    assert.equal(reader.chunks, events.length);
    assert.deepEqual(acc.message(), {
      role: 'assistant',
      content: 'ok',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
    assert.equal(acc.usage, undefined);
  });
});

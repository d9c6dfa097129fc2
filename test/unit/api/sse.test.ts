// The pure SSE decoder and chunk reader: exact bytes, every split point, limits.
import * as assert from 'node:assert/strict';
import { SseDecoder, SseLimitError } from '../../../src/api/sse';
import { ChatChunkReader } from '../../../src/api/stream';
import type { ChatCompletionChunk } from '../../../src/api/types';
import { sseQuirks } from '../../../scripts/server/openai-server';

type Ev = [string, string];

function decode(parts: Uint8Array[], opts = {}): { events: Ev[]; comments: string[] } {
  const events: Ev[] = [];
  const comments: string[] = [];
  const d = new SseDecoder((data, ev) => events.push([data, ev]), { onComment: (t) => comments.push(t), ...opts });
  for (const p of parts) d.push(p);
  d.end();
  return { events, comments };
}

const b = (s: string) => Buffer.from(s, 'utf8');

describe('SseDecoder', () => {
  it('LF, CRLF and CR line ends give the same events', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const { events } = decode([b(`data: a${nl}${nl}data: b${nl}${nl}`)]);
      assert.deepEqual(
        events,
        [
          ['a', 'message'],
          ['b', 'message'],
        ],
        JSON.stringify(nl),
      );
    }
  });

  it('mixed line ends in one stream', () => {
    assert.deepEqual(
      decode([b('data: a\r\n\ndata: b\r\rdata: c\n\r\n')]).events.map((e) => e[0]),
      ['a', 'b', 'c'],
    );
  });

  it('data: with and without the space; only one space is removed', () => {
    assert.deepEqual(
      decode([b('data:x\n\ndata: y\n\ndata:  z\n\n')]).events.map((e) => e[0]),
      ['x', 'y', ' z'],
    );
  });

  it('multi-line data joins with "\\n"', () => {
    assert.deepEqual(decode([b('data: first\ndata: second\ndata:\ndata: fourth\n\n')]).events, [
      ['first\nsecond\n\nfourth', 'message'],
    ]);
  });

  it('comments are skipped and reported', () => {
    const r = decode([b(': ping\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n:no-space\n')]);
    assert.deepEqual(r.events, [['x', 'message']]);
    assert.deepEqual(r.comments, ['ping', 'OPENROUTER PROCESSING', 'no-space']);
  });

  it('event, id, retry and unknown fields', () => {
    const d = new SseDecoder(() => undefined);
    const got: Ev[] = [];
    const d2 = new SseDecoder((x, e) => got.push([x, e]));
    d2.push(b('event: error\nid: 42\nretry: 10\nfoo: bar\ndata: boom\n\ndata: next\n\n'));
    d2.end();
    assert.deepEqual(got, [
      ['boom', 'error'],
      ['next', 'message'],
    ]);
    assert.equal(d2.lastEventId, '42');
    void d;
  });

  it('a field line without a colon is a field with an empty value', () => {
    assert.deepEqual(decode([b('data\n\n')]).events, [['', 'message']]);
  });

  it('blank lines without data dispatch nothing', () => {
    assert.deepEqual(decode([b('\n\n\r\n\nevent: x\n\n')]).events, []);
  });

  it('the last event is delivered without its blank line at the end of input', () => {
    assert.deepEqual(
      decode([b('data: a\n\ndata: tail')]).events.map((e) => e[0]),
      ['a', 'tail'],
    );
  });

  it('a byte order mark at the start is dropped', () => {
    assert.deepEqual(decode([Buffer.from([0xef, 0xbb, 0xbf]), b('data: x\n\n')]).events, [['x', 'message']]);
  });

  it('multi-byte UTF-8 split across chunks comes out whole', () => {
    const all = b('data: héllo 日本 👋\n\n');
    for (let i = 0; i <= all.length; i++) {
      const { events } = decode([all.subarray(0, i), all.subarray(i)]);
      assert.deepEqual(events, [['héllo 日本 👋', 'message']], `split at ${i}`);
    }
  });

  for (const q of sseQuirks) {
    it(`quirk "${q.name}": every split point and byte-by-byte give the same events`, () => {
      const all = Buffer.concat(q.parts.map((p) => (typeof p === 'string' ? b(p) : p)));
      const whole = decode([all]).events;
      assert.ok(whole.length > 0);
      for (let i = 1; i < all.length; i++)
        assert.deepEqual(decode([all.subarray(0, i), all.subarray(i)]).events, whole, `split at ${i}`);
      const bytes: Uint8Array[] = [];
      for (let i = 0; i < all.length; i++) bytes.push(all.subarray(i, i + 1));
      assert.deepEqual(decode(bytes).events, whole);
    });
  }

  it('a line over the limit throws SseLimitError naming the limit, without holding more', () => {
    const d = new SseDecoder(() => undefined, { maxLineBytes: 1000 });
    d.push(b('data: '));
    assert.throws(
      () => {
        for (let i = 0; i < 100; i++) d.push(b('x'.repeat(64)));
      },
      (e: unknown) => e instanceof SseLimitError && e.what === 'line' && /longer than 1000 bytes/.test(e.message),
    );
  });

  it('a single chunk holding a whole over-long line also throws', () => {
    const d = new SseDecoder(() => undefined, { maxLineBytes: 100 });
    assert.throws(() => d.push(b(`data: ${'y'.repeat(200)}\n\n`)), SseLimitError);
  });

  it('an event over the limit (many data lines) throws', () => {
    const d = new SseDecoder(() => undefined, { maxLineBytes: 100, maxEventBytes: 250 });
    assert.throws(
      () => d.push(b(`${'data: 0123456789012345678901234567890123456789\n'.repeat(10)}\n`)),
      (e: unknown) => e instanceof SseLimitError && e.what === 'event',
    );
  });

  it('the default limit is 8 MB', () => {
    assert.match(new SseLimitError('line', 8 * 1024 * 1024).message, /8 MB/);
  });
});

describe('ChatChunkReader', () => {
  const read = (text: string) => {
    const chunks: ChatCompletionChunk[] = [];
    const r = new ChatChunkReader({ onChunk: (c) => chunks.push(c) });
    r.push(b(text));
    r.end();
    return { r, chunks };
  };
  const c = (content: string, finish: string | null = null) =>
    JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

  it('tracks [DONE], finish_reason and the text so far', () => {
    const { r, chunks } = read(`data: ${c('a')}\n\ndata: ${c('b', 'stop')}\n\ndata: [DONE]\n\n`);
    assert.equal(chunks.length, 2);
    assert.equal(r.done, true);
    assert.equal(r.finishSeen, true);
    assert.equal(r.content, 'ab');
  });

  it('gives chunks without choices an empty choices list and a missing delta an empty object', () => {
    const { chunks } = read(
      'data: {"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\ndata: {"choices":[{"index":0,"finish_reason":"stop"}]}\n\n',
    );
    assert.deepEqual(chunks[0].choices, []);
    assert.deepEqual(chunks[1].choices[0].delta, {});
  });

  it('an error object throws StreamError with the message and the partial text', () => {
    const r = new ChatChunkReader({ onChunk: () => undefined });
    assert.throws(
      () => r.push(b(`data: ${c('part')}\n\ndata: {"error":{"message":"overloaded"}}\n\n`)),
      (e: any) => e.kind === 'streamError' && e.serverMessage === 'overloaded' && e.partialContent === 'part',
    );
  });

  it('an error given as a plain string is read too', () => {
    const r = new ChatChunkReader({ onChunk: () => undefined });
    assert.throws(
      () => r.push(b('data: {"error":"Model is loading"}\n\n')),
      (e: any) => e.serverMessage === 'Model is loading',
    );
  });

  it('a non-object chunk is an invalid response', () => {
    const r = new ChatChunkReader({ onChunk: () => undefined });
    assert.throws(
      () => r.push(b('data: 42\n\n')),
      (e: any) => e.kind === 'incomplete' && /not an object/.test(e.message),
    );
  });

  it('an oversized line becomes an InvalidResponseError that keeps the partial text', () => {
    const r = new ChatChunkReader({ onChunk: () => undefined, maxLineBytes: 200 });
    r.push(b(`data: ${c('kept')}\n\n`));
    assert.throws(
      () => r.push(b(`data: ${'z'.repeat(500)}`)),
      (e: any) =>
        e.name === 'InvalidResponseError' && e.partialContent === 'kept' && /longer than 200 bytes/.test(e.message),
    );
  });
});
